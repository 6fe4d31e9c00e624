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
});
