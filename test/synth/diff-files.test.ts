import * as fc from 'fast-check';
import { diffOutputFiles, diffOutputs } from '../../src/synth/diff';
import { canonicalObject, toYaml } from '../../src/synth/emit';
import { objectFilePath } from '../../src/synth/layout';
import { parseOutputTree } from '../../src/synth/read';

jest.mock('yaml', () => {
  const actual = jest.requireActual('yaml');
  return { ...actual, parseAllDocuments: jest.fn(actual.parseAllDocuments) };
});
jest.mock('../../src/synth/yaml-reader', () => {
  const actual = jest.requireActual('../../src/synth/yaml-reader');
  return { ...actual, readEmittedYaml: jest.fn(actual.readEmittedYaml) };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yamlParsed = require('yaml').parseAllDocuments as jest.Mock;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ownParsed = require('../../src/synth/yaml-reader').readEmittedYaml as jest.Mock;
/** Files parsed by either reader. */
const parsed = {
  count: () => yamlParsed.mock.calls.length + ownParsed.mock.calls.length,
  clear: () => {
    yamlParsed.mockClear();
    ownParsed.mockClear();
  },
};

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: unknown };

function files(objects: Array<{ cluster: string; obj: Obj }>, extra: Record<string, string> = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const { cluster, obj } of objects) {
    const md = obj.metadata;
    const file = objectFilePath(cluster, { apiVersion: obj.apiVersion, kind: obj.kind, namespace: md.namespace, name: md.name });
    out.set(file, toYaml(canonicalObject(obj as never)));
  }
  for (const [f, c] of Object.entries(extra)) out.set(f, c);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const deploy = (name: string, replicas: number, image = 'r/app:1'): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ns' },
  spec: { replicas, template: { spec: { containers: [{ name: 'app', image }] } } },
});

describe('diff of two outputs by their files: bytes first, then only what differs is parsed', () => {
  beforeEach(() => parsed.clear());

  test('identical outputs parse nothing', () => {
    const a = files([{ cluster: 'a', obj: deploy('web', 2) }, { cluster: 'b', obj: deploy('api', 1) }], { 'a/kustomization.yaml': 'resources: []\n' });
    const d = diffOutputFiles(a, new Map(a));
    expect(d.identical).toBe(true);
    expect(d.clusters).toEqual([]);
    expect(parsed.count()).toBe(0);
  });

  test('one changed object: only its file is parsed, on both sides; the result is that of the full diff', () => {
    const objects = Array.from({ length: 20 }, (_, i) => ({ cluster: `c${i % 2}`, obj: deploy(`app-${i}`, 1) }));
    const before = files(objects, { 'node-profiles/p/kubelet-config.yaml': 'x: 1\n' });
    const after = files(objects.map((o, i) => (i === 7 ? { ...o, obj: deploy('app-7', 3) } : o)), { 'node-profiles/p/kubelet-config.yaml': 'x: 1\n' });
    const d = diffOutputFiles(before, after);
    expect(parsed.count()).toBe(2);
    // what the library wrote is read by its own reader
    expect(yamlParsed).not.toHaveBeenCalled();
    expect(d).toEqual(diffOutputs(parseOutputTree(before), parseOutputTree(after)));
    expect(d.clusters).toEqual([expect.objectContaining({ cluster: 'c1', changed: [expect.objectContaining({ name: 'app-7', fields: ['spec.replicas'] })] })]);
  });

  test('the same result as the full diff, for any change of objects and files', () => {
    const obj = fc.record({ cluster: fc.constantFrom('a', 'b'), name: fc.constantFrom('x', 'y', 'z'), replicas: fc.integer({ min: 0, max: 3 }) });
    const side = fc.record({ objects: fc.array(obj, { maxLength: 6 }), extra: fc.dictionary(fc.constantFrom('node-profiles/p/k.yaml', 'a/kustomization.yaml'), fc.constantFrom('x: 1\n', 'x: 2\n')) });
    fc.assert(fc.property(side, side, (x, y) => {
      const build = (s: typeof x) => files(s.objects.map(o => ({ cluster: o.cluster, obj: deploy(o.name, o.replicas) })), s.extra);
      const before = build(x);
      const after = build(y);
      expect(diffOutputFiles(before, after)).toEqual(diffOutputs(parseOutputTree(before), parseOutputTree(after)));
    }));
  });
  test('static pods: every control-plane host runs its own kube-apiserver, and each host\'s is diffed on its own', () => {
    const pod = (image: string): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-apiserver', namespace: 'kube-system' }, spec: { containers: [{ name: 'kube-apiserver', image }] } });
    const hosts = (images: string[]) => new Map(images.map((image, i) => [`hub/control-plane/static-pods/apiserver-${i + 1}/kube-apiserver.yaml`, toYaml(canonicalObject(pod(image) as never))]));
    const before = hosts(['k:1.28.9', 'k:1.28.9', 'k:1.28.9']);
    // the three are three objects, not one
    expect(parseOutputTree(before).objects.size).toBe(3);
    const d = diffOutputFiles(before, hosts(['k:1.29.4', 'k:1.29.4', 'k:1.28.9']));
    expect(d.clusters).toEqual([{
      cluster: 'hub',
      added: [],
      removed: [],
      changed: [1, 2].map(i => expect.objectContaining({ name: 'kube-apiserver', file: `hub/control-plane/static-pods/apiserver-${i}/kube-apiserver.yaml`, fields: ['spec.containers[name=kube-apiserver].image'] })),
    }]);
    // a host taken out is one object removed, the others unchanged
    const two = hosts(['k:1.28.9', 'k:1.28.9']);
    expect(diffOutputFiles(before, two).clusters).toEqual([{ cluster: 'hub', added: [], changed: [], removed: [expect.objectContaining({ file: 'hub/control-plane/static-pods/apiserver-3/kube-apiserver.yaml' })] }]);
    expect(diffOutputFiles(before, two)).toEqual(diffOutputs(parseOutputTree(before), parseOutputTree(two)));
  });
});
