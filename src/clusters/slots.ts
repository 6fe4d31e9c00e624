/**
 * What the clusters layer publishes to the layers above it: every pool's
 * shape (its nodes per maintenance zone) and every cluster's capacity.
 */
import { ClusterCapacity } from './capacity';
import { Cluster } from './cluster';
import { KubernetesPool } from './kubernetes-pool';
import { ZoneShare } from '../machines/maintenance-zones';
import { NodeProfile } from '../machines/node-profile';
import { MachinesStack } from '../machines/slots';
import { LayerSlots, Stacked } from '../synth/layer';

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

/** The clusters layer's decisions. */
export interface ClustersPlan {
  /** Striped pools, by pool. */
  readonly pools: ReadonlyMap<KubernetesPool, PoolPlan>;
  /** Capacity per cluster. */
  readonly capacity: ReadonlyMap<Cluster, ClusterCapacity>;
  /** The pools of a cluster, in the order they were declared. */
  poolsOf(cluster: Cluster): readonly PoolPlan[];
}

/** The clusters layer's slots. @internal */
export interface ClustersSlots extends LayerSlots {
  /** Resolved specs of the clusters layer. */
  readonly spec: {};
  /** Decisions of the clusters layer. */
  readonly plan: { readonly clusters: ClustersPlan };
}

/** Everything the layers above the clusters layer read of it and below it. @internal */
export type ClustersStack = Stacked<MachinesStack, ClustersSlots>;
