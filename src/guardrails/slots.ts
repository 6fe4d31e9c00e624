/**
 * The guardrails layer, the top one, publishes nothing upward; its stack is
 * the whole fleet's spec and plan.
 */
import { MaintenanceStack } from '../maintenance/slots';
import { LayerSlots, Stacked } from '../synth/layer';

/** The guardrails layer's slots. @internal */
export interface GuardrailsSlots extends LayerSlots {
  /** Resolved specs of the guardrails layer. */
  readonly spec: {};
  /** Decisions of the guardrails layer. */
  readonly plan: {};
}

/** The whole fleet's spec and plan. @internal */
export type GuardrailsStack = Stacked<MaintenanceStack, GuardrailsSlots>;
