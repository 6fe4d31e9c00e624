/**
 * The eviction review: for every workload a cluster runs, the ways
 * Kubernetes can terminate its pods, with the facts that decide each, and
 * the combinations that cannot be right (errors) or are risky (warnings).
 * Pure: the facts read of the rendered objects in, one row per workload out.
 *
 * The paths:
 * - `api-eviction`: the eviction API (`kubectl drain`, node maintenance), held by PodDisruptionBudgets;
 * - `node-pressure`: the kubelet evicting pods when the node runs short of memory or disk, by QoS
 *   class and by how far each pod uses more than it requests, under the profile's hard thresholds;
 * - `preemption`: the scheduler deleting lower-priority pods to make room on the pools they share
 *   (budgets are only a preference there);
 * - `taint-based`: the node lifecycle controller deleting pods from a not-ready or unreachable node
 *   once their toleration runs out (300 s unless the pod says otherwise);
 * - `kubelet-restart`: a kubelet restart or upgrade keeps running pods, but pods with exclusive CPUs
 *   (static CPU manager) hold a state the kubelet must find again: changing the CPU manager policy
 *   needs the node drained first.
 */
import { ClusterPods, RenderedPods, budgetOf } from './pods';
import { Labels } from '../core/names';
import { formatCpu, formatMemory } from '../core/resources';
import { Severity } from '../core/rules';

/** Seconds the DefaultTolerationSeconds admission plugin lets pods stay on a not-ready or unreachable node. @internal */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** The taints the node lifecycle controller puts on a not-ready or unreachable node. @internal */
export const NODE_CONDITION_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'] as const;

/** A node profile's facts the review reads. */
export interface ReviewProfile {
  /** Node profile name. */
  readonly name: string;
  /** Hard eviction threshold of free memory, MiB. */
  readonly evictionHardMemoryMiB: number;
  /** Hard eviction threshold of the node filesystem's free space, percent. */
  readonly nodefsAvailablePercent: number;
  /** Hard eviction threshold of the image filesystem's free space, percent. */
  readonly imagefsAvailablePercent: number;
  /** True with the static CPU manager (Guaranteed pods with whole CPUs get exclusive cores). */
  readonly staticCpuManager: boolean;
}

/** A way Kubernetes terminates pods. */
export type EvictionPathName = 'api-eviction' | 'node-pressure' | 'preemption' | 'taint-based' | 'kubelet-restart';

/** One path for one workload. */
export interface EvictionPath {
  /** The path. */
  readonly path: EvictionPathName;
  /** True when it can terminate the workload's pods. */
  readonly reaches: boolean;
  /** The facts that decide it, in words. */
  readonly facts: readonly string[];
}

/** A finding of the review. */
export interface EvictionFinding {
  /** Its rule (an entry of the maintenance catalogue). */
  readonly rule: 'maintenance.eviction.shard-preemptible' | 'maintenance.drain.deadlock' | 'maintenance.eviction.no-budget'
  | 'maintenance.eviction.single-replica' | 'maintenance.eviction.memory-above-request';
  /** Error or warning. */
  readonly severity: Severity;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Kubernetes' QoS class of a pod. */
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** The review of one workload. */
export interface EvictionReview {
  /** Cluster. */
  readonly cluster: string;
  /** Namespace. */
  readonly namespace: string;
  /** Workload name. */
  readonly name: string;
  /** Kind of the workload object. */
  readonly kind: string;
  /** The task, for a task of a Volcano job. @default - not a task */
  readonly task?: string;
  /** Its pods' QoS class. */
  readonly qosClass: QosClass;
  /** Priority class and value. */
  readonly priority: { readonly className?: string; readonly value: number };
  /** Every path, in a fixed order. */
  readonly paths: readonly EvictionPath[];
  /** Errors and warnings. */
  readonly findings: readonly EvictionFinding[];
}

/** Kubernetes' QoS class of a pod from its containers. @internal */
export function qosClassOf(w: Pick<RenderedPods, 'containers'>): QosClass {
  const cs = w.containers;
  if (cs.every(c => c.cpuRequest === undefined && c.memoryRequest === undefined && c.cpuLimit === undefined && c.memoryLimit === undefined)) return 'BestEffort';
  const guaranteed = cs.length > 0 && cs.every(c => c.cpuLimit !== undefined && c.memoryLimit !== undefined
    && (c.cpuRequest ?? c.cpuLimit) === c.cpuLimit && (c.memoryRequest ?? c.memoryLimit) === c.memoryLimit);
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function tolerates(w: RenderedPods, key: string): { forever: boolean; seconds?: number } | undefined {
  for (const t of w.tolerations) {
    const keyOk = t.key === undefined ? t.operator === 'Exists' : t.key === key;
    const effectOk = t.effect === undefined || t.effect === 'NoExecute';
    if (keyOk && effectOk) return t.tolerationSeconds === undefined ? { forever: true } : { forever: false, seconds: t.tolerationSeconds };
  }
  return undefined;
}

function id(w: RenderedPods): string {
  return `${w.kind} ${w.namespace}/${w.name}${w.task !== undefined ? ` task '${w.task}'` : ''}`;
}

/**
 * Reviews every replicated workload of one cluster (node agents, one pod per
 * node, are left out: a drain does not evict them and their requests are
 * reserved on every node).
 * @internal
 */
export function reviewEvictions(cluster: string, pods: ClusterPods, profiles: ReadonlyMap<string, ReviewProfile>): EvictionReview[] {
  const apps = pods.workloads.filter(w => !w.perNode);
  const classes = priorityGroups(apps, pods);
  const sorted = apps.slice().sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0)
    || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)
    || ((a.task ?? '') < (b.task ?? '') ? -1 : (a.task ?? '') > (b.task ?? '') ? 1 : 0));
  return sorted.map(w => reviewOne(cluster, w, classes, pods, profiles.get(w.nodeProfile ?? '')));
}

/** The workloads of one priority class that select one node profile (or none). */
interface PriorityGroup {
  /** Node profile; undefined for the workloads that select none. */
  readonly nodeProfile?: string;
  /** Priority class name; undefined for none. */
  readonly className?: string;
  /** Priority value. */
  readonly value: number;
  /** The workloads (`<namespace>/<name>`), sorted. */
  readonly names: string[];
}

/** Shown names of the workloads of a group; the rest counted. */
const SHOWN_NAMES = 3;

/**
 * The workloads that can preempt others, grouped by node profile and priority
 * class, once per cluster (a review of every workload against every other
 * would be quadratic in the workloads of a cluster).
 */
function priorityGroups(apps: readonly RenderedPods[], pods: ClusterPods): PriorityGroup[] {
  const groups = new Map<string, PriorityGroup>();
  for (const o of apps) {
    if (o.priorityClassName !== undefined && pods.priorityClasses.get(o.priorityClassName)?.preempts === false) continue;
    const key = `${o.nodeProfile ?? ''}|${o.priorityClassName ?? ''}|${o.priority}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        ...(o.nodeProfile !== undefined ? { nodeProfile: o.nodeProfile } : {}),
        ...(o.priorityClassName !== undefined ? { className: o.priorityClassName } : {}),
        value: o.priority,
        names: [],
      };
      groups.set(key, g);
    }
    g.names.push(`${o.namespace}/${o.name}`);
  }
  // a Volcano job's tasks are one workload by name
  for (const g of groups.values()) g.names.splice(0, g.names.length, ...[...new Set(g.names)].sort());
  return [...groups.values()].sort((a, b) => b.value - a.value || ((a.className ?? '') < (b.className ?? '') ? -1 : 1) || ((a.nodeProfile ?? '') < (b.nodeProfile ?? '') ? -1 : 1));
}

function reviewOne(cluster: string, w: RenderedPods, groups: readonly PriorityGroup[], pods: ClusterPods, profile?: ReviewProfile): EvictionReview {
  const findings: EvictionFinding[] = [];
  const qos = qosClassOf(w);
  const budget = budgetOf(w, pods.budgetsByNamespace.get(w.namespace) ?? []);
  const paths: EvictionPath[] = [];

  // the eviction API: drains and maintenance controllers
  const apiFacts: string[] = [];
  if (w.batch) {
    apiFacts.push(`batch pods: a drain evicts them and their job controller starts them again${w.retries !== undefined ? ` (within ${w.retries} retries of the job)` : ''}; ${budget.allowed === undefined ? 'no PodDisruptionBudget selects them' : `PodDisruptionBudget ${budget.budgets.map(b => b.name).join(', ')} allows ${budget.allowed}`}`);
  } else if (budget.allowed === undefined) {
    apiFacts.push('no PodDisruptionBudget selects its pods: a drain evicts all of them on the node at once');
    if (w.replicas > 1) {
      findings.push({ rule: 'maintenance.eviction.no-budget', severity: 'warning', message: `${id(w)} has ${w.replicas} replicas and no PodDisruptionBudget: a zone drain may evict all its pods in the zone at once`, fix: 'add a PodDisruptionBudget with maxUnavailable of at least 1' });
    }
  } else {
    apiFacts.push(`PodDisruptionBudget ${budget.budgets.map(b => b.name).join(', ')}: ${budget.allowed} of ${w.replicas} pod(s) may be evicted at once`);
    if (budget.allowed === 0) {
      if (w.operatorCoordinated) {
        apiFacts.push('no eviction through the API: a drain waits until the stateful operator, once the shard manager agrees, deletes the pod');
      } else {
        findings.push({ rule: 'maintenance.drain.deadlock', severity: 'error', message: `${id(w)}: its PodDisruptionBudget allows no eviction and no operator moves its pods: every drain of a node it runs on waits for ever`, fix: 'let the budget allow at least one pod (maxUnavailable: 1), or have an operator own its disruptions' });
      }
    }
  }
  // a canary track of one pod is by design: the stable track keeps serving while it is drained
  const canary = w.labels[Labels.TRACK] === 'canary';
  if (canary && w.replicas === 1) apiFacts.push('a canary track: while its pod is drained, the stable track serves');
  if (!w.batch && !canary && w.replicas === 1 && budget.allowed !== 0) {
    findings.push({ rule: 'maintenance.eviction.single-replica', severity: 'warning', message: `${id(w)} runs one pod: a drain of its node, or of its zone, takes it down until the pod starts elsewhere`, fix: 'run at least two replicas, spread over zones' });
  }
  paths.push({ path: 'api-eviction', reaches: budget.allowed !== 0, facts: apiFacts });

  // node pressure
  const pressure: string[] = [`QoS ${qos}`];
  if (profile) {
    pressure.push(`hard thresholds of node profile '${profile.name}': memory.available<${formatMemory(profile.evictionHardMemoryMiB)}, nodefs.available<${profile.nodefsAvailablePercent}%, imagefs.available<${profile.imagefsAvailablePercent}%`);
  }
  for (const c of w.containers) {
    if (c.memoryLimit === undefined || (c.memoryRequest ?? 0) < c.memoryLimit) {
      const request = c.memoryRequest !== undefined ? `request ${formatMemory(c.memoryRequest)}` : 'no request';
      const limit = c.memoryLimit !== undefined ? `limit ${formatMemory(c.memoryLimit)}` : 'no limit';
      const message = `${id(w)}: container '${c.name}' may use memory above its request (${request}, ${limit}): under memory pressure the kubelet evicts it before pods within their requests`;
      // batch pods going first under pressure is the order wanted: their controller runs them again
      if (!w.batch) findings.push({ rule: 'maintenance.eviction.memory-above-request', severity: 'warning', message, fix: 'set the memory limit equal to the request' });
      pressure.push(`container '${c.name}' may exceed its memory request: evicted first under memory pressure${w.batch ? ' (a batch pod: its job runs it again)' : ''}`);
    }
  }
  if (qos === 'Guaranteed') {pressure.push('every container within its memory request: evicted under pressure only after pods above their requests, and Burstable pods of lower priority');} else if (qos === 'Burstable') {
    const cpu = w.containers.filter(c => c.cpuLimit !== undefined && c.cpuRequest !== undefined && c.cpuLimit > c.cpuRequest);
    if (cpu.length > 0) pressure.push(`CPU limit above request (${cpu.map(c => `${c.name}: ${formatCpu(c.cpuRequest!)} → ${formatCpu(c.cpuLimit!)}`).join(', ')}): CPU is throttled, never a reason to evict`);
  }
  for (const e of w.emptyDirLimits) {
    pressure.push(e.sizeLimitMiB !== undefined
      ? `emptyDir '${e.name}'${e.memory ? ' (memory)' : ''} over ${formatMemory(e.sizeLimitMiB)} evicts the pod`
      : `emptyDir '${e.name}' has no size limit: it counts against the node's disk until nodefs pressure evicts pods`);
  }
  paths.push({ path: 'node-pressure', reaches: true, facts: pressure });

  // preemption: what may share its nodes with a higher priority: pods confined to its node profile, and pods
  // that select no profile (they may use any node, so they preempt only when no node of the cluster has room);
  // node agents are reserved on every node and never need to preempt
  const confined = (g: PriorityGroup) => w.nodeProfile !== undefined && g.nodeProfile === w.nodeProfile;
  const shares = (g: PriorityGroup) => w.nodeProfile === undefined || g.nodeProfile === undefined || g.nodeProfile === w.nodeProfile;
  const higher = groups.filter(g => g.value > w.priority && shares(g));
  const higherConfined = higher.filter(confined);
  const byClass = new Map<string, string[]>();
  for (const g of higher) {
    const key = `${g.className ?? '(none)'} (${g.value})${confined(g) ? '' : ', only when no node of the cluster has room for it'}`;
    byClass.set(key, [...(byClass.get(key) ?? []), ...g.names]);
  }
  const preemption = [`priority ${w.priorityClassName ?? '(none)'} (${w.priority})`];
  const where = w.nodeProfile === undefined ? 'the cluster (it selects no node profile)' : `node profile '${w.nodeProfile}'`;
  if (higher.length === 0) preemption.push(`nothing of a higher priority may share its nodes on ${where}`);
  for (const [cls, all] of [...byClass].sort()) {
    const names = [...new Set(all)].sort();
    const shown = names.length > SHOWN_NAMES ? `${names.slice(0, SHOWN_NAMES).join(', ')} and ${names.length - SHOWN_NAMES} more` : names.join(', ');
    preemption.push(`preemptible by ${cls} on ${where}: ${shown}`);
  }
  if (w.operatorCoordinated && higherConfined.length > 0) {
    const classes = [...new Set(higherConfined.map(g => `${g.className ?? '(none)'} (${g.value})`))].sort().join(', ');
    findings.push({ rule: 'maintenance.eviction.shard-preemptible', severity: 'error', message: `${id(w)} holds shards and can be preempted by pods of a higher priority on node profile '${w.nodeProfile}' (${classes}): preemption ignores its budget and moves a shard behind the stateful operator's back`, fix: 'give shard holders the highest priority of their node profile (the platform\'s stateful class), or move the other workloads to another profile' });
  }
  paths.push({ path: 'preemption', reaches: higher.length > 0, facts: preemption });

  // taint-based eviction from not-ready and unreachable nodes
  const taint: string[] = [];
  let forever = true;
  for (const key of NODE_CONDITION_TAINTS) {
    const t = tolerates(w, key);
    if (!t) {
      forever = false;
      taint.push(`${key}: tolerated ${DEFAULT_TOLERATION_SECONDS} s (the apiserver's default), then its pods are deleted from the node`);
    } else if (t.forever) {
      taint.push(`${key}: tolerated for ever: its pods stay bound to a dead node`);
    } else {
      forever = false;
      taint.push(`${key}: tolerated ${t.seconds} s, then its pods are deleted from the node`);
    }
  }
  if (w.batch) taint.push('a batch pod deleted from a dead node counts as a failure of its job');
  if (w.kind === 'StatefulSet' && !forever) taint.push('a StatefulSet pod deleted from an unreachable node is not started again until the node is confirmed gone (its identity is unique)');
  paths.push({ path: 'taint-based', reaches: !forever, facts: taint });

  // kubelet restarts
  const pinned = !!profile?.staticCpuManager && qos === 'Guaranteed' && w.containers.some(c => c.cpuRequest !== undefined && c.cpuRequest > 0 && c.cpuRequest % 1000 === 0);
  const restart = ['a kubelet restart or upgrade leaves running pods alone'];
  if (pinned) restart.push(`exclusive CPUs (static CPU manager of node profile '${profile!.name}'): the kubelet finds them again in its state file; changing the CPU manager policy needs the node drained first`);
  paths.push({ path: 'kubelet-restart', reaches: pinned, facts: restart });

  return {
    cluster,
    namespace: w.namespace,
    name: w.name,
    kind: w.kind,
    ...(w.task !== undefined ? { task: w.task } : {}),
    qosClass: qos,
    priority: { ...(w.priorityClassName !== undefined ? { className: w.priorityClassName } : {}), value: w.priority },
    paths,
    findings,
  };
}
