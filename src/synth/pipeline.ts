/**
 * The synth pipeline, in one direction:
 * model → resolve → validate → plan → render → check → emit.
 *
 * Each object is rendered and serialized exactly once, so the cost is linear in
 * the number of objects (unlike cdk8s's per-chart synth, which re-resolves the
 * whole app for every chart).
 */
import { Violation, Violations } from '../core/errors';
import { FleetModel, FleetRoot } from '../core/model';
import { FleetPlan, FleetSpec } from '../plan';
import { RenderContext, RenderedObject } from './context';
import { objectYaml, toYaml } from './emit';
import { AnyLayer } from './layer';
import { FLEET_LAYERS } from './layers';
import { CONTROL_PLANE_DIR } from './layout';
import { SynthOptions } from './options';

/** An emitted object: the rendered object and its YAML. */
export interface EmittedObject extends RenderedObject {
  /** The object's YAML document. */
  readonly yaml: string;
}

/** Everything one synth produced, before anything is written. */
export interface SynthResult {
  /** Relative path → file content, sorted by path. */
  readonly files: ReadonlyMap<string, string>;
  /** Every Kubernetes object, in file order. */
  readonly objects: readonly EmittedObject[];
  /** Warnings (errors throw). */
  readonly warnings: readonly Violation[];
  /** The model the synth read. @internal */
  readonly model: FleetModel;
  /** The resolved specs it read, by layer. @internal */
  readonly spec: FleetSpec;
  /** The decisions it made, by layer. */
  readonly plan: FleetPlan;
}

/**
 * Synthesizes a fleet in memory. Throws a FleetValidationError listing every
 * error found; nothing is written by this function.
 * @internal
 */
export function synthesizeFleet(fleet: FleetRoot, options: SynthOptions = {}, layers: readonly AnyLayer[] = FLEET_LAYERS): SynthResult {
  const model = new FleetModel(fleet, options);
  const violations = new Violations();

  // each layer adds its slots to one spec and one plan, bottom up; a layer's
  // stages see the slots of the layers below it and its own
  const spec = {} as FleetSpec;
  for (const layer of layers) Object.assign(spec, layer.resolve?.(model, spec, violations));
  for (const layer of layers) layer.validate?.(model, spec, violations);
  violations.throwIfErrors();

  const plan = {} as FleetPlan;
  for (const layer of layers) Object.assign(plan, layer.plan?.(model, spec, plan, violations));
  violations.throwIfErrors();

  const ctx = new RenderContext(model, spec, plan, violations);
  for (const layer of layers) layer.render?.(ctx);
  violations.throwIfErrors();

  for (const layer of layers) layer.check?.(ctx.objects, model, spec, plan, violations);
  violations.throwIfErrors();

  return emit(ctx, violations);
}

/** One file of the output, before the files are put in order. */
interface OutputFile {
  readonly path: string;
  readonly content: string;
  /** Construct path of what produced it. */
  readonly source: string;
  /** The object it holds, for object files. */
  readonly object?: EmittedObject;
}

function emit(ctx: RenderContext<FleetSpec, FleetPlan>, violations: Violations): SynthResult {
  const out: OutputFile[] = [];
  const byCluster = new Map<string, string[]>();
  for (const o of ctx.objects) {
    const object: EmittedObject = { ...o, yaml: objectYaml(o.object) };
    out.push({ path: o.file, content: object.yaml, source: o.source, object });
    const list = byCluster.get(o.cluster) ?? [];
    list.push(o.file.slice(o.cluster.length + 1));
    byCluster.set(o.cluster, list);
  }
  for (const f of ctx.files) {
    out.push({ path: f.file, content: typeof f.content === 'string' ? f.content : toYaml(f.content), source: f.source });
  }
  for (const [cluster, resources] of byCluster) {
    const applied = resources.filter(r => !r.startsWith(`${CONTROL_PLANE_DIR}/`)).sort();
    out.push({
      path: `${cluster}/kustomization.yaml`,
      content: toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: applied }),
      source: cluster,
    });
  }

  // one sort puts files and objects in path order; the sort is stable, so of
  // two producers of one path the first one added comes first and keeps it
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files = new Map<string, string>();
  const objects: EmittedObject[] = [];
  let owner: OutputFile | undefined;
  for (const f of out) {
    if (owner?.path === f.path) {
      violations.error(f.source, 'output.duplicate-file', `output file ${f.path} is also written by ${owner.source}`, 'give one of the two constructs another name');
      continue;
    }
    owner = f;
    files.set(f.path, f.content);
    if (f.object) objects.push(f.object);
  }
  violations.throwIfErrors();
  return { files, objects, warnings: violations.warnings(), model: ctx.model, spec: ctx.spec, plan: ctx.plan };
}
