/**
 * The synth pipeline, in one direction:
 * model → validate → plan → render → check → emit.
 *
 * Each object is rendered and serialized exactly once, so the cost is linear in
 * the number of objects (unlike cdk8s's per-chart synth, which re-resolves the
 * whole app for every chart).
 */
import { Violation, Violations } from '../core/errors';
import type { Fleet, SynthOptions } from '../fleet';
import { FleetModel } from '../model';
import { FleetPlan } from '../plan';
import { RenderContext, RenderedObject } from './context';
import { canonicalObject, toYaml } from './emit';
import { Layer } from './layer';
import { FLEET_LAYERS } from './layers';
import { CONTROL_PLANE_DIR } from './layout';

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
  /** The model the synth read. */
  readonly model: FleetModel;
  /** The decisions it made. */
  readonly plan: FleetPlan;
}

/**
 * Synthesizes a fleet in memory. Throws a FleetValidationError listing every
 * error found; nothing is written by this function.
 */
export function synthesizeFleet(fleet: Fleet, options: SynthOptions = {}, layers: readonly Layer[] = FLEET_LAYERS): SynthResult {
  const model = new FleetModel(fleet, options);
  const violations = new Violations();

  for (const layer of layers) layer.validate?.(model, violations);
  violations.throwIfErrors();

  const plan = new FleetPlan();
  for (const layer of layers) layer.plan?.(model, plan, violations);
  violations.throwIfErrors();

  const ctx = new RenderContext(model, plan, violations);
  for (const layer of layers) layer.render?.(ctx);
  violations.throwIfErrors();

  for (const layer of layers) layer.check?.(ctx.objects, model, plan, violations);
  violations.throwIfErrors();

  return emit(ctx, violations);
}

function emit(ctx: RenderContext, violations: Violations): SynthResult {
  const files = new Map<string, string>();
  const owners = new Map<string, string>();
  const claim = (file: string, source: string, content: string) => {
    const owner = owners.get(file);
    if (owner !== undefined) {
      violations.error(source, 'output.duplicate-file', `output file ${file} is also written by ${owner}`, 'give one of the two constructs another name');
      return;
    }
    owners.set(file, source);
    files.set(file, content);
  };

  const objects: EmittedObject[] = [];
  const byCluster = new Map<string, string[]>();
  for (const o of ctx.objects) {
    const yaml = toYaml(canonicalObject(o.object));
    claim(o.file, o.source, yaml);
    objects.push({ ...o, yaml });
    const list = byCluster.get(o.cluster) ?? [];
    list.push(o.file.slice(o.cluster.length + 1));
    byCluster.set(o.cluster, list);
  }
  for (const f of ctx.files) {
    claim(f.file, f.source, typeof f.content === 'string' ? f.content : toYaml(f.content));
  }
  for (const [cluster, resources] of byCluster) {
    const applied = resources.filter(r => !r.startsWith(`${CONTROL_PLANE_DIR}/`)).sort();
    claim(`${cluster}/kustomization.yaml`, cluster, toYaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: applied,
    }));
  }
  violations.throwIfErrors();

  const sortedFiles = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  objects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files: sortedFiles, objects, warnings: violations.warnings(), model: ctx.model, plan: ctx.plan };
}
