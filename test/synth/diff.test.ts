import * as fc from 'fast-check';
import { changedFields, diffCounts, diffOutputs } from '../../src/synth/diff';
import { canonicalObject, toYaml } from '../../src/synth/emit';
import { objectFilePath } from '../../src/synth/layout';
import { parseOutputTree } from '../../src/synth/read';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: unknown };

function tree(objects: Array<{ cluster: string; obj: Obj; file?: string }>, extra: Record<string, string> = {}) {
  const files = new Map<string, string>();
  for (const { cluster, obj, file } of objects) {
    const md = obj.metadata;
    const f = file ?? objectFilePath(cluster, { apiVersion: obj.apiVersion, kind: obj.kind, namespace: md.namespace, name: md.name });
    files.set(f, toYaml(canonicalObject(obj as never)));
  }
  for (const [f, c] of Object.entries(extra)) files.set(f, c);
  return parseOutputTree(files);
}

const deploy = (name: string, replicas: number, image = 'r/app:1'): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ns' },
  spec: { replicas, template: { spec: { containers: [{ name: 'app', image }, { name: 'sidecar', image: 'r/s:1' }] } } },
});

describe('object-level diff', () => {
  test('added, removed and changed objects per cluster with field paths; files by path', () => {
    const before = tree([{ cluster: 'a', obj: deploy('web', 2) }, { cluster: 'a', obj: deploy('old', 1) }], { 'node-profiles/p/kubelet-config.yaml': 'x: 1\n' });
    const after = tree([{ cluster: 'a', obj: deploy('web', 3, 'r/app:2') }, { cluster: 'b', obj: deploy('new', 1) }], { 'node-profiles/p/kubelet-config.yaml': 'x: 2\n' });
    const d = diffOutputs(before, after);
    expect(d.clusters.map(c => c.cluster)).toEqual(['a', 'b']);
    expect(d.clusters[0].changed).toEqual([expect.objectContaining({ name: 'web', fields: ['spec.replicas', 'spec.template.spec.containers[name=app].image'] })]);
    expect(d.clusters[0].removed.map(o => o.name)).toEqual(['old']);
    expect(d.clusters[1].added.map(o => o.name)).toEqual(['new']);
    expect(d.files).toEqual({ added: [], removed: [], changed: ['node-profiles/p/kubelet-config.yaml'] });
    expect(diffCounts(d)).toEqual({ added: 1, removed: 1, changed: 1, files: 1 });
    expect(d.identical).toBe(false);
  });

  test('the same object under another API version of the same group is a change, not add + remove', () => {
    const v1 = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    const v2 = { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w' } };
    const d = diffOutputs(tree([{ cluster: 'a', obj: v1 }]), tree([{ cluster: 'a', obj: v2 }]));
    expect(d.clusters[0].changed.map(o => o.fields)).toEqual([['apiVersion']]);
  });

  test('field paths: named lists by name, other lists by index, odd keys quoted', () => {
    expect(changedFields({ a: [1, 2] }, { a: [1, 3, 4] })).toEqual(['a[1]', 'a[2]']);
    expect(changedFields({ l: [{ name: 'x', v: 1 }] }, { l: [{ name: 'y', v: 1 }] })).toEqual(['l[name=y]', 'l[name=x]']);
    expect(changedFields({ m: { 'a/b': 1 } }, { m: { 'a/b': 2 } })).toEqual(['m."a/b"']);
    expect(changedFields(1, 2)).toEqual(['(root)']);
  });

  test('property: an output is identical to itself; changing one field reports exactly that object', () => {
    const objs = fc.uniqueArray(
      fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), replicas: fc.nat(100), cluster: fc.constantFrom('a', 'b', 'c') }),
      { selector: o => `${o.cluster}/${o.name}`, minLength: 1, maxLength: 20 },
    );
    fc.assert(fc.property(objs, fc.nat(), (list, pick) => {
      const before = tree(list.map(o => ({ cluster: o.cluster, obj: deploy(o.name, o.replicas) })));
      expect(diffOutputs(before, before).identical).toBe(true);
      expect(diffOutputs(before, before).clusters).toEqual([]);
      const i = pick % list.length;
      const after = tree(list.map((o, j) => ({ cluster: o.cluster, obj: deploy(o.name, j === i ? o.replicas + 1 : o.replicas) })));
      const d = diffOutputs(before, after);
      expect(d.identical).toBe(false);
      expect(d.clusters.map(c => [c.cluster, c.changed.map(o => [o.name, o.fields])])).toEqual([[list[i].cluster, [[list[i].name, ['spec.replicas']]]]]);
    }));
  });
});
