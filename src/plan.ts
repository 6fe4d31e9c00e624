/**
 * The plan: decisions derived from the model by pure functions (zone
 * striping, capacity, placement...). Layers fill it in order; rendering reads it.
 */
import { ClusterCapacity } from './clusters/capacity';
import { Cluster } from './clusters/cluster';
import { KubernetesPool } from './clusters/kubernetes-pool';
import { TenantClass } from './core/tenant-classes';
import { ZoneShare } from './machines/maintenance-zones';
import { NodeProfile } from './machines/node-profile';

/** The planned shape of one pool. */
export interface PoolPlan {
  /** The pool. */
  readonly pool: KubernetesPool;
  /** Its cluster. */
  readonly cluster: Cluster;
  /** Its node profile. */
  readonly profile: NodeProfile;
  /** Nodes per maintenance zone. */
  readonly zones: readonly ZoneShare[];
}

/** Decisions of one synth. */
export class FleetPlan {
  /** Striped pools, by pool. */
  public readonly pools = new Map<KubernetesPool, PoolPlan>();
  /** Capacity per cluster. */
  public readonly capacity = new Map<Cluster, ClusterCapacity>();
  /** The cluster each tenant namespace (or other placed construct) was routed to. */
  public readonly placement = new Map<object, Cluster>();
  /**
   * Per cluster, the names of the tenant namespaces placed on it, by tenant
   * class, in placement order: the summary of the placement that layers below
   * tenancy read (the control plane's API Priority and Fairness).
   */
  public readonly tenantNamespaces = new Map<Cluster, Map<TenantClass, string[]>>();

  /** The pools of a cluster, in the order they were declared. */
  public poolsOf(cluster: Cluster): PoolPlan[] {
    return cluster.pools.map(p => this.pools.get(p)).filter((p): p is PoolPlan => p !== undefined);
  }
}
