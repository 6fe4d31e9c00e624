/**
 * A layer of the platform (machines, clusters, control plane, tenancy,
 * workloads, guardrails) as the synth pipeline sees it. Each stage is optional.
 *
 * A layer reads only what the layers below it published: its stages are typed
 * by `Below` (the spec and plan slots of the layers under it) and `Own` (the
 * slots it adds). Each layer's folder declares both in its `slots.ts`; the
 * pipeline merges every layer's slots, bottom up, into one spec and one plan.
 */
import { RenderContext, RenderedObject } from './context';
import { Violations } from '../core/errors';
import { FleetModel } from '../core/model';

/** The slots a layer reads or adds: resolved specs (what is declared) and plan decisions (what was decided). @internal */
export interface LayerSlots {
  /** Resolved, defaults-applied specs, by slot name. */
  readonly spec: object;
  /** Decisions, by slot name. */
  readonly plan: object;
}

/** No slots. @internal */
export interface NoSlots extends LayerSlots {
  /** No specs. */
  readonly spec: {};
  /** No decisions. */
  readonly plan: {};
}

/**
 * One layer's part in each stage of the synth. (The stages are function-typed
 * properties, not methods, so their parameters are checked strictly.)
 * @internal
 */
export interface Layer<Below extends LayerSlots = NoSlots, Own extends LayerSlots = NoSlots> {
  /** Layer name, for messages. */
  readonly name: string;
  /**
   * Resolves the layer's constructs into readonly, defaults-applied specs and
   * records each bad prop (pure). Runs bottom up, before any validation.
   */
  readonly resolve?: (model: FleetModel, spec: Below['spec'], violations: Violations) => Own['spec'];
  /** Checks the resolved specs, across constructs (pure). Runs for every layer before any planning. */
  readonly validate?: (model: FleetModel, spec: Below['spec'] & Own['spec'], violations: Violations) => void;
  /** Makes decisions (pure) and returns them. Runs only when no layer recorded an error. */
  readonly plan?: (model: FleetModel, spec: Below['spec'] & Own['spec'], plan: Below['plan'], violations: Violations) => Own['plan'];
  /** Renders objects and files. */
  readonly render?: (ctx: RenderContext<Below['spec'] & Own['spec'], Below['plan'] & Own['plan']>) => void;
  /** Checks the whole rendered fleet (every object of every cluster, once). */
  readonly check?: (objects: readonly RenderedObject[], model: FleetModel, spec: Below['spec'] & Own['spec'], plan: Below['plan'] & Own['plan'], violations: Violations) => void;
}

/** The slots below a layer plus its own: what the layer above it reads. @internal */
export type Stacked<Below extends LayerSlots, Own extends LayerSlots> = {
  readonly spec: Below['spec'] & Own['spec'];
  readonly plan: Below['plan'] & Own['plan'];
};

/** A layer of any slots, as the pipeline holds them. @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLayer = Layer<any, any>;
