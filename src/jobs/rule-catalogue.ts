/**
 * The jobs layer's rules: the batch platform, its regional quotas and
 * queues, and batch jobs. Each id here is a rule `Violations` accepts (see
 * `src/core/rules.ts`); the rule table in docs/jobs.md is generated from this
 * catalogue.
 */
import { MAX_BORROW_PERCENT, MAX_JOB_RETRIES, MAX_QUEUE_WEIGHT, MAX_TASK_REPLICAS } from './resolve';
import { RuleIdsOf, groupDigits, ruleCatalogue } from '../core/rules';

/** The jobs layer's rules. @internal */
export const JOBS_RULES = ruleCatalogue('jobs', {
  'batch-platform.missing': {
    summary: 'batch queues and jobs belong to the fleet\'s BatchPlatform',
    fix: 'declare one BatchPlatform on the fleet and its queues as its children',
    severity: 'error',
  },
  'batch-platform.unique': {
    summary: 'a fleet has one batch platform, so every region has one quota and every cluster one batch scheduler',
    fix: 'declare one BatchPlatform per fleet',
    severity: 'error',
  },
  'batch-platform.props.type': {
    summary: 'every BatchPlatform prop has the runtime type its documentation states',
    fix: 'give each prop the type its documentation states',
    severity: 'error',
  },
  'batch-platform.scheduler': {
    summary: 'each workload cluster\'s batch scheduler is Volcano (the default) or Kueue, named for a workload cluster of the fleet',
    fix: "use 'volcano' or 'kueue', keyed by a workload cluster's name",
    severity: 'error',
  },
  'batch-platform.scheduler-config': {
    summary: 'the generated volcano-scheduler configuration names only actions, plugins and plugin options Volcano knows, enqueue first, one queue plugin, hierarchy enabled for hierarchical queues',
    fix: 'report it: the configuration is generated from the batch platform',
    severity: 'error',
  },
  'batch-quota.region.known': {
    summary: 'a regional quota names a region that has workload clusters',
    fix: 'use the region of a workload cluster',
    severity: 'error',
  },
  'batch-quota.capacity': {
    summary: 'a region\'s batch quota of a node profile fits the batch capacity of the region\'s clusters: their pools\' allocatable after node agents, minus the stateless and stateful namespaces placed there',
    fix: 'lower the regional quota, or add nodes of the profile to the region\'s clusters',
    severity: 'error',
  },
  'batch-quota.move': {
    summary: 'the regional split keeps every cluster\'s recorded share: a split that moves quota between clusters (a quota that shrank, a cluster gone or too small) is the guardrail batch-quota-move, reported with its severity unless exempted',
    fix: 'keep the quota and clusters as recorded, or carry the override batch-quota-move:<region>/<profile> after draining the jobs of the clusters that lose quota',
  },
  'batch-quota.moved': {
    summary: 'a move of a regional quota between clusters that the change\'s override allows is announced',
    fix: 'drain the jobs of the clusters that lose quota first; remove the override once the change is applied',
    severity: 'warning',
  },
  'batch-quota.record': {
    summary: 'the batchQuotaSplits section of the lock record (the PlacementLock file, the previous output\'s placements.lock.json) and a previous output\'s legacy batch-quotas.lock.json are split records this library wrote',
    fix: 'restore the lock file, or the previous output\'s record, from version control',
    severity: 'error',
  },
  'batch-quota.record.conflict': {
    summary: 'the lock file and the previous output record the same split of a regional quota, so the split kept is the one deployed',
    fix: 'make the records agree: the previous output is what is deployed; update the lock file from its placements.lock.json',
    severity: 'error',
  },
  'batch-quota.record.changed': {
    summary: 'splits that are new or changed stay in place only once the lock record that holds them is committed',
    fix: 'commit the updated lock file (or the lock record of the output) so later synths keep the split',
    severity: 'warning',
  },
  'batch-queue.parent': {
    summary: 'a batch queue is a child of the fleet\'s BatchPlatform',
    fix: 'create the queue with the BatchPlatform as its scope',
    severity: 'error',
  },
  'batch-queue.props.type': {
    summary: 'every BatchQueue prop has the runtime type its documentation states',
    fix: 'give each prop the type its documentation states',
    severity: 'error',
  },
  'batch-queue.name': {
    summary: 'a queue name is a DNS-1123 label of the platform\'s own (not root or default, not starting with region-): it names the Volcano Queue, Kueue ClusterQueue and LocalQueues',
    fix: 'choose another queue name',
    severity: 'error',
  },
  'batch-queue.unique': {
    summary: 'each queue name is declared once in the fleet',
    fix: 'give each queue of the fleet its own name',
    severity: 'error',
  },
  'batch-queue.team': {
    summary: 'a queue\'s team is a DNS-1123 label (it labels the queue)',
    fix: "use lower-case letters, digits and '-'",
    severity: 'error',
  },
  'batch-queue.bounds': {
    summary: `weight is a whole number from 1 to ${groupDigits(MAX_QUEUE_WEIGHT)}, maxBorrowPercent from 0 to ${groupDigits(MAX_BORROW_PERCENT)}, maxLendPercent from 0 to 100`,
    fix: 'use a whole number within the bound the prop states, or omit it',
    severity: 'error',
  },
  'batch-queue.priority': {
    summary: 'a queue\'s priority is high, normal or low',
    fix: "use 'high', 'normal' or 'low'",
    severity: 'error',
  },
  'batch-queue.lend': {
    summary: 'a queue whose pods may not be preempted lends nothing: lent quota is taken back by preemption',
    fix: 'set maxLendPercent to 0 (or omit it), or make the queue preemptible',
    severity: 'error',
  },
  'batch-queue.region.known': {
    summary: 'a queue takes its quota from a region with a regional quota',
    fix: 'declare the region\'s quota on the BatchPlatform, or use a region that has one',
    severity: 'error',
  },
  'batch-queue.profile.known': {
    summary: 'a queue takes quota only of node profiles its region\'s quota has',
    fix: 'add the profile to the regional quota, or remove it from the queue',
    severity: 'error',
  },
  'batch-queue.over-region': {
    summary: 'the queues of a region together take at most the region\'s quota of each node profile',
    fix: 'lower the queues\' quotas or raise the regional quota',
    severity: 'error',
  },
  'jobs.profile.known': {
    summary: 'quotas and jobs name node profiles the fleet declares',
    fix: 'use a node profile of the fleet',
    severity: 'error',
  },
  'jobs.resources': {
    summary: 'quotas and task resources are valid CPU and memory quantities, and a task requests both',
    fix: 'give { cpu: Cpu.units(…), memory: Size.gibibytes(…) } above zero',
    severity: 'error',
  },
  'jobs.gpus.whole': {
    summary: 'GPUs of quotas and tasks are whole devices, 0 or more (a GPU is not shared)',
    fix: 'give gpus as a whole number, 0 or more, or omit it',
    severity: 'error',
  },
  'batch-job.namespace': {
    summary: 'a batch job is a child of an AppNamespace of the batch tenant class',
    fix: "create the job in an AppNamespace of tenant 'batch'",
    severity: 'error',
  },
  'batch-job.props.type': {
    summary: 'every BatchJob prop has the runtime type its documentation states',
    fix: 'give each prop the type its documentation states',
    severity: 'error',
  },
  'batch-job.name': {
    summary: 'a job name is a DNS-1123 label of at most 50 characters (its pods are named after it)',
    fix: 'use a shorter name of lower-case letters, digits and \'-\'',
    severity: 'error',
  },
  'batch-job.unique': {
    summary: 'each job name is declared once per namespace',
    fix: 'give each job of a namespace its own name',
    severity: 'error',
  },
  'batch-job.queue.known': {
    summary: 'a job is submitted to a queue of the fleet\'s batch platform',
    fix: 'pass a BatchQueue declared under the fleet\'s BatchPlatform',
    severity: 'error',
  },
  'batch-job.queue.region': {
    summary: 'a job runs in the region its queue holds quota in: its namespace lives on a cluster of that region',
    fix: 'submit the job to a queue of the namespace\'s region, or pin the namespace there',
    severity: 'error',
  },
  'batch-job.queue.profile': {
    summary: 'a job runs on a node profile its queue has quota of',
    fix: 'run the job on one of the queue\'s profiles, or give the queue a quota of the profile',
    severity: 'error',
  },
  'batch-job.gpu-profile': {
    summary: 'a job whose tasks request GPUs runs on a node profile with GPUs',
    fix: 'set nodeProfile to a GPU profile',
    severity: 'error',
  },
  'batch-job.image.pinned': {
    summary: 'a job\'s image is pinned to a version tag or digest, so every retry runs the same build',
    fix: 'pin the image to a version tag or digest',
    severity: 'error',
  },
  'batch-job.task': {
    summary: `a job has at least one task; each task has a unique DNS-1123 name and 1 to ${groupDigits(MAX_TASK_REPLICAS)} replicas`,
    fix: 'give each task a unique name and a whole number of replicas within the bound',
    severity: 'error',
  },
  'batch-job.gang': {
    summary: 'a job\'s gang size is a whole number from 1 to its number of pods',
    fix: 'give gangSize within the job\'s pods, or omit it for all-or-nothing',
    severity: 'error',
  },
  'batch-job.gang.capability': {
    summary: 'a job\'s gang (the pods placed together) fits what its queue may ever hold of the profile on the namespace\'s cluster, quota and borrowing included; otherwise it never starts',
    fix: 'lower gangSize or the tasks\' resources, or raise the queue\'s quota',
    severity: 'error',
  },
  'batch-job.fits-node': {
    summary: 'each pod of a job fits one node of its profile on the namespace\'s cluster, next to the node agents',
    fix: 'lower the task\'s resources and add replicas, or use a larger node profile',
    severity: 'error',
  },
  'batch-job.namespace-quota': {
    summary: 'all pods of a job fit the ResourceQuota of its namespace, which admits every pod of the namespace',
    fix: 'raise the namespace\'s reserve to hold the job, or make the job smaller',
    severity: 'error',
  },
  'batch-job.kueue.tasks': {
    summary: 'on a Kueue cluster a job has one task: Kueue admits it as one Kubernetes Job (several tasks need Volcano)',
    fix: 'run the job on a Volcano cluster, or give it one task',
    severity: 'error',
  },
  'batch-job.retries': {
    summary: `a job's retries are a whole number from 0 to ${MAX_JOB_RETRIES}`,
    fix: 'give retries within the bound, or omit it (default 3)',
    severity: 'error',
  },
  'batch-job.priority': {
    summary: 'a job\'s priority is high, normal or low',
    fix: "use 'high', 'normal' or 'low', or omit it for the queue's",
    severity: 'error',
  },
  'batch-job.schedule': {
    summary: 'a scheduled job\'s schedule is five cron fields',
    fix: "give a schedule like '0 3 * * *'",
    severity: 'error',
  },
  'batch-job.time': {
    summary: 'a job\'s deadline (at least 1 s) and time-to-live are Durations of whole seconds, at most 30 days',
    fix: 'give a Duration of whole seconds within the bound',
    severity: 'error',
  },
});

declare module '../core/rules' {
  interface RuleIds extends RuleIdsOf<typeof JOBS_RULES> {}
}
