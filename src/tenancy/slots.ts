/**
 * What the tenancy layer publishes to the layers above it: where every app
 * namespace went, why, what it reserves, and the fleet's capacity after
 * placement.
 */
import { ClusterCapacityReport } from './accounting';
import { AppNamespace } from './app-namespace';
import { LockedPlacement } from './lock';
import { Capacity, PlacementDecision } from './placement';
import { Cluster } from '../clusters/cluster';
import { ControlPlaneStack } from '../control-plane/slots';
import { ResourceAmounts } from '../core/resources';
import { LayerSlots, Stacked } from '../synth/layer';

/** One placed namespace. */
export interface NamespacePlan {
  /** The namespace. */
  readonly ns: AppNamespace;
  /** Its cluster. */
  readonly cluster: Cluster;
  /** The routing decision. */
  readonly decision: PlacementDecision;
  /** What it reserves (its quota). */
  readonly demand: Capacity;
  /** The largest container the node profile can hold in that cluster. */
  readonly largestPod: ResourceAmounts;
  /** Extended resource name of the profile's GPUs. */
  readonly gpuResourceName: string;
}

/** The tenancy decisions of one synth. */
export interface TenancyPlan {
  /** Each placed namespace: its reservation, where it went and why. */
  readonly namespaces: ReadonlyMap<AppNamespace, NamespacePlan>;
  /** The cluster each placed namespace was routed to. */
  readonly placement: ReadonlyMap<AppNamespace, Cluster>;
  /** The placement record after this synth, by app name. */
  readonly record: ReadonlyMap<string, LockedPlacement>;
  /** Capacity per cluster, node profile, pool and maintenance zone, after placement. */
  readonly capacity: readonly ClusterCapacityReport[];
  /** The file of the fleet's `PlacementLock` the record is written back to (absolute). @default - the fleet declares no lock file */
  readonly lockFile?: string;
}

/** The tenancy layer's slots. @internal */
export interface TenancySlots extends LayerSlots {
  /** Resolved specs of the tenancy layer. */
  readonly spec: {};
  /** Decisions of the tenancy layer. */
  readonly plan: { readonly tenancy: TenancyPlan };
}

/** Everything the layers above tenancy read of it and below it. @internal */
export type TenancyStack = Stacked<ControlPlaneStack, TenancySlots>;
