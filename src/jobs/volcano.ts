/**
 * Volcano rendering: the region's and teams' hierarchical Queues, the
 * volcano-scheduler configuration, and Volcano Jobs and CronJobs. Pure
 * functions returning objects.
 */
import { stringify } from 'yaml';
import { QueueLimits, RegionQueueNode } from './hierarchy';
import { BATCH_PRIORITY_LEVELS } from './priorities';
import { REGION_QUEUE_PREFIX } from './resolve';
import { BatchJobSpec, BatchQueueSpec } from './slots';
import { ResourceAmounts, addResources, formatCpu, formatMemory } from '../core/resources';
import { KubeObject } from '../synth/context';

/** API version of Volcano's Queue. @internal */
export const VOLCANO_SCHEDULING_API = 'scheduling.volcano.sh/v1beta1';
/** API version of Volcano's Job and CronJob. @internal */
export const VOLCANO_BATCH_API = 'batch.volcano.sh/v1alpha1';
/** Namespace of the Volcano scheduler. @internal */
export const VOLCANO_NAMESPACE = 'volcano-system';
/** The scheduler's ConfigMap and its key. @internal */
export const VOLCANO_CONFIG = { name: 'volcano-scheduler-configmap', key: 'volcano-scheduler.conf' } as const;
/** Volcano's own root queue, which every region queue hangs from. @internal */
export const VOLCANO_ROOT_QUEUE = 'root';

/** The name of a region's queue (Volcano) or cohort (Kueue). @internal */
export function regionQueueName(region: string): string {
  return `${REGION_QUEUE_PREFIX}${region}`;
}

/** Amounts per node profile, as a resource list keyed by each profile's GPU resource name. @internal */
export function resourceListOf(
  byProfile: ReadonlyMap<string, ResourceAmounts>, gpuName: (profile: string) => string, gpuNames: readonly string[],
): Record<string, string> {
  let cpu = 0;
  let memory = 0;
  const gpus = new Map<string, number>(gpuNames.map(n => [n, 0]));
  for (const [profile, a] of byProfile) {
    cpu += a.cpuMillis;
    memory += a.memoryMiB;
    if (a.gpus > 0) gpus.set(gpuName(profile), (gpus.get(gpuName(profile)) ?? 0) + a.gpus);
  }
  const out: Record<string, string> = { cpu: formatCpu(cpu), memory: formatMemory(memory) };
  for (const [n, g] of [...gpus.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) out[n] = String(g);
  return out;
}

function isZero(list: Record<string, string>): boolean {
  return Object.values(list).every(v => v === '0' || v === '0Gi');
}

/**
 * The region's and its teams' Queues on one cluster: the region queue under
 * Volcano's root (deserved = capability = the region's share), each team's
 * under it (deserved = its share, capability = share + what it may borrow,
 * guarantee = what it does not lend).
 * @internal
 */
export function renderVolcanoQueues(
  region: string, tree: RegionQueueNode, queues: ReadonlyMap<string, BatchQueueSpec>,
  gpuName: (profile: string) => string, labels: Record<string, string>,
): KubeObject[] {
  const gpuNames = [...new Set([...tree.share.entries()].filter(([, a]) => a.gpus > 0).map(([p]) => gpuName(p)))].sort();
  const list = (pick: (l: QueueLimits) => ResourceAmounts, byProfile: ReadonlyMap<string, QueueLimits>) =>
    resourceListOf(new Map([...byProfile.entries()].map(([p, l]) => [p, pick(l)])), gpuName, gpuNames);
  const regionLimits = new Map([...tree.share.entries()]
    .map(([p, a]): [string, QueueLimits] => [p, { nominal: a, capability: a, borrowingLimit: a, lendingLimit: a, guarantee: a }]));
  const regionGuarantee = new Map<string, ResourceAmounts>();
  for (const t of tree.teams) {
    for (const [p, l] of t.byProfile) {
      const g = regionGuarantee.get(p);
      regionGuarantee.set(p, g ? addResources(g, l.guarantee) : l.guarantee);
    }
  }
  const regionName = regionQueueName(region);
  const guaranteeOf = (g: Record<string, string>) => (isZero(g) ? {} : { guarantee: { resource: g } });
  const out: KubeObject[] = [{
    apiVersion: VOLCANO_SCHEDULING_API,
    kind: 'Queue',
    metadata: { name: regionName, labels: { ...labels } },
    spec: {
      parent: VOLCANO_ROOT_QUEUE,
      weight: 1,
      reclaimable: false,
      capability: list(l => l.capability, regionLimits),
      deserved: list(l => l.nominal, regionLimits),
      ...guaranteeOf(resourceListOf(regionGuarantee, gpuName, gpuNames)),
    },
  }];
  for (const t of tree.teams) {
    const q = queues.get(t.key)!;
    out.push({
      apiVersion: VOLCANO_SCHEDULING_API,
      kind: 'Queue',
      metadata: { name: t.key, labels: { ...labels, 'fleet.cdk8s.io/team': q.team } },
      spec: {
        parent: regionName,
        weight: q.weight,
        priority: BATCH_PRIORITY_LEVELS[q.priority].queuePriority,
        reclaimable: q.preemptible,
        capability: list(l => l.capability, t.byProfile),
        deserved: list(l => l.nominal, t.byProfile),
        ...guaranteeOf(list(l => l.guarantee, t.byProfile)),
      },
    });
  }
  return out;
}

/** The volcano-scheduler configuration (`volcano-scheduler.conf`). @internal */
export interface VolcanoSchedulerConf {
  /** Actions, in order, comma-separated. */
  readonly actions: string;
  /** Plugin tiers. */
  readonly tiers: ReadonlyArray<{ readonly plugins: ReadonlyArray<Readonly<Record<string, unknown>> & { readonly name: string }> }>;
}

/**
 * The scheduler configuration of a cluster, from its queues: gang and
 * priority first; DRF for fairness between jobs; hierarchical queues through
 * the `capacity` plugin (`enableHierarchy`; Volcano's `proportion` plugin has
 * no hierarchy and cannot run beside it); `preempt` when jobs of different
 * priorities share the cluster, `reclaim` when a queue lends; binpack on GPU
 * profiles (whole nodes stay free for large gangs), nodeorder otherwise.
 * @internal
 */
export function volcanoSchedulerConf(input: { readonly preempt: boolean; readonly reclaim: boolean; readonly gpus: boolean }): VolcanoSchedulerConf {
  const actions = ['enqueue', 'allocate', ...(input.preempt ? ['preempt'] : []), ...(input.reclaim ? ['reclaim'] : []), 'backfill'];
  return {
    actions: actions.join(', '),
    tiers: [
      { plugins: [{ name: 'priority' }, { name: 'gang', enablePreemptable: false }, { name: 'conformance' }] },
      {
        plugins: [
          { name: 'drf', enablePreemptable: false },
          { name: 'predicates' },
          { name: 'capacity', enableHierarchy: true },
          { name: 'nodeorder' },
          ...(input.gpus ? [{ name: 'binpack' }] : []),
        ],
      },
    ],
  };
}

/** The scheduler's ConfigMap. @internal */
export function renderVolcanoSchedulerConfig(conf: VolcanoSchedulerConf, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: VOLCANO_CONFIG.name, namespace: VOLCANO_NAMESPACE, labels: { ...labels } },
    data: { [VOLCANO_CONFIG.key]: stringify(conf, { lineWidth: 0 }) },
  };
}

/** The actions Volcano's scheduler knows. @internal */
export const VOLCANO_ACTIONS: readonly string[] = ['enqueue', 'allocate', 'backfill', 'preempt', 'reclaim', 'shuffle'];
/** The plugins Volcano's scheduler registers. @internal */
export const VOLCANO_PLUGINS: readonly string[] = [
  'binpack', 'capacity', 'cdp', 'conformance', 'deviceshare', 'drf', 'extender', 'gang', 'network-topology-aware', 'nodegroup', 'nodeorder',
  'numaaware', 'overcommit', 'pdb', 'predicates', 'priority', 'proportion', 'rescheduling', 'resource-strategy-fit', 'resourcequota', 'sla',
  'task-topology', 'tdm', 'usage',
];
/** The options a plugin entry of `volcano-scheduler.conf` accepts (Volcano's PluginOption). @internal */
export const VOLCANO_PLUGIN_OPTIONS: readonly string[] = [
  'name', 'enableJobOrder', 'enableHierarchy', 'enableJobReady', 'enableJobPipelined', 'enableTaskOrder', 'enablePreemptable', 'enableReclaimable',
  'enablePreemptive', 'enableQueueOrder', 'enabledClusterOrder', 'enablePredicate', 'enableBestNode', 'enableNodeOrder', 'enableTargetJob',
  'enableReservedNodes', 'enableJobEnqueued', 'enabledVictim', 'enableJobStarving', 'enabledOverused', 'enabledAllocatable', 'enabledHyperNodeOrder',
  'enabledSubJobReady', 'enabledSubJobPipelined', 'enabledSubJobOrder', 'enabledHyperNodeGradient', 'arguments',
];

/**
 * What Volcano would reject or misread in a scheduler configuration: unknown
 * actions, plugins or plugin options, an action or plugin twice, `enqueue`
 * not first, `allocate` missing, `capacity` beside `proportion`, hierarchy on
 * a plugin that has none, and hierarchical queues without it.
 * @internal
 */
export function volcanoConfProblems(conf: unknown, hierarchical: boolean): string[] {
  const out: string[] = [];
  const c = conf as { actions?: unknown; tiers?: unknown };
  if (!c || typeof c !== 'object') return ['the configuration is not a mapping'];
  for (const k of Object.keys(c)) if (!['actions', 'tiers', 'configurations', 'metrics'].includes(k)) out.push(`unknown key '${k}'`);
  if (typeof c.actions !== 'string') return [...out, 'actions is not a comma-separated string'];
  const actions = c.actions.split(',').map(a => a.trim());
  for (const a of actions) if (!VOLCANO_ACTIONS.includes(a)) out.push(`unknown action '${a}'`);
  if (new Set(actions).size !== actions.length) out.push('an action is listed twice');
  if (!actions.includes('allocate')) out.push('no allocate action: nothing would be scheduled');
  if (actions.includes('enqueue') && actions[0] !== 'enqueue') out.push('enqueue is not the first action');
  if (!Array.isArray(c.tiers)) return [...out, 'tiers is not a list'];
  const names: string[] = [];
  for (const t of c.tiers as unknown[]) {
    const plugins = (t as { plugins?: unknown }).plugins;
    if (!Array.isArray(plugins)) {
      out.push('a tier has no plugins list');
      continue;
    }
    for (const p of plugins as Array<Record<string, unknown>>) {
      const name = String(p.name);
      names.push(name);
      if (!VOLCANO_PLUGINS.includes(name)) out.push(`unknown plugin '${name}'`);
      for (const k of Object.keys(p)) if (!VOLCANO_PLUGIN_OPTIONS.includes(k)) out.push(`plugin '${name}': unknown option '${k}'`);
      if (p.enableHierarchy === true && name !== 'capacity' && name !== 'drf') out.push(`plugin '${name}' has no hierarchy`);
    }
  }
  if (new Set(names).size !== names.length) out.push('a plugin is listed twice');
  if (names.includes('capacity') && names.includes('proportion')) out.push('capacity and proportion both manage queues: use one');
  if (hierarchical) {
    const capacity = (c.tiers as Array<{ plugins: Array<Record<string, unknown>> }>).flatMap(t => t.plugins).find(p => p.name === 'capacity');
    if (!capacity || capacity.enableHierarchy !== true) out.push('queues have parents, but the capacity plugin does not enable hierarchy');
  }
  if (actions.includes('reclaim') && !names.includes('capacity') && !names.includes('proportion')) out.push('reclaim without a queue plugin (capacity or proportion) reclaims nothing');
  return out;
}

/** The spec of a Volcano Job: one task per batch task, a PodGroup of `gangSize` pods. @internal */
export function volcanoJobSpec(
  job: BatchJobSpec, templates: ReadonlyMap<string, Record<string, unknown>>, priorityClassName: string,
): Record<string, unknown> {
  return {
    schedulerName: 'volcano',
    queue: job.queue.name,
    minAvailable: job.gangSize,
    maxRetry: job.retries,
    priorityClassName,
    ttlSecondsAfterFinished: job.ttlSeconds,
    policies: [
      // a pod lost to eviction or failure restarts the gang (until maxRetry), never leaves a partial one running
      { event: 'PodEvicted', action: 'RestartJob' },
      { event: 'PodFailed', action: 'RestartJob' },
    ],
    // the svc plugin gives the tasks stable host names (a driver reaches its executors); the namespace's own network policy applies
    ...(job.tasks.length > 1 ? { plugins: { svc: ['--disable-network-policy=true'] } } : {}),
    tasks: job.tasks.map(t => ({
      name: t.name,
      replicas: t.replicas,
      template: templates.get(t.name)!,
    })),
  };
}

/** A Volcano Job, or a Volcano CronJob for a scheduled job. @internal */
export function renderVolcanoJob(
  job: BatchJobSpec, namespace: string, templates: ReadonlyMap<string, Record<string, unknown>>,
  priorityClassName: string, labels: Record<string, string>,
): KubeObject {
  const spec = volcanoJobSpec(job, templates, priorityClassName);
  const metadata = { name: job.name, namespace, labels: { ...labels } };
  if (job.schedule === undefined) return { apiVersion: VOLCANO_BATCH_API, kind: 'Job', metadata, spec };
  return {
    apiVersion: VOLCANO_BATCH_API,
    kind: 'CronJob',
    metadata,
    spec: {
      schedule: job.schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels: { ...labels } }, spec },
    },
  };
}
