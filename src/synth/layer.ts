/**
 * A layer of the platform (machines, clusters, tenancy, workloads, control
 * plane, guardrails) as the synth pipeline sees it. Each stage is optional.
 */
import { Violations } from '../core/errors';
import { FleetModel } from '../model';
import { FleetPlan } from '../plan';
import { RenderContext, RenderedObject } from './context';

/** One layer's part in each stage of the synth. @internal */
export interface Layer {
  /** Layer name, for messages. */
  readonly name: string;
  /** Checks the model (pure). Runs for every layer before any planning. */
  validate?(model: FleetModel, violations: Violations): void;
  /** Makes decisions (pure) and records them in the plan. Runs only on a model without errors. */
  plan?(model: FleetModel, plan: FleetPlan, violations: Violations): void;
  /** Renders objects and files. */
  render?(ctx: RenderContext): void;
  /** Checks the whole rendered fleet (every object of every cluster, once). */
  check?(objects: readonly RenderedObject[], model: FleetModel, plan: FleetPlan, violations: Violations): void;
}
