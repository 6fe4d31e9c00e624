/**
 * The synth pipeline, in one direction:
 * model → resolve → validate → plan → (render → check → emit, cluster by cluster) → check across clusters.
 *
 * Each object is rendered and serialized exactly once, so the cost is linear in
 * the number of objects (unlike cdk8s's per-chart synth, which re-resolves the
 * whole app for every chart).
 */
import { parse } from 'yaml';
import { LOCK_RECORD_FILE, serializeLockRecord } from '../core/lock-record';
import { FleetPlan, FleetSpec } from '../plan';
import { KubeObject, RenderContext, RenderedFile, RenderedObject } from './context';
import { forgetObjectYaml, objectYaml, toYaml } from './emit';
import { AnyLayer, ClusterCheck, ClusterRender } from './layer';
import { FLEET_LAYERS } from './layers';
import { CONTROL_PLANE_DIR } from './layout';
import { SynthOptions } from './options';
import { PreviousOutput } from './previous';
import { OutputSink } from './write';
import { readEmittedYaml } from './yaml-reader';
import { CataloguedViolation, Violation, Violations } from '../core/errors';
import { FleetModel, FleetRoot } from '../core/model';

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
 * @internal
 */
export function synthesizeFleet(fleet: FleetRoot, options: SynthOptions = {}, layers: readonly AnyLayer[] = FLEET_LAYERS): SynthResult {
  const collected: Array<readonly [string, string]> = [];
  const refs: ObjectFile[] = [];
  const run = runSynth(fleet, options, { add: files => { for (const f of files) collected.push(f); } }, layers, refs);
  const files = new Map(collected.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  collected.length = 0;
  refs.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
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
    warnings: run.warnings,
    model: run.model,
    spec: run.spec,
    plan: run.plan,
  };
}

/** What a synth whose files went to a sink returns. @internal */
export interface SynthRun {
  /** Warnings (errors throw). */
  readonly warnings: readonly Violation[];
  /** The files outside every cluster's directory (node-level files, the placement record), by path. */
  readonly fleetFiles: ReadonlyMap<string, string>;
  /** How many files the sink was given. */
  readonly fileCount: number;
  /** The model the synth read. */
  readonly model: FleetModel;
  /** The resolved specs it read, by layer. */
  readonly spec: FleetSpec;
  /** The decisions it made, by layer. */
  readonly plan: FleetPlan;
}

/** An object's file, before its YAML is read back. */
interface ObjectFile {
  readonly file: string;
  readonly cluster: string;
  readonly source: string;
}

/**
 * Synthesizes a fleet and gives its files to `sink` as they are emitted:
 * first the files outside every cluster's directory, then cluster by cluster
 * (each call sorted by path). Throws a FleetValidationError listing every
 * error found; the sink may have been given files by then (the caller
 * discards them: staging).
 *
 * Resolve, validate and plan run fleet-wide. Then the fleet is rendered,
 * checked and emitted cluster by cluster (the hub first): every layer renders
 * the cluster, every layer checks its objects, their YAML goes to the sink
 * and the objects are dropped before the next cluster is rendered; the
 * layers' checks across clusters run last, on what their per-cluster checks
 * kept. Errors are reported as if each stage ran over the whole fleet before
 * the next: an error of the render stage is thrown with the render stage's
 * violations only, one of the check stage with those of render and check, one
 * of the emit stage (a file written twice) with all.
 * @internal
 */
export function runSynth(fleet: FleetRoot, options: SynthOptions, sink: OutputSink, layers: readonly AnyLayer[] = FLEET_LAYERS,
  objectFiles?: ObjectFile[]): SynthRun {
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
  const previous = options.previousOutdir !== undefined ? new PreviousOutput(options.previousOutdir) : undefined;
  for (const layer of layers) {
    const c = layer.check?.(model, spec, plan, checkViolations, previous);
    if (c) checks.push(c);
  }
  // the lock record: every layer's section, in the layers' order, as one file outside every cluster
  const sections = ctx.lockSections;
  if (sections.length > 0) ctx.addFile(LOCK_RECORD_FILE, serializeLockRecord(sections.map(s => [s.name, s.value])), sections[0].source);
  const emitViolations = new Violations();
  const clusterNames = new Set(spec.clusters.clusters.map(c => c.name));
  const fleetUnit = ctx.begin(undefined).files;
  for (const f of fleetUnit) {
    if (clusterNames.has(f.file.split('/')[0])) throw new Error(`the file ${f.file} is rendered outside its cluster`);
  }
  const fleetFiles = new Map(emitUnit(undefined, [], fleetUnit, emitViolations));
  sink.add([...fleetFiles]);
  let fileCount = fleetFiles.size;
  try {
    for (const name of clusterNames) {
      forgetObjectYaml();
      ctx.begin(name);
      for (const r of renders) r(name);
      const { objects, files } = ctx.begin(undefined);
      // once an error is recorded the synth throws: what is left is only looked at for more errors of the same stage
      if (violations.hasErrors) continue;
      for (const c of checks) c.cluster?.(name, objects);
      if (checkViolations.hasErrors) continue;
      const emitted = emitUnit(name, objects, files, emitViolations);
      if (emitViolations.hasErrors) continue;
      sink.add(emitted, previous);
      previous?.clear();
      fileCount += emitted.length;
      if (objectFiles) for (const o of objects) objectFiles.push({ file: o.file, cluster: o.cluster, source: o.source });
    }
  } finally {
    forgetObjectYaml();
  }
  violations.throwIfErrors();
  for (const c of checks) c.fleet?.();
  for (const v of checkViolations.all()) violations.add(v as CataloguedViolation);
  violations.throwIfErrors();
  for (const v of emitViolations.all()) violations.add(v as CataloguedViolation);
  violations.throwIfErrors();
  return { warnings: violations.warnings(), fleetFiles, fileCount, model, spec, plan };
}

/** One file of the output, before the files are put in order. */
interface OutputFile {
  readonly path: string;
  readonly content: string;
  /** Construct path of what produced it. */
  readonly source: string;
}

/**
 * Emits one unit: a cluster's objects and files with its kustomization, or
 * (no cluster) the files outside every cluster; returns its files sorted by
 * path, each path once (a second producer is reported). A cluster's files are
 * all below its directory, so no path of two units is the same.
 */
function emitUnit(cluster: string | undefined, objects: readonly RenderedObject[], files: readonly RenderedFile[],
  violations: Violations): Array<readonly [string, string]> {
  const out: OutputFile[] = [];
  const resources: string[] = [];
  for (const o of objects) {
    out.push({ path: o.file, content: objectYaml(o.object), source: o.source });
    const resource = o.file.slice(o.cluster.length + 1);
    if (!resource.startsWith(`${CONTROL_PLANE_DIR}/`)) resources.push(resource);
  }
  for (const f of files) {
    out.push({ path: f.file, content: typeof f.content === 'string' ? f.content : toYaml(f.content), source: f.source });
  }
  if (cluster !== undefined && objects.length > 0) {
    out.push({
      path: `${cluster}/kustomization.yaml`,
      content: toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: resources.sort() }),
      source: cluster,
    });
  }
  // one sort puts files and objects in path order; the sort is stable, so of
  // two producers of one path the first one added comes first and keeps it
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const emitted: Array<readonly [string, string]> = [];
  let owner: OutputFile | undefined;
  for (const f of out) {
    if (owner?.path === f.path) {
      violations.error(f.source, 'output.duplicate-file', `output file ${f.path} is also written by ${owner.source}`, 'give one of the two constructs another name');
      continue;
    }
    owner = f;
    emitted.push([f.path, f.content]);
  }
  return emitted;
}

/** The object an object file's YAML holds (the library's own reader, else the `yaml` package). */
function readObjectYaml(text: string): KubeObject {
  return (readEmittedYaml(text) ?? parse(text)) as KubeObject;
}
