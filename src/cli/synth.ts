/**
 * `cdk8s-fleet synth`: runs the user's fleet program (the app command of
 * `cdk8s-fleet.yaml` or `cdk8s.yaml`, or `--app`) with its output pointed at a
 * staging directory, then swaps the new tree in atomically. A failed synth
 * leaves the previous output untouched. `--check` compares instead of writing.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FreshSynthRequest, formatDiff } from './diff';
import { CliFailure, CliIo, ExitCode, Progress, UsageError, parseVerbArgs } from './io';
import { Violation, formatViolation } from '../core/errors';
import type { SynthReport } from '../fleet';
import { diffOutputFiles } from '../synth/diff';
import { CLI_INPUT_NAMES, ResolvedInputs, SynthEnv, SynthInputError, resolveSynthInputs } from '../synth/inputs';
import { asOutputWriteError, makeScratchDir, recoverOutput, resolveOutput } from '../synth/output-dir';
import { readFiles } from '../synth/read';
import { PLACEMENT_RECORD_FILE, writePlacementLockFile } from '../tenancy/lock';

/** Config files the CLI reads, in order: the first that exists wins. */
export const CONFIG_FILES: readonly string[] = ['cdk8s-fleet.yaml', 'cdk8s.yaml'];

/** Help text of the verb. */
export const SYNTH_HELP = `Usage: cdk8s-fleet synth [options]

Runs the fleet program and writes its output directory atomically: the new tree
is built beside the old one and swapped in, files of objects that no longer
exist disappear, and a failed synth leaves the previous output untouched. Each
cluster directory carries a kustomization.yaml for Argo CD / Flux. The output
being replaced is the previous state: a 90% scale-down, a deleted protected
object or a moved namespace fails unless the change carries its override. The
fleet's placement lock file, if it declares one, is updated too.

What a killed synth left beside the output (.DIR.staging-*, .DIR.previous-*,
.DIR.synth-*) is repaired or removed first. A symbolic link DIR is written
through. Files in DIR that the last synth did not write make it refuse, naming
them: keep your own files elsewhere.

The app command comes from --app, else the 'app:' key of cdk8s-fleet.yaml or
cdk8s.yaml in the working directory (e.g. 'node --require tsx/cjs main.ts', as
'cdk8s-fleet init' writes, or 'node main.js'). The program must call fleet.synth().

Options:
  -a, --app CMD        command that runs the fleet program
  -o, --output DIR     output directory (default: the config's 'output:', else dist)
  --previous DIR       previous output the change-aware guardrails compare with
                       (default: env CDK8S_FLEET_PREVIOUS, else the output
                       directory this synth replaces)
  --no-previous        skip the change-aware guardrails (unsafe; says so)
  --override NAME      an explicit override this change carries, <rule>:<target>
                       (repeatable; merged with env CDK8S_FLEET_OVERRIDES)
  --check              do not write; exit 1 when the output (or the placement
                       lock) differs from a fresh synth
  --json               print the result (violations, differences) as JSON on stdout
  -q, --quiet          no progress output
  -h, --help           show this help

Exit codes: 0 ok, 1 validation/guardrail errors (or differences with --check),
2 usage, 3 the fleet program failed otherwise or the output cannot be written
(full disk, read-only, permissions, files it did not write), 4 internal error.
`;

/** The resolved configuration of a synth. */
export interface SynthConfig {
  /** Command that runs the fleet program. */
  readonly app: string;
  /** Output directory, absolute. */
  readonly output: string;
}

/** Reads the app command and output directory from the options and config files. */
export function resolveSynthConfig(io: CliIo, app?: string, output?: string): SynthConfig {
  let fromFile: { app?: unknown; output?: unknown } = {};
  let configName: string | undefined;
  for (const name of CONFIG_FILES) {
    const file = path.join(io.cwd, name);
    if (fs.existsSync(file)) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        fromFile = (require('yaml') as typeof import('yaml')).parse(fs.readFileSync(file, 'utf8')) ?? {};
      } catch (e) {
        throw new UsageError(`${name} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
      }
      configName = name;
      break;
    }
  }
  const command = app ?? (typeof fromFile.app === 'string' ? fromFile.app : undefined);
  if (!command) {
    throw new UsageError(configName
      ? `${configName} has no 'app:' command; add e.g. "app: node main.js" or pass --app`
      : `no app command: pass --app 'node main.js' or create ${CONFIG_FILES[0]} with "app: node main.js"`);
  }
  const out = output ?? (typeof fromFile.output === 'string' ? fromFile.output : 'dist');
  return { app: command, output: path.resolve(io.cwd, out) };
}

/** Outcome of running the fleet program once. */
export interface ProgramRun {
  /** Exit code the verb should return when the run failed. */
  readonly exitCode: number;
  /** Directory the program wrote, when it succeeded. */
  readonly dir?: string;
  /** Removes the staging directory. */
  readonly cleanup: () => void;
  /** The program's violations, when it failed validation. */
  readonly violations?: readonly Violation[];
  /** The fleet's placement lock file (absolute), when it declares one; the CLI writes it. */
  readonly lockFile?: string;
  /** How many files the program wrote, when it reported it. */
  readonly files?: number;
  /** With `checkAgainst`: the paths whose bytes differ (the program wrote only those, the new ones, into `dir`). */
  readonly differing?: readonly string[];
}

/**
 * Runs the fleet program. With `into` (the synth verb), the program writes
 * `into` itself, atomically (its own `fleet.synth()`: the new tree is built
 * beside the old one and swapped in, unchanged files are kept), so the output
 * is written once; without it (`--check`, `diff --synth`, `plan --synth`) its
 * output goes to a fresh directory that replaces nothing. Either way the CLI
 * makes a scratch directory beside the output directory `besides` (beside its
 * target, when it is a symbolic link), named like the write's own scratch
 * directories (`.<output>.synth-<pid>-<token>`), for the program's reports
 * (and its output, without `into`), so a later run removes it when this one
 * was killed. Repairs what a killed synth left first ({@link recoverOutput}).
 * Prints the program's output to stderr (violations formatted).
 */
export async function runProgram(
  io: CliIo, app: string, besides: string, request: FreshSynthRequest, progress: Progress, json = false, into?: string, checkAgainst?: string,
): Promise<ProgramRun> {
  const { target } = resolveOutput(besides);
  recoverOutput(target);
  let staging: string;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    staging = makeScratchDir(target, 'synth').path;
  } catch (e) {
    throw asOutputWriteError(target, e);
  }
  const cleanup = () => fs.rmSync(staging, { recursive: true, force: true });
  const outdir = into ?? path.join(staging, 'out');
  const errorsJson = path.join(staging, 'violations.json');
  const reportJson = path.join(staging, 'report.json');
  let inputs: ResolvedInputs;
  try {
    // flags win over the environment, overrides merge; the output directory being replaced is the previous output
    inputs = resolveSynthInputs({ previous: request.previous, noPrevious: request.noPrevious, overrides: request.overrides },
      io.env, request.defaultPrevious, CLI_INPUT_NAMES);
  } catch (e) {
    cleanup();
    throw e instanceof SynthInputError ? new UsageError(e.message) : e;
  }
  const env: NodeJS.ProcessEnv = {
    ...io.env,
    [SynthEnv.OUTDIR]: outdir,
    [SynthEnv.ERRORS_JSON]: errorsJson,
    [SynthEnv.REPORT_JSON]: reportJson,
    [SynthEnv.OVERRIDES]: inputs.overrides.join(','),
  };
  delete env[SynthEnv.CHECK];
  if (checkAgainst) env[SynthEnv.CHECK] = checkAgainst;
  delete env[SynthEnv.PREVIOUS];
  delete env[SynthEnv.NO_PREVIOUS];
  if (inputs.previous !== undefined) {
    const prev = path.resolve(io.cwd, inputs.previous);
    if (!fs.existsSync(prev)) {
      cleanup();
      const named = inputs.previousSource === 'env' ? `env ${SynthEnv.PREVIOUS}` : '--previous';
      throw new UsageError(`${named} '${inputs.previous}' does not exist`);
    }
    env[SynthEnv.PREVIOUS] = prev;
  } else {
    // the program's own default (its outdir, here the staging directory) must not stand in
    env[SynthEnv.NO_PREVIOUS] = '1';
  }
  if (inputs.notice) {
    const d = request.defaultPrevious;
    io.stderr.write(`cdk8s-fleet: ${d ? inputs.notice.split(d).join(rel(io, d)) : inputs.notice}\n`);
  }

  progress.start(`running ${app}`);
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(app, { shell: true, cwd: io.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (e) => {
      chunks.push(Buffer.from(`${e.message}\n`));
    });
    child.on('close', (c) => resolve({ code: c, output: Buffer.concat(chunks).toString('utf8') }));
  });

  const reported = fs.existsSync(errorsJson)
    ? JSON.parse(fs.readFileSync(errorsJson, 'utf8')) as { violations?: Violation[]; outputWriteError?: { message: string } }
    : undefined;
  if (reported?.outputWriteError) {
    // the program could not write into the staging directory (a full or read-only disk, permissions): one line
    progress.clear();
    if (into) {
      io.stderr.write(`cdk8s-fleet: ${reported.outputWriteError.message}; the output was not changed.\n`);
    } else {
      io.stderr.write(`cdk8s-fleet: the fleet program could not write its output into ${staging} (beside ${besides}): `
        + `${reported.outputWriteError.message.replace(/^cannot write output directory [^:]*: /, '')}; the output was not changed.\n`);
    }
    cleanup();
    return { exitCode: ExitCode.PROGRAM_FAILED, cleanup: () => undefined };
  }
  if (reported?.violations) {
    progress.clear();
    const violations = reported.violations;
    const errors = violations.filter(v => v.severity === 'error');
    if (!json) {
      io.stderr.write(`cdk8s-fleet: synth failed with ${errors.length} error(s); the output was not changed.\n`);
      for (const v of violations) io.stderr.write(`${formatViolation(v)}\n`);
    }
    cleanup();
    return { exitCode: ExitCode.PROBLEMS, cleanup: () => undefined, violations };
  }
  if (code !== 0) {
    progress.clear();
    io.stderr.write(output);
    io.stderr.write(`cdk8s-fleet: the fleet program '${app}' failed (exit code ${code}); the output was not changed.\n`);
    cleanup();
    return { exitCode: ExitCode.PROGRAM_FAILED, cleanup: () => undefined };
  }
  if (into ? !fs.existsSync(reportJson) : !fs.existsSync(outdir)) {
    progress.clear();
    io.stderr.write(output);
    io.stderr.write(`cdk8s-fleet: the fleet program '${app}' wrote no output; make sure it calls fleet.synth() `
      + `and does not set an outdir other than env ${SynthEnv.OUTDIR}.\n`);
    cleanup();
    return { exitCode: ExitCode.PROGRAM_FAILED, cleanup: () => undefined };
  }
  progress.done('ok');
  if (output.trim()) io.stderr.write(output.endsWith('\n') ? output : `${output}\n`);
  const report = fs.existsSync(reportJson) ? JSON.parse(fs.readFileSync(reportJson, 'utf8')) as SynthReport : {};
  return { exitCode: ExitCode.OK, dir: outdir, cleanup, lockFile: report.lockFile, files: report.files, differing: report.differing };
}

/**
 * A fresh synth into a temporary directory (for `diff --synth`, `plan --synth`).
 * It replaces nothing, so it has no previous output by default; `--previous`
 * or env CDK8S_FLEET_PREVIOUS give one.
 */
export async function freshSynth(io: CliIo, request: FreshSynthRequest): Promise<ProgramRun> {
  const config = resolveSynthConfig(io, request.app);
  return runProgram(io, config.app, config.output, request, new Progress(io));
}

/** Runs the verb. */
export async function runSynth(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, {
    'app': { type: 'string', short: 'a' },
    'output': { type: 'string', short: 'o' },
    'previous': { type: 'string' },
    'no-previous': { type: 'boolean' },
    'override': { type: 'string', multiple: true },
    'check': { type: 'boolean' },
    'json': { type: 'boolean' },
    'quiet': { type: 'boolean', short: 'q' },
  });
  if (values.help) {
    io.stdout.write(SYNTH_HELP);
    return ExitCode.OK;
  }
  if (positionals.length > 0) throw new UsageError(`synth takes no positional arguments (got '${positionals[0]}')`);
  const json = !!values.json;
  const config = resolveSynthConfig(io, values.app as string | undefined, values.output as string | undefined);
  const progress = new Progress(io, !!values.quiet || json);
  const request: FreshSynthRequest = {
    previous: values.previous as string | undefined,
    noPrevious: !!values['no-previous'],
    defaultPrevious: config.output,
    overrides: (values.override as string[] | undefined) ?? [],
  };
  // --check compares a fresh output with the current one; a synth has the program write the output itself, once
  const run = values.check
    ? await runProgram(io, config.app, config.output, request, progress, json, undefined, config.output)
    : await runProgram(io, config.app, config.output, request, progress, json, config.output);
  if (run.exitCode !== ExitCode.OK || !run.dir) {
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, output: config.output, violations: run.violations ?? [] }, null, 2)}\n`);
    return run.exitCode;
  }
  try {
    if (values.check) {
      progress.start(`comparing ${rel(io, config.output)} with a fresh synth`);
      // the program compared the bytes and wrote the differing files: only those are read and parsed
      const differing = run.differing ?? [];
      const before = new Map<string, string>();
      for (const file of differing) {
        const at = path.join(config.output, ...file.split('/'));
        if (fs.existsSync(at)) before.set(file, fs.readFileSync(at, 'utf8'));
      }
      const d = diffOutputFiles(before, readFiles(run.dir));
      const recordDir = differing.includes(PLACEMENT_RECORD_FILE) ? run.dir : config.output;
      const lock = run.lockFile ? lockStatus(run.lockFile, path.join(recordDir, PLACEMENT_RECORD_FILE)) : undefined;
      const ok = d.identical && !lock?.stale;
      progress.done(ok ? 'up to date' : 'differs');
      if (json) {
        io.stdout.write(`${JSON.stringify({ ok, output: config.output, diff: d, ...(lock ? { lock: { file: lock.file, stale: lock.stale } } : {}) }, null, 2)}\n`);
      } else {
        if (d.identical) io.stdout.write(`${rel(io, config.output)} is up to date\n`);
        else io.stdout.write(`${rel(io, config.output)} differs from what the fleet program produces:\n${formatDiff(d)}`);
        if (lock?.stale) io.stdout.write(`the placement lock ${rel(io, lock.file)} is stale: the synth would ${fs.existsSync(lock.file) ? 'update' : 'create'} it\n`);
        if (!ok) io.stdout.write('run `cdk8s-fleet synth` and commit the result\n');
      }
      return ok ? ExitCode.OK : ExitCode.PROBLEMS;
    }
    const record = path.join(run.dir, PLACEMENT_RECORD_FILE);
    const lockUpdated = run.lockFile ? writeLock(io, run.lockFile, fs.existsSync(record) ? fs.readFileSync(record, 'utf8') : undefined) : false;
    if (json) {
      io.stdout.write(`${JSON.stringify({ ok: true, output: config.output, files: run.files, ...(run.lockFile ? { lock: { file: run.lockFile, updated: lockUpdated } } : {}) }, null, 2)}\n`);
    }
    return ExitCode.OK;
  } finally {
    run.cleanup();
  }
}

/** Whether a lock file differs from the record a synth wrote. */
function lockStatus(file: string, recordFile: string): { file: string; stale: boolean } {
  const record = fs.existsSync(recordFile) ? fs.readFileSync(recordFile, 'utf8') : undefined;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  return { file, stale: record !== undefined && record !== current };
}

/**
 * Writes the placement record to the fleet's lock file, after the output was
 * swapped in, so the next synth reads what this one decided. A failure names
 * the file and what to copy there.
 */
function writeLock(io: CliIo, file: string, record: string | undefined): boolean {
  if (record === undefined) return false;
  let written: boolean;
  try {
    written = writePlacementLockFile(file, record);
  } catch (e) {
    throw new CliFailure(`cdk8s-fleet: the output was written, but the placement lock ${file} could not be: ${(e as Error).message}; `
      + `copy ${PLACEMENT_RECORD_FILE} of the output there before the next synth`, ExitCode.PROGRAM_FAILED);
  }
  if (written) io.stderr.write(`cdk8s-fleet: updated the placement lock ${rel(io, file)}\n`);
  return written;
}

function rel(io: CliIo, p: string): string {
  const r = path.relative(io.cwd, p);
  return r && !r.startsWith('..') ? r : p;
}
