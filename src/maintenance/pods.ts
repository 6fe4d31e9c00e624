/**
 * What the maintenance simulations read of a cluster's rendered objects: each
 * workload's pods (requests and limits, node profile, priority, spread over
 * zones, tolerations), the PodDisruptionBudgets that select them, and the
 * priority classes. Pure: objects in, plain facts out. Reading the rendered
 * objects (not the specs) covers every workload the cluster runs, the ones a
 * platform engineer added to the cluster by hand included.
 */
import { Labels } from '../core/names';
import { ResourceAmounts, ZERO, addResources, cpuToMillis, memoryToMiB } from '../core/resources';
import { podTemplateOf, workloadKindOf, workloadReplicas } from '../core/workload-kinds';
import { KubeObject } from '../synth/context';
import { SHARD_MANAGER_COORDINATED } from '../workloads/crds';
import { DISRUPTION_POLICY_ANNOTATION } from '../workloads/render';

/**
 * Kubernetes' built-in priority classes (their values are fixed by the
 * apiserver): every cluster has them without rendering them.
 * @internal
 */
export const SYSTEM_PRIORITY_CLASSES: ReadonlyMap<string, number> = new Map([
  ['system-node-critical', 2000001000],
  ['system-cluster-critical', 2000000000],
]);

/** One container's requests and limits (undefined where not set). @internal */
export interface ContainerResources {
  /** Container name. */
  readonly name: string;
  /** CPU request, millicores. */
  readonly cpuRequest?: number;
  /** CPU limit, millicores. */
  readonly cpuLimit?: number;
  /** Memory request, MiB. */
  readonly memoryRequest?: number;
  /** Memory limit, MiB. */
  readonly memoryLimit?: number;
}

/** A toleration of a pod. @internal */
export interface PodToleration {
  /** Key; undefined matches every key (with `Exists`). */
  readonly key?: string;
  /** `Equal` or `Exists`. */
  readonly operator: string;
  /** Effect; undefined matches every effect. */
  readonly effect?: string;
  /** Seconds a NoExecute taint is tolerated; undefined for ever. */
  readonly tolerationSeconds?: number;
}

/** The pods of one workload of a cluster, as rendered. @internal */
export interface RenderedPods {
  /** Kind of the workload object. */
  readonly kind: string;
  /** Namespace. */
  readonly namespace: string;
  /** Workload name. */
  readonly name: string;
  /** True for a kind that runs one pod per node (DaemonSet). */
  readonly perNode: boolean;
  /** True for batch pods (a Job, CronJob or Volcano Job task): retried by their controller, not budgeted. */
  readonly batch: boolean;
  /** The task of a Volcano job; undefined otherwise. */
  readonly task?: string;
  /** Retries of a batch job (`backoffLimit`, Volcano's `maxRetry`); undefined when not given or not batch. */
  readonly retries?: number;
  /** Desired pods (0 for a per-node kind). */
  readonly replicas: number;
  /** The pod template's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Effective requests of one pod (init containers included). */
  readonly requests: ResourceAmounts;
  /** The app containers' resources. */
  readonly containers: readonly ContainerResources[];
  /** The node profile the pods select (by profile label, or by the pool label via its pool); undefined for none. */
  readonly nodeProfile?: string;
  /** The pool the pods select by the pool label; undefined for none. */
  readonly pool?: string;
  /** Priority class name; undefined for none. */
  readonly priorityClassName?: string;
  /** Priority value (the class's, 0 without one or for an unknown class). */
  readonly priority: number;
  /** Spread over maintenance zones. */
  readonly zoneSpread?: { readonly maxSkew: number; readonly hard: boolean };
  /** Tolerations. */
  readonly tolerations: readonly PodToleration[];
  /** Size limits of its emptyDir volumes, by volume name, in MiB (undefined for none). */
  readonly emptyDirLimits: ReadonlyArray<{ readonly name: string; readonly sizeLimitMiB?: number; readonly memory: boolean }>;
  /** True when the stateful operator moves its pods (the shard-managed disruption policy). */
  readonly operatorCoordinated: boolean;
  /** Seconds a pod gets to stop (Kubernetes' default 30). */
  readonly terminationGracePeriodSeconds: number;
  /** Seconds a rollout may take to make progress; undefined for kinds without one. */
  readonly progressDeadlineSeconds?: number;
}

/** A PodDisruptionBudget, as read. @internal */
export interface RenderedBudget {
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** Its selector's labels; undefined when it uses expressions (not matched). */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** `maxUnavailable` as given. */
  readonly maxUnavailable?: number | string;
  /** `minAvailable` as given. */
  readonly minAvailable?: number | string;
}

/** Everything read of one cluster. @internal */
export interface ClusterPods {
  /** Every workload's pods, in object order. */
  readonly workloads: readonly RenderedPods[];
  /** Every PodDisruptionBudget. */
  readonly budgets: readonly RenderedBudget[];
  /** The budgets of each namespace. */
  readonly budgetsByNamespace: ReadonlyMap<string, readonly RenderedBudget[]>;
  /** Priority classes: the cluster's and Kubernetes' built-in ones, by name. */
  readonly priorityClasses: ReadonlyMap<string, { readonly value: number; readonly preempts: boolean }>;
}

/** A pool's name and node profile, to tell the profile of pods that select a pool. @internal */
export interface PoolProfile {
  /** Pool name. */
  readonly pool: string;
  /** Its node profile. */
  readonly nodeProfile: string;
}

function rec(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {};
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function num(f: () => number): number | undefined {
  try {
    const n = f();
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function quantity(v: unknown, parse: (s: string) => number): number | undefined {
  if (v === undefined || v === null) return undefined;
  return num(() => parse(typeof v === 'number' ? String(v) : String(v)));
}

function strings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(rec(v))) if (typeof x === 'string') out[k] = x;
  return out;
}

function containerResources(c: unknown): ContainerResources {
  const r = rec(rec(c).resources);
  const req = rec(r.requests);
  const lim = rec(r.limits);
  return {
    name: String(rec(c).name ?? ''),
    cpuRequest: quantity(req.cpu ?? lim.cpu, s => cpuToMillis(s)),
    cpuLimit: quantity(lim.cpu, s => cpuToMillis(s)),
    memoryRequest: quantity(req.memory ?? lim.memory, s => memoryToMiB(s)),
    memoryLimit: quantity(lim.memory, s => memoryToMiB(s)),
  };
}

function gpusOf(c: unknown): number {
  const r = rec(rec(c).resources);
  const req = { ...rec(r.limits), ...rec(r.requests) };
  let gpus = 0;
  for (const [k, v] of Object.entries(req)) if (/(^|\/)gpu$/.test(k)) gpus += Number(v) || 0;
  return gpus;
}

/** Effective requests of one pod: the containers' sum, or the largest init container where larger. @internal */
export function effectiveRequests(podSpec: Record<string, unknown>): ResourceAmounts {
  const one = (c: unknown): ResourceAmounts => {
    const r = containerResources(c);
    return { cpuMillis: r.cpuRequest ?? 0, memoryMiB: r.memoryRequest ?? 0, gpus: gpusOf(c) };
  };
  const sum = addResources(ZERO, ...arr(podSpec.containers).map(one));
  let { cpuMillis, memoryMiB, gpus } = sum;
  for (const c of arr(podSpec.initContainers)) {
    const r = one(c);
    cpuMillis = Math.max(cpuMillis, r.cpuMillis);
    memoryMiB = Math.max(memoryMiB, r.memoryMiB);
    gpus = Math.max(gpus, r.gpus);
  }
  return { cpuMillis, memoryMiB, gpus };
}

function selectedLabel(podSpec: Record<string, unknown>, key: string): string | undefined {
  const v = rec(podSpec.nodeSelector)[key];
  if (typeof v === 'string') return v;
  const terms = arr(rec(rec(rec(podSpec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms);
  for (const t of terms) {
    for (const e of arr(rec(t).matchExpressions)) {
      const x = rec(e);
      if (x.key === key && x.operator === 'In' && arr(x.values).length === 1) return String(arr(x.values)[0]);
    }
  }
  return undefined;
}

function subset(sel: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

function zoneSpreadOf(podSpec: Record<string, unknown>, labels: Record<string, string>): RenderedPods['zoneSpread'] {
  let out: RenderedPods['zoneSpread'];
  for (const c of arr(podSpec.topologySpreadConstraints)) {
    const x = rec(c);
    if (x.topologyKey !== Labels.MAINTENANCE_ZONE) continue;
    const sel = rec(x.labelSelector);
    if (arr(sel.matchExpressions).length > 0 || !subset(strings(sel.matchLabels), labels)) continue;
    const maxSkew = typeof x.maxSkew === 'number' && x.maxSkew >= 1 ? Math.floor(x.maxSkew) : 1;
    const hard = x.whenUnsatisfiable !== 'ScheduleAnyway';
    // the tightest hard constraint decides
    if (!out || (hard && (!out.hard || maxSkew < out.maxSkew))) out = { maxSkew, hard };
  }
  return out;
}

/** Reads what the simulations need of one cluster's objects. @internal */
export function readClusterPods(objects: readonly KubeObject[], pools: readonly PoolProfile[]): ClusterPods {
  const priorityClasses = new Map<string, { value: number; preempts: boolean }>();
  for (const [name, value] of SYSTEM_PRIORITY_CLASSES) priorityClasses.set(name, { value, preempts: true });
  for (const o of objects) {
    if (o.kind === 'PriorityClass' && o.apiVersion === 'scheduling.k8s.io/v1') {
      const x = o as unknown as Record<string, unknown>;
      priorityClasses.set(o.metadata.name, { value: typeof x.value === 'number' ? x.value : 0, preempts: x.preemptionPolicy !== 'Never' });
    }
  }
  const profileOfPool = new Map(pools.map(p => [p.pool, p.nodeProfile]));
  const workloads: RenderedPods[] = [];
  const budgets: RenderedBudget[] = [];
  for (const o of objects) {
    if (o.kind === 'PodDisruptionBudget' && o.apiVersion === 'policy/v1') {
      const spec = rec((o as unknown as Record<string, unknown>).spec);
      const sel = rec(spec.selector);
      const mu = spec.maxUnavailable, ma = spec.minAvailable;
      budgets.push({
        namespace: o.metadata.namespace ?? '',
        name: o.metadata.name,
        ...(arr(sel.matchExpressions).length === 0 ? { matchLabels: strings(sel.matchLabels) } : {}),
        ...(typeof mu === 'number' || typeof mu === 'string' ? { maxUnavailable: mu } : {}),
        ...(typeof ma === 'number' || typeof ma === 'string' ? { minAvailable: ma } : {}),
      });
      continue;
    }
    const kind = workloadKindOf(o);
    if (!kind) {
      for (const b of batchTemplates(o)) {
        workloads.push(readPods(o, b.template, b.replicas, false, priorityClasses, profileOfPool, { batch: true, task: b.task, retries: b.retries }));
      }
      continue;
    }
    const template = podTemplateOf(kind, o);
    if (!template) continue;
    const replicas = kind.pods === 'per-node' ? 0 : workloadReplicas(kind, o) ?? 1;
    workloads.push(readPods(o, template, replicas, kind.pods === 'per-node', priorityClasses, profileOfPool, { batch: false }));
  }
  const budgetsByNamespace = new Map<string, RenderedBudget[]>();
  for (const b of budgets) {
    const list = budgetsByNamespace.get(b.namespace) ?? [];
    list.push(b);
    budgetsByNamespace.set(b.namespace, list);
  }
  return { workloads, budgets, budgetsByNamespace, priorityClasses };
}

/** The pod templates of a batch object: a Job's, a CronJob's job's, each task of a Volcano Job (or CronJob). */
function batchTemplates(o: KubeObject): Array<{ template: Record<string, unknown>; replicas: number; task?: string; retries?: number }> {
  const spec = rec((o as unknown as Record<string, unknown>).spec);
  const group = o.apiVersion.split('/')[0];
  const jobSpec = o.kind === 'CronJob' ? rec(rec(spec.jobTemplate).spec) : o.kind === 'Job' ? spec : undefined;
  if (!jobSpec) return [];
  const whole = (n: unknown, d: number) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : d);
  if (o.apiVersion === 'batch/v1') {
    const t = rec(jobSpec.template);
    if (Object.keys(t).length === 0) return [];
    return [{ template: t, replicas: whole(jobSpec.parallelism, 1), ...(typeof jobSpec.backoffLimit === 'number' ? { retries: jobSpec.backoffLimit } : {}) }];
  }
  if (group === 'batch.volcano.sh') {
    return arr(jobSpec.tasks).map(t => ({
      template: rec(rec(t).template),
      replicas: whole(rec(t).replicas, 1),
      task: String(rec(t).name ?? ''),
      ...(typeof jobSpec.maxRetry === 'number' ? { retries: jobSpec.maxRetry } : {}),
    })).filter(t => Object.keys(t.template).length > 0);
  }
  return [];
}

function readPods(o: KubeObject, template: Record<string, unknown>, replicas: number, perNode: boolean,
  priorityClasses: ReadonlyMap<string, { readonly value: number }>, profileOfPool: ReadonlyMap<string, string>,
  batch: { batch: boolean; task?: string; retries?: number }): RenderedPods {
  const podSpec = rec(template.spec);
  const labels = strings(rec(template.metadata).labels);
  const pool = selectedLabel(podSpec, Labels.POOL);
  const nodeProfile = selectedLabel(podSpec, Labels.NODE_PROFILE) ?? (pool !== undefined ? profileOfPool.get(pool) : undefined);
  const priorityClassName = typeof podSpec.priorityClassName === 'string' ? podSpec.priorityClassName : undefined;
  const annotations = strings(o.metadata.annotations);
  const progress = rec((o as unknown as Record<string, unknown>).spec).progressDeadlineSeconds;
  return {
    kind: o.kind,
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    perNode,
    batch: batch.batch,
    ...(batch.task !== undefined ? { task: batch.task } : {}),
    ...(batch.retries !== undefined ? { retries: batch.retries } : {}),
    replicas: Number.isInteger(replicas) && replicas > 0 ? replicas : 0,
    labels,
    requests: effectiveRequests(podSpec),
    containers: arr(podSpec.containers).map(containerResources),
    ...(nodeProfile !== undefined ? { nodeProfile } : {}),
    ...(pool !== undefined ? { pool } : {}),
    ...(priorityClassName !== undefined ? { priorityClassName } : {}),
    priority: priorityClassName !== undefined ? priorityClasses.get(priorityClassName)?.value ?? 0 : 0,
    zoneSpread: zoneSpreadOf(podSpec, labels),
    tolerations: arr(podSpec.tolerations).map(t => {
      const x = rec(t);
      return {
        ...(typeof x.key === 'string' && x.key !== '' ? { key: x.key } : {}),
        operator: typeof x.operator === 'string' ? x.operator : 'Equal',
        ...(typeof x.effect === 'string' && x.effect !== '' ? { effect: x.effect } : {}),
        ...(typeof x.tolerationSeconds === 'number' ? { tolerationSeconds: x.tolerationSeconds } : {}),
      };
    }),
    emptyDirLimits: arr(podSpec.volumes).filter(v => rec(v).emptyDir !== undefined).map(v => {
      const e = rec(rec(v).emptyDir);
      const size = quantity(e.sizeLimit, s => memoryToMiB(s));
      return { name: String(rec(v).name ?? ''), ...(size !== undefined ? { sizeLimitMiB: size } : {}), memory: e.medium === 'Memory' };
    }),
    operatorCoordinated: annotations[DISRUPTION_POLICY_ANNOTATION] === SHARD_MANAGER_COORDINATED
        || strings(rec(template.metadata).annotations)[DISRUPTION_POLICY_ANNOTATION] === SHARD_MANAGER_COORDINATED,
    terminationGracePeriodSeconds: typeof podSpec.terminationGracePeriodSeconds === 'number' ? podSpec.terminationGracePeriodSeconds : 30,
    ...(typeof progress === 'number' ? { progressDeadlineSeconds: progress } : {}),
  };
}

/** Resolves an int-or-percent against a count (percentages rounded up, as the disruption controller does). */
function scaled(v: number | string, of: number): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : undefined;
  const m = /^(\d+)%$/.exec(v);
  if (m) return Math.ceil((Number(m[1]) * of) / 100);
  return /^\d+$/.test(v) ? Number(v) : undefined;
}

/** The budgets that select a workload and what they allow. @internal */
export interface WorkloadBudget {
  /** The budgets that select its pods. */
  readonly budgets: readonly RenderedBudget[];
  /** Pods they let voluntary evictions take down at once; undefined when none selects it (or none says). */
  readonly allowed?: number;
}

/**
 * The budgets (of its namespace, or any) that select a workload's pods, and the pods they let voluntary
 * evictions take down at once (the smallest, if several select it); the
 * pods a budget allows are never more than the replicas.
 * @internal
 */
export function budgetOf(w: RenderedPods, budgets: readonly RenderedBudget[]): WorkloadBudget {
  const matching = budgets.filter(b => b.namespace === w.namespace && b.matchLabels !== undefined
    && Object.keys(b.matchLabels).length > 0 && subset(b.matchLabels, w.labels));
  let allowed: number | undefined;
  for (const b of matching) {
    let a: number | undefined;
    if (b.maxUnavailable !== undefined) {a = scaled(b.maxUnavailable, w.replicas);} else if (b.minAvailable !== undefined) {
      const min = scaled(b.minAvailable, w.replicas);
      a = min === undefined ? undefined : Math.max(0, w.replicas - min);
    }
    if (a !== undefined) allowed = Math.min(allowed ?? Infinity, Math.min(a, w.replicas));
  }
  return { budgets: matching, ...(allowed !== undefined ? { allowed } : {}) };
}
