import * as fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { generateFleet } from '../../bench/generator';
import { buildExampleFleet } from '../../examples/fleet';
import { canonicalObject, toYaml } from '../../src/synth/emit';
import { synthesizeFleet } from '../../src/synth/pipeline';
import { emitYaml } from '../../src/synth/yaml-emitter';

/** Strings YAML readers like to take for something else, or that need quoting or escaping. */
const TRICKY = [
  '', ' ', '  ', '\t', 'a b', ' leading', 'trailing ', 'x\t', '\ty', 'key: value', 'a:b', 'ends:', ':start', 'a #b', 'a#b', '#comment',
  '-', '--', '---', '--- x', '...', '- item', '-flag', '--input=/var/log', '?', '? x', '?x', '|', '>', '|-', '!tag', '&anchor', '*alias', '%dir', '@at', '`tick',
  '[a]', '{a}', 'a,b', '[', '}', '"', "'", '"quoted"', "'single'", 'it\'s "both"', '\\', 'back\\slash',
  'null', 'Null', 'NULL', '~', 'true', 'True', 'FALSE', 'yes', 'no', 'on', 'off', 'Yes', 'NO', 'y', 'n', 'Y', 'N', '=', '<<',
  '0', '1', '-1', '+1', '007', '0777', '1e3', '1E3', '-1.5e-3', '.5', '5.', '1.0', '1_000', '0x10', '0X10', '0o17', '0b101', '1:20', '190:20:30',
  '.inf', '-.inf', '.Inf', '.nan', '.NaN', 'NaN', 'Infinity', '1.28.9', 'v1.28.9', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '12:30',
  'line\nbreak', 'two\n', 'three\n\n', '\nleading newline', '\n\n', '\n', ' indented\nfirst line', 'a\n  indented', 'a\n\n\nb', 'a\n \nb', 'tab\n\tline',
  'trailing space \nline', 'a\r\nb', 'cr\r', 'nul\u0000', 'bell\u0007', 'del\u007f', 'nel\u0085', 'ls\u2028', 'ps\u2029', 'bom\ufeff', '\ufeffbom',
  'nbsp\u00a0', '\u00a0lead', 'café', '日本語', 'emoji 🚀', 'ünïcödé: x', 'http://example.com/a?b=c#frag', 'registry.internal/app:1.2.3',
  'a'.repeat(1100),
];

const tricky = fc.constantFrom(...TRICKY);
const anyString = fc.oneof(tricky, fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
const key = fc.oneof(tricky, fc.string(), fc.string({ unit: 'grapheme' }));
const scalar = fc.oneof(
  anyString,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter(d => !Object.is(d, -0)),
  fc.boolean(),
  fc.constant(null),
);
const { value: json } = fc.letrec(tie => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
}));

/** The emitter's output read back by the `yaml` parser (strict: errors throw, no duplicate keys). */
function roundTrip(x: unknown): unknown {
  return parse(emitYaml(x), { strict: true, uniqueKeys: true });
}

describe('the YAML emitter round-trips exactly through the yaml parser', () => {
  test('every tricky string, as a value, a key, a list item and a document', () => {
    for (const s of TRICKY) {
      expect(roundTrip({ v: s })).toEqual({ v: s });
      expect(roundTrip({ [s]: 'v' })).toEqual({ [s]: 'v' });
      expect(roundTrip({ list: [s, [s], { k: s }] })).toEqual({ list: [s, [s], { k: s }] });
      expect(roundTrip(s)).toEqual(s);
    }
  });

  test('arbitrary JSON values', () => {
    fc.assert(fc.property(json, x => {
      expect(roundTrip(x)).toEqual(x);
    }), { numRuns: 3000 });
  });

  test('arbitrary strings, nested at any depth', () => {
    fc.assert(fc.property(anyString, fc.integer({ min: 0, max: 4 }), (s, depth) => {
      let x: unknown = s;
      for (let i = 0; i < depth; i++) x = i % 2 === 0 ? { [`k${i}`]: x, z: s } : [x, s];
      expect(roundTrip(x)).toEqual(x);
    }), { numRuns: 3000 });
  });

  test('empty maps and lists, nulls, numbers', () => {
    const x = { a: {}, b: [], c: [{}, [], null, [[]], [{}]], d: null, e: 0, f: -12, g: 0.25, h: 1e21, i: 5e-7, j: true, k: false };
    expect(roundTrip(x)).toEqual(x);
    expect(emitYaml({})).toBe('{}\n');
    expect(emitYaml([])).toBe('[]\n');
  });
});

describe('the YAML emitter writes what the yaml package writes for manifests', () => {
  const manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'feed', namespace: 'feed', labels: { 'app.kubernetes.io/name': 'feed' }, annotations: { 'fleet.cdk8s.io/source': 'fleet/feed' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'feed' } },
      template: {
        metadata: { labels: { app: 'feed' } },
        spec: {
          containers: [{
            name: 'app',
            image: 'registry.internal/feed:1.2.3',
            args: ['--port=8080', '--mode', 'fast'],
            env: [{ name: 'A', value: 'x y' }, { name: 'EMPTY', value: '' }, { name: 'NUM', value: '1e3' }],
            resources: { requests: { cpu: '500m', memory: '1Gi' } },
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
          }],
          tolerations: [],
          nodeSelector: {},
        },
      },
    },
    data: { 'config.yaml': 'server:\n  port: 8080\n', 'script': '#!/bin/sh\necho "hi"' },
  };

  test('byte for byte, for a typical manifest', () => {
    expect(emitYaml(manifest)).toBe(stringify(manifest, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }));
  });

  test('byte for byte, for every object of the example fleet and of a generated fleet, but for the date-like strings it quotes on purpose', () => {
    const example = buildExampleFleet({ outdir: 'unused' }).synthesize();
    const generated = synthesizeFleet(generateFleet({ apps: 30, statefulApps: 3, clusters: 4, seed: 5, outdir: 'unused' }));
    const docs = [...example.objects, ...generated.objects].map(o => canonicalObject(o.object));
    expect(docs.length).toBeGreaterThan(400);
    // the only difference allowed: a date-like string (`2026-11-20.1`) that the emitter double-quotes, so no
    // YAML 1.1 reader takes it for a timestamp, where `yaml` leaves it plain
    const quotedOnPurpose = (own: string, theirs: string) => {
      const m = /^(.*: |\s*- )"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[^"\\]*)"$/.exec(own);
      return m !== null && `${m[1]}${m[2]}` === theirs;
    };
    const differing = docs.filter(d => {
      const own = emitYaml(d).split('\n');
      const theirs = stringify(d, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }).split('\n');
      return own.length !== theirs.length || own.some((line, i) => line !== theirs[i] && !quotedOnPurpose(line, theirs[i]));
    });
    expect(differing).toEqual([]);
    for (const d of docs) expect(parse(emitYaml(d))).toEqual(JSON.parse(JSON.stringify(d)));
  });

  test('toYaml uses it', () => {
    expect(toYaml(manifest)).toBe(emitYaml(manifest));
  });

  test('keeps insertion order and skips undefined values, like JSON', () => {
    expect(emitYaml({ b: 1, a: undefined, c: [undefined] })).toBe('b: 1\nc:\n  - null\n');
  });

  test('quotes what YAML 1.1 readers (kubectl) would not read as a string', () => {
    expect(emitYaml({ a: 'yes', b: 'on', c: '0777', d: '1_000', e: '1:20', f: 'y' })).toBe('a: "yes"\nb: "on"\nc: "0777"\nd: "1_000"\ne: "1:20"\nf: "y"\n');
  });
});
