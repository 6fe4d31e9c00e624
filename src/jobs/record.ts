/**
 * The record of the regional splits: each region's quota of each node
 * profile, per cluster, as the last synth decided it. It is the
 * `batchQuotaSplits` section of the fleet's lock record (`core/lock-record.ts`),
 * beside the namespace placements: written to `<outdir>/placements.lock.json`,
 * copied to the fleet's `PlacementLock` file, and read back from both on the
 * next synth, so a later synth keeps every share where it is.
 *
 * Outputs written before the split joined the lock record kept it in
 * `<outdir>/batch-quotas.lock.json` (a document of its own); a previous output
 * with that file is still read, so the first synth after the upgrade keeps the
 * split and writes it into the lock record (the old file is not written again).
 */
import { ResourceAmounts } from '../core/resources';

/** The lock record's section of the regional splits. @internal */
export const BATCH_QUOTA_SECTION = 'batchQuotaSplits';
/** The split record of outputs written before it joined the lock record (read, never written). @internal */
export const LEGACY_BATCH_QUOTA_RECORD_FILE = 'batch-quotas.lock.json';
/** `kind` of the legacy record document. @internal */
export const LEGACY_BATCH_QUOTA_RECORD_KIND = 'BatchQuotaSplit';
/** `apiVersion` of the legacy record document. @internal */
export const LEGACY_BATCH_QUOTA_RECORD_API_VERSION = 'fleet.cdk8s.io/v1alpha1';

/** Splits by `<region>/<profile>`, then cluster name. @internal */
export type SplitRecord = ReadonlyMap<string, ReadonlyMap<string, ResourceAmounts>>;

/** Parses the splits section of a lock record (or the legacy document's `splits`); an error names what is wrong. @internal */
export function parseSplitSection(value: unknown): { readonly splits: SplitRecord } | { readonly error: string } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: `${BATCH_QUOTA_SECTION} must be an object keyed by <region>/<profile>` };
  const out = new Map<string, Map<string, ResourceAmounts>>();
  for (const [key, shares] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[^/]+\/[^/]+$/.test(key)) return { error: `split '${key}' must be keyed <region>/<profile>` };
    if (!shares || typeof shares !== 'object' || Array.isArray(shares)) return { error: `split '${key}' must be an object keyed by cluster` };
    const m = new Map<string, ResourceAmounts>();
    for (const [cluster, a] of Object.entries(shares as Record<string, unknown>)) {
      const r = a as Partial<ResourceAmounts> | null;
      const whole = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
      if (!r || typeof r !== 'object' || !whole(r.cpuMillis) || !whole(r.memoryMiB) || !whole(r.gpus)) {
        return { error: `share of '${cluster}' in '${key}' must have whole, non-negative cpuMillis, memoryMiB and gpus` };
      }
      m.set(cluster, { cpuMillis: r.cpuMillis!, memoryMiB: r.memoryMiB!, gpus: r.gpus! });
    }
    out.set(key, m);
  }
  return { splits: out };
}

/** Parses a legacy record document (`batch-quotas.lock.json`). @internal */
export function parseLegacySplitRecord(text: string): { readonly splits: SplitRecord } | { readonly error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON: ${(e as Error).message}` };
  }
  const d = doc as { apiVersion?: unknown; kind?: unknown; splits?: unknown } | null;
  if (!d || typeof d !== 'object' || d.kind !== LEGACY_BATCH_QUOTA_RECORD_KIND || d.apiVersion !== LEGACY_BATCH_QUOTA_RECORD_API_VERSION) {
    return { error: `expected a document with apiVersion '${LEGACY_BATCH_QUOTA_RECORD_API_VERSION}' and kind '${LEGACY_BATCH_QUOTA_RECORD_KIND}'` };
  }
  return parseSplitSection(d.splits);
}

const byKey = <T>(m: ReadonlyMap<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The splits section of the lock record: sorted keys, fixed field order. @internal */
export function splitSection(splits: SplitRecord): Record<string, Record<string, ResourceAmounts>> {
  return Object.fromEntries(byKey(splits).map(([key, shares]) => [
    key,
    Object.fromEntries(byKey(shares).map(([c, a]) => [c, { cpuMillis: a.cpuMillis, memoryMiB: a.memoryMiB, gpus: a.gpus }])),
  ]));
}

/** Whether two recorded splits of one key are the same shares (a cluster of no share counts as absent). @internal */
export function sameShares(a: ReadonlyMap<string, ResourceAmounts>, b: ReadonlyMap<string, ResourceAmounts>): boolean {
  const held = (m: ReadonlyMap<string, ResourceAmounts>) => [...m.entries()].filter(([, x]) => x.cpuMillis > 0 || x.memoryMiB > 0 || x.gpus > 0);
  const x = held(a);
  if (x.length !== held(b).length) return false;
  return x.every(([c, s]) => {
    const t = b.get(c);
    return t !== undefined && t.cpuMillis === s.cpuMillis && t.memoryMiB === s.memoryMiB && t.gpus === s.gpus;
  });
}

/** One source of recorded splits, parsed (or why not), with where it was read. @internal */
export interface SplitRecordSource {
  /** What was read, for messages. */
  readonly where: string;
  /** Construct path problems with it are reported at. */
  readonly at: string;
  /** The parsed splits, or why they could not be parsed. */
  readonly parsed: { readonly splits: SplitRecord } | { readonly error: string };
}

/** A problem of merging split records. @internal */
export type SplitRecordProblem =
  | { readonly kind: 'parse'; readonly where: string; readonly at: string; readonly error: string }
  | {
    readonly kind: 'conflict';
    readonly key: string;
    readonly at: string;
    readonly first: { readonly where: string; readonly shares: ReadonlyMap<string, ResourceAmounts> };
    readonly second: { readonly where: string; readonly shares: ReadonlyMap<string, ResourceAmounts> };
  };

/**
 * Merges the recorded splits of several sources, in precedence order: each
 * `<region>/<profile>` is taken from the first source that records it; a later
 * source that records other shares for it is a conflict (the first is kept).
 * Pure. @internal
 */
export function mergeSplitRecords(
  sources: readonly SplitRecordSource[],
): { readonly splits: SplitRecord; readonly problems: readonly SplitRecordProblem[] } {
  const out = new Map<string, ReadonlyMap<string, ResourceAmounts>>();
  const origin = new Map<string, string>();
  const problems: SplitRecordProblem[] = [];
  for (const s of sources) {
    if ('error' in s.parsed) {
      problems.push({ kind: 'parse', where: s.where, at: s.at, error: s.parsed.error });
      continue;
    }
    for (const [key, shares] of s.parsed.splits) {
      const prev = out.get(key);
      if (!prev) {
        out.set(key, shares);
        origin.set(key, s.where);
      } else if (!sameShares(prev, shares)) {
        problems.push({ kind: 'conflict', key, at: s.at, first: { where: origin.get(key)!, shares: prev }, second: { where: s.where, shares } });
      }
    }
  }
  return { splits: out, problems };
}
