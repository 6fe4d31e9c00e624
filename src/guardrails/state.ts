/**
 * A synthesized state of the fleet as a set of objects keyed by identity
 * (cluster, API group, kind, namespace, name), not by file: the new output of
 * this synth, or a previous output directory read back from disk.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { PlainObject } from './workload-objects';
import { CONTROL_PLANE_DIR, NODE_PROFILES_DIR, OUTPUT_MARKER, identityKey } from '../synth/layout';

/** One object of a state. @internal */
export interface StateObject {
  /** Cluster (first directory of the output). */
  readonly cluster: string;
  /** The object. */
  readonly object: PlainObject;
  /** Where it came from: a construct path (new state) or a file of the previous output. */
  readonly source: string;
}

/** Objects by identity key. @internal */
export type FleetState = ReadonlyMap<string, StateObject>;

/** The identity key of a state object. @internal */
export function stateKey(cluster: string, o: PlainObject): string {
  return identityKey(cluster, { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });
}

/** A state from objects (later duplicates are ignored: the render stage reports them). @internal */
export function fleetState(objects: Iterable<StateObject>): Map<string, StateObject> {
  const out = new Map<string, StateObject>();
  for (const o of objects) {
    const key = stateKey(o.cluster, o.object);
    if (!out.has(key)) out.set(key, o);
  }
  return out;
}

/** A problem reading the previous output. @internal */
export interface StateReadProblem {
  /** File (relative to the output directory) or the directory itself. */
  readonly file: string;
  /** What is wrong. */
  readonly message: string;
}

/** The previous state, and what could not be read. @internal */
export interface PreviousState {
  readonly state: Map<string, StateObject>;
  readonly problems: readonly StateReadProblem[];
}

function isObject(d: unknown): d is PlainObject {
  if (!d || typeof d !== 'object') return false;
  const o = d as Record<string, unknown>;
  const md = o.metadata as Record<string, unknown> | undefined;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && !!md && typeof md.name === 'string';
}

/**
 * The object a file of the previous output holds when its text is exactly
 * what this synth writes to the same path (then it is that rendered object,
 * and parsing it again is wasted work), else undefined.
 * @internal
 */
export type UnchangedFile = (file: string, text: string) => PlainObject | undefined;

/**
 * Reads a previous output directory: every YAML file below a cluster's
 * directory (kustomizations, node-level files and control-plane files aside),
 * each document keyed by identity with the cluster taken from the first path
 * segment. Files are read in sorted order, so the result is deterministic.
 * `unchanged` skips parsing files that are byte-identical to the new output's
 * (most of them, in a typical change: parsing tens of thousands of files
 * costs far more than the synth).
 * @internal
 */
export function readPreviousState(dir: string, unchanged?: UnchangedFile): PreviousState {
  const state = new Map<string, StateObject>();
  const problems: StateReadProblem[] = [];
  const missing = previousOutputProblem(dir);
  if (missing) return { state, problems: [missing] };
  for (const cluster of previousClusterNames(dir)) readPreviousCluster(dir, cluster, unchanged, state, problems);
  return { state, problems };
}

/** The problem of a previous output directory that is not there, or undefined. @internal */
export function previousOutputProblem(dir: string): StateReadProblem | undefined {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return { file: dir, message: 'the previous output directory does not exist' };
  return undefined;
}

function sortedEntries(dir: string): fs.Dirent[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The clusters' directories of a previous output directory, sorted. @internal */
export function previousClusterNames(dir: string): string[] {
  return sortedEntries(dir).filter(e => e.isDirectory() && e.name !== NODE_PROFILES_DIR && !e.name.startsWith('.')).map(e => e.name);
}

/**
 * Reads one cluster's directory of a previous output directory (as
 * {@link readPreviousState} does for all), adding to `state` and `problems`;
 * a cluster that has no directory there has no objects. `read` reads a file
 * (a path relative to `dir`).
 * @internal
 */
export function readPreviousCluster(dir: string, cluster: string, unchanged?: UnchangedFile,
  state = new Map<string, StateObject>(), problems: StateReadProblem[] = [],
  read: (file: string) => string = file => fs.readFileSync(path.join(dir, file), 'utf8')): PreviousState {
  const files: string[] = [];
  const walk = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = sortedEntries(path.join(dir, rel));
    } catch (e) {
      if (rel === cluster && (e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (rel === cluster && e.name === CONTROL_PLANE_DIR) continue;
        walk(r);
      } else if (/\.ya?ml$/.test(e.name) && !(rel === cluster && e.name === 'kustomization.yaml')) {
        files.push(r);
      }
    }
  };
  walk(cluster);
  for (const file of files) {
    if (path.basename(file) === OUTPUT_MARKER) continue;
    let text: string;
    let docs;
    try {
      text = read(file);
      const same = unchanged?.(file, text);
      if (same) {
        const key = stateKey(cluster, same);
        if (!state.has(key)) state.set(key, { cluster, object: same, source: file });
        continue;
      }
      docs = parseAllDocuments(text);
    } catch (e) {
      problems.push({ file, message: (e as Error).message });
      continue;
    }
    for (const doc of docs) {
      if (doc.errors.length > 0) {
        problems.push({ file, message: doc.errors[0].message });
        continue;
      }
      const value = doc.toJS();
      if (value === null || value === undefined) continue;
      if (!isObject(value)) {
        problems.push({ file, message: 'a document is not a Kubernetes object (apiVersion, kind, metadata.name)' });
        continue;
      }
      const key = stateKey(cluster, value);
      if (!state.has(key)) state.set(key, { cluster, object: value, source: file });
    }
  }
  return { state, problems };
}
