/**
 * Reading a synthesized output directory back: every file, and every
 * Kubernetes object keyed by its identity (cluster, group, kind, namespace,
 * name), so tools compare outputs by object rather than by file name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONTROL_PLANE_DIR, ObjectIdentity, OUTPUT_MARKER, identityKey } from './layout';
import { readEmittedYaml } from './yaml-reader';

/** An object found in an output directory. */
export interface OutputObject {
  /**
   * Identity key (see {@link identityKey}). An object of a cluster's control-plane node files (a static
   * pod, which every control-plane host runs under the same name) is keyed by its file's directory too.
   */
  readonly key: string;
  /** Cluster: the first directory of its file's path. */
  readonly cluster: string;
  /** Relative path of the file it was read from. */
  readonly file: string;
  /** The object. */
  readonly object: Record<string, unknown> & ObjectIdentity & { metadata: { name: string; namespace?: string; [k: string]: unknown } };
}

/** An output directory, read back. */
export interface OutputTree {
  /** Relative path → content of every file (the marker excluded), sorted by path. */
  readonly files: ReadonlyMap<string, string>;
  /** Every Kubernetes API object, by identity key (per host for control-plane node files), sorted by key. */
  readonly objects: ReadonlyMap<string, OutputObject>;
  /** Files that could not be parsed as YAML, with the parser's message. */
  readonly unreadable: ReadonlyArray<{ file: string; problem: string }>;
}

/** Lists every file below `dir` as sorted relative paths with `/` separators. @internal */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out.sort(cmp);
}

/** Reads the files of a directory (relative path → content); the output marker is left out. @internal */
export function readFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const rel of listFiles(dir)) {
    if (rel === OUTPUT_MARKER) continue;
    files.set(rel, fs.readFileSync(path.join(dir, ...rel.split('/')), 'utf8'));
  }
  return files;
}

/** True when a parsed document is a Kubernetes API object (apiVersion, kind and metadata.name). @internal */
export function isApiObject(doc: unknown): doc is OutputObject['object'] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const o = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof o.metadata?.name === 'string';
}

/** Parses an output tree from its files (pure: no file system access). */
export function parseOutputTree(files: ReadonlyMap<string, string>): OutputTree {
  const objects = new Map<string, OutputObject>();
  const unreadable: Array<{ file: string; problem: string }> = [];
  for (const [file, content] of files) {
    if (!/\.ya?ml$/.test(file)) continue;
    const cluster = file.includes('/') ? file.split('/')[0] : '';
    // what the library wrote is read by its own exact reader; anything else by the yaml package
    const emitted = readEmittedYaml(content);
    if (emitted !== undefined) {
      if (isApiObject(emitted)) add(objects, cluster, file, emitted);
      continue;
    }
    // the yaml package is loaded on first need only: an output the library wrote never needs it
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const docs = (require('yaml') as typeof import('yaml')).parseAllDocuments(content);
    const list = Array.isArray(docs) ? docs : [docs];
    for (const doc of list) {
      if (doc.errors.length > 0) {
        unreadable.push({ file, problem: doc.errors[0].message.split('\n')[0] });
        continue;
      }
      const o = doc.toJS();
      if (isApiObject(o)) add(objects, cluster, file, o);
    }
  }
  const sorted = new Map([...objects.entries()].sort(([a], [b]) => cmp(a, b)));
  return { files, objects: sorted, unreadable };
}

/**
 * Reads and parses the files of an output directory that `wanted` selects by
 * relative path (the others are neither read nor parsed): for tools that need
 * a few kinds of object out of a large output. The tree's files are the ones
 * read.
 * @internal
 */
export function readOutputTreeOf(dir: string, wanted: (file: string) => boolean): OutputTree {
  return readListedOutputTree(dir, listFiles(dir).filter(wanted));
}

/**
 * Reads and parses the listed files of an output directory (relative paths,
 * as {@link listFiles} gives them, in that order), for a reader that has
 * listed the directory already; the output marker is left out.
 * @internal
 */
export function readListedOutputTree(dir: string, listed: readonly string[]): OutputTree {
  const files = new Map<string, string>();
  for (const rel of listed) {
    if (rel === OUTPUT_MARKER) continue;
    files.set(rel, fs.readFileSync(path.join(dir, ...rel.split('/')), 'utf8'));
  }
  return parseOutputTree(files);
}

/** Reads and parses an output directory. */
export function readOutputTree(dir: string): OutputTree {
  return parseOutputTree(readFiles(dir));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function add(objects: Map<string, OutputObject>, cluster: string, file: string, o: OutputObject['object']): void {
  const id: ObjectIdentity = { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
  // a static pod's identity is its host's: kube-system/kube-apiserver is one
  // object on each control-plane host, each in its own directory
  const key = file.startsWith(`${cluster}/${CONTROL_PLANE_DIR}/`)
    ? `${identityKey(cluster, id)}|${file.slice(0, file.lastIndexOf('/'))}`
    : identityKey(cluster, id);
  objects.set(key, { key, cluster, file, object: o });
}
