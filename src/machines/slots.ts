/**
 * What the machines layer publishes to the layers above it (see `Layer` in
 * `src/synth/layer.ts`): nothing yet beyond the constructs themselves.
 */
import { GuardrailPolicyStack } from '../guardrails/policy';
import { LayerSlots, Stacked } from '../synth/layer';

/** The machines layer's slots. @internal */
export interface MachinesSlots extends LayerSlots {
  /** Resolved specs of the machines layer. */
  readonly spec: {};
  /** Decisions of the machines layer. */
  readonly plan: {};
}

/** Everything the layers above the machines layer read of it and below it (the guardrails' policy). @internal */
export type MachinesStack = Stacked<GuardrailPolicyStack, MachinesSlots>;
