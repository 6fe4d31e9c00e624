/**
 * The render and check stages work cluster by cluster: the contract a layer
 * implements (one renderer and one check per cluster, the hub first, checks
 * across clusters last), what the synth keeps (each file's YAML, objects read
 * back from it), and that a failure found in a later cluster still leaves the
 * output untouched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Cluster, FleetValidationError } from '../../src';
import { KubeObject, RenderedObject } from '../../src/synth/context';
import { AnyLayer } from '../../src/synth/layer';
import { FLEET_LAYERS } from '../../src/synth/layers';
import { synthesizeFleet } from '../../src/synth/pipeline';
import { namespace } from '../guardrails/support';
import { backedUp, readTree, smallFleet } from '../support/fleet';

function threeClusters() {
  const f = smallFleet();
  const prod2 = new Cluster(f.fleet, 'prod-2', { region: 'lva1' });
  prod2.addPool('general', { nodeProfile: f.general, capacity: 40 });
  namespace(f.cluster, 'scratch');
  namespace(prod2, 'search');
  return { ...backedUp(f), prod2 };
}

describe('render and check, cluster by cluster', () => {
  test('each cluster is rendered by every layer and checked with its own objects only, the hub first; the checks across clusters run last', () => {
    const calls: string[] = [];
    const seen = new Map<string, readonly RenderedObject[]>();
    const recorder: AnyLayer = {
      name: 'recorder',
      render(ctx) {
        calls.push('render');
        return cluster => {
          calls.push(`render ${cluster} (${ctx.objects.length > 0 ? 'after the layers below' : 'first'})`);
        };
      },
      check() {
        calls.push('check');
        return {
          cluster: (cluster, objects) => {
            calls.push(`check ${cluster}`);
            seen.set(cluster, [...objects]);
          },
          fleet: () => calls.push('check across clusters'),
        };
      },
    };
    const result = synthesizeFleet(threeClusters().fleet, {}, [...FLEET_LAYERS, recorder]);
    expect(calls).toEqual([
      'render', 'check',
      'render hub (after the layers below)', 'check hub',
      'render prod-1 (after the layers below)', 'check prod-1',
      'render prod-2 (after the layers below)', 'check prod-2',
      'check across clusters',
    ]);
    for (const [cluster, objects] of seen) {
      expect(new Set(objects.map(o => o.cluster))).toEqual(new Set([cluster]));
      // every object of the cluster, of every layer: exactly the cluster's object files
      const files = result.objects.filter(o => o.cluster === cluster).map(o => o.file);
      expect(objects.map(o => o.file).sort()).toEqual(files);
    }
  });

  test('a renderer adds objects only to the cluster it renders, and no objects outside a cluster', () => {
    const intruder = (target: 'other' | 'none'): AnyLayer => ({
      name: 'intruder',
      render(ctx) {
        const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } };
        if (target === 'none') ctx.add('prod-1', object, ctx.model.fleet);
        return cluster => {
          if (cluster === 'hub') ctx.add('prod-1', object, ctx.model.fleet);
        };
      },
    });
    expect(() => synthesizeFleet(threeClusters().fleet, {}, [...FLEET_LAYERS, intruder('other')]))
      .toThrow("an object of cluster 'prod-1' (ConfigMap x) is rendered while cluster 'hub' is");
    expect(() => synthesizeFleet(threeClusters().fleet, {}, [...FLEET_LAYERS, intruder('none')]))
      .toThrow("an object of cluster 'prod-1' (ConfigMap x) is rendered while no cluster is");
  });

  test('the result keeps each file\'s YAML; its objects are read back from it, as the rendered objects', () => {
    const f = threeClusters();
    const result = f.fleet.synthesize();
    expect(result.objects.map(o => o.file)).toEqual(result.objectFiles);
    for (const o of result.objects) {
      expect(o.yaml).toBe(result.files.get(o.file));
      expect(o.file.startsWith(`${o.cluster}/`)).toBe(true);
    }
    const ns = result.objects.find(o => o.file === 'prod-2/cluster/namespace-search.yaml')!;
    expect(ns.object).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'search' } });
    expect(ns.source).toBe('prod-2/ns-search');
    // read once, then kept
    expect(result.objects).toBe(result.objects);
    // the streamed write of synth() gives the same files
    f.fleet.synth();
    const written = readTree(f.fleet.fleetOutdir);
    written.delete('.cdk8s-fleet');
    expect(written).toEqual(new Map(result.files));
  });

  test('an error found in the last cluster: nothing reaches the output, no staging tree is left beside it', () => {
    const f = threeClusters();
    f.fleet.synth();
    const before = readTree(f.fleet.fleetOutdir);
    // the same fleet, changed, with one object twice in prod-2: the hub and prod-1 were streamed to the staging tree by then
    const g = threeClusters();
    Object.defineProperty(g.fleet, 'fleetOutdir', { value: f.fleet.fleetOutdir });
    namespace(g.cluster, 'scratch-2');
    new ApiObject(g.prod2, 'twice', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'twice', namespace: 'search' } });
    new ApiObject(g.prod2, 'twice-again', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'twice', namespace: 'search' } });
    let error: unknown;
    try {
      g.fleet.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetValidationError);
    expect((error as FleetValidationError).errors.map(v => [v.rule, v.path])).toEqual([['output.duplicate-object', 'prod-2/twice-again']]);
    expect(readTree(f.fleet.fleetOutdir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(f.fleet.fleetOutdir))).toEqual([path.basename(f.fleet.fleetOutdir)]);
  });
});
