/**
 * The jobs layer: batch queues with regional quotas split across each
 * region's clusters, gang-scheduled batch jobs, and their objects for the
 * cluster's batch scheduler — Volcano (the default) or Kueue.
 *
 * resolve (`resolve.ts`) turns every construct into a spec; validate checks
 * specs across constructs; plan splits the regional quotas (`split.ts`),
 * derives each cluster's queue hierarchy (`hierarchy.ts`) and accounts batch
 * capacity (`accounting.ts`); render (`volcano.ts`, `kueue.ts`, `pod.ts`)
 * reads only specs and plan slots, one cluster at a time.
 */
import * as fs from 'fs';
import { join as joinPath } from 'path';
import { k8s } from 'cdk8s-plus-28';
import { parse as parseYaml } from 'yaml';
import { BATCH_CAPACITY_FILE, BatchCapacityLine, BatchPoolFacts, BatchQueueReport, batchCapacity, batchCapacityDocument, batchReport } from './accounting';
import { regionHierarchy } from './hierarchy';
import { BatchJob } from './job';
import { renderClusterQueue, renderCohort, renderKueueJob, renderLocalQueue, renderResourceFlavor, renderWorkloadPriorityClasses } from './kueue';
import { BatchPlatform } from './platform';
import { batchPodTemplate } from './pod';
import { BATCH_PRIORITY_LEVELS, BATCH_PRIORITY_NAMES } from './priorities';
import { BatchQueue } from './queue';
import {
  BATCH_QUOTA_SECTION, LEGACY_BATCH_QUOTA_RECORD_FILE, SplitRecord, SplitRecordSource,
  mergeSplitRecords, parseLegacySplitRecord, parseSplitSection, sameShares, splitSection,
} from './record';
import { resolveJob, resolvePlatform, resolveQueue } from './resolve';
import { BatchJobSpec, BatchQueueSpec, ClusterBatchPlan, JobsPlan, JobsSlots, JobsSpec, QuotaSplit } from './slots';
import { splitRegionalQuota, splitTeams } from './split';
import { VOLCANO_CONFIG, renderVolcanoJob, renderVolcanoQueues, renderVolcanoSchedulerConfig, volcanoConfProblems, volcanoSchedulerConf } from './volcano';
import { Cluster } from '../clusters/cluster';
import { Violations } from '../core/errors';
import { LOCK_RECORD_FILE } from '../core/lock-record';
import { FleetModel } from '../core/model';
import { ResourceAmounts, ZERO, addResources, fitsIn, formatCpu, formatMemory, scaleResources, shortfalls } from '../core/resources';
import { NodeTaint } from '../machines/node-profile';
import { KubeObject, RenderContext } from '../synth/context';
import { carryOverride } from '../synth/inputs';
import { ClusterCheck, ClusterRender, Layer } from '../synth/layer';
import { TenancyPlan } from '../tenancy/slots';
import { renderPriorityClass } from '../workloads/render';
import { WorkloadsStack } from '../workloads/slots';

type Spec = WorkloadsStack['spec'] & JobsSlots['spec'];
type Plan = WorkloadsStack['plan'] & JobsSlots['plan'];

/** Override that approves moving a region's quota of a profile between clusters. @internal */
export function quotaMoveOverride(region: string, profile: string): string {
  return `batch-quota-move:${region}/${profile}`;
}

function minOf(a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts {
  return { cpuMillis: Math.min(a.cpuMillis, b.cpuMillis), memoryMiB: Math.min(a.memoryMiB, b.memoryMiB), gpus: Math.min(a.gpus, b.gpus) };
}

function percentOf(a: ResourceAmounts, percent: number): ResourceAmounts {
  const f = (x: number) => Math.floor((x * percent) / 100);
  return { cpuMillis: f(a.cpuMillis), memoryMiB: f(a.memoryMiB), gpus: f(a.gpus) };
}

const EMPTY_PLAN: JobsPlan = { splits: new Map(), clusters: new Map(), capacity: [], regions: [] };

function fmt(a: ResourceAmounts): string {
  return `cpu ${formatCpu(Math.max(0, a.cpuMillis))}, memory ${formatMemory(Math.max(0, a.memoryMiB))}, gpus ${Math.max(0, a.gpus)}`;
}

function resolve(model: FleetModel, below: WorkloadsStack['spec'], v: Violations): JobsSlots['spec'] {
  const platforms = model.ofType(BatchPlatform);
  const platform = resolvePlatform(platforms, below.machines, below.clusters, v);
  const declared = model.ofType(BatchQueue);
  const queues = new Map<BatchQueue, BatchQueueSpec>();
  for (const q of declared) {
    const spec = resolveQueue(q, platforms[0], below.machines, v);
    if (spec) queues.set(q, spec);
  }
  const declaredSet = new Set(declared.filter(q => q.node.scope === platforms[0]));
  const jobs: BatchJobSpec[] = [];
  for (const j of model.ofType(BatchJob)) {
    const spec = resolveJob(j, queues, declaredSet, v);
    if (spec) jobs.push(spec);
  }
  const spec: JobsSpec = { ...(platform ? { platform } : {}), queues: [...queues.values()], jobs };
  return { jobs: spec };
}

/** Checks across constructs: unique names, queues within their region's quota, jobs within their queue's profiles. */
function validate(model: FleetModel, spec: Spec, v: Violations): void {
  const jobs = spec.jobs;
  if ((jobs.queues.length > 0 || jobs.jobs.length > 0) && model.ofType(BatchPlatform).length === 0) {
    v.error('<fleet>', 'batch-platform.missing', 'the fleet declares batch queues or jobs but no BatchPlatform', 'declare one BatchPlatform on the fleet and its queues as its children');
  }
  const names = new Map<string, string>();
  for (const q of jobs.queues) {
    const other = names.get(q.name);
    if (other) v.error(q.path, 'batch-queue.unique', `queue '${q.name}' is also declared at ${other}`, 'give each queue of the fleet its own name');
    else names.set(q.name, q.path);
  }
  const platform = jobs.platform;
  if (platform) {
    const used = new Map<string, ResourceAmounts>();
    for (const q of jobs.queues) {
      const region = platform.regionalQuotas.get(q.region);
      if (!region) {
        v.error(q.path, 'batch-queue.region.known', `region '${q.region}' has no regional quota`, `declare regionalQuotas.${q.region} on the BatchPlatform, or use one of: ${[...platform.regionalQuotas.keys()].join(', ') || 'none declared'}`);
        continue;
      }
      for (const [profile, amount] of q.quota) {
        if (!region.has(profile)) {
          v.error(q.path, 'batch-queue.profile.known', `the quota of region '${q.region}' has no node profile '${profile}'`, `add regionalQuotas.${q.region}.${profile} on the BatchPlatform, or use one of: ${[...region.keys()].join(', ')}`);
          continue;
        }
        const key = `${q.region}/${profile}`;
        used.set(key, addResources(used.get(key) ?? ZERO, amount));
      }
    }
    for (const [key, sum] of [...used.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [region, profile] = key.split('/');
      const quota = platform.regionalQuotas.get(region)!.get(profile)!;
      if (!fitsIn(sum, quota)) {
        const queues = jobs.queues.filter(q => q.region === region && q.quota.has(profile));
        v.error(platform.path, 'batch-queue.over-region', `the queues of region '${region}' take more of profile '${profile}' than the region's quota: ${shortfalls(sum, quota).join(', ')} (${queues.map(q => q.name).join(', ')})`,
          `lower the queues' quotas of '${profile}' or raise regionalQuotas.${region}.${profile}`);
      }
    }
  }
  const jobNames = new Map<string, string>();
  const profiles = new Map(spec.machines.profiles.map(p => [p.name, p]));
  for (const j of jobs.jobs) {
    const key = `${j.namespace.namespaceName}/${j.name}`;
    const other = jobNames.get(key);
    if (other) v.error(j.path, 'batch-job.unique', `job '${j.name}' is also declared in namespace '${j.namespace.namespaceName}' at ${other}`, 'give each job of a namespace its own name');
    else jobNames.set(key, j.path);
    const profile = profiles.get(j.nodeProfile);
    if (!profile) {
      v.error(j.path, 'jobs.profile.known', `nodeProfile '${j.nodeProfile}' is not a node profile of the fleet`, `use one of: ${[...profiles.keys()].sort().join(', ')}`);
      continue;
    }
    if (!j.queue.quota.has(j.nodeProfile)) {
      v.error(j.path, 'batch-job.queue.profile', `queue '${j.queue.name}' has no quota of node profile '${j.nodeProfile}'`, `run the job on one of the queue's profiles (${[...j.queue.quota.keys()].join(', ')}) or give the queue a quota of '${j.nodeProfile}'`);
    }
    const gpuTasks = j.tasks.filter(t => t.resources.gpus > 0);
    if (gpuTasks.length > 0 && profile.capacity.gpus === 0) {
      const gpuProfiles = spec.machines.profiles.filter(p => p.capacity.gpus > 0).map(p => p.name);
      v.error(j.path, 'batch-job.gpu-profile', `task${gpuTasks.length > 1 ? 's' : ''} ${gpuTasks.map(t => `'${t.name}'`).join(', ')} request GPUs but node profile '${j.nodeProfile}' has none`,
        `run the job on a GPU profile (nodeProfile: ${gpuProfiles.map(p => `'${p}'`).join(', ') || 'none declared'})`);
    }
  }
}

function poolFacts(spec: WorkloadsStack['spec'], below: WorkloadsStack['plan']): BatchPoolFacts[] {
  const out: BatchPoolFacts[] = [];
  for (const c of spec.clusters.workloadClusters) {
    for (const pp of below.clusters.poolsOf(c.construct)) {
      const nodes = pp.zones.reduce((s, z) => s + z.nodes, 0);
      if (nodes === 0) continue;
      out.push({ cluster: c.name, pool: pp.spec.name, nodeProfile: pp.profileSpec.name, room: scaleResources(pp.appAllocatablePerNode, nodes) });
    }
  }
  return out;
}

/**
 * The recorded splits: the batchQuotaSplits sections of the lock records
 * tenancy read (the lock file first, then the previous output's record), and
 * a previous output's legacy batch-quotas.lock.json, merged (`mergeSplitRecords`).
 */
function readRecord(model: FleetModel, records: TenancyPlan['lockRecords'], v: Violations, at: string): SplitRecord {
  const sources: SplitRecordSource[] = records
    .filter(r => r.sections[BATCH_QUOTA_SECTION] !== undefined)
    .map(r => ({ where: `${r.where}, section ${BATCH_QUOTA_SECTION}`, at: r.at, parsed: parseSplitSection(r.sections[BATCH_QUOTA_SECTION]) }));
  const previous = model.options.previousOutdir;
  const legacy = previous ? joinPath(previous, LEGACY_BATCH_QUOTA_RECORD_FILE) : undefined;
  if (legacy && fs.existsSync(legacy)) {
    sources.push({ where: `the previous output (${LEGACY_BATCH_QUOTA_RECORD_FILE})`, at, parsed: parseLegacySplitRecord(fs.readFileSync(legacy, 'utf8')) });
  }
  const merged = mergeSplitRecords(sources);
  for (const p of merged.problems) {
    if (p.kind === 'parse') {v.error(p.at, 'batch-quota.record', `${p.where}: ${p.error}`, 'restore the file from version control');} else {
      v.error(p.at, 'batch-quota.record.conflict', `the split of '${p.key}' is ${formatShares(p.first.shares)} in ${p.first.where} but ${formatShares(p.second.shares)} in ${p.second.where}`,
        `make the records agree: the previous output is what is deployed; update the lock file from its ${LOCK_RECORD_FILE}`);
    }
  }
  return merged.splits;
}

function formatShares(shares: ReadonlyMap<string, ResourceAmounts>): string {
  const held = [...shares.entries()].filter(([, a]) => a.cpuMillis > 0 || a.memoryMiB > 0 || a.gpus > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  return held.map(([c, a]) => `${c} (${fmt(a)})`).join(', ') || 'nothing on any cluster';
}

function nested<T>(m: Map<string, Map<string, T>>, a: string): Map<string, T> {
  let inner = m.get(a);
  if (!inner) m.set(a, (inner = new Map()));
  return inner;
}

/** The most one pod may request on a node of each (cluster, profile): the smallest per-node room over its pools. */
function largestPods(spec: WorkloadsStack['spec'], below: WorkloadsStack['plan']): Map<string, ResourceAmounts> {
  const out = new Map<string, ResourceAmounts>();
  for (const c of spec.clusters.workloadClusters) {
    for (const pp of below.clusters.poolsOf(c.construct)) {
      if (pp.zones.every(z => z.nodes === 0)) continue;
      const key = `${c.name}/${pp.profileSpec.name}`;
      const r = pp.appAllocatablePerNode;
      const prev = out.get(key);
      out.set(key, prev ? minOf(prev, r) : r);
    }
  }
  return out;
}

/** What the first `gangSize` pods, in task order, request together. @internal */
export function gangDemand(job: Pick<BatchJobSpec, 'tasks' | 'gangSize'>): ResourceAmounts {
  let left = job.gangSize;
  let sum = ZERO;
  for (const t of job.tasks) {
    const n = Math.min(left, t.replicas);
    sum = addResources(sum, scaleResources(t.resources, n));
    left -= n;
    if (left === 0) break;
  }
  return sum;
}

function plan(model: FleetModel, spec: Spec, below: WorkloadsStack['plan'], v: Violations): JobsSlots['plan'] {
  const platform = spec.jobs.platform;
  if (!platform) return { jobs: EMPTY_PLAN };
  const facts = poolFacts(spec, below);
  const room = new Map<string, Map<string, ResourceAmounts>>();
  for (const f of facts) nested(room, f.cluster).set(f.nodeProfile, addResources(room.get(f.cluster)?.get(f.nodeProfile) ?? ZERO, f.room));
  const service = new Map<string, Map<string, ResourceAmounts>>();
  for (const n of below.tenancy.namespaces.values()) {
    if (n.spec.tenant === 'batch') continue;
    // a federated namespace reserves its quota in each of its clusters
    for (const [cluster, demand] of n.clusterDemands) {
      const m = nested(service, cluster.clusterName);
      m.set(n.spec.nodeProfile.name, addResources(m.get(n.spec.nodeProfile.name) ?? ZERO, demand.resources));
    }
  }
  const capacity = new Map<string, Map<string, ResourceAmounts>>();
  for (const [cluster, byProfile] of room) {
    for (const [profile, r] of byProfile) nested(capacity, cluster).set(profile, batchCapacity(r, service.get(cluster)?.get(profile) ?? ZERO));
  }
  const recorded = readRecord(model, below.tenancy.lockRecords, v, platform.path);
  const overrides = new Set(model.options.overrides ?? []);
  const clustersOf = (region: string) => spec.clusters.workloadClusters.filter(c => c.region === region);

  const splits = new Map<string, QuotaSplit>();
  const quotaByCluster = new Map<string, Map<string, ResourceAmounts>>();
  for (const [region, quotas] of platform.regionalQuotas) {
    for (const [profile, quota] of quotas) {
      const key = `${region}/${profile}`;
      const clusters = clustersOf(region).map(c => ({ name: c.name, capacity: capacity.get(c.name)?.get(profile) ?? ZERO }));
      const override = quotaMoveOverride(region, profile);
      let result = splitRegionalQuota(quota, clusters, recorded.get(key), overrides.has(override));
      if (!result.ok && result.kind === 'move') {
        // guarded like a namespace move: the guardrails' severity and exemptions of batch-quota-move apply
        const severity = spec.guardrails.config.severities['batch-quota-move'];
        const exempt = spec.guardrails.config.exemptions.some(e => e.rule === 'batch-quota-move' && e.target === `${region}/${profile}`);
        if (!exempt) {
          v.add({
            rule: 'batch-quota.move',
            severity,
            path: platform.path,
            message: `the split of the quota of node profile '${profile}' in region '${region}' would move quota between clusters: ${result.why}; running jobs there lose their share`,
            fix: `keep the quota and clusters as recorded, or carry the override ${carryOverride(override)} after draining the jobs of the clusters that lose quota`,
          });
        }
        if (severity === 'error' && !exempt) continue;
        result = splitRegionalQuota(quota, clusters, recorded.get(key), true);
      }
      if (!result.ok) {
        if (result.kind === 'over-capacity') {
          v.error(platform.path, 'batch-quota.capacity', `the quota of node profile '${profile}' in region '${region}' exceeds the region's batch capacity: ${shortfalls(quota, result.capacity).join(', ')}; per cluster, after node agents and the stateless and stateful namespaces: ${clusters.map(c => `${c.name} ${fmt(c.capacity)}`).join('; ') || 'no cluster'}`,
            `lower regionalQuotas.${region}.${profile}, or add '${profile}' nodes to the region's clusters`);
        }
        continue;
      }
      if (result.reason === 'moved' && overrides.has(override)) {
        v.warning(platform.path, 'batch-quota.moved', `the quota of node profile '${profile}' in region '${region}' is split afresh over its clusters (allowed by the override '${override}' this change carries)`,
          'drain the jobs of the clusters that lose quota first; remove the override once the change is applied');
      }
      splits.set(key, { region, nodeProfile: profile, quota, shares: result.shares, reason: result.reason });
      for (const [cluster, share] of result.shares) nested(quotaByCluster, cluster).set(profile, share);
    }
  }

  const changed = [...splits.values()].filter(s => {
    const before = recorded.get(`${s.region}/${s.nodeProfile}`);
    return !before || !sameShares(before, s.shares);
  });
  if (changed.length > 0) {
    const lock = spec.tenancy.lock;
    v.warning(lock ? lock.path : platform.path, 'batch-quota.record.changed',
      `${changed.length} regional batch quota split(s) are new or changed: ${changed.map(s => `${s.region}/${s.nodeProfile}`).join(', ')}`,
      lock?.file !== undefined
        ? `commit ${lock.file} (fleet.synth() and cdk8s-fleet synth update it; with synthesize(), call updatePlacementLock) so later synths keep the split`
        : `commit <outdir>/${LOCK_RECORD_FILE} with the output (the next synth into that directory reads it), or declare a PlacementLock with a file committed with the fleet program, so later synths keep the split`);
  }

  // each team's quota over the clusters, like its region's
  const teamShares = new Map<string, Map<string, Map<string, ResourceAmounts>>>(); // queue → cluster → profile
  for (const s of splits.values()) {
    const teams = spec.jobs.queues.filter(q => q.region === s.region && q.quota.has(s.nodeProfile))
      .map(q => ({ key: q.name, quota: q.quota.get(s.nodeProfile)! }));
    for (const [team, byCluster] of splitTeams(s.shares, teams)) {
      for (const [cluster, share] of byCluster) {
        const m = teamShares.get(team) ?? new Map<string, Map<string, ResourceAmounts>>();
        nested(m, cluster).set(s.nodeProfile, share);
        teamShares.set(team, m);
      }
    }
  }

  const placement = below.tenancy.placement;
  const namespaceQueues = new Map<string, Map<string, Set<string>>>();
  const largest = largestPods(spec, below);
  for (const j of spec.jobs.jobs) {
    const cluster = placement.get(j.namespace);
    if (!cluster) continue;
    const region = spec.clusters.cluster(cluster).region;
    if (region !== j.queue.region) {
      v.error(j.path, 'batch-job.queue.region', `namespace '${j.namespace.namespaceName}' lives on '${cluster.clusterName}' in region '${region}', but queue '${j.queue.name}' holds quota in region '${j.queue.region}'`,
        `submit the job to a queue of region '${region}', or pin the namespace to a cluster of region '${j.queue.region}'`);
      continue;
    }
    const byNs = namespaceQueues.get(cluster.clusterName) ?? new Map<string, Set<string>>();
    byNs.set(j.namespace.namespaceName, (byNs.get(j.namespace.namespaceName) ?? new Set()).add(j.queue.name));
    namespaceQueues.set(cluster.clusterName, byNs);
    const node = largest.get(`${cluster.clusterName}/${j.nodeProfile}`);
    if (!node) {
      v.error(j.path, 'batch-job.fits-node', `cluster '${cluster.clusterName}' has no nodes of profile '${j.nodeProfile}'`, `run the job on a profile the cluster has, or add a '${j.nodeProfile}' pool to '${cluster.clusterName}'`);
      continue;
    }
    for (const t of j.tasks) {
      if (!fitsIn(t.resources, node)) {
        v.error(j.path, 'batch-job.fits-node', `one pod of task '${t.name}' requests more than a '${j.nodeProfile}' node of '${cluster.clusterName}' has room for next to its node agents: ${shortfalls(t.resources, node).join(', ')}`,
          'lower the task\'s resources and add replicas, or run the job on a larger node profile');
      }
    }
    const share = teamShares.get(j.queue.name)?.get(cluster.clusterName)?.get(j.nodeProfile);
    const regionShare = quotaByCluster.get(cluster.clusterName)?.get(j.nodeProfile);
    if (share && regionShare) {
      const capability = j.queue.maxBorrowPercent === undefined
        ? regionShare
        : addResources(share, percentOf(share, j.queue.maxBorrowPercent));
      const cap = minOf(capability, regionShare);
      const gang = gangDemand(j);
      if (!fitsIn(gang, cap)) {
        v.error(j.path, 'batch-job.gang.capability', `the gang of ${j.gangSize} pods needs ${fmt(gang)} at once, more than queue '${j.queue.name}' may ever hold of '${j.nodeProfile}' on '${cluster.clusterName}' (${fmt(cap)}): ${shortfalls(gang, cap).join(', ')}; the job would never start`,
          'lower gangSize or the tasks\' resources, or raise the queue\'s quota (or maxBorrowPercent)');
      }
    }
    const nsPlan = below.tenancy.namespaces.get(j.namespace);
    if (nsPlan) {
      const pods = j.tasks.reduce((s, t) => s + t.replicas, 0);
      const all = addResources(ZERO, ...j.tasks.map(t => scaleResources(t.resources, t.replicas)));
      if (!fitsIn(all, nsPlan.demand.resources) || pods > nsPlan.demand.pods) {
        const problems = [...shortfalls(all, nsPlan.demand.resources), ...(pods > nsPlan.demand.pods ? [`pods ${pods} > ${nsPlan.demand.pods}`] : [])];
        v.error(j.path, 'batch-job.namespace-quota', `the job's pods need more than the ResourceQuota of namespace '${j.namespace.namespaceName}' admits: ${problems.join(', ')}`,
          'raise the namespace\'s reserve (cpu, memory, gpus, pods) to hold the job, or make the job smaller');
      }
    }
    if (platform.schedulers.get(cluster.clusterName) === 'kueue' && j.tasks.length > 1) {
      v.error(j.path, 'batch-job.kueue.tasks', `cluster '${cluster.clusterName}' schedules batch with Kueue, which admits a Kubernetes Job of one task; the job has ${j.tasks.length} (${j.tasks.map(t => t.name).join(', ')})`,
        `run the job on a Volcano cluster (clusterSchedulers: { '${cluster.clusterName}': 'volcano' }), or give it one task`);
    }
  }

  const clusters = new Map<string, ClusterBatchPlan>();
  const queueTotals = new Map<string, Map<string, ResourceAmounts>>();
  for (const c of spec.clusters.workloadClusters) {
    if (!platform.regionalQuotas.has(c.region)) continue;
    const regionShare = quotaByCluster.get(c.name) ?? new Map<string, ResourceAmounts>();
    const teams = spec.jobs.queues.filter(q => q.region === c.region && teamShares.has(q.name)).map(q => ({
      key: q.name,
      share: teamShares.get(q.name)!.get(c.name) ?? new Map<string, ResourceAmounts>(),
      ...(q.maxBorrowPercent !== undefined ? { maxBorrowPercent: q.maxBorrowPercent } : {}),
      maxLendPercent: q.maxLendPercent,
    }));
    const hierarchy = regionHierarchy(regionShare, teams);
    for (const t of hierarchy.teams) {
      for (const [p, l] of t.byProfile) nested(queueTotals, c.name).set(p, addResources(queueTotals.get(c.name)?.get(p) ?? ZERO, l.nominal));
    }
    const byNs = namespaceQueues.get(c.name) ?? new Map<string, Set<string>>();
    clusters.set(c.name, {
      cluster: c.construct,
      region: c.region,
      scheduler: platform.schedulers.get(c.name) ?? 'volcano',
      hierarchy,
      namespaceQueues: new Map([...byNs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ns, qs]) => [ns, [...qs].sort()])),
    });
  }
  const queueReports = (c: ClusterBatchPlan): BatchQueueReport[] => c.hierarchy.teams.map(t => ({
    queue: t.key,
    team: spec.jobs.queues.find(q => q.name === t.key)?.team ?? '',
    byProfile: new Map([...t.byProfile.entries()].map(([p, l]) => [p, { quota: l.nominal, capability: l.capability }])),
  }));
  const workloadClusters = spec.clusters.workloadClusters.map(c => {
    const cp = clusters.get(c.name);
    return { name: c.name, region: c.region, ...(cp ? { scheduler: cp.scheduler, queues: queueReports(cp) } : {}) };
  });
  const report = batchReport(workloadClusters, facts, capacity, quotaByCluster, queueTotals);
  return { jobs: { splits, clusters, capacity: report.clusters, regions: report.regions } };
}

function poolTaints(below: WorkloadsStack['plan'], cluster: Cluster, profile: string): NodeTaint[] {
  const out: NodeTaint[] = [];
  const seen = new Set<string>();
  for (const pp of below.clusters.poolsOf(cluster)) {
    if (pp.profileSpec.name !== profile) continue;
    for (const t of pp.spec.taints) {
      const k = `${t.key}=${t.value ?? ''}:${t.effect}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(t);
      }
    }
  }
  return out;
}

const PLATFORM_LABELS = { 'app.kubernetes.io/part-of': 'fleet-batch' };

function render(ctx: RenderContext<Spec, Plan>): ClusterRender | void {
  const jobsPlan = ctx.plan.jobs;
  const platform = ctx.spec.jobs.platform;
  if (!platform) return;
  const record = new Map([...jobsPlan.splits.entries()].map(([k, s]) => [k, s.shares]));
  ctx.addLockSection(BATCH_QUOTA_SECTION, splitSection(record), platform.construct);
  ctx.addFile(BATCH_CAPACITY_FILE, batchCapacityDocument(jobsPlan.capacity, jobsPlan.regions), platform.construct);
  const queues = new Map(ctx.spec.jobs.queues.map(q => [q.name, q]));
  const profiles = new Map(ctx.spec.machines.profiles.map(p => [p.name, p]));
  const gpuName = (profile: string) => profiles.get(profile)?.gpuResourceName ?? 'nvidia.com/gpu';
  // the jobs placed on each cluster, in the spec's order
  const jobsOf = new Map<string, Array<Spec['jobs']['jobs'][number]>>();
  for (const j of ctx.spec.jobs.jobs) {
    const cluster = ctx.plan.tenancy.placement.get(j.namespace);
    if (!cluster) continue;
    const list = jobsOf.get(cluster.clusterName) ?? [];
    list.push(j);
    jobsOf.set(cluster.clusterName, list);
  }
  return name => {
    const c = jobsPlan.clusters.get(name);
    if (!c) return;
    const cluster = c.cluster;
    for (const p of BATCH_PRIORITY_NAMES) {
      const l = BATCH_PRIORITY_LEVELS[p];
      const pc = renderPriorityClass({ name: l.name, value: l.value, description: l.description });
      pc.metadata.labels = { ...PLATFORM_LABELS };
      ctx.add(cluster, pc, platform.construct);
    }
    const sourceOf = (queue: string) => queues.get(queue)?.construct ?? platform.construct;
    if (c.scheduler === 'volcano') {
      for (const q of renderVolcanoQueues(c.region, c.hierarchy, queues, gpuName, PLATFORM_LABELS)) ctx.add(cluster, q, sourceOf(q.metadata.name));
      const conf = volcanoSchedulerConf({
        preempt: true,
        reclaim: c.hierarchy.teams.some(t => queues.get(t.key)!.maxLendPercent > 0),
        gpus: [...c.hierarchy.share.entries()].some(([, a]) => a.gpus > 0),
      });
      ctx.add(cluster, renderVolcanoSchedulerConfig(conf, PLATFORM_LABELS), platform.construct);
    } else {
      for (const o of renderWorkloadPriorityClasses(PLATFORM_LABELS)) ctx.add(cluster, o, platform.construct);
      for (const profile of [...c.hierarchy.share.keys()].sort()) {
        ctx.add(cluster, renderResourceFlavor(profile, poolTaints(ctx.plan, cluster, profile), PLATFORM_LABELS), platform.construct);
      }
      ctx.add(cluster, renderCohort(c.region, PLATFORM_LABELS), platform.construct);
      const namespacesOf = (queue: string) => [...c.namespaceQueues.entries()].filter(([, qs]) => qs.includes(queue)).map(([ns]) => ns);
      for (const t of c.hierarchy.teams) {
        const cq = renderClusterQueue(c.region, c.hierarchy, t.key, queues.get(t.key)!, namespacesOf(t.key), gpuName, PLATFORM_LABELS);
        ctx.add(cluster, cq, sourceOf(t.key));
      }
      for (const [ns, qs] of c.namespaceQueues) for (const q of qs) ctx.add(cluster, renderLocalQueue(q, ns, PLATFORM_LABELS), sourceOf(q));
    }
    const templates = ctx.spec.workloads.templates;
    if (!templates) return;
    for (const j of jobsOf.get(name) ?? []) {
      const nsSpec = ctx.spec.tenancy.namespace(j.namespace)!;
      const template = templates.byCluster.get(cluster)!;
      const placement = {
        nodeProfile: j.nodeProfile,
        taints: poolTaints(ctx.plan, cluster, j.nodeProfile),
        gpuResourceName: gpuName(j.nodeProfile),
        staticCpuManager: false,
      };
      const priorityClassName = BATCH_PRIORITY_LEVELS[j.priority].name;
      const volcano = c.scheduler === 'volcano';
      const podOf = (t: BatchJobSpec['tasks'][number]) =>
        k8s.toJson_PodTemplateSpec(batchPodTemplate(j, t, { partOf: nsSpec.app, template, placement, priorityClassName, podDeadline: volcano })) as
          Record<string, unknown>;
      const pods = new Map(j.tasks.map(t => [t.name, podOf(t)]));
      const labels = { 'app.kubernetes.io/name': j.name, 'app.kubernetes.io/part-of': nsSpec.app, 'fleet.cdk8s.io/batch-queue': j.queue.name };
      const obj: KubeObject = volcano
        ? renderVolcanoJob(j, nsSpec.namespace, pods, priorityClassName, labels)
        : renderKueueJob(j, nsSpec.namespace, pods.get(j.tasks[0].name)!, labels);
      ctx.add(cluster, obj, j.construct);
    }
  };
}

/** The rendered volcano-scheduler configurations, checked against what Volcano accepts, cluster by cluster. */
function check(_model: FleetModel, spec: Spec, _plan: Plan, v: Violations): ClusterCheck | void {
  const platform = spec.jobs.platform;
  if (!platform) return;
  return {
    cluster(_name, objects) {
      for (const o of objects) {
        const obj = o.object;
        if (obj.kind !== 'ConfigMap' || obj.metadata.name !== VOLCANO_CONFIG.name) continue;
        const text = (obj.data as Record<string, string> | undefined)?.[VOLCANO_CONFIG.key] ?? '';
        for (const p of volcanoConfProblems(parseYaml(text), true)) {
          v.error(o.source, 'batch-platform.scheduler-config', `the volcano-scheduler configuration of cluster '${o.cluster}': ${p}`, 'report it: the configuration is generated from the batch platform');
        }
      }
    },
  };
}

/** Batch capacity as text lines, per region, then cluster, and node profile with a batch quota: capacity, quota, queues and free. */
export function formatBatchCapacity(fleetPlan: { readonly jobs: JobsPlan }): string[] {
  const out: string[] = [];
  const held = (l: BatchCapacityLine) => l.quota.cpuMillis > 0 || l.quota.memoryMiB > 0 || l.quota.gpus > 0;
  for (const r of fleetPlan.jobs.regions) {
    for (const [profile, l] of r.byProfile) {
      if (held(l)) out.push(`region ${r.region} ${profile}: batch capacity ${fmt(l.capacity)}; quota ${fmt(l.quota)}; queues ${fmt(l.queues)}; free ${fmt(l.free)}`);
    }
  }
  for (const c of fleetPlan.jobs.capacity) {
    for (const [profile, l] of c.byProfile) {
      if (held(l)) out.push(`${c.cluster} ${profile}: batch capacity ${fmt(l.capacity)}; quota ${fmt(l.quota)}; queues ${fmt(l.queues)}; free ${fmt(l.free)}`);
    }
  }
  return out;
}

/** The jobs layer. @internal */
export const jobsLayer: Layer<WorkloadsStack, JobsSlots> = {
  name: 'jobs',
  resolve,
  validate,
  plan,
  render,
  check,
};
