/**
 * Resolves the jobs platform's constructs into specs: every prop checked once
 * (its runtime type, then its bound), every default applied here and nowhere
 * else. A construct with a bad prop is reported and left out.
 */
import { Construct } from 'constructs';
import { BatchJob, BatchTask } from './job';
import { BatchPlatform, BatchResources, BatchScheduler, ProfileQuotas } from './platform';
import { BATCH_PRIORITY_NAMES, isBatchPriority } from './priorities';
import { BatchQueue } from './queue';
import { BatchJobSpec, BatchPlatformSpec, BatchQueueSpec, BatchTaskSpec } from './slots';
import { ClustersSpec } from '../clusters/slots';
import { describeValue, isRecord, shapeProblems, wholeNumberProblem } from '../core/checks';
import { durationIn } from '../core/durations';
import { Violations } from '../core/errors';
import { pathOf } from '../core/model';
import { dns1123LabelFix, isDns1123Label } from '../core/names';
import { ResourceAmounts, cpuProblem, cpuToMillis, memoryProblem, memoryToMiB } from '../core/resources';
import { imagePinProblem } from '../core/versions';
import { MachinesSpec } from '../machines/slots';
import { AppNamespace } from '../tenancy/app-namespace';

/** Most pods of one task. */
export const MAX_TASK_REPLICAS = 10_000;
/** Most retries of a job. */
export const MAX_JOB_RETRIES = 100;
/** Longest deadline and time-to-live of a job, in seconds (30 days). */
export const MAX_JOB_SECONDS = 30 * 24 * 3600;
/** Largest queue weight. */
export const MAX_QUEUE_WEIGHT = 1000;
/** Largest borrowing percentage of a queue. */
export const MAX_BORROW_PERCENT = 1000;
/** Default time a finished job is kept, in seconds (one day). @internal */
export const DEFAULT_JOB_TTL_SECONDS = 24 * 3600;
/** Default retries of a job. @internal */
export const DEFAULT_JOB_RETRIES = 3;
/** Queue names the schedulers use themselves. @internal */
export const RESERVED_QUEUE_NAMES: readonly string[] = ['root', 'default'];
/** Prefix of the region queues (Volcano) and cohorts (Kueue). @internal */
export const REGION_QUEUE_PREFIX = 'region-';

const SCHEDULERS: readonly BatchScheduler[] = ['volcano', 'kueue'];

/** A cron schedule of five fields, each of digits, `*`, `,`, `-`, `/` (or a month / weekday name). */
const CRON_FIELD = /^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;

/** Why a cron schedule is not five cron fields, or undefined. @internal */
export function cronProblem(schedule: string): string | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `'${schedule}' has ${fields.length} fields, not the five of minute, hour, day of month, month and day of week`;
  const bad = fields.find(f => !CRON_FIELD.test(f));
  return bad ? `field '${bad}' of '${schedule}' is not a cron field` : undefined;
}

/**
 * The amounts of a quota or a pod's resources, or undefined after recording
 * why not (GPUs must be whole, 0 or more).
 */
function resources(r: unknown, at: string, path: string, v: Violations, gpuRule: 'jobs.gpus.whole'): ResourceAmounts | undefined {
  if (!isRecord(r)) {
    v.error(path, 'jobs.resources', `${at} is ${describeValue(r)}, not { cpu, memory, gpus }`, 'give { cpu: Cpu.units(…), memory: Size.gibibytes(…), gpus: … }');
    return undefined;
  }
  const res = r as unknown as BatchResources;
  const cpu = cpuProblem(res.cpu);
  const mem = memoryProblem(res.memory);
  let ok = true;
  if (cpu) {
    v.error(path, 'jobs.resources', `${at}.cpu: ${cpu}`, 'use Cpu.units(…) or Cpu.millis(…)');
    ok = false;
  }
  if (mem) {
    v.error(path, 'jobs.resources', `${at}.memory: ${mem}`, 'use Size.gibibytes(…) or Size.mebibytes(…)');
    ok = false;
  }
  const gpus = res.gpus ?? 0;
  if (typeof gpus !== 'number' || !Number.isInteger(gpus) || gpus < 0 || gpus > 1_000_000) {
    v.error(path, gpuRule, `${at}.gpus is ${describeValue(gpus)}: GPUs are whole devices, 0 or more`, 'give gpus as a whole number, 0 or more (GPUs are not shared), or omit it');
    ok = false;
  }
  if (!ok) return undefined;
  return { cpuMillis: cpuToMillis(res.cpu), memoryMiB: Math.ceil(memoryToMiB(res.memory)), gpus };
}

function profileQuotas(q: unknown, at: string, path: string, machines: MachinesSpec, v: Violations): Map<string, ResourceAmounts> | undefined {
  if (!isRecord(q)) {
    v.error(path, 'jobs.resources', `${at} is ${describeValue(q)}, not a map of node profile names to { cpu, memory, gpus }`, 'give e.g. { gpu: { cpu: Cpu.units(800), memory: Size.gibibytes(6000), gpus: 256 } }');
    return undefined;
  }
  const profiles = new Set(machines.profiles.map(p => p.name));
  const out = new Map<string, ResourceAmounts>();
  let ok = true;
  for (const name of Object.keys(q).sort()) {
    if (!profiles.has(name)) {
      v.error(path, 'jobs.profile.known', `${at} names node profile '${name}', which the fleet does not declare`, `use one of: ${[...profiles].sort().join(', ')}`);
      ok = false;
      continue;
    }
    const r = resources((q as ProfileQuotas)[name], `${at}.${name}`, path, v, 'jobs.gpus.whole');
    if (r) out.set(name, r);
    else ok = false;
  }
  return ok ? out : undefined;
}

/** Resolves the fleet's BatchPlatform (the first; others are reported). @internal */
export function resolvePlatform(
  platforms: readonly BatchPlatform[], machines: MachinesSpec, clusters: ClustersSpec, v: Violations,
): BatchPlatformSpec | undefined {
  for (const extra of platforms.slice(1)) {
    v.error(pathOf(extra), 'batch-platform.unique', `the fleet already has a batch platform at ${pathOf(platforms[0])}`, 'declare one BatchPlatform per fleet');
  }
  const p = platforms[0];
  if (!p) return undefined;
  const path = pathOf(p);
  const shape = shapeProblems(p.props, { scheduler: 'string?', clusterSchedulers: 'string-map?', regionalQuotas: 'object?' });
  if (shape.length > 0) {
    for (const s of shape) v.error(path, 'batch-platform.props.type', s, 'give each prop the type its documentation states');
    return undefined;
  }
  let ok = true;
  const fallback = p.props.scheduler ?? 'volcano';
  if (!SCHEDULERS.includes(fallback)) {
    v.error(path, 'batch-platform.scheduler', `scheduler is '${fallback}', not a batch scheduler the platform runs`, "use 'volcano' (the default) or 'kueue'");
    ok = false;
  }
  const names = new Set(clusters.workloadClusters.map(c => c.name));
  const schedulers = new Map<string, BatchScheduler>();
  for (const [cluster, s] of Object.entries(p.props.clusterSchedulers ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!names.has(cluster)) {
      v.error(path, 'batch-platform.scheduler', `clusterSchedulers names '${cluster}', which is not a workload cluster of the fleet`, `use one of: ${[...names].sort().join(', ')}`);
      ok = false;
    } else if (!SCHEDULERS.includes(s as BatchScheduler)) {
      v.error(path, 'batch-platform.scheduler', `clusterSchedulers.${cluster} is '${s}', not a batch scheduler the platform runs`, "use 'volcano' or 'kueue'");
      ok = false;
    }
  }
  for (const c of clusters.workloadClusters) schedulers.set(c.name, (p.props.clusterSchedulers?.[c.name] as BatchScheduler | undefined) ?? fallback);
  const regions = new Set(clusters.workloadClusters.map(c => c.region));
  const regionalQuotas = new Map<string, Map<string, ResourceAmounts>>();
  for (const [region, q] of Object.entries(p.props.regionalQuotas ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!regions.has(region)) {
      v.error(path, 'batch-quota.region.known', `regionalQuotas names region '${region}', which has no workload cluster`, `use one of: ${[...regions].sort().join(', ')}`);
      ok = false;
      continue;
    }
    const quotas = profileQuotas(q, `regionalQuotas.${region}`, path, machines, v);
    if (quotas) regionalQuotas.set(region, quotas);
    else ok = false;
  }
  return ok ? { construct: p, path, schedulers, regionalQuotas } : undefined;
}

function percentProblem(value: unknown, what: string, max: number): string | undefined {
  return value === undefined ? undefined : wholeNumberProblem(value, what, 0, max);
}

/** Resolves a BatchQueue. @internal */
export function resolveQueue(q: BatchQueue, platform: BatchPlatform | undefined, machines: MachinesSpec, v: Violations): BatchQueueSpec | undefined {
  const path = pathOf(q);
  if (!(q.node.scope instanceof BatchPlatform) || (platform && q.node.scope !== platform)) {
    v.error(path, 'batch-queue.parent', 'a batch queue is declared as a child of the fleet\'s BatchPlatform', 'create the queue with the BatchPlatform as its scope: new BatchQueue(platform, name, {...})');
    return undefined;
  }
  const shape = shapeProblems(q.props, {
    team: 'string', region: 'string', quota: 'object', weight: 'number?', maxBorrowPercent: 'number?', maxLendPercent: 'number?', priority: 'string?', preemptible: 'boolean?',
  });
  if (shape.length > 0) {
    for (const s of shape) v.error(path, 'batch-queue.props.type', s, 'give each prop the type its documentation states');
    return undefined;
  }
  const p = q.props;
  let ok = true;
  const name = q.queueName;
  if (!isDns1123Label(name) || RESERVED_QUEUE_NAMES.includes(name) || name.startsWith(REGION_QUEUE_PREFIX)) {
    v.error(path, 'batch-queue.name', `queue name '${name}' is not a DNS-1123 label of the platform's own (not ${RESERVED_QUEUE_NAMES.join(' or ')}, not starting with '${REGION_QUEUE_PREFIX}')`, isDns1123Label(name) ? 'choose another queue name' : dns1123LabelFix(name));
    ok = false;
  }
  if (!isDns1123Label(p.team)) {
    v.error(path, 'batch-queue.team', `team '${p.team}' is not a DNS-1123 label`, dns1123LabelFix(p.team));
    ok = false;
  }
  const checks: Array<[string | undefined, string]> = [
    [p.weight === undefined ? undefined : wholeNumberProblem(p.weight, 'weight', 1, MAX_QUEUE_WEIGHT), `give weight as a whole number from 1 to ${MAX_QUEUE_WEIGHT}`],
    [percentProblem(p.maxBorrowPercent, 'maxBorrowPercent', MAX_BORROW_PERCENT), `give maxBorrowPercent as a whole number from 0 to ${MAX_BORROW_PERCENT}, or omit it`],
    [percentProblem(p.maxLendPercent, 'maxLendPercent', 100), 'give maxLendPercent as a whole number from 0 to 100, or omit it'],
  ];
  for (const [problem, fix] of checks) {
    if (problem) {
      v.error(path, 'batch-queue.bounds', problem, fix);
      ok = false;
    }
  }
  if (p.priority !== undefined && !isBatchPriority(p.priority)) {
    v.error(path, 'batch-queue.priority', `priority is '${p.priority}', not a batch priority`, `use one of: ${BATCH_PRIORITY_NAMES.join(', ')}`);
    ok = false;
  }
  const preemptible = p.preemptible ?? true;
  if (!preemptible && p.maxLendPercent !== undefined && p.maxLendPercent > 0) {
    v.error(path, 'batch-queue.lend', `the queue may not be preempted but lends ${p.maxLendPercent}% of its quota: lent quota is taken back by preempting its pods`, 'set maxLendPercent to 0 (or omit it), or make the queue preemptible');
    ok = false;
  }
  const quota = profileQuotas(p.quota, 'quota', path, machines, v);
  if (!quota) ok = false;
  if (!ok || !quota) return undefined;
  return {
    construct: q,
    path,
    name,
    team: p.team,
    region: p.region,
    quota,
    weight: p.weight ?? 1,
    ...(p.maxBorrowPercent !== undefined ? { maxBorrowPercent: p.maxBorrowPercent } : {}),
    maxLendPercent: preemptible ? (p.maxLendPercent ?? 100) : 0,
    priority: p.priority ?? 'normal',
    preemptible,
  };
}

function namespaceOf(c: Construct): AppNamespace | undefined {
  return c.node.scope instanceof AppNamespace ? c.node.scope : undefined;
}

function resolveTask(t: unknown, i: number, path: string, v: Violations): BatchTaskSpec | undefined {
  const at = `tasks[${i}]`;
  const shape = shapeProblems(t, { name: 'string', replicas: 'number?', resources: 'object', command: 'strings?', args: 'strings?', env: 'string-map?' }, `${at}.`);
  if (shape.length > 0) {
    for (const s of shape) v.error(path, 'batch-job.props.type', s, 'give each prop the type its documentation states');
    return undefined;
  }
  const task = t as BatchTask;
  let ok = true;
  if (!isDns1123Label(task.name)) {
    v.error(path, 'batch-job.task', `${at}.name '${task.name}' is not a DNS-1123 label`, dns1123LabelFix(task.name));
    ok = false;
  }
  const replicas = task.replicas ?? 1;
  const rp = wholeNumberProblem(replicas, `${at}.replicas`, 1, MAX_TASK_REPLICAS);
  if (rp) {
    v.error(path, 'batch-job.task', rp, `give replicas as a whole number from 1 to ${MAX_TASK_REPLICAS}`);
    ok = false;
  }
  const r = resources(task.resources, `${at}.resources`, path, v, 'jobs.gpus.whole');
  if (r && (r.cpuMillis === 0 || r.memoryMiB === 0)) {
    v.error(path, 'jobs.resources', `${at}.resources requests no ${r.cpuMillis === 0 ? 'CPU' : 'memory'}: a batch pod runs Guaranteed and is counted against its queue`, 'request CPU and memory above zero');
    ok = false;
  }
  if (!r || !ok) return undefined;
  return {
    name: task.name,
    replicas,
    resources: r,
    ...(task.command ? { command: [...task.command] } : {}),
    args: [...(task.args ?? [])],
    env: { ...(task.env ?? {}) },
  };
}

function seconds(d: unknown, what: string, min: number, path: string, v: Violations): number | undefined | null {
  if (d === undefined) return undefined;
  const s = d && typeof d === 'object' && 'toSeconds' in d ? durationIn(d as never, 'seconds') : NaN;
  const problem = wholeNumberProblem(s, what, min, MAX_JOB_SECONDS);
  if (problem) {
    v.error(path, 'batch-job.time', `${what}: ${Number.isNaN(s) ? `${describeValue(d)} is not a Duration` : problem}`, `give a Duration of whole seconds from ${min} s to 30 days`);
    return null;
  }
  return s;
}

/** Resolves a BatchJob against the resolved queues. @internal */
export function resolveJob(
  j: BatchJob, queues: ReadonlyMap<BatchQueue, BatchQueueSpec>, declaredQueues: ReadonlySet<BatchQueue>, v: Violations,
): BatchJobSpec | undefined {
  const path = pathOf(j);
  const ns = namespaceOf(j);
  if (!ns) {
    v.error(path, 'batch-job.namespace', 'a batch job is declared as a child of an AppNamespace of the batch tenant class', "create the job with an AppNamespace of tenant 'batch' as its scope");
    return undefined;
  }
  if (ns.props.tenant !== 'batch') {
    v.error(path, 'batch-job.namespace', `app namespace '${ns.namespaceName}' is of tenant class '${ns.props.tenant}', not 'batch'`, "run batch jobs in an AppNamespace of tenant 'batch'");
    return undefined;
  }
  const shape = shapeProblems(j.props, {
    queue: 'object', image: 'string', tasks: 'list', gangSize: 'number?', retries: 'number?', priority: 'string?', nodeProfile: 'string?', schedule: 'string?',
  });
  if (shape.length > 0) {
    for (const s of shape) v.error(path, 'batch-job.props.type', s, 'give each prop the type its documentation states');
    return undefined;
  }
  const p = j.props;
  let ok = true;
  if (!isDns1123Label(j.jobName) || j.jobName.length > 50) {
    v.error(path, 'batch-job.name', `job name '${j.jobName}' is not a DNS-1123 label of at most 50 characters (its pods are named after it)`, dns1123LabelFix(j.jobName));
    ok = false;
  }
  if (!(p.queue instanceof BatchQueue) || !declaredQueues.has(p.queue)) {
    v.error(path, 'batch-job.queue.known', 'queue is not a BatchQueue of the fleet\'s batch platform', 'pass a BatchQueue declared under the fleet\'s BatchPlatform');
    return undefined;
  }
  const queue = queues.get(p.queue);
  const imageProblem = imagePinProblem(p.image);
  if (imageProblem) {
    v.error(path, 'batch-job.image.pinned', `image '${p.image}': ${imageProblem}`, 'pin the image to a version tag or digest, e.g. registry.internal/spark:3.5.1');
    ok = false;
  }
  if (p.tasks.length === 0) {
    v.error(path, 'batch-job.task', 'the job has no tasks', 'give at least one task, e.g. { name: \'worker\', replicas: 4, resources: {...} }');
    ok = false;
  }
  const tasks: BatchTaskSpec[] = [];
  const names = new Set<string>();
  let tasksOk = true;
  p.tasks.forEach((t, i) => {
    const spec = resolveTask(t, i, path, v);
    if (!spec) {
      tasksOk = false;
      return;
    }
    if (names.has(spec.name)) {
      v.error(path, 'batch-job.task', `task '${spec.name}' is declared twice`, 'give each task of a job its own name');
      ok = false;
    }
    names.add(spec.name);
    tasks.push(spec);
  });
  if (!tasksOk) ok = false;
  const pods = tasks.reduce((s, t) => s + t.replicas, 0);
  if (p.gangSize !== undefined && tasksOk && tasks.length > 0) {
    const gp = wholeNumberProblem(p.gangSize, 'gangSize', 1, pods);
    if (gp) {
      v.error(path, 'batch-job.gang', `${gp} (the job has ${pods} pods)`, `give gangSize as a whole number from 1 to ${pods}, or omit it for all-or-nothing`);
      ok = false;
    }
  }
  const retries = p.retries ?? DEFAULT_JOB_RETRIES;
  const rp = wholeNumberProblem(retries, 'retries', 0, MAX_JOB_RETRIES);
  if (rp) {
    v.error(path, 'batch-job.retries', rp, `give retries as a whole number from 0 to ${MAX_JOB_RETRIES}`);
    ok = false;
  }
  if (p.priority !== undefined && !isBatchPriority(p.priority)) {
    v.error(path, 'batch-job.priority', `priority is '${p.priority}', not a batch priority`, `use one of: ${BATCH_PRIORITY_NAMES.join(', ')}, or omit it for the queue's`);
    ok = false;
  }
  if (p.schedule !== undefined) {
    const cp = cronProblem(p.schedule);
    if (cp) {
      v.error(path, 'batch-job.schedule', cp, "give a five-field cron schedule, e.g. '0 3 * * *'");
      ok = false;
    }
  }
  const deadline = seconds(p.deadline, 'deadline', 1, path, v);
  const ttl = seconds(p.ttlAfterFinished, 'ttlAfterFinished', 0, path, v);
  if (deadline === null || ttl === null) ok = false;
  if (!ok || !queue) return undefined;
  return {
    construct: j,
    path,
    name: j.jobName,
    namespace: ns,
    queue,
    image: p.image,
    tasks,
    gangSize: p.gangSize ?? pods,
    retries,
    ...(typeof deadline === 'number' ? { deadlineSeconds: deadline } : {}),
    priority: p.priority ?? queue.priority,
    nodeProfile: p.nodeProfile ?? ns.nodeProfileName,
    ...(p.schedule !== undefined ? { schedule: p.schedule.trim().split(/\s+/).join(' ') } : {}),
    ttlSeconds: typeof ttl === 'number' ? ttl : DEFAULT_JOB_TTL_SECONDS,
  };
}
