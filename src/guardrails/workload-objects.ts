/**
 * Reading rendered workload objects generically (the guarded kinds of the
 * workload-kind table: Deployment, StatefulSet, OpenKruise CloneSet and
 * Advanced StatefulSet): replicas, maxSurge, track. Pure functions over plain JSON.
 */
import { parseKubePercent } from '../core/int-or-percent';
import { Labels } from '../core/names';
import { WORKLOAD_KINDS, WorkloadKind, isKnownVersion, rollingUpdateLayouts, rollingUpdateOf, valueAt, workloadKindOf, workloadReplicas } from '../core/workload-kinds';

export { groupOf } from '../core/workload-kinds';

/** A Kubernetes object as plain JSON, as little as the guardrails read. @internal */
export interface PlainObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [k: string]: unknown;
}

/**
 * The workload kinds whose replicas and rollouts the guardrails bound: the
 * kinds of the table that run `replicas` pods and roll them out. Not
 * ReplicaSets (nor ReplicationControllers): a Deployment rolls out by scaling
 * its old ReplicaSet to 0, which a scale-down bound on ReplicaSets would block.
 * @internal
 */
export const GUARDED_WORKLOAD_KINDS: readonly WorkloadKind[] = WORKLOAD_KINDS.filter(k => k.pods === 'replicas' && k.rollingUpdate !== undefined);

const GUARDED = new Set(GUARDED_WORKLOAD_KINDS);

/** The guarded workload kind of an object, if it is one. @internal */
export function guardedKindOf(o: PlainObject): WorkloadKind | undefined {
  const kind = workloadKindOf(o);
  return kind && GUARDED.has(kind) ? kind : undefined;
}

/** Replicas of a guarded workload (Kubernetes' default 1 when unset; 1 for any other object). @internal */
export function replicasOf(o: PlainObject): number {
  const kind = guardedKindOf(o);
  return (kind && workloadReplicas(kind, o)) ?? 1;
}

/** maxSurge of a workload as written (int or percentage string), when its kind has one and it is set. @internal */
export function maxSurgeOf(o: PlainObject): number | string | undefined {
  const kind = guardedKindOf(o);
  if (!kind) return undefined;
  // the layout of the object's version; for a version the table does not know, whichever layout holds a value
  const layouts = isKnownVersion(kind, o.apiVersion) ? [rollingUpdateOf(kind, o.apiVersion)!] : rollingUpdateLayouts(kind);
  for (const paths of layouts) {
    const s = paths.maxSurge ? valueAt(o, paths.maxSurge) : undefined;
    if (typeof s === 'number' || typeof s === 'string') return s;
  }
  return undefined;
}

/**
 * True when a maxSurge stays within `boundPercent` of `replicas`: a percentage
 * (parsed as Kubernetes parses it: `'050%'` is 50) must be at most the bound;
 * a pod count at most the bound's pods, rounded up as Kubernetes rounds surge
 * percentages (`surge*100 <= bound*max(replicas,1) + 99`).
 * @internal
 */
export function surgeAllowed(surge: number | string, replicas: number, boundPercent: number): boolean {
  if (typeof surge === 'number') return surge * 100 <= boundPercent * Math.max(replicas, 1) + 99;
  const pct = parseKubePercent(surge);
  return pct !== undefined && pct <= boundPercent;
}

/** The release track of an object (`stable`, `canary`), if labelled. @internal */
export function trackOf(o: PlainObject): string | undefined {
  return o.metadata.labels?.[Labels.TRACK];
}

/** The app name (`app.kubernetes.io/name`) of an object, if labelled. @internal */
export function appNameOf(o: PlainObject): string | undefined {
  return o.metadata.labels?.['app.kubernetes.io/name'];
}
