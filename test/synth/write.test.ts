import * as fs from 'fs';
import * as path from 'path';
import { OUTPUT_MARKER } from '../../src';
import { writeOutputAtomically } from '../../src/synth/write';
import { readTree, tmpOutdir } from '../support/fleet';

describe('atomic output', () => {
  test('replaces the whole tree: files of objects that no longer exist are removed', () => {
    const out = tmpOutdir();
    writeOutputAtomically(out, new Map([['a/x.yaml', 'x: 1\n'], ['a/y.yaml', 'y: 1\n']]));
    writeOutputAtomically(out, new Map([['a/x.yaml', 'x: 2\n']]));
    expect(readTree(out)).toEqual(new Map([['a/x.yaml', 'x: 2\n'], [OUTPUT_MARKER, expect.any(String)]]));
    // no staging or previous directories are left beside it
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
  });

  test('refuses to replace a non-empty directory it did not write', () => {
    const out = tmpOutdir();
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'precious.txt'), 'keep me');
    expect(() => writeOutputAtomically(out, new Map([['a.yaml', 'a: 1\n']]))).toThrow(/not written by cdk8s-fleet/);
    expect(fs.readFileSync(path.join(out, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  test('a write that fails half-way leaves the previous output intact', () => {
    const out = tmpOutdir();
    writeOutputAtomically(out, new Map([['a/x.yaml', 'x: 1\n']]));
    const before = readTree(out);
    expect(() => writeOutputAtomically(out, new Map([['a/ok.yaml', 'ok\n'], ['../escape.yaml', 'no\n']]))).toThrow(/outside the output directory/);
    expect(readTree(out)).toEqual(before);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
  });

  describe('with two threads (large trees)', () => {
    const tree = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`c${i % 3}/namespaces/ns${i % 7}/obj-${String(i).padStart(3, '0')}.yaml`, `i: ${i} # ${'äé—😀'.repeat(i % 3)}\n`] as [string, string])
      .sort(([a], [b]) => (a < b ? -1 : 1)));

    test('writes exactly the tree one thread writes', () => {
      const files = tree(200);
      const one = tmpOutdir();
      const two = tmpOutdir();
      writeOutputAtomically(one, files);
      writeOutputAtomically(two, files, { parallelFrom: 1 });
      expect(readTree(two)).toEqual(readTree(one));
      expect(readTree(two).size).toBe(201);
    });

    test('replaces a large previous output, removed by both threads', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, tree(300), { parallelFrom: 1 });
      const next = new Map([...tree(120)].map(([p, c]) => [p.replace('namespaces', 'ns'), c] as [string, string]));
      writeOutputAtomically(out, next, { parallelFrom: 1 });
      expect(readTree(out)).toEqual(new Map([...next, [OUTPUT_MARKER, expect.any(String)]]));
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
    });

    test.each([
      ['the helper thread', 0],
      ['the main thread', 1],
    ])('a failure in %s\'s half leaves the previous output intact and nothing beside it', (_, half) => {
      const out = tmpOutdir();
      writeOutputAtomically(out, new Map([['a/x.yaml', 'x: 1\n']]));
      const before = readTree(out);
      const files = [...tree(100)];
      // a file where the same half needs a directory: the first half is the helper's, the second the main thread's
      const at = half === 0 ? 10 : 90;
      const clash = files[at][0];
      files.splice(at + 1, 0, [`${clash}/below.yaml`, 'no\n']);
      expect(() => writeOutputAtomically(out, new Map(files), { parallelFrom: 1 })).toThrow(half === 0 ? /writing the output failed: .*E(EXIST|NOTDIR)/ : /E(EXIST|NOTDIR)/);
      expect(readTree(out)).toEqual(before);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
    });
  });
});
