/**
 * Reading rendered workload objects generically (Deployment, StatefulSet,
 * OpenKruise CloneSet and Advanced StatefulSet): replicas, maxSurge, track.
 * Pure functions over plain JSON.
 */
import { parseKubePercent } from '../core/int-or-percent';
import { Labels } from '../core/names';

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

/** A kind of workload the guardrails understand. @internal */
export interface WorkloadKind {
  /** API group. */
  readonly group: string;
  /** Kind. */
  readonly kind: string;
  /** Plural resource name (for admission rules). */
  readonly resource: string;
  /** Path of maxSurge in the object, when the kind has one. */
  readonly surgePath?: readonly string[];
}

/** The workload kinds whose replicas and rollouts the guardrails bound. @internal */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  { group: 'apps', kind: 'Deployment', resource: 'deployments', surgePath: ['spec', 'strategy', 'rollingUpdate', 'maxSurge'] },
  { group: 'apps', kind: 'StatefulSet', resource: 'statefulsets' },
  { group: 'apps.kruise.io', kind: 'CloneSet', resource: 'clonesets', surgePath: ['spec', 'updateStrategy', 'maxSurge'] },
  { group: 'apps.kruise.io', kind: 'StatefulSet', resource: 'statefulsets' },
];

const KINDS = new Map(WORKLOAD_KINDS.map(k => [`${k.group}|${k.kind}`, k]));

/** The API group of an apiVersion (`''` for the core group). @internal */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** The workload kind of an object, if it is one. @internal */
export function workloadKindOf(o: PlainObject): WorkloadKind | undefined {
  return KINDS.get(`${groupOf(o.apiVersion)}|${o.kind}`);
}

function at(o: unknown, path: readonly string[]): unknown {
  let cur = o;
  for (const p of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Replicas of a workload (Kubernetes' default 1 when unset). @internal */
export function replicasOf(o: PlainObject): number {
  const r = at(o, ['spec', 'replicas']);
  return typeof r === 'number' ? r : 1;
}

/** maxSurge of a workload as written (int or percentage string), when its kind has one and it is set. @internal */
export function maxSurgeOf(o: PlainObject): number | string | undefined {
  const kind = workloadKindOf(o);
  if (!kind?.surgePath) return undefined;
  const s = at(o, kind.surgePath);
  return typeof s === 'number' || typeof s === 'string' ? s : undefined;
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
