/**
 * Divided replicas: how the workloads of a federated namespace are shared out
 * over its clusters. Pure: plain data in, plain data out, no construct tree.
 *
 * The rounding rule: a workload of R replicas over N clusters gets
 * `floor(R / N)` replicas in each cluster, and the first `R mod N` clusters (in
 * the namespace's cluster order, the most available first) one more. A
 * cluster that cannot hold its share for the node profile keeps what it can
 * hold, and the rest goes, one replica at a time, to the cluster with the
 * smallest share that still has room (ties: cluster order), which keeps the
 * shares as even as capacity allows: the even split is the one that best
 * survives the loss of a cluster. A share recorded in the placement lock is
 * kept as long as it names the same clusters, still sums to the replicas and
 * fits, so shares do not move when capacity elsewhere changes.
 *
 * The canary of a workload runs in the first cluster only; its reserve (the
 * namespace's `reserve`) is divided like replicas, rounded up per cluster.
 */
import { Capacity, capacityFits, subtractCapacity } from './capacity';
import { namespaceDemand } from './demand';
import { WorkloadDemand, WorkloadDivision } from '../core/workload';

/** One workload of a federated namespace. @internal */
export interface ShareWorkload {
  /** Its name in the namespace (the key of its shares). */
  readonly key: string;
  /** How its replicas divide. */
  readonly division: WorkloadDivision;
  /** Pods that must stay available after the loss of any one cluster; 0 for no survival target. */
  readonly minimum: number;
}

/** What a federated namespace divides over its clusters. @internal */
export interface ShareRequest {
  /** Its divisible workloads, sorted by key. */
  readonly workloads: readonly ShareWorkload[];
  /** Demands that do not divide (a workload without a division runs whole in every cluster). */
  readonly whole: readonly WorkloadDemand[];
  /** The namespace's reserve beyond its workloads; divided over the clusters. @default - none */
  readonly reserve?: Capacity;
  /** The quota headroom, in percent. */
  readonly headroomPercent: number;
  /** Shares recorded in the placement lock: workload key → cluster → replicas. @default - none recorded */
  readonly recorded?: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** A cluster a federated namespace runs in, with what it has free for the namespace's node profile. @internal */
export interface ShareCluster {
  /** Cluster name. */
  readonly name: string;
  /** Free capacity for the namespace's node profile. */
  readonly free: Capacity;
}

/** The division of a federated namespace. @internal */
export interface DividedNamespace {
  /** Each workload's shares, by key, aligned with the clusters. */
  readonly shares: ReadonlyMap<string, readonly number[]>;
  /** What the namespace reserves in each cluster (its quota there), aligned with the clusters. */
  readonly demands: readonly Capacity[];
}

/** Why a federated namespace could not be divided: the workload whose replicas found no room. @internal */
export interface DivisionProblem {
  /** The workload (undefined: the namespace's reserve and undivided workloads alone do not fit). */
  readonly workload?: string;
  /** Replicas left without room. */
  readonly unplaced: number;
}

/** The even split of `replicas` over `n` clusters: `floor(replicas / n)` each, one more for the first `replicas mod n`. @internal */
export function evenSplit(replicas: number, n: number): number[] {
  const base = Math.floor(replicas / n);
  const rest = replicas - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < rest ? 1 : 0));
}

/**
 * The minimum of a workload under a survival target: `minAvailablePercent`
 * of its replicas, rounded down, and at least one pod when it has replicas.
 * @internal
 */
export function survivalMinimum(replicas: number, minAvailablePercent: number): number {
  if (replicas <= 0) return 0;
  return Math.max(1, Math.floor((replicas * minAvailablePercent) / 100));
}

/** The reserve's share of one cluster: each dimension divided by `n`, rounded up. */
function reserveShare(reserve: Capacity | undefined, n: number): Capacity | undefined {
  if (!reserve) return undefined;
  const up = (v: number) => Math.ceil(v / n);
  return {
    resources: { cpuMillis: up(reserve.resources.cpuMillis), memoryMiB: up(reserve.resources.memoryMiB), gpus: up(reserve.resources.gpus) },
    pods: up(reserve.pods),
  };
}

/**
 * A recorded split, when it still applies: it names exactly our clusters (a cluster added or removed
 * divides afresh), with whole numbers summing to the replicas.
 */
function recordedSplit(recorded: ReadonlyMap<string, number> | undefined, clusters: readonly ShareCluster[], replicas: number): number[] | undefined {
  if (!recorded || recorded.size !== clusters.length) return undefined;
  const names = new Set(clusters.map(c => c.name));
  for (const [cluster, n] of recorded) if (!names.has(cluster) || !Number.isInteger(n) || n < 0) return undefined;
  const split = clusters.map(c => recorded.get(c.name)!);
  return split.reduce((a, b) => a + b, 0) === replicas ? split : undefined;
}

/**
 * Divides a federated namespace over its clusters (in their order; the first
 * runs the canaries). Each cluster's share of every workload fits what that
 * cluster has free for the profile, the namespace's quota there included
 * (headroom on top). Deterministic: the same clusters, free capacity, request
 * and record give the same division.
 * @internal
 */
export function divideNamespace(clusters: readonly ShareCluster[], request: ShareRequest): DividedNamespace | DivisionProblem {
  const n = clusters.length;
  const reserve = reserveShare(request.reserve, n);
  const h = request.headroomPercent;
  // each piece is reserved with its own headroom, rounded up: the sum of the pieces is never below the namespace's demand
  const remaining = clusters.map(c => subtractCapacity(c.free, namespaceDemand(request.whole, reserve, h)));
  if (remaining.some(r => r.pods < 0 || r.resources.cpuMillis < 0 || r.resources.memoryMiB < 0 || r.resources.gpus < 0)) return { unplaced: 0 };
  const shares = new Map<string, readonly number[]>();
  for (const w of request.workloads) {
    const d = w.division;
    const R = d.replicas;
    const need = (i: number, s: number) => namespaceDemand([d.demandAt(s, i === 0)], undefined, h);
    // the most replicas cluster i holds next to what is assigned there already (-1: not even the canary fits)
    const cap = clusters.map((_, i) => {
      if (!capacityFits(need(i, 0), remaining[i])) return -1;
      let lo = 0;
      let hi = R;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (capacityFits(need(i, mid), remaining[i])) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    });
    if (cap.some(c => c < 0)) return { workload: w.key, unplaced: R };
    const target = recordedSplit(request.recorded?.get(w.key), clusters, R) ?? evenSplit(R, n);
    const split = target.map((t, i) => Math.min(t, cap[i]));
    let unplaced = R - split.reduce((a, b) => a + b, 0);
    while (unplaced > 0) {
      let best = -1;
      for (let i = 0; i < n; i++) {
        if (split[i] < cap[i] && (best < 0 || split[i] < split[best])) best = i;
      }
      if (best < 0) break;
      // as many at once as keeps it no larger than the next smallest share with room, at least one
      let next = Infinity;
      for (let i = 0; i < n; i++) if (i !== best && split[i] < cap[i] && split[i] >= split[best]) next = Math.min(next, split[i]);
      const step = Math.max(1, Math.min(unplaced, cap[best] - split[best], Number.isFinite(next) ? next - split[best] + 1 : Infinity));
      split[best] += step;
      unplaced -= step;
    }
    if (unplaced > 0) return { workload: w.key, unplaced };
    split.forEach((s, i) => { remaining[i] = subtractCapacity(remaining[i], need(i, s)); });
    shares.set(w.key, split);
  }
  const demands = clusters.map((_, i) => namespaceDemand(
    [...request.whole, ...request.workloads.map(w => w.division.demandAt(shares.get(w.key)![i], i === 0))], reserve, h));
  return { shares, demands };
}
