/**
 * The record of the regional splits: each region's quota of each node
 * profile, per cluster, as the last synth decided it. Written to
 * `<outdir>/batch-quotas.lock.json` beside the placement record and read back
 * from the previous output, so a later synth keeps every share where it is
 * (like namespace placements). Byte-stable JSON.
 */
import { ResourceAmounts } from '../core/resources';

/** Path of the split record in the output tree. */
export const BATCH_QUOTA_RECORD_FILE = 'batch-quotas.lock.json';
/** `kind` of the record document. @internal */
export const BATCH_QUOTA_RECORD_KIND = 'BatchQuotaSplit';
/** `apiVersion` of the record document. @internal */
export const BATCH_QUOTA_RECORD_API_VERSION = 'fleet.cdk8s.io/v1alpha1';

/** Splits by `<region>/<profile>`, then cluster name. @internal */
export type SplitRecord = ReadonlyMap<string, ReadonlyMap<string, ResourceAmounts>>;

/** Parses a record document; an error names what is wrong. @internal */
export function parseSplitRecord(text: string): { readonly splits: SplitRecord } | { readonly error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON: ${(e as Error).message}` };
  }
  const d = doc as { apiVersion?: unknown; kind?: unknown; splits?: unknown };
  if (!d || typeof d !== 'object' || d.kind !== BATCH_QUOTA_RECORD_KIND || d.apiVersion !== BATCH_QUOTA_RECORD_API_VERSION) {
    return { error: `expected a document with apiVersion '${BATCH_QUOTA_RECORD_API_VERSION}' and kind '${BATCH_QUOTA_RECORD_KIND}'` };
  }
  if (!d.splits || typeof d.splits !== 'object' || Array.isArray(d.splits)) return { error: 'splits must be an object keyed by <region>/<profile>' };
  const out = new Map<string, Map<string, ResourceAmounts>>();
  for (const [key, shares] of Object.entries(d.splits as Record<string, unknown>)) {
    if (!shares || typeof shares !== 'object' || Array.isArray(shares)) return { error: `split '${key}' must be an object keyed by cluster` };
    const m = new Map<string, ResourceAmounts>();
    for (const [cluster, a] of Object.entries(shares as Record<string, unknown>)) {
      const r = a as Partial<ResourceAmounts> | null;
      const whole = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
      if (!r || !whole(r.cpuMillis) || !whole(r.memoryMiB) || !whole(r.gpus)) {
        return { error: `share of '${cluster}' in '${key}' must have whole, non-negative cpuMillis, memoryMiB and gpus` };
      }
      m.set(cluster, { cpuMillis: r.cpuMillis!, memoryMiB: r.memoryMiB!, gpus: r.gpus! });
    }
    out.set(key, m);
  }
  return { splits: out };
}

const byKey = <T>(m: ReadonlyMap<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Serializes a record: sorted keys, fixed field order, two-space JSON and a final newline. @internal */
export function serializeSplitRecord(splits: SplitRecord): string {
  const doc = {
    apiVersion: BATCH_QUOTA_RECORD_API_VERSION,
    kind: BATCH_QUOTA_RECORD_KIND,
    splits: Object.fromEntries(byKey(splits).map(([key, shares]) => [
      key,
      Object.fromEntries(byKey(shares).map(([c, a]) => [c, { cpuMillis: a.cpuMillis, memoryMiB: a.memoryMiB, gpus: a.gpus }])),
    ])),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
