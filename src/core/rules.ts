/**
 * The rule catalogue's vocabulary: what a catalogued rule says about itself,
 * and the type of the rule ids {@link Violations} accepts.
 *
 * Every rule a synth can report is an entry of one catalogue: one per layer,
 * in the layer's folder (`src/<layer>/rule-catalogue.ts`), and one for the
 * synth's own rules (`src/synth/rule-catalogue.ts`). The docs' rule tables are
 * generated from them.
 *
 * Core sits below every layer and must not import one, so the catalogues reach
 * the `rule` parameter of `Violations.error`, `warning` and `add` by
 * declaration merging: this module declares the empty interface
 * {@link RuleIds}, and each catalogue module adds its ids to it
 * (`declare module '../core/rules' { interface RuleIds extends RuleIdsOf<typeof X> {} }`).
 * A string that no catalogue lists is not a {@link RuleId}, so `tsc` fails on an
 * uncatalogued id at the call site, and on an error raised with a rule the
 * catalogue fixes as a warning (or the other way round). Call sites stay as
 * they are: a string literal in the `rule` position is checked where it is
 * written.
 *
 * @module
 */
/** How serious a violation is: errors fail the synth, warnings are printed. */
export type Severity = 'error' | 'warning';

/** Who raises a rule: a layer of the platform (its folder name), or the synth itself. @internal */
export type RuleLayer = 'machines' | 'clusters' | 'control-plane' | 'tenancy' | 'workloads' | 'jobs' | 'maintenance' | 'guardrails' | 'synth';

/** One catalogued rule. @internal */
export interface RuleEntry {
  /** What the rule protects, in one line. */
  readonly summary: string;
  /** The fix, in general terms; a call site may name a more specific one (with the offending values). */
  readonly fix: string;
  /**
   * The one severity the rule is raised with.
   * @default - none: the severity depends on the case (e.g. approved by an override) or on the configuration
   */
  readonly severity?: Severity;
  /**
   * Why the rule is catalogued though no check raises it (yet): a reserved id, kept stable.
   * @default - not reserved: some check raises the rule
   */
  readonly reserved?: string;
}

/** A layer's rules, by id. @internal */
export interface RuleCatalogue<R extends { readonly [id: string]: RuleEntry } = { readonly [id: string]: RuleEntry }> {
  /** The layer that raises these rules. */
  readonly layer: RuleLayer;
  /** Every rule of the layer, by id. */
  readonly rules: R;
}

/**
 * Declares a catalogue. `const` keeps each entry's literal severity, which
 * {@link RuleIdsOf} turns into the severity a call site may raise the rule with.
 * @internal
 */
export function ruleCatalogue<const R extends { readonly [id: string]: RuleEntry }>(layer: RuleLayer, rules: R): RuleCatalogue<R> {
  return { layer, rules };
}

/** A whole number with its thousands grouped, for catalogue texts: 150000 → '150,000'. @internal */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Every catalogued rule id, mapped to the severities it may be raised with.
 * Empty here; each catalogue module adds its rules (see the module comment).
 * @internal
 */
export interface RuleIds {}

/** The entries a catalogue adds to {@link RuleIds}: each id with its fixed severity, or both. @internal */
export type RuleIdsOf<C extends RuleCatalogue> = {
  readonly [K in keyof C['rules']]: C['rules'][K] extends { readonly severity: infer S extends Severity } ? S : Severity;
};

/** A catalogued rule id. @internal */
export type RuleId = keyof RuleIds & string;

/** A rule id that may be raised as an error. @internal */
export type ErrorRuleId = { [K in RuleId]: 'error' extends RuleIds[K] ? K : never }[RuleId];

/** A rule id that may be raised as a warning. @internal */
export type WarningRuleId = { [K in RuleId]: 'warning' extends RuleIds[K] ? K : never }[RuleId];
