/**
 * The queue hierarchy of one cluster: root → region → team, derived from the
 * teams' shares of the regional split. Scheduler-neutral numbers: Volcano's
 * `deserved` / `guarantee` / `capability` and Kueue's nominal quota and
 * borrowing / lending limits are both read from it. Pure.
 */
import { ResourceAmounts, ZERO, addResources, subtractResources } from '../core/resources';

/** A team queue's share on one cluster, with what it may borrow and lend. @internal */
export interface TeamShareInput {
  /** The queue's name. */
  readonly key: string;
  /** Its share per node profile on the cluster. */
  readonly share: ReadonlyMap<string, ResourceAmounts>;
  /** What it may borrow, percent of its share; undefined for up to the region's share. */
  readonly maxBorrowPercent?: number;
  /** What it lends, percent of its share (0 for a queue that may not be preempted). */
  readonly maxLendPercent: number;
}

/** A queue's numbers for one node profile. @internal */
export interface QueueLimits {
  /** Its own quota (Volcano `deserved`, Kueue `nominalQuota`). */
  readonly nominal: ResourceAmounts;
  /** What it may use at most, borrowing included (Volcano `capability`). */
  readonly capability: ResourceAmounts;
  /** What it may borrow on top of `nominal` (Kueue `borrowingLimit`). */
  readonly borrowingLimit: ResourceAmounts;
  /** What of `nominal` it lends (Kueue `lendingLimit`). */
  readonly lendingLimit: ResourceAmounts;
  /** What it keeps, never lent (Volcano `guarantee`). */
  readonly guarantee: ResourceAmounts;
}

/** A team queue on one cluster. @internal */
export interface TeamQueueNode {
  /** The queue's name. */
  readonly key: string;
  /** Per node profile. */
  readonly byProfile: ReadonlyMap<string, QueueLimits>;
  /** Over every profile (Volcano queues are not per profile). */
  readonly total: QueueLimits;
}

/** The region's node on one cluster, with its teams. @internal */
export interface RegionQueueNode {
  /** The region's share per node profile on the cluster. */
  readonly share: ReadonlyMap<string, ResourceAmounts>;
  /** Over every profile: deserved = capability = the region's share; guarantee = Σ the teams' guarantees. */
  readonly total: QueueLimits;
  /** Its team queues, by name. */
  readonly teams: readonly TeamQueueNode[];
}

/** A whole percentage of whole amounts, rounded down. */
function percentOf(a: ResourceAmounts, percent: number): ResourceAmounts {
  const f = (x: number) => Math.floor((x * percent) / 100);
  return { cpuMillis: f(a.cpuMillis), memoryMiB: f(a.memoryMiB), gpus: f(a.gpus) };
}

function min(a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts {
  return { cpuMillis: Math.min(a.cpuMillis, b.cpuMillis), memoryMiB: Math.min(a.memoryMiB, b.memoryMiB), gpus: Math.min(a.gpus, b.gpus) };
}

function sumLimits(list: readonly QueueLimits[]): QueueLimits {
  const sum = (k: keyof QueueLimits) => addResources(...list.map(l => l[k]));
  return { nominal: sum('nominal'), capability: sum('capability'), borrowingLimit: sum('borrowingLimit'), lendingLimit: sum('lendingLimit'), guarantee: sum('guarantee') };
}

/**
 * The hierarchy of one region on one cluster. Per team and profile: nominal
 * = its share; capability = nominal + what it may borrow, never more than
 * the region's share; lent = its lend percent of nominal, rounded down;
 * guarantee = nominal − lent.
 * @internal
 */
export function regionHierarchy(regionShare: ReadonlyMap<string, ResourceAmounts>, teams: readonly TeamShareInput[]): RegionQueueNode {
  const profiles = [...regionShare.keys()].sort();
  const nodes: TeamQueueNode[] = [...teams].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(t => {
    const byProfile = new Map<string, QueueLimits>();
    for (const profile of profiles) {
      const nominal = t.share.get(profile);
      if (!nominal) continue;
      const region = regionShare.get(profile)!;
      const capability = t.maxBorrowPercent === undefined
        ? region
        : min(region, addResources(nominal, percentOf(nominal, t.maxBorrowPercent)));
      const lendingLimit = percentOf(nominal, t.maxLendPercent);
      byProfile.set(profile, {
        nominal,
        capability,
        borrowingLimit: subtractResources(capability, nominal),
        lendingLimit,
        guarantee: subtractResources(nominal, lendingLimit),
      });
    }
    return { key: t.key, byProfile, total: sumLimits([...byProfile.values()]) };
  });
  const regionTotal = addResources(ZERO, ...profiles.map(p => regionShare.get(p)!));
  const guarantee = addResources(ZERO, ...nodes.map(n => n.total.guarantee));
  return {
    share: regionShare,
    total: {
      nominal: regionTotal, capability: regionTotal, borrowingLimit: ZERO, lendingLimit: subtractResources(regionTotal, guarantee), guarantee,
    },
    teams: nodes,
  };
}
