/**
 * Capacity accounting: pure sums over striped pools, per cluster, pool,
 * node profile and maintenance zone.
 */
import { ResourceAmounts, ZERO, addResources, scaleResources } from '../core/resources';
import { ZoneShare } from '../machines/maintenance-zones';

/** One striped pool, as capacity accounting sees it. @internal */
export interface PoolFacts {
  /** Pool name. */
  readonly pool: string;
  /** Node profile name. */
  readonly nodeProfile: string;
  /** Allocatable resources of one node. */
  readonly allocatablePerNode: ResourceAmounts;
  /** Maximum pods per node. */
  readonly maxPodsPerNode: number;
  /** Nodes per zone. */
  readonly zones: readonly ZoneShare[];
}

/** Totals of a set of nodes. */
export interface CapacityTotals {
  /** Nodes. */
  readonly nodes: number;
  /** Allocatable resources of all those nodes. */
  readonly allocatable: ResourceAmounts;
  /** Pod slots (sum of maxPods). */
  readonly pods: number;
}

/** Capacity of one cluster, broken down. */
export interface ClusterCapacity {
  /** Whole-cluster totals. */
  readonly total: CapacityTotals;
  /** Per pool name. */
  readonly byPool: ReadonlyMap<string, CapacityTotals>;
  /** Per node profile name. */
  readonly byProfile: ReadonlyMap<string, CapacityTotals>;
  /** Per maintenance zone name. */
  readonly byZone: ReadonlyMap<string, CapacityTotals>;
}

const EMPTY: CapacityTotals = { nodes: 0, allocatable: ZERO, pods: 0 };

function plus(a: CapacityTotals, nodes: number, perNode: ResourceAmounts, podsPerNode: number): CapacityTotals {
  return {
    nodes: a.nodes + nodes,
    allocatable: addResources(a.allocatable, scaleResources(perNode, nodes)),
    pods: a.pods + nodes * podsPerNode,
  };
}

/** Sums the capacity of a cluster's pools. @internal */
export function clusterCapacity(pools: readonly PoolFacts[]): ClusterCapacity {
  let total = EMPTY;
  const byPool = new Map<string, CapacityTotals>();
  const byProfile = new Map<string, CapacityTotals>();
  const byZone = new Map<string, CapacityTotals>();
  for (const p of pools) {
    for (const z of p.zones) {
      total = plus(total, z.nodes, p.allocatablePerNode, p.maxPodsPerNode);
      byPool.set(p.pool, plus(byPool.get(p.pool) ?? EMPTY, z.nodes, p.allocatablePerNode, p.maxPodsPerNode));
      byProfile.set(p.nodeProfile, plus(byProfile.get(p.nodeProfile) ?? EMPTY, z.nodes, p.allocatablePerNode, p.maxPodsPerNode));
      byZone.set(z.zone, plus(byZone.get(z.zone) ?? EMPTY, z.nodes, p.allocatablePerNode, p.maxPodsPerNode));
    }
  }
  return { total, byPool, byProfile, byZone };
}
