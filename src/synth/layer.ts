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
import { PreviousOutput } from './previous';
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
 * What a layer renders for one cluster: called once per cluster, with the
 * cluster's name, after the layer's `render` returned it. It adds only objects
 * of that cluster and only files below its directory (`ctx.add` and
 * `ctx.addFile` throw otherwise); on the hub it also renders the fleet's
 * records on the hub.
 * @internal
 */
export type ClusterRender = (cluster: string) => void;

/**
 * What a layer checks of the rendered fleet, cluster by cluster: `cluster`
 * sees one cluster's objects (every layer's), once per cluster, after the
 * cluster is rendered and before the next one is; it keeps only the small
 * summaries the checks across clusters need. `fleet` runs once after the last
 * cluster, on those summaries.
 * @internal
 */
export interface ClusterCheck {
  /** Checks one cluster's objects (`objects` lives only for this call). */
  readonly cluster?: (cluster: string, objects: readonly RenderedObject[]) => void;
  /** Checks across clusters, after the last one. */
  readonly fleet?: () => void;
}

/**
 * One layer's part in each stage of the synth. (The stages are function-typed
 * properties, not methods, so their parameters are checked strictly.)
 *
 * Resolve, validate and plan are fleet-wide and small (specs and decisions).
 * Render and check work cluster by cluster, so that one cluster's objects are
 * collected before the next cluster is rendered: the pipeline renders a
 * cluster with every layer bottom up, checks it with every layer, emits its
 * YAML and drops its objects, then goes on to the next cluster (the hub
 * first).
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
  /**
   * Starts the render stage: adds the files outside every cluster's directory
   * (node-level files, fleet records; no objects), builds what the layer looks
   * up per cluster, and returns what it renders for each cluster, if anything.
   * Runs once, for every layer bottom up, before any cluster is rendered.
   */
  readonly render?: (ctx: RenderContext<Below['spec'] & Own['spec'], Below['plan'] & Own['plan']>) => ClusterRender | void;
  /**
   * Starts the check stage: returns what the layer checks of each rendered
   * cluster and across clusters. Runs once, before the first cluster is
   * rendered. A check that reads the previous output (`model.options.previousOutdir`)
   * reads its files through `previous`, so that the write does not read them again.
   */
  readonly check?: (model: FleetModel, spec: Below['spec'] & Own['spec'], plan: Below['plan'] & Own['plan'], violations: Violations,
    previous?: PreviousOutput) => ClusterCheck | void;
}

/** The slots below a layer plus its own: what the layer above it reads. @internal */
export type Stacked<Below extends LayerSlots, Own extends LayerSlots> = {
  readonly spec: Below['spec'] & Own['spec'];
  readonly plan: Below['plan'] & Own['plan'];
};

/** A layer of any slots, as the pipeline holds them. @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLayer = Layer<any, any>;
