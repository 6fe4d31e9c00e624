/**
 * What the workloads layer publishes to the layers above it (the guardrails):
 * nothing yet beyond the constructs themselves.
 */
import { LayerSlots, Stacked } from '../synth/layer';
import { TenancyStack } from '../tenancy/slots';

/** The workloads layer's slots. @internal */
export interface WorkloadsSlots extends LayerSlots {
  /** Resolved specs of the workloads layer. */
  readonly spec: {};
  /** Decisions of the workloads layer. */
  readonly plan: {};
}

/** Everything the guardrails read of the workloads layer and below it. @internal */
export type WorkloadsStack = Stacked<TenancyStack, WorkloadsSlots>;
