/**
 * Batch capacity accounting: what each cluster's pools of a node profile
 * offer batch work once node agents and the stateless and stateful
 * namespaces placed there have their share, against the region's quota share
 * and the queues' shares. Pure: plain data in, plain data out.
 */
import { BatchScheduler } from './platform';
import { apportion } from './split';
import { ResourceAmounts, ZERO, addResources, subtractResources } from '../core/resources';

/** One pool, as batch accounting sees it. @internal */
export interface BatchPoolFacts {
  /** Cluster name. */
  readonly cluster: string;
  /** Pool name. */
  readonly pool: string;
  /** Node profile name. */
  readonly nodeProfile: string;
  /** What its nodes offer pods together, after node agents. */
  readonly room: ResourceAmounts;
}

/** One line of the batch capacity report. */
export interface BatchCapacityLine {
  /** What batch work may use: the pools' room after node agents, minus the stateless and stateful namespaces' reservations. */
  readonly capacity: ResourceAmounts;
  /** The region's quota share here. */
  readonly quota: ResourceAmounts;
  /** The queues' shares here (never more than `quota`). */
  readonly queues: ResourceAmounts;
  /** Batch capacity no quota holds: `capacity − quota`. */
  readonly free: ResourceAmounts;
}

/** A team queue's numbers for one node profile. */
export interface BatchQueueLine {
  /** Its quota (its share on a cluster; over a region, the shares of its clusters together). */
  readonly quota: ResourceAmounts;
  /** What it may use at most, borrowing included (Volcano `capability`; Kueue nominal quota + borrowing limit). */
  readonly capability: ResourceAmounts;
}

/** A team queue in the batch report. */
export interface BatchQueueReport {
  /** Queue name. */
  readonly queue: string;
  /** Owning team. */
  readonly team: string;
  /** Per node profile it has quota of. */
  readonly byProfile: ReadonlyMap<string, BatchQueueLine>;
}

/** The batch report of one cluster. */
export interface ClusterBatchReport {
  /** Cluster name. */
  readonly cluster: string;
  /** Its region. */
  readonly region: string;
  /** Its batch scheduler. @default - none: its region has no batch quota */
  readonly scheduler?: BatchScheduler;
  /** The team queues on the cluster, by name. */
  readonly queues: readonly BatchQueueReport[];
  /** Whole cluster. */
  readonly total: BatchCapacityLine;
  /** Per node profile name. */
  readonly byProfile: ReadonlyMap<string, BatchCapacityLine>;
  /** Per pool name (each pool's part of its profile's line, in proportion to its room). */
  readonly byPool: ReadonlyMap<string, BatchCapacityLine>;
}

/** The batch report of one region. */
export interface RegionBatchReport {
  /** Region. */
  readonly region: string;
  /** Whole region. */
  readonly total: BatchCapacityLine;
  /** Per node profile name. */
  readonly byProfile: ReadonlyMap<string, BatchCapacityLine>;
  /** The region's team queues, by name: their shares on its clusters together. */
  readonly queues: readonly BatchQueueReport[];
}

/** The room of each cluster and profile: Σ its pools' room. @internal */
export function roomByProfile(pools: readonly BatchPoolFacts[]): Map<string, Map<string, ResourceAmounts>> {
  const out = new Map<string, Map<string, ResourceAmounts>>();
  for (const p of pools) {
    const m = out.get(p.cluster) ?? new Map<string, ResourceAmounts>();
    m.set(p.nodeProfile, addResources(m.get(p.nodeProfile) ?? ZERO, p.room));
    out.set(p.cluster, m);
  }
  return out;
}

/** Batch capacity: room minus what the service namespaces reserve, never below zero. @internal */
export function batchCapacity(room: ResourceAmounts, serviceDemand: ResourceAmounts): ResourceAmounts {
  const d = subtractResources(room, serviceDemand);
  return { cpuMillis: Math.max(0, d.cpuMillis), memoryMiB: Math.max(0, Math.floor(d.memoryMiB)), gpus: Math.max(0, d.gpus) };
}

function line(capacity: ResourceAmounts, quota: ResourceAmounts, queues: ResourceAmounts): BatchCapacityLine {
  return { capacity, quota, queues, free: subtractResources(capacity, quota) };
}

function sumLines(lines: readonly BatchCapacityLine[]): BatchCapacityLine {
  return line(
    addResources(ZERO, ...lines.map(l => l.capacity)),
    addResources(ZERO, ...lines.map(l => l.quota)),
    addResources(ZERO, ...lines.map(l => l.queues)),
  );
}

function split(a: ResourceAmounts, weights: readonly ResourceAmounts[]): ResourceAmounts[] {
  const parts = (['cpuMillis', 'memoryMiB', 'gpus'] as const).map(d => apportion(Math.max(0, Math.floor(a[d])), weights.map(w => Math.max(0, Math.floor(w[d])))));
  return weights.map((_, i) => ({ cpuMillis: parts[0][i], memoryMiB: parts[1][i], gpus: parts[2][i] }));
}

const byName = <T>(m: Map<string, T>) => new Map([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The batch report: per cluster (with its region), profile and pool.
 * `capacity`, `quota` and `queues` are keyed by cluster, then profile.
 * @internal
 */
export function batchReport(
  clusters: ReadonlyArray<{
    readonly name: string; readonly region: string; readonly scheduler?: BatchScheduler; readonly queues?: readonly BatchQueueReport[];
  }>,
  pools: readonly BatchPoolFacts[],
  capacity: ReadonlyMap<string, ReadonlyMap<string, ResourceAmounts>>,
  quota: ReadonlyMap<string, ReadonlyMap<string, ResourceAmounts>>,
  queues: ReadonlyMap<string, ReadonlyMap<string, ResourceAmounts>>,
): { clusters: ClusterBatchReport[]; regions: RegionBatchReport[] } {
  const out: ClusterBatchReport[] = [];
  const regionProfiles = new Map<string, Map<string, BatchCapacityLine[]>>();
  for (const c of [...clusters].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const profiles = new Set([...(capacity.get(c.name)?.keys() ?? []), ...(quota.get(c.name)?.keys() ?? [])]);
    const byProfile = new Map<string, BatchCapacityLine>();
    const byPool = new Map<string, BatchCapacityLine>();
    for (const profile of [...profiles].sort()) {
      const l = line(capacity.get(c.name)?.get(profile) ?? ZERO, quota.get(c.name)?.get(profile) ?? ZERO, queues.get(c.name)?.get(profile) ?? ZERO);
      byProfile.set(profile, l);
      const rp = regionProfiles.get(c.region) ?? new Map<string, BatchCapacityLine[]>();
      rp.set(profile, [...(rp.get(profile) ?? []), l]);
      regionProfiles.set(c.region, rp);
      const ps = pools.filter(p => p.cluster === c.name && p.nodeProfile === profile);
      const weights = ps.map(p => p.room);
      const caps = split(l.capacity, weights);
      const quotas = split(l.quota, weights);
      const qs = split(l.queues, weights);
      ps.forEach((p, i) => byPool.set(p.pool, line(caps[i], quotas[i], qs[i])));
    }
    const queueList = [...(c.queues ?? [])].sort((a, b) => (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));
    out.push({
      cluster: c.name,
      region: c.region,
      ...(c.scheduler ? { scheduler: c.scheduler } : {}),
      queues: queueList,
      total: sumLines([...byProfile.values()]),
      byProfile,
      byPool: byName(byPool),
    });
  }
  const regions: RegionBatchReport[] = [...regionProfiles.keys()].sort().map(region => {
    const byProfile = new Map([...regionProfiles.get(region)!.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, ls]) => [p, sumLines(ls)]));
    return { region, total: sumLines([...byProfile.values()]), byProfile, queues: regionQueues(out.filter(c => c.region === region)) };
  });
  return { clusters: out, regions };
}

/** The queues of a region's clusters, each one's lines summed over the clusters. */
function regionQueues(clusters: readonly ClusterBatchReport[]): BatchQueueReport[] {
  const byQueue = new Map<string, { team: string; lines: Map<string, BatchQueueLine> }>();
  for (const c of clusters) {
    for (const q of c.queues) {
      const acc = byQueue.get(q.queue) ?? { team: q.team, lines: new Map<string, BatchQueueLine>() };
      for (const [p, l] of q.byProfile) {
        const prev = acc.lines.get(p);
        acc.lines.set(p, prev ? { quota: addResources(prev.quota, l.quota), capability: addResources(prev.capability, l.capability) } : l);
      }
      byQueue.set(q.queue, acc);
    }
  }
  return [...byQueue.keys()].sort().map(queue => ({ queue, team: byQueue.get(queue)!.team, byProfile: byName(byQueue.get(queue)!.lines) }));
}

/** Path of the batch capacity report in the output tree. */
export const BATCH_CAPACITY_FILE = 'batch-capacity.json';

function queueDoc(q: BatchQueueReport) {
  return { queue: q.queue, team: q.team, byProfile: Object.fromEntries([...q.byProfile.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** The batch capacity report as a JSON document (maps as objects sorted by key), for `cdk8s-fleet plan`. @internal */
export function batchCapacityDocument(clusters: readonly ClusterBatchReport[], regions: readonly RegionBatchReport[]): string {
  const obj = (m: ReadonlyMap<string, BatchCapacityLine>) => Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const doc = {
    apiVersion: 'fleet.cdk8s.io/v1alpha1',
    kind: 'BatchCapacity',
    regions: regions.map(r => ({ region: r.region, total: r.total, byProfile: obj(r.byProfile), queues: r.queues.map(queueDoc) })),
    clusters: clusters.map(c => ({
      cluster: c.cluster,
      region: c.region,
      ...(c.scheduler ? { scheduler: c.scheduler } : {}),
      total: c.total,
      byProfile: obj(c.byProfile),
      byPool: obj(c.byPool),
      queues: c.queues.map(queueDoc),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
