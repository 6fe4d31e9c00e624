/**
 * The inputs of one synth that steer the change-aware rules — the previous
 * output and the explicit overrides — resolved from one place for the CLI and
 * for a fleet program alike: given values (CLI flags, or `SynthOptions` in
 * code) win over environment variables, overrides from both are merged, and
 * the output directory a synth replaces is the previous output unless told
 * otherwise. Pure apart from looking at that directory.
 */
import * as fs from 'fs';

/** Environment variables of the synth inputs (the same names as `SynthEnv`). @internal */
export const INPUT_ENV = {
  /** Previous output directory. */
  PREVIOUS: 'CDK8S_FLEET_PREVIOUS',
  /** `1` (or `true`, `yes`) skips the change-aware guardrails. */
  NO_PREVIOUS: 'CDK8S_FLEET_NO_PREVIOUS',
  /** Comma-separated overrides. */
  OVERRIDES: 'CDK8S_FLEET_OVERRIDES',
} as const;

/**
 * Environment variables the `cdk8s-fleet` CLI uses to steer a fleet program's
 * synth. They live here, apart from the `Fleet`, so that the CLI's reading verbs
 * (`plan`, `diff`) name them without loading the library's layers.
 */
export const SynthEnv = {
  /** Output directory (overrides the fleet's `outdir`). */
  OUTDIR: 'CDK8S_FLEET_OUTDIR',
  /** Previous output directory (see `SynthOptions.previousOutdir`). */
  PREVIOUS: INPUT_ENV.PREVIOUS,
  /** `1` skips the change-aware guardrails (see `SynthOptions.noPrevious`). */
  NO_PREVIOUS: INPUT_ENV.NO_PREVIOUS,
  /** Comma-separated overrides (see `SynthOptions.overrides`). */
  OVERRIDES: INPUT_ENV.OVERRIDES,
  /** File `synth()` writes the violations to (JSON) when the synth fails validation. */
  ERRORS_JSON: 'CDK8S_FLEET_ERRORS_JSON',
  /**
   * File `synth()` writes its report to (JSON: the placement lock file the
   * fleet reads, if any) after a successful synth. When it is set, the caller
   * (the CLI) writes the lock file and prints the previous-output notices, so
   * `synth()` does neither.
   */
  REPORT_JSON: 'CDK8S_FLEET_REPORT_JSON',
  /**
   * An output directory to compare with instead of replacing it (`synth
   * --check`): `synth()` then writes to its outdir only the files whose bytes
   * differ from that directory's, and lists every differing path (added,
   * changed, removed) in its report.
   */
  CHECK: 'CDK8S_FLEET_CHECK',
} as const;

/** How the caller names its given inputs in messages (`--previous` on the CLI, `previousOutdir` in code). @internal */
export interface InputNames {
  /** Name of the previous-output input (e.g. `--previous`). */
  readonly previous: string;
  /** Name of the skip input (e.g. `--no-previous`). */
  readonly noPrevious: string;
}

/** Names of the CLI's flags. @internal */
export const CLI_INPUT_NAMES: InputNames = { previous: '--previous', noPrevious: '--no-previous' };
/** Names of the `SynthOptions` fields. @internal */
export const OPTION_INPUT_NAMES: InputNames = { previous: 'previousOutdir', noPrevious: 'noPrevious' };

/** Inputs given directly (flags or options); each wins over its environment variable. @internal */
export interface GivenInputs {
  /** Previous output directory. @default - env CDK8S_FLEET_PREVIOUS, else the directory being replaced */
  readonly previous?: string;
  /** Skip the change-aware guardrails. @default - env CDK8S_FLEET_NO_PREVIOUS, else false */
  readonly noPrevious?: boolean;
  /** Overrides, `<rule>:<target>`; merged with env CDK8S_FLEET_OVERRIDES. @default - none */
  readonly overrides?: readonly string[];
}

/** The resolved inputs. @internal */
export interface ResolvedInputs {
  /** Previous output to compare with; undefined when the change rules do not run. */
  readonly previous?: string;
  /** Where `previous` came from: named explicitly (it must exist), or the output directory being replaced. */
  readonly previousSource?: 'given' | 'env' | 'output';
  /** Overrides: the given ones first, then those of the environment not given; trimmed, without duplicates. */
  readonly overrides: readonly string[];
  /** Why the change rules do not run, for a notice on stderr. @default - they run, or nothing asked for them */
  readonly notice?: string;
}

/** Bad input: contradicting inputs, or an unreadable environment variable. */
export class SynthInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthInputError';
  }
}

/** Splits a comma-separated override list. @internal */
export function splitOverrides(text: string | undefined): string[] {
  return (text ?? '').split(',').map(s => s.trim()).filter(s => s.length > 0);
}

function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false' || v === 'no') return false;
  if (v === '1' || v === 'true' || v === 'yes') return true;
  throw new SynthInputError(`env ${name}='${raw}' is neither true nor false; set it to 1 to skip the change-aware guardrails, or unset it`);
}

/** True when a directory exists and has any entry (a previous output, or something a synth would refuse to replace). @internal */
export function holdsOutput(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory() && fs.readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** The notice printed when the change rules are skipped on request. @internal */
export function skippedNotice(how: string): string {
  return `change-aware guardrails skipped (${how}): scale-downs, deletions of protected objects and namespace moves are not checked against the previous output`;
}

/** The notice printed when the output directory holds nothing to compare with. @internal */
export function nothingToCompareNotice(dir: string): string {
  return `nothing to compare with: ${dir} holds no previous output (a first synth), so the change-aware guardrails had no previous state to check`;
}

/**
 * Resolves the inputs. The previous output is, in this order: the given one,
 * env CDK8S_FLEET_PREVIOUS, else `replaces` (the output directory the synth
 * replaces) when it holds anything. An explicit skip (given, or env
 * CDK8S_FLEET_NO_PREVIOUS=1) only loses to an explicitly given previous
 * output; a skip and a previous output from the same source contradict.
 * Overrides are the union of the given ones and env CDK8S_FLEET_OVERRIDES.
 * @internal
 */
export function resolveSynthInputs(given: GivenInputs, env: NodeJS.ProcessEnv, replaces: string | undefined, names: InputNames): ResolvedInputs {
  const fromGiven = (given.overrides ?? []).map(o => o.trim()).filter(o => o.length > 0);
  const overrides = [...new Set([...fromGiven, ...splitOverrides(env[INPUT_ENV.OVERRIDES])])];
  if (given.previous !== undefined && given.noPrevious) {
    throw new SynthInputError(`${names.previous} and ${names.noPrevious} contradict each other: give one`);
  }
  if (given.previous !== undefined) return { previous: given.previous, previousSource: 'given', overrides };
  if (given.noPrevious) return { overrides, notice: skippedNotice(names.noPrevious) };
  const envPrevious = env[INPUT_ENV.PREVIOUS]?.trim() || undefined;
  const envSkip = envFlag(env, INPUT_ENV.NO_PREVIOUS);
  if (envPrevious && envSkip) {
    throw new SynthInputError(`env ${INPUT_ENV.PREVIOUS} and ${INPUT_ENV.NO_PREVIOUS} contradict each other: set one`);
  }
  if (envPrevious) return { previous: envPrevious, previousSource: 'env', overrides };
  if (envSkip) return { overrides, notice: skippedNotice(`env ${INPUT_ENV.NO_PREVIOUS}`) };
  if (replaces === undefined) return { overrides };
  if (holdsOutput(replaces)) return { previous: replaces, previousSource: 'output', overrides };
  return { overrides, notice: nothingToCompareNotice(replaces) };
}

/**
 * The text that tells a user how to carry an override, named exactly:
 * `'<name>' (--override or env CDK8S_FLEET_OVERRIDES)`.
 * @internal
 */
export function carryOverride(name: string): string {
  return `'${name}' (--override or env ${INPUT_ENV.OVERRIDES})`;
}
