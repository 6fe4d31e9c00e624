/**
 * What every verb of the CLI shares: exit codes, the streams it writes to,
 * argument parsing with usage errors, and a progress display that animates on
 * a terminal and prints plain lines in CI.
 */
import { parseArgs, ParseArgsConfig } from 'util';

/** Exit codes of the `cdk8s-fleet` CLI. */
export const ExitCode = {
  /** Success (no differences, no problems). */
  OK: 0,
  /** Validation or guardrail errors, schema problems, differences (`--check`, `diff`), a failed rollout (`diagnose`). */
  PROBLEMS: 1,
  /** Bad usage: unknown verb or option, missing argument, unreadable input. */
  USAGE: 2,
  /** The fleet program failed without a validation error, or a verb is not available. */
  PROGRAM_FAILED: 3,
  /** An unexpected internal error (please report it). */
  INTERNAL: 4,
} as const;

/** The environment a verb runs in (injectable for tests). */
export interface CliIo {
  /** Where results go (tables, JSON). */
  readonly stdout: { write(s: string): unknown };
  /** Where progress, warnings and errors go. */
  readonly stderr: { write(s: string): unknown };
  /** Input of `diagnose -`. */
  readonly stdin: NodeJS.ReadableStream;
  /** True when stderr is a terminal (progress animates). */
  readonly interactive: boolean;
  /** Working directory paths are resolved against. */
  readonly cwd: string;
  /** Environment variables. */
  readonly env: NodeJS.ProcessEnv;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    interactive: !!process.stderr.isTTY && !process.env.CI,
    cwd: process.cwd(),
    env: process.env,
  };
}

/** A user mistake on the command line: printed with the verb's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure with a chosen exit code and message (no stack trace is printed). */
export class CliFailure extends Error {
  constructor(message: string, public readonly exitCode: number) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** Parsed command-line arguments of a verb. */
export interface ParsedArgs {
  /** Option values by long name. */
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  /** Positional arguments. */
  readonly positionals: readonly string[];
}

/** Parses a verb's arguments strictly; unknown options become a {@link UsageError}. */
export function parseVerbArgs(args: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedArgs {
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values as ParsedArgs['values'], positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const FRAMES = ['|', '/', '-', '\\'];

/**
 * Progress of a long run on stderr: an animated line with the elapsed time on
 * a terminal; one plain line per step otherwise (CI logs).
 */
export class Progress {
  private timer?: NodeJS.Timeout;
  private label = '';
  private started = 0;
  private frame = 0;

  constructor(private readonly io: CliIo, private readonly quiet = false) {}

  /** Starts a step. */
  public start(label: string): void {
    this.stopTimer();
    this.label = label;
    this.started = Date.now();
    if (this.quiet) return;
    if (this.io.interactive) {
      this.render();
      this.timer = setInterval(() => this.render(), 100);
      this.timer.unref();
    } else {
      this.io.stderr.write(`cdk8s-fleet: ${label}...\n`);
    }
  }

  /** Ends the current step with a result line. */
  public done(result = 'done'): void {
    this.stopTimer();
    if (this.quiet || !this.label) return;
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    if (this.io.interactive) this.io.stderr.write('\r\x1b[K');
    this.io.stderr.write(`cdk8s-fleet: ${this.label}: ${result} (${secs}s)\n`);
    this.label = '';
  }

  /** Ends the current step without a result line (before an error is printed). */
  public clear(): void {
    this.stopTimer();
    if (this.io.interactive && this.label && !this.quiet) this.io.stderr.write('\r\x1b[K');
    this.label = '';
  }

  private render(): void {
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    this.frame = (this.frame + 1) % FRAMES.length;
    this.io.stderr.write(`\r\x1b[K${FRAMES[this.frame]} ${this.label} ${secs}s`);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** Formats rows as an aligned text table (first row is the header). Numeric-looking cells are right-aligned. */
export function formatTable(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  if (rows.length === 0) return '';
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  const numeric = (c: string) => /^[-+]?[0-9][0-9.,]*(m|Mi|Gi|Ti|%)?( \/ [0-9][0-9.,]*(m|Mi|Gi|Ti|%)?)?$/.test(c);
  return rows.map((r, ri) => r.map((c, i) => {
    const last = i === r.length - 1;
    if (ri > 0 && numeric(c)) return c.padStart(widths[i]);
    return last ? c : c.padEnd(widths[i]);
  }).join('  ').trimEnd()).join('\n') + '\n';
}
