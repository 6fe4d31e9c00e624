/**
 * The fleet's resolved specs and plan: every layer's slots, merged bottom up
 * by the pipeline. Each layer declares its own slots in its folder's
 * `slots.ts` and reads only the slots of the layers below it; only the
 * pipeline and the tools above it (CLI, `SynthResult`) see the whole.
 */
import { ClustersPlan } from './clusters/slots';
import { ControlPlanes } from './control-plane/slots';
import { GuardrailsStack } from './guardrails/slots';
import { JobsPlan } from './jobs/slots';
import { MaintenancePlan } from './maintenance/slots';
import { TenancyPlan } from './tenancy/slots';

/**
 * Decisions of one synth, by layer: what a program or a pipeline reads of
 * `SynthResult.plan`.
 */
export interface FleetPlan {
  /** Every pool's nodes per maintenance zone, and every cluster's capacity. */
  readonly clusters: ClustersPlan;
  /** Every cluster's resolved control plane (what the output's control-plane files and sizing record show). @internal */
  readonly controlPlane: ControlPlanes;
  /** Where every app namespace went and why, what it reserves, and the capacity left after placement. */
  readonly tenancy: TenancyPlan;
  /** Each regional batch quota's split over its clusters, every cluster's queue hierarchy, and batch capacity per cluster, pool and region. */
  readonly jobs: JobsPlan;
  /** What the maintenance simulations read of every cluster: each pool's room for app pods per zone, each node profile's eviction thresholds. */
  readonly maintenance: MaintenancePlan;
}

/** The resolved specs of one synth, by layer. @internal */
export type FleetSpec = GuardrailsStack['spec'];

/** True when two types are assignable both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only for `true`. */
type Holds<T extends true> = T;

/**
 * FleetPlan names exactly the plan slots the layers publish: a layer's new
 * slot does not compile until FleetPlan names it (and documents it).
 * @internal
 */
export type FleetPlanNamesEverySlot = Holds<Same<FleetPlan, GuardrailsStack['plan']>>;
