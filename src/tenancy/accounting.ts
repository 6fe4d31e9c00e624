/**
 * Capacity accounting for tenancy: what each cluster, pool and maintenance
 * zone offers to app namespaces once node agents (required DaemonSets) have
 * taken their share of every node, and what the placed namespaces reserve.
 * Pure: plain data in, plain data out.
 */
import { Capacity, NO_CAPACITY, addCapacity, subtractCapacity } from './capacity';
import { CandidateCluster } from './placement';
import { ResourceAmounts, scaleResources, subtractResources } from '../core/resources';
import { ZoneShare } from '../machines/maintenance-zones';

/** One striped pool, as tenancy accounting sees it. @internal */
export interface TenancyPoolFacts {
  /** Cluster name. */
  readonly cluster: string;
  /** Pool name. */
  readonly pool: string;
  /** Node profile name. */
  readonly nodeProfile: string;
  /** Allocatable resources of one node. */
  readonly allocatablePerNode: ResourceAmounts;
  /** Pod slots of one node (maxPods). */
  readonly maxPodsPerNode: number;
  /** What the pool's required DaemonSets request on every node. */
  readonly daemonSetRequestsPerNode: ResourceAmounts;
  /** Pods the required DaemonSets run on every node. */
  readonly daemonSetPodsPerNode: number;
  /** Nodes per maintenance zone. */
  readonly zones: readonly ZoneShare[];
}

/** One line of the capacity report. */
export interface CapacityLine {
  /** Nodes. */
  readonly nodes: number;
  /** Allocatable resources and pod slots of those nodes. */
  readonly allocatable: Capacity;
  /** Taken by required DaemonSets on those nodes. */
  readonly daemonSets: Capacity;
  /** Reserved by app namespaces (for pools and zones: their expected share, spread by node count over the profile's nodes). */
  readonly namespaces: Capacity;
  /** Still free for new namespaces. */
  readonly free: Capacity;
}

/** The capacity report of one cluster. */
export interface ClusterCapacityReport {
  /** Cluster name. */
  readonly cluster: string;
  /** Whole cluster. */
  readonly total: CapacityLine;
  /** Per node profile name. */
  readonly byProfile: ReadonlyMap<string, CapacityLine>;
  /** Per pool name. */
  readonly byPool: ReadonlyMap<string, CapacityLine>;
  /** Per maintenance zone name. */
  readonly byZone: ReadonlyMap<string, CapacityLine>;
  /** App namespaces placed on the cluster, sorted. */
  readonly namespaces: readonly string[];
}

interface Acc { nodes: number; allocatable: Capacity; daemonSets: Capacity; namespaces: Capacity }

const emptyAcc = (): Acc => ({ nodes: 0, allocatable: NO_CAPACITY, daemonSets: NO_CAPACITY, namespaces: NO_CAPACITY });

function addNodes(acc: Acc, p: TenancyPoolFacts, nodes: number, namespaces: Capacity): void {
  acc.nodes += nodes;
  acc.allocatable = addCapacity(acc.allocatable, { resources: scaleResources(p.allocatablePerNode, nodes), pods: p.maxPodsPerNode * nodes });
  acc.daemonSets = addCapacity(acc.daemonSets, {
    resources: scaleResources(p.daemonSetRequestsPerNode, nodes),
    pods: p.daemonSetPodsPerNode * nodes,
  });
  acc.namespaces = addCapacity(acc.namespaces, namespaces);
}

function line(acc: Acc): CapacityLine {
  return { ...acc, free: subtractCapacity(subtractCapacity(acc.allocatable, acc.daemonSets), acc.namespaces) };
}

function share(c: Capacity, nodes: number, of: number): Capacity {
  if (of === 0 || nodes === 0) return NO_CAPACITY;
  const f = nodes / of;
  const r: ResourceAmounts = {
    cpuMillis: Math.round(c.resources.cpuMillis * f),
    memoryMiB: Math.round(c.resources.memoryMiB * f),
    gpus: Math.round(c.resources.gpus * f),
  };
  return { resources: r, pods: Math.round(c.pods * f) };
}

/** What app namespaces may use per cluster and node profile: allocatable minus required DaemonSets. @internal */
export function candidateClusters(
  clusters: ReadonlyArray<{ readonly name: string; readonly region: string }>,
  pools: readonly TenancyPoolFacts[],
): CandidateCluster[] {
  const regionOf = new Map(clusters.map(c => [c.name, c.region]));
  const byCluster = new Map<string, Map<string, Capacity>>(clusters.map(c => [c.name, new Map()]));
  for (const p of pools) {
    const m = byCluster.get(p.cluster);
    if (!m) continue;
    const nodes = p.zones.reduce((s, z) => s + z.nodes, 0);
    if (nodes === 0) continue;
    const perNode: Capacity = {
      resources: subtractResources(p.allocatablePerNode, p.daemonSetRequestsPerNode),
      pods: p.maxPodsPerNode - p.daemonSetPodsPerNode,
    };
    const add: Capacity = { resources: scaleResources(perNode.resources, nodes), pods: perNode.pods * nodes };
    m.set(p.nodeProfile, addCapacity(m.get(p.nodeProfile) ?? NO_CAPACITY, add));
  }
  return [...byCluster.entries()].map(([name, capacity]) => ({ name, region: regionOf.get(name)!, capacity }));
}

/** The most one pod may request on a node of a profile in a cluster: the smallest per-node room over its pools. @internal */
export function largestPodPerProfile(pools: readonly TenancyPoolFacts[]): Map<string, ResourceAmounts> {
  const out = new Map<string, ResourceAmounts>();
  for (const p of pools) {
    if (p.zones.every(z => z.nodes === 0)) continue;
    const key = `${p.cluster}/${p.nodeProfile}`;
    const room = subtractResources(p.allocatablePerNode, p.daemonSetRequestsPerNode);
    const prev = out.get(key);
    out.set(key, prev ? {
      cpuMillis: Math.min(prev.cpuMillis, room.cpuMillis),
      memoryMiB: Math.min(prev.memoryMiB, room.memoryMiB),
      gpus: Math.min(prev.gpus, room.gpus),
    } : room);
  }
  return out;
}

/**
 * The capacity report: per cluster, node profile, pool and maintenance zone,
 * what is allocatable, taken by node agents, reserved by namespaces and free.
 * `used` is what placement reserved per cluster and node profile; pools and
 * zones get their share in proportion to their nodes of that profile.
 * @internal
 */
export function capacityReport(
  clusters: readonly string[],
  pools: readonly TenancyPoolFacts[],
  used: ReadonlyMap<string, ReadonlyMap<string, Capacity>>,
  namespacesByCluster: ReadonlyMap<string, readonly string[]> = new Map(),
): ClusterCapacityReport[] {
  const profileNodes = new Map<string, number>();
  for (const p of pools) {
    const key = `${p.cluster}/${p.nodeProfile}`;
    profileNodes.set(key, (profileNodes.get(key) ?? 0) + p.zones.reduce((s, z) => s + z.nodes, 0));
  }
  const out: ClusterCapacityReport[] = [];
  const poolsByCluster = new Map<string, TenancyPoolFacts[]>();
  for (const p of pools) {
    const list = poolsByCluster.get(p.cluster);
    if (list) list.push(p);
    else poolsByCluster.set(p.cluster, [p]);
  }
  for (const cluster of [...clusters].sort()) {
    const total = emptyAcc();
    const byProfile = new Map<string, Acc>();
    const byPool = new Map<string, Acc>();
    const byZone = new Map<string, Acc>();
    for (const p of poolsByCluster.get(cluster) ?? []) {
      const ofProfile = profileNodes.get(`${cluster}/${p.nodeProfile}`) ?? 0;
      const profileUsed = used.get(cluster)?.get(p.nodeProfile) ?? NO_CAPACITY;
      const poolNodes = p.zones.reduce((s, z) => s + z.nodes, 0);
      const get = (m: Map<string, Acc>, k: string) => {
        let a = m.get(k);
        if (!a) m.set(k, (a = emptyAcc()));
        return a;
      };
      addNodes(get(byPool, p.pool), p, poolNodes, share(profileUsed, poolNodes, ofProfile));
      for (const z of p.zones) addNodes(get(byZone, z.zone), p, z.nodes, share(profileUsed, z.nodes, ofProfile));
      const prof = get(byProfile, p.nodeProfile);
      const before = prof.nodes;
      addNodes(prof, p, poolNodes, NO_CAPACITY);
      if (before === 0) prof.namespaces = profileUsed;
    }
    for (const a of byProfile.values()) {
      total.nodes += a.nodes;
      total.allocatable = addCapacity(total.allocatable, a.allocatable);
      total.daemonSets = addCapacity(total.daemonSets, a.daemonSets);
      total.namespaces = addCapacity(total.namespaces, a.namespaces);
    }
    const lines = (m: Map<string, Acc>) => new Map([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, a]) => [k, line(a)]));
    out.push({
      cluster,
      total: line(total),
      byProfile: lines(byProfile),
      byPool: lines(byPool),
      byZone: lines(byZone),
      namespaces: [...(namespacesByCluster.get(cluster) ?? [])].sort(),
    });
  }
  return out;
}

/** The report as plain JSON (maps as sorted objects), for the CLI and files. @internal */
export function capacityReportJson(report: readonly ClusterCapacityReport[]): unknown {
  const obj = (m: ReadonlyMap<string, CapacityLine>) => Object.fromEntries(m);
  return report.map(r => ({ ...r, byProfile: obj(r.byProfile), byPool: obj(r.byPool), byZone: obj(r.byZone) }));
}

