import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { OUTPUT_MARKER } from '../../src/synth/layout';
import { OutputWriteError, markerText, recoverOutput } from '../../src/synth/output-dir';
import { writeDifferences, writeOutputAtomically } from '../../src/synth/write';
import { deadPid, interruptSwap, readTree, tmpOutdir } from '../support/fleet';

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

  describe('only changed files are written', () => {
    const ino = (out: string, rel: string) => fs.statSync(path.join(out, rel)).ino;

    test('a file whose bytes do not change keeps its inode and modification time; changed ones are new; vanished ones go', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, new Map([['a/same.yaml', 'same: 1\n'], ['a/changed.yaml', 'v: 1\n'], ['b/gone.yaml', 'g: 1\n']]));
      fs.utimesSync(path.join(out, 'a', 'same.yaml'), 1_000_000, 1_000_000);
      const sameIno = ino(out, 'a/same.yaml');
      const changedIno = ino(out, 'a/changed.yaml');
      writeOutputAtomically(out, new Map([['a/same.yaml', 'same: 1\n'], ['a/changed.yaml', 'v: 2\n'], ['c/new.yaml', 'n: 1\n']]));
      expect(readTree(out)).toEqual(new Map([['a/changed.yaml', 'v: 2\n'], ['a/same.yaml', 'same: 1\n'], ['c/new.yaml', 'n: 1\n'], [OUTPUT_MARKER, expect.any(String)]]));
      expect(ino(out, 'a/same.yaml')).toBe(sameIno);
      expect(fs.statSync(path.join(out, 'a', 'same.yaml')).mtimeMs).toBe(1_000_000_000);
      expect(fs.statSync(path.join(out, 'a', 'same.yaml')).nlink).toBe(1);
      expect(ino(out, 'a/changed.yaml')).not.toBe(changedIno);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
    });

    test('a write that fails after linking unchanged files leaves the previous output as it was', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, new Map([['a/same.yaml', 'same: 1\n'], ['a/x.yaml', 'x: 1\n']]));
      const before = readTree(out);
      const sameIno = ino(out, 'a/same.yaml');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const realFs = require('fs') as typeof fs;
      const write = realFs.writeFileSync;
      const spy = jest.spyOn(realFs, 'writeFileSync').mockImplementation((f, ...rest) => {
        if (String(f).endsWith('x.yaml')) throw Object.assign(new Error('ENOSPC: injected'), { code: 'ENOSPC', path: String(f) });
        return write(f, ...rest);
      });
      try {
        expect(() => writeOutputAtomically(out, new Map([['a/same.yaml', 'same: 1\n'], ['a/x.yaml', 'x: 2\n']]))).toThrow(/no space left on device \(ENOSPC/);
      } finally {
        spy.mockRestore();
      }
      expect(readTree(out)).toEqual(before);
      expect(ino(out, 'a/same.yaml')).toBe(sameIno);
      expect(fs.statSync(path.join(out, 'a', 'same.yaml')).nlink).toBe(1);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
    });

    test('where the file system cannot link, the files are written', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, new Map([['a/same.yaml', 'same: 1\n'], ['a/other.yaml', 'o: 1\n']]));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const realFs = require('fs') as typeof fs;
      const spy = jest.spyOn(realFs, 'linkSync').mockImplementation(() => {
        throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
      });
      try {
        writeOutputAtomically(out, new Map([['a/same.yaml', 'same: 1\n'], ['a/other.yaml', 'o: 1\n']]));
      } finally {
        spy.mockRestore();
      }
      expect(readTree(out)).toEqual(new Map([['a/other.yaml', 'o: 1\n'], ['a/same.yaml', 'same: 1\n'], [OUTPUT_MARKER, expect.any(String)]]));
    });

    test('with two threads: unchanged files linked, the rest written by both', () => {
      const files = new Map(Array.from({ length: 300 }, (_, i) => [`c${i % 3}/f-${String(i).padStart(3, '0')}.yaml`, `i: ${i}\n`] as [string, string])
        .sort(([a], [b]) => (a < b ? -1 : 1)));
      const out = tmpOutdir();
      writeOutputAtomically(out, files, { parallelFrom: 1 });
      const keep = ino(out, 'c0/f-000.yaml');
      const next = new Map([...files].map(([p, c], i) => [p, i % 2 === 0 ? c : `${c}changed: true\n`] as [string, string]));
      writeOutputAtomically(out, next, { parallelFrom: 1 });
      expect(readTree(out)).toEqual(new Map([...next, [OUTPUT_MARKER, expect.any(String)]]));
      expect(ino(out, 'c0/f-000.yaml')).toBe(keep);
    });
  });

  test('a check writes only the files whose bytes differ, and lists every differing path (added, changed, removed)', () => {
    const out = tmpOutdir();
    writeOutputAtomically(out, new Map([['a/same.yaml', 's\n'], ['a/changed.yaml', 'v: 1\n'], ['b/gone.yaml', 'g\n']]));
    const before = readTree(out);
    const fresh = path.join(tmpOutdir(), 'fresh');
    const differing = writeDifferences(out, fresh, new Map([['a/same.yaml', 's\n'], ['a/changed.yaml', 'v: 2\n'], ['c/new.yaml', 'n\n']]));
    expect(differing).toEqual(['a/changed.yaml', 'b/gone.yaml', 'c/new.yaml']);
    expect(readTree(fresh)).toEqual(new Map([['a/changed.yaml', 'v: 2\n'], ['c/new.yaml', 'n\n']]));
    expect(readTree(out)).toEqual(before);
    // nothing to compare with: everything differs
    const none = path.join(tmpOutdir(), 'none');
    expect(writeDifferences(path.join(path.dirname(none), 'missing'), none, new Map([['x.yaml', 'x\n']]))).toEqual(['x.yaml']);
    // unchanged: nothing written
    const same = path.join(tmpOutdir(), 'same');
    expect(writeDifferences(out, same, new Map([['a/same.yaml', 's\n'], ['a/changed.yaml', 'v: 1\n'], ['b/gone.yaml', 'g\n']]))).toEqual([]);
    expect(readTree(same).size).toBe(0);
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
      expect(() => writeOutputAtomically(out, new Map(files), { parallelFrom: 1 })).toThrow(/^cannot write output directory .*dist: .* \(E(EXIST|NOTDIR) at c\d\/namespaces\/ns\d\/obj-\d+\.yaml(\/below\.yaml)?\)$/);
      expect(readTree(out)).toEqual(before);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
    });
  });
});

/** The module object `write.ts` reads `fs` from, for injecting failures. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const realFs = require('fs') as typeof fs;

function errnoError(code: string, syscall: string, at: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${syscall} '${at}'`), { code, syscall, path: at });
}

const A = new Map([['prod-1/cluster/namespace-a.yaml', 'a: 1\n'], ['prod-1/kustomization.yaml', 'k: a\n'], ['placements.lock.json', '{}\n']]);
const B = new Map([['prod-1/cluster/namespace-b.yaml', 'b: 1\n'], ['prod-1/kustomization.yaml', 'k: b\n'], ['placements.lock.json', '{}\n']]);
const withMarker = (files: Map<string, string>) => new Map([...files, [OUTPUT_MARKER, markerText(files.keys())]]);

describe('a write that survives faults', () => {
  describe('after a killed synth', () => {
    test('stray staging, previous and CLI directories of a dead process are removed by the next synth; a running process\'s are left alone', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, A);
      const parent = path.dirname(out);
      const dead = deadPid();
      for (const name of [`.dist.staging-${dead}-0a0a0a0a`, `.dist.previous-${dead}-0b0b0b0b`, `.dist.synth-${dead}-0c0c0c0c`]) {
        fs.mkdirSync(path.join(parent, name, 'prod-1'), { recursive: true });
        fs.writeFileSync(path.join(parent, name, 'prod-1', 'half.yaml'), 'x');
      }
      const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      try {
        const running = `.dist.staging-${live.pid}-0d0d0d0d`;
        fs.mkdirSync(path.join(parent, running));
        // names that only look alike are not the synth's
        fs.mkdirSync(path.join(parent, '.dist.staging-backup'));
        writeOutputAtomically(out, B);
        expect(fs.readdirSync(parent).sort()).toEqual(['.dist.staging-backup', running, 'dist'].sort());
        expect(readTree(out)).toEqual(withMarker(B));
      } finally {
        live.kill('SIGKILL');
      }
    });

    test('killed between the two renames of the swap (no output directory): the next start completes the swap with the complete new tree', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, A);
      const parent = path.dirname(out);
      const { previous } = interruptSwap(out, '1a2b3c4d', withMarker(B));
      expect(recoverOutput(out)).toEqual({ output: 'completed', removed: [previous] });
      expect(readTree(out)).toEqual(withMarker(B));
      expect(fs.readdirSync(parent)).toEqual(['dist']);
    });

    test('killed between the two renames with no complete new tree: the previous output is restored, then the synth writes', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, A);
      const parent = path.dirname(out);
      // a staging directory without its marker is incomplete
      interruptSwap(out, '5e6f7a8b');
      expect(recoverOutput(out).output).toBe('restored');
      expect(readTree(out)).toEqual(withMarker(A));
      expect(fs.readdirSync(parent)).toEqual(['dist']);
      // and the same state repaired by a synth, which then writes its own tree
      interruptSwap(out, '5e6f7a8b');
      writeOutputAtomically(out, B);
      expect(readTree(out)).toEqual(withMarker(B));
      expect(fs.readdirSync(parent)).toEqual(['dist']);
    });
  });

  describe('a symbolically linked output directory', () => {
    test('is updated through the link: the link stays, its target gets the new tree, scratch directories sit beside the target', () => {
      const root = path.dirname(tmpOutdir());
      const shared = path.join(root, 'shared', 'fleet-out');
      const checkout = path.join(root, 'checkout');
      fs.mkdirSync(checkout);
      writeOutputAtomically(shared, A);
      fs.symlinkSync(path.relative(checkout, shared), path.join(checkout, 'dist'));
      writeOutputAtomically(path.join(checkout, 'dist'), B);
      expect(fs.lstatSync(path.join(checkout, 'dist')).isSymbolicLink()).toBe(true);
      expect(readTree(shared)).toEqual(withMarker(B));
      expect(readTree(path.join(checkout, 'dist'))).toEqual(withMarker(B));
      expect(fs.readdirSync(path.dirname(shared))).toEqual(['fleet-out']);
      expect(fs.readdirSync(checkout)).toEqual(['dist']);
    });

    test('a dangling link: one line naming the link and its missing target, nothing created', () => {
      const root = path.dirname(tmpOutdir());
      const link = path.join(root, 'dist');
      fs.symlinkSync(path.join(root, 'gone', 'out'), link);
      expect(() => writeOutputAtomically(link, A)).toThrow(new OutputWriteError(path.join(root, 'gone', 'out'), 'DANGLING_LINK',
        `cannot write output directory ${link}: it is a symbolic link to ${path.join(root, 'gone', 'out')}, which does not exist; `
        + 'create that directory (the output is written into it) or remove the link'));
      expect(fs.readdirSync(root)).toEqual(['dist']);
    });
  });

  describe('files the synth did not write', () => {
    test('NOTES.md and my-extra/ in the output are never deleted: the synth refuses, naming them', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, A);
      fs.writeFileSync(path.join(out, 'NOTES.md'), 'mine');
      fs.mkdirSync(path.join(out, 'my-extra', 'deep'), { recursive: true });
      fs.writeFileSync(path.join(out, 'my-extra', 'deep', 'x.yaml'), 'mine');
      fs.writeFileSync(path.join(out, 'prod-1', 'cluster', 'hand-made.yaml'), 'mine');
      const before = readTree(out);
      let error: unknown;
      try {
        writeOutputAtomically(out, B);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OutputWriteError);
      expect((error as OutputWriteError).code).toBe('UNKNOWN_ENTRIES');
      expect((error as Error).message).toBe(`cannot replace output directory ${out}: it holds 3 entries cdk8s-fleet did not write `
        + '(NOTES.md, my-extra/, prod-1/cluster/hand-made.yaml); a synth replaces the directory as a whole, so move them out of it (or delete them) and synth again');
      expect(readTree(out)).toEqual(before);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
      // moved out: the synth goes ahead
      for (const f of ['NOTES.md', 'my-extra', 'prod-1/cluster/hand-made.yaml']) fs.rmSync(path.join(out, f), { recursive: true });
      writeOutputAtomically(out, B);
      expect(readTree(out)).toEqual(withMarker(B));
    });

    test('many unknown files: the first ten are named, the rest counted', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, A);
      for (let i = 0; i < 13; i++) fs.writeFileSync(path.join(out, `note-${String(i).padStart(2, '0')}.txt`), '');
      expect(() => writeOutputAtomically(out, B)).toThrow(/it holds 13 entries cdk8s-fleet did not write \(note-00\.txt, .*, note-09\.txt and 3 more\)/);
    });

    test('an output of an earlier version (a marker without a file list): files with the output\'s shape are its own, others are refused', () => {
      const out = tmpOutdir();
      for (const [f, c] of [...A, ['prod-1/namespaces/feed/deployment-feed.yaml', 'd: 1\n'], ['node-profiles/general/kubelet-config.yaml', 'k: 1\n'],
        ['prod-1/control-plane/static-pods/apiserver-1/kube-apiserver.yaml', 'p: 1\n']]) {
        fs.mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
        fs.writeFileSync(path.join(out, f), c);
      }
      fs.writeFileSync(path.join(out, OUTPUT_MARKER), 'This directory is generated by cdk8s-fleet and replaced as a whole on every synth.\n');
      fs.writeFileSync(path.join(out, 'README.txt'), 'mine');
      fs.mkdirSync(path.join(out, 'my-extra'));
      fs.writeFileSync(path.join(out, 'my-extra', 'x.yaml'), 'mine');
      expect(() => writeOutputAtomically(out, B)).toThrow(/it holds 2 entries cdk8s-fleet did not write \(README\.txt, my-extra\/x\.yaml\)/);
      fs.rmSync(path.join(out, 'README.txt'));
      fs.rmSync(path.join(out, 'my-extra'), { recursive: true });
      writeOutputAtomically(out, B);
      expect(readTree(out)).toEqual(withMarker(B));
    });

    test('the marker lists every file of the output, sorted', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, B);
      expect(fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8')).toBe(
        'This directory is generated by cdk8s-fleet and replaced as a whole on every synth.\n'
        + 'It holds the files below; a synth refuses to replace it while it holds anything else (move your own files elsewhere).\n\n'
        + 'placements.lock.json\nprod-1/cluster/namespace-b.yaml\nprod-1/kustomization.yaml\n');
    });
  });

  describe('file system errors are one line naming the directory and the cause', () => {
    afterEach(() => jest.restoreAllMocks());

    test.each([
      ['ENOSPC', 'no space left on device'],
      ['EDQUOT', 'disk quota exceeded'],
      ['EACCES', 'permission denied'],
    ])('%s while writing a file: an OutputWriteError, the previous output intact, nothing beside it', (code, words) => {
      const out = tmpOutdir();
      writeOutputAtomically(out, A);
      const write = realFs.writeFileSync;
      jest.spyOn(realFs, 'writeFileSync').mockImplementation((file, ...rest) => {
        if (String(file).endsWith('namespace-b.yaml')) throw errnoError(code, 'write', String(file));
        return write(file, ...rest);
      });
      let error: unknown;
      try {
        writeOutputAtomically(out, B);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OutputWriteError);
      expect(error).toMatchObject({ directory: out, code: 'FILE_SYSTEM', errno: code });
      expect((error as Error).message).toBe(`cannot write output directory ${out}: ${words} (${code} at prod-1/cluster/namespace-b.yaml)`);
      jest.restoreAllMocks();
      expect(readTree(out)).toEqual(withMarker(A));
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
    });

    test('EROFS: the output\'s parent cannot take a staging directory', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, A);
      const mkdir = realFs.mkdirSync;
      jest.spyOn(realFs, 'mkdirSync').mockImplementation((dir, ...rest) => {
        if (path.basename(String(dir)).startsWith('.dist.staging-')) throw errnoError('EROFS', 'mkdir', String(dir));
        return mkdir(dir, ...rest);
      });
      expect(() => writeOutputAtomically(out, B)).toThrow(new RegExp(`^cannot write output directory ${out}: read-only file system \\(EROFS at ${path.dirname(out)}/\\.dist\\.staging-${process.pid}-[0-9a-f]+\\)$`));
      jest.restoreAllMocks();
      expect(readTree(out)).toEqual(withMarker(A));
    });

    test('a failure renaming the output aside: the output stays where it was', () => {
      const out = tmpOutdir();
      writeOutputAtomically(out, A);
      const rename = realFs.renameSync;
      jest.spyOn(realFs, 'renameSync').mockImplementation((from, to) => {
        if (String(from) === out) throw errnoError('EBUSY', 'rename', String(from));
        return rename(from, to);
      });
      expect(() => writeOutputAtomically(out, B)).toThrow(`cannot write output directory ${out}: device or resource busy (EBUSY at ${out})`);
      jest.restoreAllMocks();
      expect(readTree(out)).toEqual(withMarker(A));
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
    });
  });

  test.each([[0o022, 0o755, 0o644], [0o027, 0o750, 0o640], [0o002, 0o775, 0o664]])('directory modes follow the umask (%o → %o), the output root included', (mask, dirMode, fileMode) => {
    const previous = process.umask(mask);
    try {
      const out = tmpOutdir();
      writeOutputAtomically(out, A);
      writeOutputAtomically(out, B); // the replacing tree too
      const permissions = (p: string) => fs.statSync(p).mode % 0o1000;
      expect(permissions(out)).toBe(dirMode);
      expect(permissions(path.join(out, 'prod-1', 'cluster'))).toBe(dirMode);
      expect(permissions(path.join(out, 'placements.lock.json'))).toBe(fileMode);
    } finally {
      process.umask(previous);
    }
  });
});
