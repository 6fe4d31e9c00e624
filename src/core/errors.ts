/**
 * Violations: the one way every layer reports bad input.
 *
 * A synth collects every violation of the whole fleet before failing, so a
 * platform engineer sees all problems in one run, each with the construct path
 * that caused it, the rule it broke and how to fix it.
 */

import { ErrorRuleId, Severity, WarningRuleId } from './rules';

export type { Severity };

/** One broken rule, at one place in the construct tree. */
export interface Violation {
  /** Stable rule id, e.g. `pool.capacity.non-negative`. */
  readonly rule: string;
  /** `error` fails the synth; `warning` is reported and the synth goes on. */
  readonly severity: Severity;
  /** Construct path of the offending construct, e.g. `fleet/lva1-prod-1/general`. */
  readonly path: string;
  /** What is wrong, with the offending values. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * A violation of a catalogued rule, raised with a severity its catalogue
 * allows: what {@link Violations.add} takes.
 * @internal
 */
export type CataloguedViolation = Omit<Violation, 'rule' | 'severity'> & (
  | { readonly rule: ErrorRuleId; readonly severity: 'error' }
  | { readonly rule: WarningRuleId; readonly severity: 'warning' });

/** Formats one violation as a readable, two-line entry. @internal */
export function formatViolation(v: Violation): string {
  return `[${v.severity}] ${v.path}: ${v.message} (rule ${v.rule})\n    fix: ${v.fix}`;
}

/** Orders violations deterministically: errors first, then by path, rule and message. @internal */
export function sortViolations(violations: readonly Violation[]): Violation[] {
  const rank = (s: Severity) => (s === 'error' ? 0 : 1);
  return [...violations].sort((a, b) =>
    rank(a.severity) - rank(b.severity)
    || cmp(a.path, b.path)
    || cmp(a.rule, b.rule)
    || cmp(a.message, b.message));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Thrown by a synth whose input breaks one or more rules. Carries every
 * violation (errors and warnings); nothing has been written when it is thrown.
 */
export class FleetValidationError extends Error {
  /** Every violation found, errors first. */
  public readonly violations: readonly Violation[];

  constructor(violations: readonly Violation[]) {
    const sorted = sortViolations(violations);
    const errors = sorted.filter(v => v.severity === 'error');
    super(`cdk8s-fleet: synth failed with ${errors.length} error(s); nothing was written.\n`
      + sorted.map(formatViolation).join('\n'));
    this.name = 'FleetValidationError';
    this.violations = sorted;
  }

  /** Only the violations of severity `error`. */
  public get errors(): Violation[] {
    return this.violations.filter(v => v.severity === 'error');
  }

  /** The violations as plain JSON, for machines (the CLI's `--json`). */
  public toJSON(): { violations: readonly Violation[] } {
    return { violations: this.violations };
  }
}

/** Collects violations during one synth. @internal */
export class Violations {
  private readonly items: Violation[] = [];

  /** Records an error of a rule catalogued as an error (or as either). */
  public error(path: string, rule: ErrorRuleId, message: string, fix: string): void {
    this.items.push({ rule, severity: 'error', path, message, fix });
  }

  /** Records a warning of a rule catalogued as a warning (or as either). */
  public warning(path: string, rule: WarningRuleId, message: string, fix: string): void {
    this.items.push({ rule, severity: 'warning', path, message, fix });
  }

  /** Records an already-built violation of a catalogued rule. */
  public add(v: CataloguedViolation): void {
    this.items.push(v);
  }

  /** All violations so far, sorted. */
  public all(): Violation[] {
    return sortViolations(this.items);
  }

  /** True when at least one error was recorded. */
  public get hasErrors(): boolean {
    return this.items.some(v => v.severity === 'error');
  }

  /** How many errors were recorded so far. */
  public get errorCount(): number {
    return this.items.reduce((n, v) => n + (v.severity === 'error' ? 1 : 0), 0);
  }

  /** Only the warnings, sorted. */
  public warnings(): Violation[] {
    return this.all().filter(v => v.severity === 'warning');
  }

  /** Throws a {@link FleetValidationError} when any error was recorded. */
  public throwIfErrors(): void {
    if (this.hasErrors) {
      throw new FleetValidationError(this.items);
    }
  }
}
