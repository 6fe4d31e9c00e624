/**
 * The fleet's lock record: one JSON document that keeps the decisions a later
 * synth must not take afresh (a change of them moves something that runs).
 * Each section belongs to one layer: `placements` (where every app namespace
 * lives, tenancy) and `batchQuotaSplits` (each regional batch quota's split
 * over its clusters, jobs). The synth writes it to `<outdir>/placements.lock.json`;
 * `fleet.synth()` and `cdk8s-fleet synth` copy it to the file of the fleet's
 * `PlacementLock`, and the next synth reads both back. The layers add their
 * sections while rendering (`RenderContext.addLockSection`) and the pipeline
 * writes the document once, sections in the order of the layers.
 */

/** Path of the lock record in the output tree (public as `PLACEMENT_RECORD_FILE`). @internal */
export const LOCK_RECORD_FILE = 'placements.lock.json';
/** `kind` of the lock record document (its first section were placements). @internal */
export const LOCK_RECORD_KIND = 'PlacementLock';
/** `apiVersion` of the lock record document. @internal */
export const LOCK_RECORD_API_VERSION = 'fleet.cdk8s.io/v1alpha1';

/** The sections of a lock record, by name (JSON values). @internal */
export type LockSections = Readonly<Record<string, unknown>>;

/**
 * Parses a lock record document into its sections (each checked by the layer
 * that owns it); an error names what is wrong with the document itself.
 * @internal
 */
export function parseLockRecord(text: string): { readonly sections: LockSections } | { readonly error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON: ${(e as Error).message}` };
  }
  const d = doc as { apiVersion?: unknown; kind?: unknown } | null;
  if (!d || typeof d !== 'object' || Array.isArray(d) || d.kind !== LOCK_RECORD_KIND || d.apiVersion !== LOCK_RECORD_API_VERSION) {
    return { error: `expected a document with apiVersion '${LOCK_RECORD_API_VERSION}' and kind '${LOCK_RECORD_KIND}'` };
  }
  const sections: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (k !== 'apiVersion' && k !== 'kind') sections[k] = v;
  return { sections };
}

/**
 * Serializes a lock record: the sections in the order given (each a JSON
 * value whose own key order is fixed by its layer), two-space JSON and a final
 * newline, so the same decisions are the same bytes.
 * @internal
 */
export function serializeLockRecord(sections: ReadonlyArray<readonly [string, unknown]>): string {
  const doc: Record<string, unknown> = { apiVersion: LOCK_RECORD_API_VERSION, kind: LOCK_RECORD_KIND };
  for (const [name, value] of sections) doc[name] = value;
  return `${JSON.stringify(doc, null, 2)}\n`;
}
