/**
 * The synth pipeline, in one direction:
 * model → resolve → validate → plan → render → check → emit.
 *
 * Each object is rendered and serialized exactly once, so the cost is linear in
 * the number of objects (unlike cdk8s's per-chart synth, which re-resolves the
 * whole app for every chart).
 */
import { CataloguedViolation, Violation, Violations } from '../core/errors';
import { FleetModel, FleetRoot } from '../core/model';
import { FleetPlan, FleetSpec } from '../plan';
import { parse } from 'yaml';
import { KubeObject, RenderContext, RenderedFile, RenderedObject } from './context';
import { objectYaml, toYaml } from './emit';
import { AnyLayer, ClusterCheck, ClusterRender } from './layer';
import { FLEET_LAYERS } from './layers';
import { CONTROL_PLANE_DIR } from './layout';
import { SynthOptions } from './options';
import { readEmittedYaml } from './yaml-reader';

/** An emitted object: the rendered object and its YAML. */
export interface EmittedObject extends RenderedObject {
  /** The object's YAML document. */
  readonly yaml: string;
}

/** Everything one synth produced, before anything is written. */
export interface SynthResult {
  /** Relative path → file content, sorted by path. */
  readonly files: ReadonlyMap<string, string>;
  /**
   * Every Kubernetes object, in file order. The synth keeps each object's
   * YAML only (in `files`), not the rendered objects, so that a large fleet
   * does not hold every object at once: the first read of `objects` reads
   * them back from their YAML (the value the YAML gives: the rendered object
   * without its undefined fields) and keeps them.
   */
  readonly objects: readonly EmittedObject[];
  /** Warnings (errors throw). */
  readonly warnings: readonly Violation[];
  /** The files holding Kubernetes objects, in file order (keys of `files`). @internal */
  readonly objectFiles: readonly string[];
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
 *
 * Resolve, validate and plan run fleet-wide. Then the fleet is rendered,
 * checked and emitted cluster by cluster (the hub first): every layer renders
 * the cluster, every layer checks its objects, their YAML is kept and the
 * objects are dropped before the next cluster is rendered; the layers' checks
 * across clusters run last, on what their per-cluster checks kept. Errors are
 * reported as if each stage ran over the whole fleet before the next: an error
 * of the render stage is thrown with the render stage's violations only, one
 * of the check stage with those of render and check.
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

  // render and check: the files outside every cluster, then cluster by cluster
  const ctx = new RenderContext(model, spec, plan, violations);
  const renders: ClusterRender[] = [];
  for (const layer of layers) {
    const r = layer.render?.(ctx);
    if (r) renders.push(r);
  }
  const checkViolations = new Violations();
  const checks: ClusterCheck[] = [];
  for (const layer of layers) {
    const c = layer.check?.(model, spec, plan, checkViolations);
    if (c) checks.push(c);
  }
  const clusterNames = new Set(spec.clusters.clusters.map(c => c.name));
  const out = new Emitted();
  const fleetFiles = ctx.begin(undefined).files;
  for (const f of fleetFiles) {
    if (clusterNames.has(f.file.split('/')[0])) throw new Error(`the file ${f.file} is rendered outside its cluster`);
  }
  out.add(undefined, [], fleetFiles);
  for (const name of clusterNames) {
    ctx.begin(name);
    for (const r of renders) r(name);
    const { objects, files } = ctx.begin(undefined);
    // once an error is recorded the synth throws: what is left is only looked at for more errors
    if (violations.hasErrors) continue;
    for (const c of checks) c.cluster?.(name, objects);
    if (!checkViolations.hasErrors) out.add(name, objects, files);
  }
  violations.throwIfErrors();
  for (const c of checks) c.fleet?.();
  for (const v of checkViolations.all()) violations.add(v as CataloguedViolation);
  violations.throwIfErrors();

  return out.result(violations, model, spec, plan);
}

/** One file of the output, before the files are put in order. */
interface OutputFile {
  readonly path: string;
  readonly content: string;
  /** Construct path of what produced it. */
  readonly source: string;
  /** The cluster of the object it holds, for object files. */
  readonly cluster?: string;
}

/** The output as it is emitted, cluster by cluster: each file's text, not the objects. */
class Emitted {
  private readonly out: OutputFile[] = [];

  /** Emits one unit: a cluster's objects and files with its kustomization, or (no cluster) the files outside every cluster. */
  public add(cluster: string | undefined, objects: readonly RenderedObject[], files: readonly RenderedFile[]): void {
    const resources: string[] = [];
    for (const o of objects) {
      this.out.push({ path: o.file, content: objectYaml(o.object), source: o.source, cluster: o.cluster });
      const resource = o.file.slice(o.cluster.length + 1);
      if (!resource.startsWith(`${CONTROL_PLANE_DIR}/`)) resources.push(resource);
    }
    for (const f of files) {
      this.out.push({ path: f.file, content: typeof f.content === 'string' ? f.content : toYaml(f.content), source: f.source });
    }
    if (cluster !== undefined && objects.length > 0) {
      this.out.push({
        path: `${cluster}/kustomization.yaml`,
        content: toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: resources.sort() }),
        source: cluster,
      });
    }
  }

  /** The files in path order, each path once (a second producer is reported), as the synth's result. */
  public result(violations: Violations, model: FleetModel, spec: FleetSpec, plan: FleetPlan): SynthResult {
    // one sort puts files and objects in path order; the sort is stable, so of
    // two producers of one path the first one added comes first and keeps it
    const out = this.out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const files = new Map<string, string>();
    const refs: Array<{ readonly file: string; readonly cluster: string; readonly source: string }> = [];
    let owner: OutputFile | undefined;
    for (const f of out) {
      if (owner?.path === f.path) {
        violations.error(f.source, 'output.duplicate-file', `output file ${f.path} is also written by ${owner.source}`, 'give one of the two constructs another name');
        continue;
      }
      owner = f;
      files.set(f.path, f.content);
      if (f.cluster !== undefined) refs.push({ file: f.path, cluster: f.cluster, source: f.source });
    }
    this.out.length = 0;
    violations.throwIfErrors();
    let objects: readonly EmittedObject[] | undefined;
    return {
      files,
      get objects(): readonly EmittedObject[] {
        objects ??= refs.map(r => {
          const yaml = files.get(r.file)!;
          return { ...r, yaml, object: readObjectYaml(yaml) };
        });
        return objects;
      },
      objectFiles: refs.map(r => r.file),
      warnings: violations.warnings(),
      model,
      spec,
      plan,
    };
  }
}

/** The object an object file's YAML holds (the library's own reader, else the `yaml` package). */
function readObjectYaml(text: string): KubeObject {
  return (readEmittedYaml(text) ?? parse(text)) as KubeObject;
}
