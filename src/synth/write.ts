/**
 * Atomic output: the new tree is written beside the old one and swapped in, so
 * a reader (or a failed synth) never sees a half-written or emptied directory,
 * and a killed synth leaves nothing the next one does not repair or remove
 * (see `output-dir.ts`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'worker_threads';
import { OUTPUT_MARKER } from './layout';
import { ScratchDir, asOutputWriteError, assertReplaceable, makeScratchDir, markerText, recoverOutput, resolveOutput, scratchName } from './output-dir';
import { PreviousOutput } from './previous';
import { listFiles } from './read';

/** Options of {@link writeOutputAtomically}. @internal */
export interface WriteOptions {
  /**
   * From how many files a second thread removes half of the previous output
   * (and, in {@link writeTree}, writes half of the files), on machines with
   * more than one CPU. Creating and
   * removing files is mostly work of the kernel's file system, which two
   * threads do in about half the time; starting the thread costs a few tens of
   * milliseconds, so smaller trees are handled by one.
   * @default 8000 (files)
   */
  readonly parallelFrom?: number;
}

/**
 * Where a synth puts its files as it emits them, cluster by cluster: each
 * call gives the next files (relative path → content), sorted by path within
 * the call; no path comes twice.
 * @internal
 */
export interface OutputSink {
  /** Takes the next files; `previous` holds what the synth read of the previous output for them. */
  add(files: ReadonlyArray<readonly [string, string]>, previous?: PreviousOutput): void;
}

/**
 * Writes `files` (relative path → content) as the complete content of `outdir`.
 *
 * First repairs what a killed synth left beside it ({@link recoverOutput}).
 * When `outdir` is a symbolic link, the directory it points to is replaced, so
 * the link keeps pointing at the fresh output. Refuses to replace a directory
 * that is not cdk8s-fleet output, or that holds files the last synth did not
 * write (listed in its marker), naming them. Directories are made with the
 * modes the umask gives. Any failure is an {@link OutputWriteError} of one
 * line naming the directory and the cause (`no space left on device
 * (ENOSPC)`), and leaves the previous content of `outdir` as it was.
 * @internal
 */
export function writeOutputAtomically(outdir: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): void {
  const writer = new AtomicOutputWriter(outdir, options);
  writer.add([...files]);
  writer.commit();
}

/**
 * The atomic write of {@link writeOutputAtomically}, fed as a synth emits:
 * the first `add` repairs and checks `outdir` and makes the staging tree
 * beside it, each `add` writes its files there (linking those whose bytes the
 * output being replaced already holds), and `commit` writes the marker and
 * swaps the staging tree in. A failure while adding is kept, the staging tree
 * removed and later files ignored, and `commit` throws it, so that the synth
 * still reports every violation of the fleet first; `abort` (a failed synth)
 * removes the staging tree. Nothing but the staging tree is touched before
 * `commit`.
 * @internal
 */
export class AtomicOutputWriter implements OutputSink {
  private readonly target: string;
  private readonly link?: string;
  private staging?: ScratchDir;
  private previous?: string;
  private opened = false;
  private failure: unknown;
  private readonly paths: string[] = [];

  constructor(outdir: string, private readonly options: WriteOptions = {}) {
    const { target, link } = resolveOutput(outdir);
    this.target = target;
    this.link = link;
  }

  /** Writes the next files into the staging tree. */
  public add(files: ReadonlyArray<readonly [string, string]>, read?: PreviousOutput): void {
    if (this.failure !== undefined) return;
    if (!this.opened && !this.open()) return;
    try {
      for (const [rel] of files) {
        assertInside(rel);
        this.paths.push(rel);
      }
      // one thread: the files come cluster by cluster, while the synth goes on (a helper thread fed per
      // cluster measured slower, with more system time, than this thread alone)
      const previous = this.previous;
      const known = previous !== undefined ? knownTexts(read, previous) : undefined;
      writeFiles(this.staging!.path, previous !== undefined ? linkUnchanged(this.staging!.path, previous, files, known) : files);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Writes the marker and swaps the staging tree in; throws the first failure. */
  public commit(): void {
    if (!this.opened) this.open();
    if (this.failure !== undefined) throw this.failure;
    const staging = this.staging!;
    try {
      // the marker last: a staging directory with its marker is complete (what recovery relies on)
      fs.writeFileSync(path.join(staging.path, OUTPUT_MARKER), markerText(this.paths));
      swapIn(staging, this.target, isParallel(this.paths.length, this.options));
    } catch (e) {
      removeQuietly(staging.path);
      throw asOutputWriteError(this.target, e, staging.path);
    }
  }

  /** Removes the staging tree (the synth failed). */
  public abort(): void {
    if (this.staging) removeQuietly(this.staging.path);
  }

  private open(): boolean {
    this.opened = true;
    try {
      recoverOutput(this.target);
      assertReplaceable(this.target, this.link);
      fs.mkdirSync(path.dirname(this.target), { recursive: true });
    } catch (e) {
      this.failure = asOutputWriteError(this.target, e);
      return false;
    }
    // the output being replaced, when there is one: its files whose bytes do not change are linked, not written again
    this.previous = isComplete(this.target) ? this.target : undefined;
    try {
      this.staging = makeScratchDir(this.target, 'staging');
    } catch (e) {
      this.failure = asOutputWriteError(this.target, e);
      return false;
    }
    return true;
  }

  private fail(e: unknown): void {
    this.failure = asOutputWriteError(this.target, e, this.staging?.path);
    if (this.staging) removeQuietly(this.staging.path);
  }
}

function assertInside(rel: string): void {
  if (path.isAbsolute(rel) || rel.split('/').includes('..')) {
    throw new Error(`refusing to write outside the output directory: ${rel}`);
  }
}

/**
 * Compares `files` with the output directory `compareWith` byte for byte and
 * writes below `outdir` only the files whose bytes differ or that are new;
 * returns every differing path (added, changed, removed), sorted. What
 * `synth --check` needs: an unchanged output costs one read of each file and
 * no write.
 * @internal
 */
export function writeDifferences(compareWith: string, outdir: string, files: ReadonlyMap<string, string>): string[] {
  const writer = new DifferencesWriter(compareWith, outdir);
  writer.add([...files]);
  return writer.commit();
}

/**
 * {@link writeDifferences}, fed as a synth emits: each `add` compares its
 * files with `compareWith`'s and keeps the differing ones; `commit` writes
 * them below `outdir`, adds the paths `compareWith` has and the synth did not
 * give, and returns every differing path, sorted. Nothing is written before
 * `commit` (a failed synth writes nothing); what is held is the change only.
 * @internal
 */
export class DifferencesWriter implements OutputSink {
  private readonly target: string;
  private readonly given = new Set<string>();
  private readonly differing: string[] = [];
  private readonly changed: Array<readonly [string, string]> = [];

  constructor(compareWith: string, private readonly outdir: string) {
    this.target = resolveOutput(compareWith).target;
  }

  /** Compares the next files, keeping the differing ones. */
  public add(files: ReadonlyArray<readonly [string, string]>, read?: PreviousOutput): void {
    const known = knownTexts(read, this.target);
    for (const entry of files) {
      const [file, content] = entry;
      this.given.add(file);
      if (file === OUTPUT_MARKER || (known?.(file) ?? readOr(path.join(this.target, ...file.split('/')))) !== content) {
        this.differing.push(file);
        this.changed.push(entry);
      }
    }
  }

  /** Writes the differing files; returns every differing path, sorted. */
  public commit(): string[] {
    try {
      for (const [rel] of this.changed) assertInside(rel);
      fs.mkdirSync(this.outdir, { recursive: true });
      writeFiles(this.outdir, this.changed);
    } catch (e) {
      throw asOutputWriteError(this.outdir, e);
    }
    for (const file of listFiles(this.target)) {
      if (file !== OUTPUT_MARKER && !this.given.has(file)) this.differing.push(file);
    }
    return this.differing.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/**
 * Writes files below `root`, creating each directory once. Every path is
 * checked before anything is written. With `previous` (the output being
 * replaced), a file whose bytes are those of the same file there is a hard
 * link to it instead (the same inode, content and modification time: nothing
 * is written again, and git sees no change), unless the file system cannot
 * link. Large trees are written by two threads (see
 * {@link WriteOptions.parallelFrom}); either way the function returns, or
 * throws, only once nothing writes below `root` any more.
 * @internal
 */
export function writeTree(root: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}, previous?: string): void {
  let entries: Array<readonly [string, string]> = [...files];
  for (const [rel] of entries) {
    if (path.isAbsolute(rel) || rel.split('/').includes('..')) {
      throw new Error(`refusing to write outside the output directory: ${rel}`);
    }
  }
  if (previous !== undefined) entries = linkUnchanged(root, previous, entries);
  if (!isParallel(entries.length, options)) {
    writeFiles(root, entries);
    return;
  }
  // contiguous halves of the sorted paths, so that each directory is mostly written by one thread
  const half = Math.floor(entries.length / 2);
  inTwoThreads({ write: entries.slice(0, half), root }, { write: entries.slice(half), root });
}

/**
 * Links every file of `entries` whose content `previous` already holds, byte
 * for byte, from there into `root`; returns the entries still to be written.
 * When the file system refuses a link (no hard links on it, a link limit),
 * that file and the ones after it are written instead.
 */
function linkUnchanged(root: string, previous: string, entries: ReadonlyArray<readonly [string, string]>,
  known?: (rel: string) => string | undefined): Array<readonly [string, string]> {
  const toWrite: Array<readonly [string, string]> = [];
  const made = new Set<string>();
  let linking = true;
  for (const entry of entries) {
    const [rel, content] = entry;
    if (!linking || (known?.(rel) ?? readOr(path.join(previous, rel))) !== content) {
      toWrite.push(entry);
      continue;
    }
    const file = path.join(root, rel);
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    try {
      fs.linkSync(path.join(previous, rel), file);
    } catch {
      linking = false;
      toWrite.push(entry);
    }
  }
  return toWrite;
}

/**
 * The texts the synth already read of `dir` (when `read` is of the same
 * directory), so that a file is not read twice.
 */
function knownTexts(read: PreviousOutput | undefined, dir: string): ((rel: string) => string | undefined) | undefined {
  if (!read) return undefined;
  const a = realPathOr(read.dir);
  if (a === undefined || a !== realPathOr(dir)) return undefined;
  return rel => read.take(rel);
}

function realPathOr(dir: string): string | undefined {
  try {
    return fs.realpathSync(dir);
  } catch {
    return undefined;
  }
}

/** The text of a file; undefined when it cannot be read (absent, a directory, no permission). */
function readOr(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isComplete(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, OUTPUT_MARKER)).isFile();
  } catch {
    return false;
  }
}

function isParallel(files: number, options: WriteOptions): boolean {
  return files >= (options.parallelFrom ?? 8000) && os.availableParallelism() > 1;
}

/** A share of the file system work: files to write below `root`, then trees to remove. */
interface Share {
  readonly root: string;
  readonly write?: ReadonlyArray<readonly [string, string]>;
  readonly remove?: readonly string[];
}

function doShare(share: Share): void {
  for (const dir of share.remove ?? []) fs.rmSync(dir, { recursive: true, force: true });
  writeFiles(share.root, share.write ?? []);
}

/**
 * Does `helperShare` in a second thread and `mainShare` in this one; returns,
 * or throws the first failure, only once both are done.
 */
function inTwoThreads(helperShare: Share, mainShare: Share): void {
  const helper = startHelper(helperShare);
  let failure: unknown;
  try {
    doShare(mainShare);
  } catch (e) {
    failure = e;
  }
  const helperFailure = helper.finish();
  if (failure !== undefined) throw failure;
  if (helperFailure) throw helperFailure;
}

function writeFiles(root: string, entries: ReadonlyArray<readonly [string, string]>): void {
  const made = new Set<string>();
  for (const [rel, content] of entries) {
    const file = path.join(root, rel);
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.writeFileSync(file, content);
  }
}

/**
 * States of the helper thread, in one shared integer. The helper moves it from
 * WAITING to RUNNING when it starts, unless the main thread has given its
 * share up (ABANDONED) and done it itself.
 */
const HelperState = { WAITING: 0, RUNNING: 1, DONE: 2, FAILED: 3, ABANDONED: 4 } as const;

/** How long the main thread waits, after its own share, for the helper to start at all. */
const HELPER_START_TIMEOUT_MS = 10_000;

/**
 * The helper thread's program: {@link doShare} for its share, then its outcome
 * in the shared state (and a failure's text on the port). Plain JavaScript in
 * a string, so that it runs the same from the compiled library, under ts-node
 * and under test instrumentation.
 */
const HELPER_PROGRAM = `
const { workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const { state, share, port } = workerData;
if (Atomics.compareExchange(state, 0, ${HelperState.WAITING}, ${HelperState.RUNNING}) === ${HelperState.WAITING}) {
  let outcome = ${HelperState.DONE};
  try {
    for (const dir of share.remove || []) fs.rmSync(dir, { recursive: true, force: true });
    const made = new Set();
    for (const [rel, content] of share.write || []) {
      const file = path.join(share.root, rel);
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      fs.writeFileSync(file, content);
    }
  } catch (e) {
    port.postMessage({ message: String((e && e.message) || e), code: e && e.code, path: e && e.path });
    outcome = ${HelperState.FAILED};
  }
  Atomics.store(state, 0, outcome);
  Atomics.notify(state, 0);
}
port.close();
`;

/** A helper thread doing a share of the work; `finish` blocks until it is done and returns its failure, if any. */
function startHelper(share: Share): { finish(): Error | undefined } {
  const state = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(HELPER_PROGRAM, {
    eval: true,
    // plain JavaScript needing nothing but Node.js: no preloaded modules (such as a TypeScript loader) to start
    execArgv: [],
    workerData: { state, share, port: port2 },
    transferList: [port2],
  });
  worker.unref();
  return {
    finish() {
      try {
        Atomics.wait(state, 0, HelperState.WAITING, HELPER_START_TIMEOUT_MS);
        if (Atomics.compareExchange(state, 0, HelperState.WAITING, HelperState.ABANDONED) === HelperState.WAITING) {
          // the thread never started (the process is out of threads or memory): do its share here
          try {
            doShare(share);
            return undefined;
          } catch (e) {
            return e instanceof Error ? e : new Error(String(e));
          }
        }
        while (Atomics.load(state, 0) === HelperState.RUNNING) Atomics.wait(state, 0, HelperState.RUNNING);
        if (Atomics.load(state, 0) === HelperState.FAILED) {
          const failure = receiveMessageOnPort(port1)?.message as { message?: string; code?: unknown; path?: unknown } | undefined;
          const error: NodeJS.ErrnoException = new Error(`writing the output failed: ${failure?.message ?? 'in the helper thread'}`);
          if (typeof failure?.code === 'string') error.code = failure.code;
          if (typeof failure?.path === 'string') error.path = failure.path;
          return error;
        }
        return undefined;
      } finally {
        port1.close();
      }
    },
  };
}

/**
 * Swaps the complete tree `staging` in for `target` with two renames (a
 * non-empty directory cannot be replaced in one): `target` → its previous
 * (same pid and token as `staging`), then `staging` → `target`. A synth killed
 * between the two leaves the pair for {@link recoverOutput} to complete.
 */
function swapIn(staging: ScratchDir, target: string, parallel: boolean): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(staging.path, target);
    return;
  }
  const previous = path.join(path.dirname(target), scratchName(target, 'previous', staging.pid, staging.token));
  fs.renameSync(target, previous);
  try {
    fs.renameSync(staging.path, target);
  } catch (e) {
    fs.renameSync(previous, target);
    throw e;
  }
  // the new output is in place: a previous output that cannot be removed now is removed by the next synth
  try {
    removeTree(previous, parallel);
  } catch {
    removeQuietly(previous);
  }
}

function removeQuietly(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // named after this process: the next synth removes it once this process has ended
  }
}

/** Removes a previous output; with `parallel`, every other top-level directory (a cluster's) in a second thread. */
function removeTree(dir: string, parallel: boolean): void {
  if (parallel) {
    const children = fs.readdirSync(dir).sort().map(name => path.join(dir, name));
    inTwoThreads({ root: dir, remove: children.filter((_, i) => i % 2 === 0) }, { root: dir, remove: children.filter((_, i) => i % 2 === 1) });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
