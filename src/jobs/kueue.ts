/**
 * Kueue rendering, from the same hierarchy as Volcano's queues: a
 * ResourceFlavor per node profile, a Cohort per region, a ClusterQueue per
 * team with nominal quota and borrowing / lending limits, a LocalQueue per
 * batch namespace and queue, WorkloadPriorityClasses, and Kubernetes Jobs and
 * CronJobs carrying the queue label. Pure functions returning objects.
 */
import { RegionQueueNode } from './hierarchy';
import { BATCH_PRIORITY_LEVELS, BATCH_PRIORITY_NAMES } from './priorities';
import { BatchJobSpec, BatchQueueSpec } from './slots';
import { regionQueueName } from './volcano';
import { Labels } from '../core/names';
import { ResourceAmounts, formatCpu, formatMemory } from '../core/resources';
import { NodeTaint } from '../machines/node-profile';
import { KubeObject } from '../synth/context';

/** API version of Kueue's objects (its storage version). @internal */
export const KUEUE_API = 'kueue.x-k8s.io/v1beta2';
/** The label that submits a Job to a LocalQueue. @internal */
export const KUEUE_QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
/** The label that gives a Job its WorkloadPriorityClass. @internal */
export const KUEUE_PRIORITY_LABEL = 'kueue.x-k8s.io/priority-class';
/** The annotation that lets Kueue admit a Job with fewer pods than its parallelism (partial admission). @internal */
export const KUEUE_MIN_PARALLELISM = 'kueue.x-k8s.io/job-min-parallelism';

/** A ResourceFlavor: the nodes of one node profile, with their pools' taints. @internal */
export function renderResourceFlavor(profile: string, taints: readonly NodeTaint[], labels: Record<string, string>): KubeObject {
  return {
    apiVersion: KUEUE_API,
    kind: 'ResourceFlavor',
    metadata: { name: profile, labels: { ...labels } },
    spec: {
      nodeLabels: { [Labels.NODE_PROFILE]: profile },
      ...(taints.length > 0 ? {
        nodeTaints: taints.map(t => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect })),
      } : {}),
    },
  };
}

/** The region's Cohort: its teams' ClusterQueues borrow from one another within it. @internal */
export function renderCohort(region: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: KUEUE_API, kind: 'Cohort', metadata: { name: regionQueueName(region), labels: { ...labels } }, spec: {} };
}

function quantity(resource: string, a: ResourceAmounts): string {
  return resource === 'cpu' ? formatCpu(a.cpuMillis) : resource === 'memory' ? formatMemory(a.memoryMiB) : String(a.gpus);
}

/**
 * A team's ClusterQueue on one cluster: one resource group over every
 * profile of the region (a resource is covered by one group only), each
 * profile a flavor with its nominal quota, borrowing limit (what it may take
 * beyond it) and lending limit (what it lends).
 * @internal
 */
export function renderClusterQueue(
  region: string, tree: RegionQueueNode, team: string, queue: BatchQueueSpec, namespaces: readonly string[],
  gpuName: (profile: string) => string, labels: Record<string, string>,
): KubeObject {
  const node = tree.teams.find(t => t.key === team)!;
  const profiles = [...tree.share.keys()].sort();
  const gpuNames = [...new Set(profiles.filter(p => tree.share.get(p)!.gpus > 0).map(gpuName))].sort();
  const covered = ['cpu', 'memory', ...gpuNames];
  const zero: ResourceAmounts = { cpuMillis: 0, memoryMiB: 0, gpus: 0 };
  const flavors = profiles.map(profile => {
    const l = node.byProfile.get(profile);
    return {
      name: profile,
      resources: covered.map(r => {
        const gpuOfOther = r !== 'cpu' && r !== 'memory' && r !== gpuName(profile);
        const pick = (a: ResourceAmounts | undefined) => (gpuOfOther ? '0' : quantity(r, a ?? zero));
        return {
          name: r,
          nominalQuota: pick(l?.nominal),
          borrowingLimit: pick(l?.borrowingLimit),
          lendingLimit: pick(l?.lendingLimit),
        };
      }),
    };
  });
  return {
    apiVersion: KUEUE_API,
    kind: 'ClusterQueue',
    metadata: { name: team, labels: { ...labels, 'fleet.cdk8s.io/team': queue.team } },
    spec: {
      cohortName: regionQueueName(region),
      // the namespaces whose LocalQueues submit here; without any, no selector, which Kueue reads as no namespace
      ...(namespaces.length > 0 ? { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...namespaces].sort() }] } } : {}),
      queueingStrategy: 'BestEffortFIFO',
      fairSharing: { weight: queue.weight },
      preemption: {
        // take lent quota back, by preempting the borrowers
        reclaimWithinCohort: 'Any',
        borrowWithinCohort: { policy: 'LowerPriority' },
        withinClusterQueue: 'LowerPriority',
      },
      resourceGroups: [{ coveredResources: covered, flavors }],
    },
  };
}

/** A LocalQueue: the namespace's door to its team's ClusterQueue. @internal */
export function renderLocalQueue(queue: string, namespace: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: KUEUE_API, kind: 'LocalQueue', metadata: { name: queue, namespace, labels: { ...labels } }, spec: { clusterQueue: queue } };
}

/** The WorkloadPriorityClasses of the batch priority levels. @internal */
export function renderWorkloadPriorityClasses(labels: Record<string, string>): KubeObject[] {
  return BATCH_PRIORITY_NAMES.map(p => {
    const l = BATCH_PRIORITY_LEVELS[p];
    return { apiVersion: KUEUE_API, kind: 'WorkloadPriorityClass', metadata: { name: l.name, labels: { ...labels } }, value: l.value, description: l.description };
  });
}

/**
 * A Kubernetes Job submitted to Kueue (suspended until Kueue admits it), or a
 * CronJob whose Jobs are: one task, its pods the Job's parallelism; a gang
 * smaller than the task becomes Kueue's minimum parallelism.
 * @internal
 */
export function renderKueueJob(job: BatchJobSpec, namespace: string, template: Record<string, unknown>, labels: Record<string, string>): KubeObject {
  const task = job.tasks[0];
  const jobLabels = { ...labels, [KUEUE_QUEUE_LABEL]: job.queue.name, [KUEUE_PRIORITY_LABEL]: BATCH_PRIORITY_LEVELS[job.priority].name };
  const annotations = job.gangSize < task.replicas ? { [KUEUE_MIN_PARALLELISM]: String(job.gangSize) } : undefined;
  const spec = {
    suspend: true,
    parallelism: task.replicas,
    completions: task.replicas,
    completionMode: 'Indexed',
    backoffLimit: job.retries,
    ...(job.deadlineSeconds !== undefined ? { activeDeadlineSeconds: job.deadlineSeconds } : {}),
    ttlSecondsAfterFinished: job.ttlSeconds,
    template,
  };
  const metadata = { name: job.name, namespace, labels: jobLabels, ...(annotations ? { annotations } : {}) };
  if (job.schedule === undefined) return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: job.name, namespace, labels: { ...labels } },
    spec: {
      schedule: job.schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels: jobLabels, ...(annotations ? { annotations } : {}) }, spec },
    },
  };
}
