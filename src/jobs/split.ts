/**
 * The regional split: a region's batch quota of one node profile divided
 * across the region's workload clusters in proportion to their batch
 * capacity, in whole millicores, MiB and GPUs. Pure: plain data in, plain
 * data out.
 *
 * Rules:
 * 1. A recorded split (from the previous synth) is kept when it still adds up
 *    to the quota and fits every cluster: adding a cluster changes nothing
 *    (the new cluster gets no share of a recorded quota).
 * 2. A quota that grew keeps the recorded shares and splits only the growth,
 *    over what each cluster has left.
 * 3. Anything else (a quota that shrank, a recorded cluster gone or now too
 *    small) moves quota between clusters: it needs an approved override, and
 *    then the whole quota is split afresh.
 */
import { ResourceAmounts, ZERO, addResources, fitsIn, subtractResources } from '../core/resources';

/** A cluster's batch capacity of the profile. @internal */
export interface SplitCluster {
  /** Cluster name. */
  readonly name: string;
  /** What the cluster offers batch work of the profile (negative dimensions count as none). */
  readonly capacity: ResourceAmounts;
}

/** How a split came about. @internal */
export type SplitReason = 'fresh' | 'recorded' | 'grown' | 'moved';

/** A split, or why there is none. @internal */
export type SplitResult =
  | { readonly ok: true; readonly shares: ReadonlyMap<string, ResourceAmounts>; readonly reason: SplitReason }
  | { readonly ok: false; readonly kind: 'over-capacity'; readonly capacity: ResourceAmounts }
  | { readonly ok: false; readonly kind: 'move'; readonly why: string };

const DIMENSIONS = ['cpuMillis', 'memoryMiB', 'gpus'] as const;

function nonNegative(a: ResourceAmounts): ResourceAmounts {
  return { cpuMillis: Math.max(0, a.cpuMillis), memoryMiB: Math.max(0, Math.floor(a.memoryMiB)), gpus: Math.max(0, a.gpus) };
}

/**
 * `total` split over `weights` in proportion, whole units, by largest
 * remainder (ties to the lower index): sums exactly to `total`, and never
 * gives an entry more than its weight when `total` ≤ Σ weights.
 * @internal
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const T = BigInt(total);
  const S = BigInt(sum);
  const floors = weights.map(w => (T * BigInt(w)) / S);
  const rems = weights.map((w, i) => ({ i, rem: T * BigInt(w) - floors[i] * S }));
  let left = T - floors.reduce((a, b) => a + b, 0n);
  rems.sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  const out = floors.map(Number);
  for (const r of rems) {
    if (left === 0n) break;
    if (r.rem === 0n) continue;
    out[r.i] += 1;
    left -= 1n;
  }
  return out;
}

function proportional(quota: ResourceAmounts, clusters: readonly SplitCluster[]): Map<string, ResourceAmounts> {
  const parts = DIMENSIONS.map(d => apportion(quota[d], clusters.map(c => nonNegative(c.capacity)[d])));
  return new Map(clusters.map((c, i) => [c.name, { cpuMillis: parts[0][i], memoryMiB: parts[1][i], gpus: parts[2][i] }]));
}

/** What the clusters offer together (negative dimensions count as none). @internal */
export function totalCapacity(clusters: readonly SplitCluster[]): ResourceAmounts {
  return addResources(...clusters.map(c => nonNegative(c.capacity)));
}

function sameAmounts(a: ResourceAmounts, b: ResourceAmounts): boolean {
  return a.cpuMillis === b.cpuMillis && a.memoryMiB === b.memoryMiB && a.gpus === b.gpus;
}

/**
 * Splits a region's quota of one profile over its clusters (see the module
 * comment for the rules). `clusters` in any order: the result is the same.
 * @internal
 */
export function splitRegionalQuota(
  quota: ResourceAmounts,
  clustersIn: readonly SplitCluster[],
  recorded?: ReadonlyMap<string, ResourceAmounts>,
  moveApproved = false,
): SplitResult {
  const clusters = [...clustersIn].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const capacity = totalCapacity(clusters);
  if (!fitsIn(quota, capacity)) return { ok: false, kind: 'over-capacity', capacity };
  if (recorded && recorded.size > 0) {
    const byName = new Map(clusters.map(c => [c.name, nonNegative(c.capacity)]));
    const problem = recordProblem(quota, byName, recorded);
    if (problem === undefined) {
      const sum = addResources(...recorded.values());
      const shares = new Map(clusters.map(c => [c.name, recorded.get(c.name) ?? ZERO]));
      if (sameAmounts(sum, quota)) return { ok: true, shares, reason: 'recorded' };
      // the quota grew: split the growth over what each cluster has left
      const rest = clusters.map(c => ({ name: c.name, capacity: subtractResources(byName.get(c.name)!, shares.get(c.name)!) }));
      const growth = proportional(subtractResources(quota, sum), rest);
      return { ok: true, shares: new Map(clusters.map(c => [c.name, addResources(shares.get(c.name)!, growth.get(c.name)!)])), reason: 'grown' };
    }
    if (!moveApproved) return { ok: false, kind: 'move', why: problem };
    return { ok: true, shares: proportional(quota, clusters), reason: 'moved' };
  }
  return { ok: true, shares: proportional(quota, clusters), reason: 'fresh' };
}

/** Why a recorded split cannot be kept as it is (or grown), or undefined. */
function recordProblem(
  quota: ResourceAmounts, capacity: ReadonlyMap<string, ResourceAmounts>, recorded: ReadonlyMap<string, ResourceAmounts>,
): string | undefined {
  for (const [name, share] of [...recorded.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const cap = capacity.get(name);
    const held = share.cpuMillis > 0 || share.memoryMiB > 0 || share.gpus > 0;
    if (!cap) {
      if (held) return `cluster '${name}' holds a recorded share but is no longer a workload cluster of the region`;
      continue;
    }
    if (!fitsIn(share, cap)) return `the recorded share of cluster '${name}' no longer fits its batch capacity`;
  }
  const sum = addResources(...recorded.values());
  if (!fitsIn(sum, quota)) return 'the quota is smaller than the recorded split';
  return undefined;
}

/** A team's quota of one profile in the region, to split like the region's. @internal */
export interface TeamQuota {
  /** The queue's name. */
  readonly key: string;
  /** Its quota of the profile in the region. */
  readonly quota: ResourceAmounts;
}

/**
 * Each team's quota split over the clusters in proportion to the region's
 * shares, so that on every cluster the teams' shares together never exceed
 * the region's share there (Σ teams ≤ the regional quota is checked before).
 * Whole units: each team's floors first, then its remaining units to the
 * clusters with the largest fractions that still have room.
 * @internal
 */
export function splitTeams(
  regionShares: ReadonlyMap<string, ResourceAmounts>, teams: readonly TeamQuota[],
): Map<string, Map<string, ResourceAmounts>> {
  const clusters = [...regionShares.keys()].sort();
  const sorted = [...teams].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const result = new Map<string, Map<string, ResourceAmounts>>(sorted.map(t => [t.key, new Map()]));
  const perDim = DIMENSIONS.map(d => {
    const region = clusters.map(c => regionShares.get(c)![d]);
    const R = region.reduce((a, b) => a + b, 0);
    const slack = [...region];
    const floors = sorted.map(t => {
      const q = t.quota[d];
      return region.map(w => (R === 0 ? 0 : Number((BigInt(q) * BigInt(w)) / BigInt(R))));
    });
    floors.forEach(f => f.forEach((x, i) => { slack[i] -= x; }));
    return sorted.map((t, ti) => {
      const out = [...floors[ti]];
      let left = t.quota[d] - out.reduce((a, b) => a + b, 0);
      const order = region.map((w, i) => ({ i, rem: R === 0 ? 0n : BigInt(t.quota[d]) * BigInt(w) - BigInt(floors[ti][i]) * BigInt(R) }))
        .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
      while (left > 0) {
        // one unit per pass to each cluster with room, largest fraction first
        let gave = false;
        for (const o of order) {
          if (left === 0) break;
          if (slack[o.i] <= 0) continue;
          out[o.i] += 1;
          slack[o.i] -= 1;
          left -= 1;
          gave = true;
        }
        if (!gave) break; // the teams exceed the region: checked before the split
      }
      return out;
    });
  });
  sorted.forEach((t, ti) => {
    const m = result.get(t.key)!;
    clusters.forEach((c, ci) => m.set(c, { cpuMillis: perDim[0][ti][ci], memoryMiB: perDim[1][ti][ci], gpus: perDim[2][ti][ci] }));
  });
  return result;
}
