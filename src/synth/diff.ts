/**
 * Object-level diff of two synthesized outputs: per cluster, the objects
 * added, removed and changed (with the changed field paths), and the non-object
 * files that differ. Pure: works on {@link OutputTree}s.
 */
import { OutputObject, OutputTree, parseOutputTree } from './read';

/** Reference to one object in a diff. */
export interface ObjectRef {
  /** `apiVersion` of the object (the newer one when both exist). */
  readonly apiVersion: string;
  /** Kind. */
  readonly kind: string;
  /** Namespace, for namespaced objects. */
  readonly namespace?: string;
  /** Name. */
  readonly name: string;
  /** Relative file path in the output. */
  readonly file: string;
}

/** A changed object and the field paths that differ. */
export interface ChangedObject extends ObjectRef {
  /** Changed field paths, e.g. `spec.replicas`, `spec.template.spec.containers[name=app].image`. */
  readonly fields: readonly string[];
}

/** The changes of one cluster. */
export interface ClusterDiff {
  /** Cluster name (its output directory). */
  readonly cluster: string;
  /** Objects only in the new output. */
  readonly added: readonly ObjectRef[];
  /** Objects only in the old output. */
  readonly removed: readonly ObjectRef[];
  /** Objects in both whose content differs. */
  readonly changed: readonly ChangedObject[];
}

/** Differences of two outputs. */
export interface OutputDiff {
  /** Per cluster with at least one change, sorted by cluster. */
  readonly clusters: readonly ClusterDiff[];
  /** Non-object files (kubelet configs, kustomizations...) added, removed or changed, by path. */
  readonly files: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] };
  /** True when both outputs have identical files (byte for byte). */
  readonly identical: boolean;
}

/** At most this many field paths are listed per changed object. */
export const MAX_FIELDS_PER_OBJECT = 50;

/** Diffs two outputs by object identity. */
export function diffOutputs(before: OutputTree, after: OutputTree): OutputDiff {
  const clusters = new Map<string, { added: ObjectRef[]; removed: ObjectRef[]; changed: ChangedObject[] }>();
  const of = (c: string) => {
    let d = clusters.get(c);
    if (!d) {
      d = { added: [], removed: [], changed: [] };
      clusters.set(c, d);
    }
    return d;
  };
  const objectFiles = new Set<string>();
  for (const o of before.objects.values()) objectFiles.add(o.file);
  for (const o of after.objects.values()) objectFiles.add(o.file);

  for (const [key, a] of after.objects) {
    const b = before.objects.get(key);
    if (!b) {
      of(a.cluster).added.push(ref(a));
      continue;
    }
    const fields = changedFields(b.object, a.object);
    if (fields.length > 0 || a.file !== b.file) {
      of(a.cluster).changed.push({ ...ref(a), fields: fields.length > 0 ? fields.slice(0, MAX_FIELDS_PER_OBJECT) : ['(file moved)'] });
    }
  }
  for (const [key, b] of before.objects) {
    if (!after.objects.has(key)) of(b.cluster).removed.push(ref(b));
  }

  const files = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
  for (const [file, content] of after.files) {
    if (objectFiles.has(file)) continue;
    const old = before.files.get(file);
    if (old === undefined) files.added.push(file);
    else if (old !== content) files.changed.push(file);
  }
  for (const file of before.files.keys()) {
    if (!objectFiles.has(file) && !after.files.has(file)) files.removed.push(file);
  }

  let identical = before.files.size === after.files.size;
  if (identical) {
    for (const [file, content] of after.files) {
      if (before.files.get(file) !== content) {
        identical = false;
        break;
      }
    }
  }
  const byRef = (x: ObjectRef, y: ObjectRef) => cmp(x.file, y.file);
  return {
    clusters: [...clusters.entries()].sort(([x], [y]) => cmp(x, y)).map(([cluster, d]) => ({
      cluster,
      added: d.added.sort(byRef),
      removed: d.removed.sort(byRef),
      changed: d.changed.sort(byRef),
    })),
    files: { added: files.added.sort(cmp), removed: files.removed.sort(cmp), changed: files.changed.sort(cmp) },
    identical,
  };
}

/**
 * {@link diffOutputs} of two outputs given as their files (relative path →
 * content): files are compared byte for byte first, and only the files whose
 * bytes differ (or that only one output has) are parsed, so identical outputs
 * parse nothing. An object's file is determined by its identity, so an object
 * of an identical file is the same object, unchanged, on both sides.
 */
export function diffOutputFiles(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): OutputDiff {
  const onlyBefore = new Map<string, string>();
  const onlyAfter = new Map<string, string>();
  for (const [file, content] of before) if (after.get(file) !== content) onlyBefore.set(file, content);
  for (const [file, content] of after) if (before.get(file) !== content) onlyAfter.set(file, content);
  const b = parseOutputTree(onlyBefore);
  const a = parseOutputTree(onlyAfter);
  return diffOutputs({ ...b, files: before }, { ...a, files: after });
}

/** Number of objects added, removed and changed over all clusters. @internal */
export function diffCounts(d: OutputDiff): { added: number; removed: number; changed: number; files: number } {
  let added = 0, removed = 0, changed = 0;
  for (const c of d.clusters) {
    added += c.added.length;
    removed += c.removed.length;
    changed += c.changed.length;
  }
  return { added, removed, changed, files: d.files.added.length + d.files.removed.length + d.files.changed.length };
}

/**
 * The field paths where two JSON values differ. Lists of objects that all
 * carry a `name` are compared by name (`containers[name=app]`), other lists
 * by index.
 * @internal
 */
export function changedFields(before: unknown, after: unknown, at = ''): string[] {
  if (before === after) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const named = (l: unknown[]) => l.every(x => !!x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string');
    if (named(before) && named(after)) {
      const out: string[] = [];
      const bm = new Map(before.map(x => [(x as { name: string }).name, x]));
      const am = new Map(after.map(x => [(x as { name: string }).name, x]));
      if (bm.size !== before.length || am.size !== after.length) return indexDiff(before, after, at);
      for (const [n, a] of am) out.push(...changedFields(bm.get(n), a, `${at}[name=${n}]`));
      for (const n of bm.keys()) if (!am.has(n)) out.push(`${at}[name=${n}]`);
      const order = (m: Map<string, unknown>) => [...m.keys()].join('\u0000');
      if (out.length === 0 && order(bm) !== order(am)) out.push(`${at} (order)`);
      return out;
    }
    return indexDiff(before, after, at);
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const out: string[] = [];
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of [...keys].sort(cmp)) {
      out.push(...changedFields(before[k], after[k], at ? `${at}.${fieldName(k)}` : fieldName(k)));
    }
    return out;
  }
  return [at || '(root)'];
}

function indexDiff(before: unknown[], after: unknown[], at: string): string[] {
  const out: string[] = [];
  const n = Math.max(before.length, after.length);
  for (let i = 0; i < n; i++) out.push(...changedFields(before[i], after[i], `${at}[${i}]`));
  return out;
}

function fieldName(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : `"${k}"`;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

function ref(o: OutputObject): ObjectRef {
  const md = o.object.metadata;
  return { apiVersion: o.object.apiVersion, kind: o.object.kind, ...(md.namespace ? { namespace: md.namespace } : {}), name: md.name, file: o.file };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
