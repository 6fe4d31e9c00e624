/**
 * The placement lock: the record of where every app namespace lives,
 * committed with the fleet program, so routing never moves a namespace on its
 * own (a move is an outage). See docs/tenancy.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { LOCK_RECORD_API_VERSION, LOCK_RECORD_FILE, LOCK_RECORD_KIND, LockSections, parseLockRecord } from '../core/lock-record';

/** Path of the updated placement record (the fleet's lock record) in the output tree. */
export const PLACEMENT_RECORD_FILE = LOCK_RECORD_FILE;
/** `kind` of the placement record document. @internal */
export const PLACEMENT_LOCK_KIND = LOCK_RECORD_KIND;
/** `apiVersion` of the placement record document. @internal */
export const PLACEMENT_LOCK_API_VERSION = LOCK_RECORD_API_VERSION;
/** The lock record's section of the placements. @internal */
export const PLACEMENTS_SECTION = 'placements';

/** Where one namespace lives. */
export interface LockedPlacement {
  /** Workload cluster name. */
  readonly cluster: string;
  /** Namespace name. */
  readonly namespace: string;
  /** Node profile it was placed for. */
  readonly nodeProfile: string;
  /** A federated namespace's clusters, in order (`cluster` is the first). @default - one cluster */
  readonly clusters?: readonly string[];
  /** A federated namespace's shares: workload name → cluster → replicas. @default - not federated */
  readonly shares?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * Why the federation fields of a recorded placement are malformed, or
 * undefined: `clusters` a list of at least two distinct names starting with
 * `cluster`, `shares` whole replica counts of those clusters. @internal
 */
export function federationRecordProblem(
  p: { readonly cluster: unknown; readonly clusters?: unknown; readonly shares?: unknown },
): string | undefined {
  if (p.clusters === undefined && p.shares === undefined) return undefined;
  const clusters = p.clusters;
  if (!Array.isArray(clusters) || clusters.length < 2 || !clusters.every(c => typeof c === 'string') || new Set(clusters).size !== clusters.length || clusters[0] !== p.cluster) {
    return 'clusters must list two or more distinct cluster names, the first being cluster';
  }
  const shares = p.shares ?? {};
  if (typeof shares !== 'object' || shares === null || Array.isArray(shares)) return 'shares must be an object keyed by workload name';
  for (const [w, byCluster] of Object.entries(shares as Record<string, unknown>)) {
    if (typeof byCluster !== 'object' || byCluster === null || Array.isArray(byCluster)) return `shares of '${w}' must be an object keyed by cluster`;
    for (const [c, n] of Object.entries(byCluster as Record<string, unknown>)) {
      if (!clusters.includes(c) || typeof n !== 'number' || !Number.isInteger(n) || n < 0) return `share of '${w}' in '${c}' must be a whole number of replicas of one of its clusters`;
    }
  }
  return undefined;
}

/** Props of {@link PlacementLock}. */
export interface PlacementLockProps {
  /**
   * The lock file committed with the fleet program (JSON, as written to
   * `<outdir>/placements.lock.json`); relative paths resolve against the
   * working directory. A missing file is an empty record (with a warning).
   * @default - no file; only `placements`
   */
  readonly file?: string;
  /** Placements given in code, by app name (take precedence over nothing; conflicting with the file is an error). @default {} */
  readonly placements?: Readonly<Record<string, LockedPlacement>>;
}

/**
 * The fleet's placement lock. Declare at most one, anywhere in the fleet:
 * `new PlacementLock(fleet, 'placements', { file: 'fleet.lock.json' })`.
 */
export class PlacementLock extends Construct {
  /** The props as given. */
  public readonly props: PlacementLockProps;

  constructor(scope: Construct, id: string, props: PlacementLockProps = {}) {
    super(scope, id);
    this.props = props;
  }

  /** The lock file's absolute path, if any. */
  public get filePath(): string | undefined {
    return this.props.file === undefined ? undefined : path.resolve(this.props.file);
  }
}

/** A parsed record (its placements, and every section as read), or why it could not be parsed. @internal */
export type ParsedPlacementLock =
  | { readonly placements: ReadonlyMap<string, LockedPlacement>; readonly sections: LockSections }
  | { readonly error: string };

/**
 * Parses a lock record document: its placements (none when the record has no
 * placements section: a fleet without app namespaces) and its other sections,
 * which the layers that own them check. @internal
 */
export function parsePlacementLock(text: string): ParsedPlacementLock {
  const doc = parseLockRecord(text);
  if ('error' in doc) return doc;
  const placements = doc.sections[PLACEMENTS_SECTION];
  const out = new Map<string, LockedPlacement>();
  if (placements === undefined) return { placements: out, sections: doc.sections };
  if (!placements || typeof placements !== 'object' || Array.isArray(placements)) return { error: 'placements must be an object keyed by app name' };
  for (const [app, v] of Object.entries(placements as Record<string, unknown>)) {
    const p = v as Partial<LockedPlacement> | null;
    if (!p || typeof p.cluster !== 'string' || typeof p.namespace !== 'string' || typeof p.nodeProfile !== 'string') {
      return { error: `placement of '${app}' must have string fields cluster, namespace and nodeProfile` };
    }
    const problem = federationRecordProblem(p as LockedPlacement);
    if (problem) return { error: `placement of '${app}': ${problem}` };
    out.set(app, copyPlacement(p as LockedPlacement));
  }
  return { placements: out, sections: doc.sections };
}

/** A placement in the record's fixed key order: cluster, namespace, node profile, then a federation's clusters and shares (workloads sorted, each cluster in the clusters' order). @internal */
export function copyPlacement(p: LockedPlacement): LockedPlacement {
  if (p.clusters === undefined) return { cluster: p.cluster, namespace: p.namespace, nodeProfile: p.nodeProfile };
  const clusters = [...p.clusters];
  const shares = Object.entries(p.shares ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([w, byCluster]) => [w, Object.fromEntries(clusters.filter(c => byCluster[c] !== undefined).map(c => [c, byCluster[c]]))]);
  return { cluster: p.cluster, namespace: p.namespace, nodeProfile: p.nodeProfile, clusters, shares: Object.fromEntries(shares) };
}

/** The placements section of the lock record: sorted by app, fixed key order. @internal */
export function placementsSection(placements: ReadonlyMap<string, LockedPlacement>): Record<string, LockedPlacement> {
  const sorted = [...placements.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(sorted.map(([app, p]) => [app, copyPlacement(p)]));
}

/**
 * Writes a placement record to a lock file atomically (a temporary file
 * renamed over it), when its content differs. Returns true when it wrote.
 * @internal
 */
export function writePlacementLockFile(file: string, record: string): boolean {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === record) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, record);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return true;
}

/**
 * Writes the placement record a synth produced back to the fleet's lock file
 * (atomically: a temporary file renamed over it), when it changed. Returns the
 * path written, or undefined when there is no lock file or nothing changed.
 * `fleet.synth()` and `cdk8s-fleet synth` do it after writing the output; call
 * it after `fleet.synthesize()`, e.g. `updatePlacementLock(fleet.synthesize())`.
 */
export function updatePlacementLock(
  result: { readonly files: ReadonlyMap<string, string>; readonly plan: { readonly tenancy: { readonly lockFile?: string } } },
): string | undefined {
  const file = result.plan.tenancy.lockFile;
  const record = result.files.get(PLACEMENT_RECORD_FILE);
  if (!file || record === undefined) return undefined;
  return writePlacementLockFile(file, record) ? file : undefined;
}
