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
    out.set(app, { cluster: p.cluster, namespace: p.namespace, nodeProfile: p.nodeProfile });
  }
  return { placements: out, sections: doc.sections };
}

/** The placements section of the lock record: sorted by app, fixed key order. @internal */
export function placementsSection(placements: ReadonlyMap<string, LockedPlacement>): Record<string, LockedPlacement> {
  const sorted = [...placements.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(sorted.map(([app, p]) => [app, { cluster: p.cluster, namespace: p.namespace, nodeProfile: p.nodeProfile }]));
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
