/**
 * The workload kinds the platform knows: one table, read by every layer that
 * looks at workload objects (the control plane counts their pods against the
 * scalability thresholds, the guardrails bound their replicas and rollouts in
 * the synth and in the cluster, the plan report sums their requests, the
 * rollout diagnosis reads their status). Pure data and lookups over plain JSON.
 *
 * Lookups match API group and kind, never the version: every served version
 * of a kind is the same kind. The paths are those of {@link WorkloadKind.version},
 * the version the platform renders; a served version that moved its rolling-update
 * fields has its own row in {@link WorkloadKind.rollingUpdateByVersion}, and
 * readers of an object take the paths of the object's version.
 *
 * Jobs and CronJobs are not in the table: their pods run to completion, and
 * nothing the platform decides counts them yet.
 */

/** API group of OpenKruise's workloads (CloneSet, Advanced StatefulSet). @internal */
export const OPENKRUISE_GROUP = 'apps.kruise.io';

/** A path into an object, as its keys (`['spec', 'replicas']`). @internal */
export type JsonPath = readonly string[];

/**
 * How a workload kind counts its pods: `replicas` (the value at
 * {@link WorkloadKind.replicasPath}) or `per-node` (one pod on every node its
 * pod template selects).
 * @internal
 */
export type WorkloadPodCount = 'replicas' | 'per-node';

/** Where a kind's rolling update reads its bounds; a field is absent when the kind has none. @internal */
export interface RollingUpdatePaths {
  /** Pods (int or percentage) that may run above the replicas during a rollout. @default - the kind has no maxSurge */
  readonly maxSurge?: JsonPath;
  /** Pods (int or percentage) that may be unavailable during a rollout. @default - the kind has no maxUnavailable */
  readonly maxUnavailable?: JsonPath;
  /** Pods (ordinals or a count) kept at the old revision. @default - the kind has no partition */
  readonly partition?: JsonPath;
}

/** A kind of workload: an object that runs pods from a pod template. @internal */
export interface WorkloadKind {
  /** API group (`''` for the core group). */
  readonly group: string;
  /** The API version the paths are of: the version the platform renders the kind with, where it renders it. */
  readonly version: string;
  /** Kind. */
  readonly kind: string;
  /** Plural resource name, as RBAC and admission rules name it (`deployments`). */
  readonly resource: string;
  /** The kind is namespaced (every workload kind is). */
  readonly namespaced: boolean;
  /** How it counts its pods. */
  readonly pods: WorkloadPodCount;
  /** Path of its replicas (Kubernetes' default 1 when unset). @default - none, when it counts per node */
  readonly replicasPath?: JsonPath;
  /** Path of its pod template (`metadata` and `spec` of the pods). */
  readonly podTemplatePath: JsonPath;
  /**
   * Its rolling-update fields. Absent when the kind does not roll out: a
   * ReplicaSet (or ReplicationController) changes no running pod when its
   * template changes; a Deployment rolls out by scaling its ReplicaSets.
   * @default - the kind does not roll out
   */
  readonly rollingUpdate?: RollingUpdatePaths;
  /**
   * The rolling-update fields of the kind's other served versions, where they
   * differ from {@link rollingUpdate}, keyed by version (OpenKruise's CloneSet
   * moved them under `updateStrategy.rollingUpdate` in `v1beta1`).
   * @default - every served version has the paths of {@link rollingUpdate}
   */
  readonly rollingUpdateByVersion?: Readonly<Record<string, RollingUpdatePaths>>;
}

const REPLICAS: JsonPath = ['spec', 'replicas'];
const TEMPLATE: JsonPath = ['spec', 'template'];
const DEPLOYMENT_ROLLING_UPDATE: RollingUpdatePaths = {
  maxSurge: ['spec', 'strategy', 'rollingUpdate', 'maxSurge'],
  maxUnavailable: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'],
};
const STATEFUL_SET_ROLLING_UPDATE: RollingUpdatePaths = {
  maxUnavailable: ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'],
  partition: ['spec', 'updateStrategy', 'rollingUpdate', 'partition'],
};
const DAEMON_SET_ROLLING_UPDATE: RollingUpdatePaths = {
  maxSurge: ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge'],
  maxUnavailable: ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'],
};
const CLONE_SET_ROLLING_UPDATE: RollingUpdatePaths = {
  maxSurge: ['spec', 'updateStrategy', 'maxSurge'],
  maxUnavailable: ['spec', 'updateStrategy', 'maxUnavailable'],
  partition: ['spec', 'updateStrategy', 'partition'],
};
// CloneSet v1beta1 (served beside v1alpha1, and the storage version from OpenKruise 1.8 on)
const CLONE_SET_V1BETA1_ROLLING_UPDATE: RollingUpdatePaths = {
  maxSurge: ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge'],
  maxUnavailable: ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'],
  partition: ['spec', 'updateStrategy', 'rollingUpdate', 'partition'],
};

/**
 * The workload kinds the platform knows. The order is the order of the
 * resources in the in-cluster guardrail policies.
 * @internal
 */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  /* eslint-disable @stylistic/max-len */
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true, pods: 'replicas', replicasPath: REPLICAS, podTemplatePath: TEMPLATE, rollingUpdate: DEPLOYMENT_ROLLING_UPDATE },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', resource: 'statefulsets', namespaced: true, pods: 'replicas', replicasPath: REPLICAS, podTemplatePath: TEMPLATE, rollingUpdate: STATEFUL_SET_ROLLING_UPDATE },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', namespaced: true, pods: 'replicas', replicasPath: REPLICAS, podTemplatePath: TEMPLATE },
  { group: '', version: 'v1', kind: 'ReplicationController', resource: 'replicationcontrollers', namespaced: true, pods: 'replicas', replicasPath: REPLICAS, podTemplatePath: TEMPLATE },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', resource: 'daemonsets', namespaced: true, pods: 'per-node', podTemplatePath: TEMPLATE, rollingUpdate: DAEMON_SET_ROLLING_UPDATE },
  { group: OPENKRUISE_GROUP, version: 'v1alpha1', kind: 'CloneSet', resource: 'clonesets', namespaced: true, pods: 'replicas', replicasPath: REPLICAS, podTemplatePath: TEMPLATE, rollingUpdate: CLONE_SET_ROLLING_UPDATE, rollingUpdateByVersion: { v1beta1: CLONE_SET_V1BETA1_ROLLING_UPDATE } },
  // OpenKruise's Advanced StatefulSet
  { group: OPENKRUISE_GROUP, version: 'v1beta1', kind: 'StatefulSet', resource: 'statefulsets', namespaced: true, pods: 'replicas', replicasPath: REPLICAS, podTemplatePath: TEMPLATE, rollingUpdate: STATEFUL_SET_ROLLING_UPDATE },
  /* eslint-enable @stylistic/max-len */
];

const BY_KIND = new Map(WORKLOAD_KINDS.map(k => [`${k.group}|${k.kind}`, k]));
const BY_RESOURCE = new Map(WORKLOAD_KINDS.map(k => [`${k.group}|${k.resource}`, k]));

/** The API group of an apiVersion (`''` for the core group: `v1`). @internal */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** The apiVersion of a kind's {@link WorkloadKind.version} (`apps/v1`, `v1`). @internal */
export function apiVersionOf(kind: WorkloadKind): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** The workload kind of an API group and kind, if it is one. @internal */
export function workloadKind(group: string, kind: string): WorkloadKind | undefined {
  return BY_KIND.get(`${group}|${kind}`);
}

/** The workload kind of an object (by its apiVersion's group and its kind), if it is one. @internal */
export function workloadKindOf(o: { readonly apiVersion?: unknown; readonly kind?: unknown }): WorkloadKind | undefined {
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return undefined;
  return workloadKind(groupOf(o.apiVersion), o.kind);
}

/** The workload kind of an API group and plural resource (as an admission request names it), if it is one. @internal */
export function workloadKindOfResource(group: string, resource: string): WorkloadKind | undefined {
  return BY_RESOURCE.get(`${group}|${resource}`);
}

/** The version of an apiVersion (`v1` of `apps/v1`). @internal */
export function versionOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
}

/**
 * Every layout of a kind's rolling-update fields across its served versions:
 * the rendered version's first, then the others' in the order of the table.
 * @internal
 */
export function rollingUpdateLayouts(kind: WorkloadKind): readonly RollingUpdatePaths[] {
  return [...(kind.rollingUpdate ? [kind.rollingUpdate] : []), ...Object.values(kind.rollingUpdateByVersion ?? {})];
}

/**
 * The rolling-update paths of an object of `kind` at `apiVersion`: its
 * version's row, or the rendered version's for a version with no row of its
 * own; undefined when the kind does not roll out.
 * @internal
 */
export function rollingUpdateOf(kind: WorkloadKind, apiVersion: unknown): RollingUpdatePaths | undefined {
  const version = typeof apiVersion === 'string' ? versionOf(apiVersion) : undefined;
  return (version !== undefined ? kind.rollingUpdateByVersion?.[version] : undefined) ?? kind.rollingUpdate;
}

/** True when `apiVersion` is the kind's rendered version or one with a row in {@link WorkloadKind.rollingUpdateByVersion}. @internal */
export function isKnownVersion(kind: WorkloadKind, apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  const version = versionOf(apiVersion);
  return version === kind.version || kind.rollingUpdateByVersion?.[version] !== undefined;
}

/** The value at a path of a JSON value, undefined where the path leaves it. @internal */
export function valueAt(o: unknown, path: JsonPath): unknown {
  let cur = o;
  for (const p of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/**
 * The replicas of a workload object of a kind that counts by replicas
 * (Kubernetes' default 1 when unset), undefined for a kind that runs per node.
 * @internal
 */
export function workloadReplicas(kind: WorkloadKind, o: unknown): number | undefined {
  if (!kind.replicasPath) return undefined;
  const r = valueAt(o, kind.replicasPath);
  return typeof r === 'number' ? r : 1;
}

/** The pod template of a workload object, undefined when it has none. @internal */
export function podTemplateOf(kind: WorkloadKind, o: unknown): Record<string, unknown> | undefined {
  const t = valueAt(o, kind.podTemplatePath);
  return t && typeof t === 'object' && !Array.isArray(t) ? t as Record<string, unknown> : undefined;
}
