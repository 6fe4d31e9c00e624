/**
 * What the maintenance layer publishes: per cluster, the facts its
 * simulations read of the layers below (each pool's room for app pods per
 * zone, each node profile's eviction thresholds and CPU manager), decided
 * once in the plan stage (`plan.maintenance`).
 */
import { DrainPool } from './drain';
import { ReviewProfile } from './eviction';
import { JobsStack } from '../jobs/slots';
import { LayerSlots, Stacked } from '../synth/layer';

/** What the maintenance simulations read of one cluster, besides its rendered objects. */
export interface ClusterMaintenanceFacts {
  /** Cluster name. */
  readonly cluster: string;
  /** Its pools with nodes: what each node leaves for app pods, and nodes per zone. */
  readonly pools: readonly DrainPool[];
  /** The node profiles of its pools, by name. */
  readonly profiles: ReadonlyMap<string, ReviewProfile>;
  /** The zones of its pools a node rollout is updating now. */
  readonly updating: readonly UpdatingZone[];
}

/** A zone of a pool that a node rollout is updating now (its nodes are being drained and changed). */
export interface UpdatingZone {
  /** Zone name. */
  readonly zone: string;
  /** Pool name. */
  readonly pool: string;
  /** Rollout name. */
  readonly rollout: string;
}

/** The maintenance layer's decisions. */
export interface MaintenancePlan {
  /** Every cluster's facts, by cluster name (the hub first). */
  readonly clusters: ReadonlyMap<string, ClusterMaintenanceFacts>;
}

/** The maintenance layer's slots. @internal */
export interface MaintenanceSlots extends LayerSlots {
  /** The maintenance layer resolves no constructs of its own (node rollouts are the clusters layer's). */
  readonly spec: {};
  /** Decisions of the maintenance layer. */
  readonly plan: { readonly maintenance: MaintenancePlan };
}

/** Everything the guardrails read of the maintenance layer and below it. @internal */
export type MaintenanceStack = Stacked<JobsStack, MaintenanceSlots>;
