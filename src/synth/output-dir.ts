/**
 * The output directory and what lives beside it while a synth writes: where
 * the output really is (through a symbolic link), the scratch directories of a
 * write (named after the process that owns them, so a later synth can tell a
 * crashed one's leftovers from a running one's work), the recovery of a write
 * that was killed, the list of files the last synth wrote (kept in the marker
 * file), and one-line errors naming the directory and the cause.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { OUTPUT_MARKER } from './layout';

/** Why the output directory could not be written or replaced. */
export type OutputWriteErrorCode =
  /** A file system error; {@link OutputWriteError.errno} has its code (ENOSPC, EROFS, EACCES, ...). */
  | 'FILE_SYSTEM'
  /** The output path exists and is not a directory. */
  | 'NOT_A_DIRECTORY'
  /** The output directory is a symbolic link whose target does not exist. */
  | 'DANGLING_LINK'
  /** The output directory is not empty and has no marker: cdk8s-fleet did not write it. */
  | 'NOT_FLEET_OUTPUT'
  /** The output directory holds files or directories the last synth did not write. */
  | 'UNKNOWN_ENTRIES';

/**
 * The output directory could not be written or replaced. The message is one
 * line naming the directory and the cause; the previous output is left as it
 * was.
 */
export class OutputWriteError extends Error {
  constructor(
    /** The output directory (absolute; the link's target when it is a symbolic link). */
    public readonly directory: string,
    /** Why. */
    public readonly code: OutputWriteErrorCode,
    message: string,
    /** The file system error's code (ENOSPC, EROFS, EACCES, ...), for code FILE_SYSTEM. */
    public readonly errno?: string,
  ) {
    super(message);
    this.name = 'OutputWriteError';
  }
}

/** Plain words for the file system errors a write meets in practice. */
const ERRNO_WORDS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files in this process',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  ENAMETOOLONG: 'file name too long',
  ENOTDIR: 'a path component is not a directory',
  EEXIST: 'a file exists where a directory is needed',
  EISDIR: 'a directory exists where a file is needed',
  EBUSY: 'device or resource busy',
  EXDEV: 'a staging directory is on another file system',
};

/** The code of a Node.js file system error, if `e` is one. @internal */
export function errnoOf(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/**
 * `e` as an {@link OutputWriteError} of `directory`: a file system error
 * becomes one line (`cannot write output directory /x/dist: no space left on
 * device (ENOSPC)`, with the file it met, relative to `staging` when it is
 * below it); an OutputWriteError, or anything else, is returned as it is.
 * @internal
 */
export function asOutputWriteError(directory: string, e: unknown, staging?: string): unknown {
  if (e instanceof OutputWriteError) return e;
  const errno = errnoOf(e);
  if (!errno) return e;
  const words = ERRNO_WORDS[errno] ?? firstLine((e as Error).message).replace(/^E[A-Z0-9]+: /, '').replace(/, \w+ .*$/, '');
  const at = (e as NodeJS.ErrnoException).path;
  const where = !at ? '' : staging && at.startsWith(`${staging}${path.sep}`) ? ` at ${path.relative(staging, at)}` : ` at ${at}`;
  return new OutputWriteError(directory, 'FILE_SYSTEM', `cannot write output directory ${directory}: ${words} (${errno}${where})`, errno);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/** Kinds of scratch directories beside the output. @internal */
export type ScratchKind =
  /** The new tree, written completely (its marker last) before it is swapped in. */
  | 'staging'
  /** The output being replaced, between the two renames of the swap and while it is removed. */
  | 'previous'
  /** The `cdk8s-fleet` CLI's directory for the fleet program's output. */
  | 'synth';

/** A scratch directory beside the output: `.<output name>.<kind>-<pid>-<token>`. @internal */
export interface ScratchDir {
  /** Its absolute path. */
  readonly path: string;
  /** What it is for. */
  readonly kind: ScratchKind;
  /** The process that made it. */
  readonly pid: number;
  /** Random hex: a staging directory and the previous output of one swap share it. */
  readonly token: string;
}

/** The name of a scratch directory of `target`. @internal */
export function scratchName(target: string, kind: ScratchKind, pid: number, token: string): string {
  return `.${path.basename(target)}.${kind}-${pid}-${token}`;
}

/** Parses a name found beside `target`; undefined when it is not one of its scratch directories. @internal */
export function parseScratchName(target: string, name: string): Omit<ScratchDir, 'path'> | undefined {
  const prefix = `.${path.basename(target)}.`;
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(staging|previous|synth)-([1-9][0-9]{0,9})-([0-9a-f]{8,32})$/.exec(name.slice(prefix.length));
  return m ? { kind: m[1] as ScratchKind, pid: Number(m[2]), token: m[3] } : undefined;
}

/**
 * Makes a new scratch directory beside `target`, owned by this process. Its
 * mode follows the umask, like every directory the write makes (`mkdtemp`
 * would make it 0700, and the swap would make that the output's mode).
 * @internal
 */
export function makeScratchDir(target: string, kind: ScratchKind, token = newToken()): ScratchDir {
  for (let attempt = 0; ; attempt++) {
    const dir = path.join(path.dirname(target), scratchName(target, kind, process.pid, token));
    try {
      fs.mkdirSync(dir, { mode: 0o777 });
      return { path: dir, kind, pid: process.pid, token };
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST' || attempt >= 5) throw e;
      token = newToken();
    }
  }
}

/** A fresh random token for scratch directory names. @internal */
export function newToken(): string {
  return randomBytes(6).toString('hex');
}

/**
 * True when process `pid` may still run on this machine (it exists, whoever
 * owns it). A scratch directory of a live process is never touched: it may be
 * a concurrent synth's work in progress.
 * @internal
 */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) !== 'ESRCH';
  }
}

/** Where an output directory really is. @internal */
export interface ResolvedOutput {
  /** The directory written and swapped: the output path, or the final target of its symbolic link(s). Absolute. */
  readonly target: string;
  /** The output path when it is a symbolic link (absolute, as given). */
  readonly link?: string;
}

/**
 * Follows `outdir` through symbolic links, also dangling ones, to the
 * directory that is written and swapped, so a link keeps pointing at the
 * fresh output.
 * @internal
 */
export function resolveOutput(outdir: string): ResolvedOutput {
  const abs = path.resolve(outdir);
  let target = abs;
  for (let hops = 0; ; hops++) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(target);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') break;
      throw asOutputWriteError(abs, e);
    }
    if (!stat.isSymbolicLink()) break;
    if (hops >= 32) {
      throw new OutputWriteError(abs, 'FILE_SYSTEM', `cannot write output directory ${abs}: too many levels of symbolic links (ELOOP)`, 'ELOOP');
    }
    target = path.resolve(path.dirname(target), fs.readlinkSync(target));
  }
  return target === abs ? { target } : { target, link: abs };
}

/** What {@link recoverOutput} did. */
export interface Recovery {
  /**
   * `completed`: a synth was killed between the two renames of its swap, with
   * its new tree complete, and the swap is now done. `restored`: the previous
   * output was put back. Undefined when the output needed nothing.
   */
  readonly output?: 'completed' | 'restored';
  /** Scratch directories of processes that no longer run, removed. */
  readonly removed: readonly string[];
}

/**
 * Repairs what a killed synth (`kill -9`, a crash, a cancelled CI job) left:
 * when it died between the two renames of its swap, so that there is no output
 * directory, its complete new tree is moved into place (or, without one, the
 * previous output is restored); then the scratch directories of processes that
 * no longer run are removed. Directories of running processes are left alone.
 * Every write runs this first; so does the CLI.
 */
export function recoverOutput(outdir: string): Recovery {
  const { target } = resolveOutput(outdir);
  try {
    return recover(target);
  } catch (e) {
    throw asOutputWriteError(target, e);
  }
}

function recover(target: string): Recovery {
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(target));
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return { removed: [] };
    throw e;
  }
  const dead: ScratchDir[] = [];
  for (const name of names.sort()) {
    const parsed = parseScratchName(target, name);
    if (parsed && !isProcessAlive(parsed.pid)) dead.push({ ...parsed, path: path.join(path.dirname(target), name) });
  }
  let output: Recovery['output'];
  if (!exists(target)) {
    const previous = dead.filter(d => d.kind === 'previous');
    const swap = previous
      .map(p => ({ previous: p, staging: dead.find(d => d.kind === 'staging' && d.pid === p.pid && d.token === p.token) }))
      .find(s => s.staging && isComplete(s.staging.path));
    if (swap?.staging) {
      fs.renameSync(swap.staging.path, target);
      output = 'completed';
    } else if (previous.length > 0) {
      fs.renameSync(previous[0].path, target);
      output = 'restored';
    }
  }
  const removed: string[] = [];
  for (const d of dead) {
    if (!exists(d.path)) continue; // moved into place above
    fs.rmSync(d.path, { recursive: true, force: true });
    removed.push(d.path);
  }
  return { output, removed };
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return false;
    throw e;
  }
}

/** True when a staging directory is complete: its marker is written last. */
function isComplete(staging: string): boolean {
  return exists(path.join(staging, OUTPUT_MARKER));
}

/** The marker's first line (the only line of markers written before the file list). @internal */
export const MARKER_TITLE = 'This directory is generated by cdk8s-fleet and replaced as a whole on every synth.';
/** The marker's second line, introducing the list of files. @internal */
export const MARKER_LIST_HEADER = 'It holds the files below; a synth refuses to replace it while it holds anything else (move your own files elsewhere).';

/** The marker file's content: its title and every file of the output, sorted, one per line. @internal */
export function markerText(files: Iterable<string>): string {
  const sorted = [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${MARKER_TITLE}\n${MARKER_LIST_HEADER}\n\n${sorted.map(f => `${f}\n`).join('')}`;
}

/** The files a marker lists; undefined for a marker written before markers listed files. @internal */
export function markerFiles(text: string): Set<string> | undefined {
  const lines = text.split('\n');
  if (lines[1] !== MARKER_LIST_HEADER) return undefined;
  return new Set(lines.slice(3).filter(l => l.length > 0));
}

/**
 * True when a path has the shape of a file cdk8s-fleet writes (see
 * `layout.ts`): how the files of an output whose marker lists none are told
 * from a user's.
 * @internal
 */
export function hasOutputShape(rel: string): boolean {
  const parts = rel.split('/');
  if (parts.length === 1) return /^[a-z0-9][a-z0-9.-]*\.(json|yaml)$/.test(rel);
  if (!rel.endsWith('.yaml')) return false;
  const second = parts[1];
  if (parts.length === 2) return second === 'kustomization.yaml';
  if (second === 'cluster') return parts.length === 3;
  if (second === 'namespaces') return parts.length === 4;
  return second === 'control-plane' || parts.length === 3; // control-plane files; node-profiles/<profile>/<file>
}

/** How many unknown entries an error names. */
const NAMED_UNKNOWN = 10;

/**
 * Checks that `target` may be replaced: it does not exist, is empty, or is
 * cdk8s-fleet output holding only files its marker lists (or, for a marker
 * without a list, files with the output's shape). Throws an
 * {@link OutputWriteError} naming what is in the way otherwise.
 * @internal
 */
export function assertReplaceable(target: string, link?: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') {
      if (link) {
        throw new OutputWriteError(target, 'DANGLING_LINK', `cannot write output directory ${link}: it is a symbolic link to ${target}, `
          + 'which does not exist; create that directory (the output is written into it) or remove the link');
      }
      return;
    }
    throw e;
  }
  const shown = link ? `${link} (a symbolic link to ${target})` : target;
  if (!stat.isDirectory()) {
    throw new OutputWriteError(target, 'NOT_A_DIRECTORY', `output path ${shown} exists and is not a directory; choose another outdir`);
  }
  const entries = fs.readdirSync(target);
  if (entries.length === 0) return;
  if (!entries.includes(OUTPUT_MARKER)) {
    throw new OutputWriteError(target, 'NOT_FLEET_OUTPUT', `output directory ${shown} is not empty and was not written by cdk8s-fleet `
      + `(no ${OUTPUT_MARKER} marker); refusing to replace it. Choose an empty or new outdir.`);
  }
  const listed = markerFiles(fs.readFileSync(path.join(target, OUTPUT_MARKER), 'utf8'));
  const unknown = unknownEntries(target, listed);
  if (unknown.length > 0) {
    const named = unknown.slice(0, NAMED_UNKNOWN).join(', ') + (unknown.length > NAMED_UNKNOWN ? ` and ${unknown.length - NAMED_UNKNOWN} more` : '');
    throw new OutputWriteError(target, 'UNKNOWN_ENTRIES', `cannot replace output directory ${shown}: it holds ${unknown.length} `
      + `${unknown.length === 1 ? 'entry' : 'entries'} cdk8s-fleet did not write (${named}); a synth replaces the directory as a whole, `
      + `so move ${unknown.length === 1 ? 'it' : 'them'} out of it (or delete ${unknown.length === 1 ? 'it' : 'them'}) and synth again`);
  }
}

/**
 * Entries below `root` a synth did not write, sorted: files not in `listed`
 * (without a list: without the output's shape), anything but files and
 * directories, and directories holding no listed file (named once, with a
 * trailing `/`).
 * @internal
 */
export function unknownEntries(root: string, listed: ReadonlySet<string> | undefined): string[] {
  const dirs = new Set<string>();
  if (listed) {
    for (const f of listed) {
      for (let i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) dirs.add(f.slice(0, i));
    }
  }
  const unknown: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (listed && !dirs.has(r)) unknown.push(`${r}/`);
        else walk(path.join(dir, e.name), r);
      } else if (!e.isFile()) {
        unknown.push(r);
      } else if (r !== OUTPUT_MARKER && !(listed ? listed.has(r) : hasOutputShape(r))) {
        unknown.push(r);
      }
    }
  };
  walk(root, '');
  return unknown.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
