/**
 * What the machines layer publishes to the layers above it (see `Layer` in
 * `src/synth/layer.ts`): nothing yet beyond the constructs themselves.
 */
import { LayerSlots } from '../synth/layer';

/** The machines layer's slots. @internal */
export interface MachinesSlots extends LayerSlots {
  /** Resolved specs of the machines layer. */
  readonly spec: {};
  /** Decisions of the machines layer. */
  readonly plan: {};
}

/** Everything the layers above the machines layer read of it. @internal */
export type MachinesStack = MachinesSlots;
