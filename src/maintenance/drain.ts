/**
 * Zone-drain and cluster-loss simulation: pure planning logic.
 *
 * A maintenance zone is drained by cordoning and draining all its nodes at
 * once. For every workload of a cluster the simulation works out how many of
 * its pods the zone holds at worst (from its replicas and its topology spread
 * over the zones its node profile has nodes in), whether its
 * PodDisruptionBudget lets them go, and whether the remaining zones can hold
 * them again (what the nodes leave for app pods, against the requests of the
 * pods that stay and of the ones that move, per node profile).
 *
 * The same arithmetic over whole clusters (`simulateClusterLoss`) says what
 * losing one cluster does to apps that run in several: which go down
 * entirely, which drop below their minimum, and what the survivors have left.
 * Its input is typed on its own, so apps whose replicas are shared over
 * clusters by another part of the platform feed it the same way.
 */
import { ResourceAmounts, ZERO, addResources, scaleResources, subtractResources } from '../core/resources';

/** The nodes a pool has in one zone. */
export interface DrainZoneNodes {
  /** Maintenance zone name. */
  readonly zone: string;
  /** Nodes of the pool in that zone. */
  readonly nodes: number;
}

/** One pool of a cluster, as the simulation sees it. */
export interface DrainPool {
  /** Pool name. */
  readonly pool: string;
  /** Node profile of its nodes. */
  readonly nodeProfile: string;
  /** What one node leaves for app pods (allocatable minus the node agents' requests). */
  readonly forPodsPerNode: ResourceAmounts;
  /** Pod slots one node leaves for app pods. */
  readonly podSlotsPerNode: number;
  /** Nodes per maintenance zone. */
  readonly zones: readonly DrainZoneNodes[];
}

/** How a workload's pods are spread over the maintenance zones. */
export interface ZoneSpread {
  /** Most pods one zone may hold above the emptiest (Kubernetes' `maxSkew`, at least 1). */
  readonly maxSkew: number;
  /** True for `DoNotSchedule` (a hard constraint), false for `ScheduleAnyway`. */
  readonly hard: boolean;
}

/** One workload of a cluster, as the simulation sees it. */
export interface DrainWorkload {
  /** Namespace. */
  readonly namespace: string;
  /** Workload name. */
  readonly name: string;
  /** Kind of the workload object (Deployment, StatefulSet, CloneSet, ...). */
  readonly kind: string;
  /** Desired pods. */
  readonly replicas: number;
  /** What one pod requests (effective requests: init containers included). */
  readonly requests: ResourceAmounts;
  /** Node profile its pods are scheduled on; undefined when they select none (the simulation leaves them out). */
  readonly nodeProfile?: string;
  /** Priority of its pods (PriorityClass value; 0 without one). */
  readonly priority: number;
  /** Its spread over maintenance zones; undefined when it has none. */
  readonly zoneSpread?: ZoneSpread;
  /**
   * Pods its PodDisruptionBudget lets voluntary evictions take down at once,
   * resolved against its replicas; undefined when no budget selects it.
   */
  readonly disruptionBudget?: number;
  /** True when its pods are moved by an operator that deletes them itself (a budget of 0 then waits for it, it does not deadlock). */
  readonly operatorCoordinated: boolean;
}

/** A cluster, as the simulation sees it. */
export interface DrainClusterInput {
  /** Cluster name. */
  readonly cluster: string;
  /** Its pools. */
  readonly pools: readonly DrainPool[];
  /** Its workloads. */
  readonly workloads: readonly DrainWorkload[];
}

/** Resources and pod slots. */
export interface DrainCapacity {
  /** CPU, memory and GPUs. */
  readonly resources: ResourceAmounts;
  /** Pod slots. */
  readonly pods: number;
}

/**
 * What a drain does to one workload:
 * - `moves`: its pods in the zone are evicted and fit elsewhere;
 * - `degraded`: some evicted pods find no room, within what its budget allows (or it has no budget);
 * - `blocked`: more pods would find no room than its budget allows: the drain stops, the zone does not empty;
 * - `waits-for-operator`: its budget allows no eviction and its operator moves the pods itself;
 * - `deadlock`: its budget allows no eviction and nothing else moves its pods: the drain never ends.
 */
export type DrainOutcome = 'moves' | 'degraded' | 'blocked' | 'waits-for-operator' | 'deadlock';

/** One workload in one zone's drain. */
export interface WorkloadDrain {
  /** Namespace. */
  readonly namespace: string;
  /** Workload name. */
  readonly name: string;
  /** Kind of the workload object. */
  readonly kind: string;
  /** Desired pods. */
  readonly replicas: number;
  /** Pods the zone holds at worst (evicted by the drain). */
  readonly evicted: number;
  /** Of those, pods the remaining zones have room for. */
  readonly rescheduled: number;
  /** Of those, pods that find no room (pending until the zone is back). */
  readonly pending: number;
  /** Pods its budget lets go at once; undefined without a budget. */
  readonly disruptionBudget?: number;
  /** Its minimum: replicas minus the budget (undefined without a budget). */
  readonly minimum?: number;
  /** What the drain does to it. */
  readonly outcome: DrainOutcome;
}

/** Room left on one node profile's nodes outside a drained zone. */
export interface ProfileHeadroom {
  /** Node profile. */
  readonly nodeProfile: string;
  /** What the profile's nodes outside the zone leave for app pods. */
  readonly capacity: DrainCapacity;
  /** Requested by every pod of the profile after the drain (the ones that stayed and the ones that moved). */
  readonly requested: DrainCapacity;
  /** Free after the drain (negative where short). */
  readonly free: DrainCapacity;
}

/** One zone's drain in one cluster. */
export interface ZoneDrain {
  /** Cluster name. */
  readonly cluster: string;
  /** Zone name. */
  readonly zone: string;
  /** Nodes of the cluster in the zone. */
  readonly nodes: number;
  /** Pods evicted, all workloads. */
  readonly evicted: number;
  /** Every workload with pods in the zone, by namespace and name. */
  readonly workloads: readonly WorkloadDrain[];
  /** Room left per node profile (of the profiles with nodes in the cluster), by name. */
  readonly headroom: readonly ProfileHeadroom[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The zones (with at least one node) of each node profile of a cluster, sorted. */
function profileZones(pools: readonly DrainPool[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const p of pools) {
    for (const z of p.zones) {
      if (z.nodes <= 0) continue;
      const s = out.get(p.nodeProfile) ?? new Set<string>();
      s.add(z.zone);
      out.set(p.nodeProfile, s);
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort(cmp)]));
}

/**
 * The most pods of a workload one zone can hold, of `zones` zones: with a hard
 * spread of `maxSkew` s over n zones, a zone holding m pods leaves at least
 * m − s in every other one, so m + (n − 1)(m − s) ≤ replicas; with a soft
 * spread or none, every pod may end up in the same zone.
 * @internal
 */
export function worstCasePodsInZone(replicas: number, zones: number, spread?: ZoneSpread): number {
  if (replicas <= 0 || zones <= 0) return 0;
  if (!spread || !spread.hard || zones === 1) return replicas;
  const s = Math.max(1, Math.floor(spread.maxSkew));
  return Math.min(replicas, Math.floor((replicas + (zones - 1) * s) / zones));
}

function capOf(pools: readonly DrainPool[], profile: string, except?: string): DrainCapacity {
  let resources: ResourceAmounts = ZERO;
  let pods = 0;
  for (const p of pools) {
    if (p.nodeProfile !== profile) continue;
    for (const z of p.zones) {
      if (z.zone === except || z.nodes <= 0) continue;
      resources = addResources(resources, scaleResources(p.forPodsPerNode, z.nodes));
      pods += p.podSlotsPerNode * z.nodes;
    }
  }
  return { resources, pods };
}

function minus(a: DrainCapacity, b: DrainCapacity): DrainCapacity {
  return { resources: subtractResources(a.resources, b.resources), pods: a.pods - b.pods };
}

function plus(a: DrainCapacity, b: DrainCapacity): DrainCapacity {
  return { resources: addResources(a.resources, b.resources), pods: a.pods + b.pods };
}

function podsOf(requests: ResourceAmounts, n: number): DrainCapacity {
  return { resources: scaleResources(requests, n), pods: n };
}

/** How many pods of `requests` fit in `free` (at most `wanted`). */
function fitting(free: DrainCapacity, requests: ResourceAmounts, wanted: number): number {
  let n = Math.min(wanted, Math.max(0, free.pods));
  const dims: Array<keyof ResourceAmounts> = ['cpuMillis', 'memoryMiB', 'gpus'];
  for (const d of dims) {
    if (requests[d] > 0) n = Math.min(n, Math.max(0, Math.floor(free.resources[d] / requests[d])));
  }
  return n;
}

function outcomeOf(w: DrainWorkload, pending: number): DrainOutcome {
  if (w.disruptionBudget === 0) return w.operatorCoordinated ? 'waits-for-operator' : 'deadlock';
  if (pending === 0) return 'moves';
  if (w.disruptionBudget !== undefined && pending > w.disruptionBudget) return 'blocked';
  return 'degraded';
}

/** A stable order of workloads: by namespace, then name, then kind (construct order never matters). */
function byIdentity(a: DrainWorkload, b: DrainWorkload): number {
  return cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.kind, b.kind);
}

/**
 * Simulates draining every node of `zone` in a cluster. Evicted pods are
 * given room in the remaining zones highest priority first (then by
 * namespace and name), against the capacity their node profile's nodes leave
 * outside the zone minus what the pods that stay request. The room is summed
 * over nodes (a pod too large for any one node's leftover is not told apart).
 */
export function simulateZoneDrain(input: DrainClusterInput, zone: string): ZoneDrain {
  return drainOf(prepared(input), zone);
}

/** What every zone's drain of a cluster shares: worked out once per cluster, not once per zone. */
interface PreparedCluster {
  readonly input: DrainClusterInput;
  /** The zones of each node profile, sorted. */
  readonly zonesOf: ReadonlyMap<string, readonly string[]>;
  /** The workloads the simulation counts, in identity order. */
  readonly workloads: readonly DrainWorkload[];
  /** The same, highest priority first (then in identity order): the order evicted pods are given room in. */
  readonly byPriority: readonly DrainWorkload[];
}

function prepared(input: DrainClusterInput): PreparedCluster {
  const workloads = input.workloads.filter(w => w.nodeProfile !== undefined && w.replicas > 0).sort(byIdentity);
  return {
    input,
    zonesOf: profileZones(input.pools),
    workloads,
    byPriority: workloads.slice().sort((a, b) => b.priority - a.priority || byIdentity(a, b)),
  };
}

function drainOf({ input, zonesOf, workloads, byPriority }: PreparedCluster, zone: string): ZoneDrain {
  const evictedOf = new Map<DrainWorkload, number>();
  const staying = new Map<string, DrainCapacity>();
  for (const w of workloads) {
    const zones = zonesOf.get(w.nodeProfile!) ?? [];
    const evicted = zones.includes(zone) ? worstCasePodsInZone(w.replicas, zones.length, w.zoneSpread) : 0;
    evictedOf.set(w, evicted);
    staying.set(w.nodeProfile!, plus(staying.get(w.nodeProfile!) ?? { resources: ZERO, pods: 0 }, podsOf(w.requests, w.replicas - evicted)));
  }
  const profiles = [...zonesOf.keys()].sort(cmp);
  const capacityOf = new Map(profiles.map(p => [p, capOf(input.pools, p, zone)]));
  const free = new Map(profiles.map(p => [p, minus(capacityOf.get(p)!, staying.get(p) ?? { resources: ZERO, pods: 0 })]));
  const order = byPriority.filter(w => evictedOf.get(w)! > 0);
  const rescheduledOf = new Map<DrainWorkload, number>();
  for (const w of order) {
    const f = free.get(w.nodeProfile!) ?? { resources: ZERO, pods: 0 };
    const n = fitting(f, w.requests, evictedOf.get(w)!);
    rescheduledOf.set(w, n);
    free.set(w.nodeProfile!, minus(f, podsOf(w.requests, n)));
  }
  const rows: WorkloadDrain[] = [];
  let evictedTotal = 0;
  for (const w of workloads) {
    const evicted = evictedOf.get(w)!;
    if (evicted === 0) continue;
    const rescheduled = rescheduledOf.get(w) ?? 0;
    const pending = evicted - rescheduled;
    evictedTotal += evicted;
    rows.push({
      namespace: w.namespace,
      name: w.name,
      kind: w.kind,
      replicas: w.replicas,
      evicted,
      rescheduled,
      pending,
      ...(w.disruptionBudget !== undefined ? { disruptionBudget: w.disruptionBudget, minimum: Math.max(0, w.replicas - w.disruptionBudget) } : {}),
      outcome: outcomeOf(w, pending),
    });
  }
  // pods that find no room still count as requested: headroom shows the shortfall
  const headroom = profiles.map(p => {
    const capacity = capacityOf.get(p)!;
    const requested = minus(capacity, free.get(p)!);
    const unplaced = workloads.filter(w => w.nodeProfile === p)
      .reduce((acc, w) => plus(acc, podsOf(w.requests, evictedOf.get(w)! - (rescheduledOf.get(w) ?? 0))), { resources: ZERO, pods: 0 });
    const all = plus(requested, unplaced);
    return { nodeProfile: p, capacity, requested: all, free: minus(capacity, all) };
  });
  const nodes = input.pools.reduce((n, p) => n + p.zones.filter(z => z.zone === zone).reduce((m, z) => m + Math.max(0, z.nodes), 0), 0);
  return { cluster: input.cluster, zone, nodes, evicted: evictedTotal, workloads: rows, headroom };
}

/** The zones of a cluster's pools, in the order they first appear. @internal */
export function clusterZones(input: DrainClusterInput): string[] {
  const out: string[] = [];
  for (const p of input.pools) for (const z of p.zones) if (!out.includes(z.zone)) out.push(z.zone);
  return out;
}

/** Simulates the drain of every zone of a cluster, in the pools' zone order. */
export function simulateZoneDrains(input: DrainClusterInput): ZoneDrain[] {
  const cluster = prepared(input);
  return clusterZones(input).map(z => drainOf(cluster, z));
}

// ---------------------------------------------------------------------------
// Losing a whole cluster

/** One cluster's part of an app, as the cluster-loss simulation sees it. */
export interface ClusterShare {
  /** Cluster name. */
  readonly cluster: string;
  /** Pods the app runs there. */
  readonly replicas: number;
  /** What one pod requests. */
  readonly requests: ResourceAmounts;
  /** Node profile of its pods there. */
  readonly nodeProfile: string;
}

/** An app (one workload, or one app federated over clusters). */
export interface ClusterLossApp {
  /** App name (unique in the input). */
  readonly app: string;
  /** Pods it needs at the least, all clusters together (below this it is degraded). */
  readonly minReplicas: number;
  /** Its share of each cluster it runs in. */
  readonly shares: readonly ClusterShare[];
  /** True when the survivors may run the lost cluster's pods (a federated app rebalanced over its clusters). */
  readonly failover: boolean;
}

/** A cluster's room for more pods, per node profile. */
export interface ClusterRoom {
  /** Cluster name. */
  readonly cluster: string;
  /** What is free for app pods, per node profile name. */
  readonly free: ReadonlyMap<string, DrainCapacity>;
}

/** What the cluster-loss simulation reads. */
export interface ClusterLossInput {
  /** Every cluster's free room. */
  readonly clusters: readonly ClusterRoom[];
  /** Every app. */
  readonly apps: readonly ClusterLossApp[];
}

/**
 * What losing a cluster does to one app:
 * - `down`: it ran only there;
 * - `below-minimum`: what the others run (after taking over what they have room for) is under its minimum;
 * - `degraded`: it keeps its minimum but not all its pods;
 * - `absorbed`: the survivors take every lost pod.
 */
export type ClusterLossOutcome = 'down' | 'below-minimum' | 'degraded' | 'absorbed';

/** One app when a cluster is lost. */
export interface AppLoss {
  /** App name. */
  readonly app: string;
  /** Pods lost with the cluster. */
  readonly lost: number;
  /** Of those, pods the survivors take over. */
  readonly absorbed: number;
  /** Pods running after the loss (survivors' own plus absorbed). */
  readonly running: number;
  /** Its minimum. */
  readonly minReplicas: number;
  /** What the loss does to it. */
  readonly outcome: ClusterLossOutcome;
}

/** One cluster lost. */
export interface ClusterLoss {
  /** The lost cluster. */
  readonly cluster: string;
  /** Every app with pods there, by name. */
  readonly apps: readonly AppLoss[];
  /** Apps that go down entirely. */
  readonly down: readonly string[];
  /** Apps that drop below their minimum. */
  readonly belowMinimum: readonly string[];
  /** The survivors' room after taking over, per cluster and node profile. */
  readonly survivors: readonly ClusterRoom[];
}

/**
 * Simulates losing each cluster in turn. The pods of an app that fails over
 * go to its other clusters, in the order of its shares, as far as their free
 * room of the same node profile goes; apps take the room by name.
 */
export function simulateClusterLoss(input: ClusterLossInput): ClusterLoss[] {
  const names = [...new Set([...input.clusters.map(c => c.cluster), ...input.apps.flatMap(a => a.shares.map(s => s.cluster))])].sort(cmp);
  const apps = input.apps.slice().sort((a, b) => cmp(a.app, b.app));
  return names.map(lost => {
    const room = new Map(input.clusters.filter(c => c.cluster !== lost).map(c => [c.cluster, new Map(c.free)]));
    const rows: AppLoss[] = [];
    for (const a of apps) {
      const here = a.shares.filter(s => s.cluster === lost);
      const lostPods = here.reduce((n, s) => n + Math.max(0, s.replicas), 0);
      if (lostPods === 0) continue;
      const others = a.shares.filter(s => s.cluster !== lost);
      const surviving = others.reduce((n, s) => n + Math.max(0, s.replicas), 0);
      let absorbed = 0;
      if (a.failover) {
        for (const l of here) {
          let want = Math.max(0, l.replicas);
          for (const o of others) {
            if (want === 0) break;
            const r = room.get(o.cluster);
            const f = r?.get(l.nodeProfile);
            if (!r || !f) continue;
            const n = fitting(f, l.requests, want);
            r.set(l.nodeProfile, minus(f, podsOf(l.requests, n)));
            want -= n;
            absorbed += n;
          }
        }
      }
      const running = surviving + absorbed;
      const outcome: ClusterLossOutcome = surviving === 0 && absorbed === 0 ? 'down'
        : running < a.minReplicas ? 'below-minimum'
          : absorbed < lostPods ? 'degraded' : 'absorbed';
      rows.push({ app: a.app, lost: lostPods, absorbed, running, minReplicas: a.minReplicas, outcome });
    }
    return {
      cluster: lost,
      apps: rows,
      down: rows.filter(r => r.outcome === 'down').map(r => r.app),
      belowMinimum: rows.filter(r => r.outcome === 'below-minimum').map(r => r.app),
      survivors: [...room].map(([cluster, free]) => ({ cluster, free })),
    };
  });
}
