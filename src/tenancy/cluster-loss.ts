/**
 * The cluster-loss check: for each workload cluster, what its loss does to
 * every app. Pure: a typed input of apps (their clusters, shares and
 * minimums) and free capacity, no construct tree.
 *
 * For a lost cluster, an app that runs nowhere else goes down entirely; a
 * federated app keeps its shares in its other clusters, and each of its
 * workloads whose remaining replicas are below its minimum is listed. Then,
 * largest app first (ties: app name), the survivors' free capacity is asked
 * whether it can take the lost demand back: a federated app's into its other
 * clusters (scaling their shares up), an app of one cluster into the least
 * roomiest other cluster of its regions with a pool of its profile (a move,
 * which the owner decides). Each app taken reduces what the next one finds.
 */
import { Capacity, addCapacity, capacityFits, subtractCapacity } from './capacity';

/** One workload of an app, as the check sees it. @internal */
export interface LossWorkload {
  /** Its name in the namespace. */
  readonly name: string;
  /** Replicas per cluster, aligned with the app's clusters. */
  readonly shares: readonly number[];
  /** Pods it needs available; the loss of a cluster that leaves fewer is a shortfall. */
  readonly minimum: number;
}

/** One app, as the check sees it. @internal */
export interface LossApp {
  /** App name. */
  readonly app: string;
  /** Its node profile. */
  readonly nodeProfile: string;
  /** The regions it may run in; undefined for any. */
  readonly regions?: readonly string[];
  /** Its clusters, in order (one for an app that is not federated). */
  readonly clusters: readonly string[];
  /** What it reserves in each of its clusters, aligned with `clusters`. */
  readonly demands: readonly Capacity[];
  /** Its workloads. */
  readonly workloads: readonly LossWorkload[];
  /** Its survival target requires that no single cluster's loss leaves a workload below its minimum. */
  readonly survivalTarget: boolean;
}

/** A workload cluster: its region and free capacity per node profile after placement. @internal */
export interface LossCluster {
  /** Cluster name. */
  readonly name: string;
  /** Its region. */
  readonly region: string;
  /** Free capacity per node profile (profiles it has no pool of are absent). */
  readonly free: ReadonlyMap<string, Capacity>;
}

/** A workload the loss of a cluster leaves below its minimum. */
export interface LossShortfall {
  /** App name. */
  readonly app: string;
  /** Workload name. */
  readonly workload: string;
  /** Replicas left in the app's other clusters. */
  readonly remaining: number;
  /** Its minimum. */
  readonly minimum: number;
  /** The app's survival target is not met (an error). */
  readonly targetMissed: boolean;
}

/** What the loss of one cluster does. */
export interface ClusterLossCheck {
  /** The lost cluster. */
  readonly cluster: string;
  /** Apps that run only there and go down entirely, sorted. */
  readonly down: readonly string[];
  /** Federated apps that keep running there-less, sorted. */
  readonly degraded: readonly string[];
  /** Workloads left below their minimum, by app then workload. */
  readonly belowMinimum: readonly LossShortfall[];
  /** Affected apps whose lost demand the survivors cannot take back, sorted. */
  readonly noCapacity: readonly string[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function weight(d: Capacity): number {
  return d.resources.cpuMillis / 1000 + d.resources.memoryMiB / 4096 + d.resources.gpus * 8 + d.pods / 10;
}

/**
 * The loss of each cluster, in cluster name order. Deterministic: independent
 * of the order of `apps` and `clusters`.
 * @internal
 */
export function checkClusterLosses(clusters: readonly LossCluster[], apps: readonly LossApp[]): ClusterLossCheck[] {
  const sortedApps = [...apps].sort((a, b) => cmp(a.app, b.app));
  const byName = new Map([...clusters].sort((a, b) => cmp(a.name, b.name)).map(c => [c.name, c]));
  const out: ClusterLossCheck[] = [];
  for (const lost of byName.values()) {
    const affected = sortedApps.filter(a => a.clusters.includes(lost.name));
    const down: string[] = [];
    const degraded: string[] = [];
    const belowMinimum: LossShortfall[] = [];
    for (const a of affected) {
      const i = a.clusters.indexOf(lost.name);
      const remainingPods = a.workloads.reduce((s, w) => s + w.shares.reduce((x, y) => x + y, 0) - (w.shares[i] ?? 0), 0);
      // a federated app whose every replica ran there goes down too (one without workloads has no pods to lose)
      if (a.clusters.length === 1 || (a.workloads.some(w => w.shares.some(s => s > 0)) && remainingPods === 0)) down.push(a.app);
      else degraded.push(a.app);
      if (a.clusters.length === 1) continue;
      for (const w of a.workloads) {
        const remaining = w.shares.reduce((x, y) => x + y, 0) - (w.shares[i] ?? 0);
        if (remaining < w.minimum) belowMinimum.push({ app: a.app, workload: w.name, remaining, minimum: w.minimum, targetMissed: a.survivalTarget });
      }
    }
    // can the survivors take the lost demand back? largest first, each taking what it finds
    const free = new Map<string, Map<string, Capacity>>();
    for (const c of byName.values()) if (c.name !== lost.name) free.set(c.name, new Map(c.free));
    const noCapacity: string[] = [];
    const lostDemand = (a: LossApp) => a.demands[a.clusters.indexOf(lost.name)];
    const order = [...affected].sort((a, b) => weight(lostDemand(b)) - weight(lostDemand(a)) || cmp(a.app, b.app));
    for (const a of order) {
      const need = a.demands[a.clusters.indexOf(lost.name)];
      const freeOf = (c: string) => free.get(c)?.get(a.nodeProfile);
      if (a.clusters.length > 1) {
        // a federated app scales its other shares up: their free capacity together
        const others = a.clusters.filter(c => c !== lost.name && freeOf(c) !== undefined);
        const together = others.reduce<Capacity | undefined>((s, c) => (s ? addCapacity(s, freeOf(c)!) : freeOf(c)), undefined);
        if (!together || !capacityFits(need, together)) {
          noCapacity.push(a.app);
          continue;
        }
        // take it from each in turn, as much as each has
        let left = need;
        for (const c of others) {
          const f = freeOf(c)!;
          const take: Capacity = {
            resources: {
              cpuMillis: Math.min(left.resources.cpuMillis, Math.max(0, f.resources.cpuMillis)),
              memoryMiB: Math.min(left.resources.memoryMiB, Math.max(0, f.resources.memoryMiB)),
              gpus: Math.min(left.resources.gpus, Math.max(0, f.resources.gpus)),
            },
            pods: Math.min(left.pods, Math.max(0, f.pods)),
          };
          free.get(c)!.set(a.nodeProfile, subtractCapacity(f, take));
          left = subtractCapacity(left, take);
        }
        continue;
      }
      let best: string | undefined;
      let bestScore = Infinity;
      for (const c of free.keys()) {
        const f = freeOf(c);
        const region = byName.get(c)!.region;
        if (!f || (a.regions !== undefined && !a.regions.includes(region)) || !capacityFits(need, f)) continue;
        // the cluster with the most room left afterwards (ties: name)
        const score = -weight(subtractCapacity(f, need));
        if (score < bestScore) {
          best = c;
          bestScore = score;
        }
      }
      if (best === undefined) noCapacity.push(a.app);
      else free.get(best)!.set(a.nodeProfile, subtractCapacity(freeOf(best)!, need));
    }
    out.push({ cluster: lost.name, down: down.sort(cmp), degraded: degraded.sort(cmp), belowMinimum, noCapacity: noCapacity.sort(cmp) });
  }
  return out;
}

/** Path of the cluster-loss report in the output tree (outside every cluster); `cdk8s-fleet plan` reads it. */
export const CLUSTER_LOSS_FILE = 'cluster-loss.json';
/** `kind` of the cluster-loss report document. @internal */
export const CLUSTER_LOSS_KIND = 'ClusterLossReport';

/** A federated app as the report lists it: every cluster with its shares. @internal */
export interface FederatedAppRecord {
  /** App name. */
  readonly app: string;
  /** Its namespace. */
  readonly namespace: string;
  /** The region of its clusters. */
  readonly region: string;
  /** Its survival target. */
  readonly survive: string;
  /** Each workload's minimum after the loss of one cluster, in percent of its replicas. */
  readonly minAvailablePercent: number;
  /** Each workload's minimum in pods (0 without a survival target), by workload name. */
  readonly minimums: Readonly<Record<string, number>>;
  /** Its clusters, in order (the first runs the canaries), each with its workloads' replicas. */
  readonly clusters: ReadonlyArray<{ readonly cluster: string; readonly canary: boolean; readonly shares: Readonly<Record<string, number>> }>;
}

/**
 * The cluster-loss report as a byte-stable JSON document: each cluster (by
 * name) with its region and what its loss does, and every federated app (by
 * name) with its clusters and shares.
 * @internal
 */
export function serializeClusterLoss(
  losses: readonly ClusterLossCheck[], regions: ReadonlyMap<string, string>, federated: readonly FederatedAppRecord[],
): string {
  const doc = {
    apiVersion: 'fleet.cdk8s.io/v1alpha1',
    kind: CLUSTER_LOSS_KIND,
    clusters: losses.map(l => ({
      cluster: l.cluster,
      region: regions.get(l.cluster) ?? '',
      down: l.down,
      degraded: l.degraded,
      belowMinimum: l.belowMinimum.map(b => ({
        app: b.app, workload: b.workload, remaining: b.remaining, minimum: b.minimum, targetMissed: b.targetMissed,
      })),
      noCapacity: l.noCapacity,
    })),
    federated: [...federated].sort((a, b) => cmp(a.app, b.app)).map(f => ({
      app: f.app,
      namespace: f.namespace,
      region: f.region,
      survive: f.survive,
      minAvailablePercent: f.minAvailablePercent,
      minimums: Object.fromEntries(Object.entries(f.minimums).sort(([a], [b]) => cmp(a, b))),
      clusters: f.clusters.map(c => ({
        cluster: c.cluster, canary: c.canary, shares: Object.fromEntries(Object.entries(c.shares).sort(([a], [b]) => cmp(a, b))),
      })),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
