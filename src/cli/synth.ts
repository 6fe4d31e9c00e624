/**
 * `cdk8s-fleet synth`: runs the user's fleet program (the app command of
 * `cdk8s-fleet.yaml` or `cdk8s.yaml`, or `--app`) with its output pointed at a
 * staging directory, then swaps the new tree in atomically. A failed synth
 * leaves the previous output untouched. `--check` compares instead of writing.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { FreshSynthRequest, formatDiff } from './diff';
import { CliFailure, CliIo, ExitCode, Progress, UsageError, parseVerbArgs } from './io';
import { Violation, formatViolation } from '../core/errors';
import { SynthEnv } from '../fleet';
import { diffOutputs } from '../synth/diff';
import { OutputWriteError, asOutputWriteError, makeScratchDir, recoverOutput, resolveOutput } from '../synth/output-dir';
import { readFiles, readOutputTree } from '../synth/read';
import { writeOutputAtomically } from '../synth/write';

/** Config files the CLI reads, in order: the first that exists wins. */
export const CONFIG_FILES: readonly string[] = ['cdk8s-fleet.yaml', 'cdk8s.yaml'];

/** Help text of the verb. */
export const SYNTH_HELP = `Usage: cdk8s-fleet synth [options]

Runs the fleet program and writes its output directory atomically: the new tree
is built beside the old one and swapped in, files of objects that no longer
exist disappear, and a failed synth leaves the previous output untouched. Each
cluster directory carries a kustomization.yaml for Argo CD / Flux.

What a killed synth left beside the output (.DIR.staging-*, .DIR.previous-*,
.DIR.synth-*) is repaired or removed first. A symbolic link DIR is written
through. Files in DIR that the last synth did not write make it refuse, naming
them: keep your own files elsewhere.

The app command comes from --app, else the 'app:' key of cdk8s-fleet.yaml or
cdk8s.yaml in the working directory (e.g. 'npx ts-node --transpile-only main.ts'
or 'node main.js'). The program must call fleet.synth().

Options:
  -a, --app CMD        command that runs the fleet program
  -o, --output DIR     output directory (default: the config's 'output:', else dist)
  --previous DIR       previous output, for the change-aware guardrails
  --override NAME      an explicit override this change carries (repeatable)
  --check              do not write; exit 1 when DIR differs from a fresh synth
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
        fromFile = parse(fs.readFileSync(file, 'utf8')) ?? {};
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
}

/**
 * Runs the fleet program with its output in a fresh staging directory beside
 * the output directory `besides` (beside its target, when it is a symbolic
 * link), named like the write's own scratch directories
 * (`.<output>.synth-<pid>-<token>`), so a later run removes it when this one
 * was killed. Repairs what a killed synth left first ({@link recoverOutput}).
 * Prints the program's output to stderr (violations formatted).
 */
export async function runProgram(
  io: CliIo, app: string, besides: string, request: FreshSynthRequest, progress: Progress, json = false,
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
  const outdir = path.join(staging, 'out');
  const errorsJson = path.join(staging, 'violations.json');
  const env: NodeJS.ProcessEnv = {
    ...io.env,
    [SynthEnv.OUTDIR]: outdir,
    [SynthEnv.ERRORS_JSON]: errorsJson,
    [SynthEnv.OVERRIDES]: request.overrides.join(','),
  };
  delete env[SynthEnv.PREVIOUS];
  if (request.previous) {
    const prev = path.resolve(io.cwd, request.previous);
    if (!fs.existsSync(prev)) {
      cleanup();
      throw new UsageError(`--previous '${request.previous}' does not exist`);
    }
    env[SynthEnv.PREVIOUS] = prev;
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
    io.stderr.write(`cdk8s-fleet: the fleet program could not write its output into ${staging} (beside ${besides}): `
      + `${reported.outputWriteError.message.replace(/^cannot write output directory [^:]*: /, '')}; the output was not changed.\n`);
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
  if (!fs.existsSync(outdir)) {
    progress.clear();
    io.stderr.write(output);
    io.stderr.write(`cdk8s-fleet: the fleet program '${app}' wrote no output; make sure it calls fleet.synth() `
      + `and does not set an outdir other than env ${SynthEnv.OUTDIR}.\n`);
    cleanup();
    return { exitCode: ExitCode.PROGRAM_FAILED, cleanup: () => undefined };
  }
  progress.done('ok');
  if (output.trim()) io.stderr.write(output.endsWith('\n') ? output : `${output}\n`);
  return { exitCode: ExitCode.OK, dir: outdir, cleanup };
}

/** A fresh synth into a temporary directory (for `diff --synth`). */
export async function freshSynth(io: CliIo, request: FreshSynthRequest): Promise<ProgramRun> {
  const config = resolveSynthConfig(io, request.app);
  return runProgram(io, config.app, config.output, request, new Progress(io));
}

/** Runs the verb. */
export async function runSynth(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, {
    app: { type: 'string', short: 'a' },
    output: { type: 'string', short: 'o' },
    previous: { type: 'string' },
    override: { type: 'string', multiple: true },
    check: { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
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
    overrides: (values.override as string[] | undefined) ?? [],
  };
  const run = await runProgram(io, config.app, config.output, request, progress, json);
  if (run.exitCode !== ExitCode.OK || !run.dir) {
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, output: config.output, violations: run.violations ?? [] }, null, 2)}\n`);
    return run.exitCode;
  }
  try {
    if (values.check) {
      progress.start(`comparing ${rel(io, config.output)} with a fresh synth`);
      const d = diffOutputs(readOutputTree(config.output), readOutputTree(run.dir));
      progress.done(d.identical ? 'up to date' : 'differs');
      if (json) {
        io.stdout.write(`${JSON.stringify({ ok: d.identical, output: config.output, diff: d }, null, 2)}\n`);
      } else if (d.identical) {
        io.stdout.write(`${rel(io, config.output)} is up to date\n`);
      } else {
        io.stdout.write(`${rel(io, config.output)} differs from what the fleet program produces:\n${formatDiff(d)}`);
        io.stdout.write('run `cdk8s-fleet synth` and commit the result\n');
      }
      return d.identical ? ExitCode.OK : ExitCode.PROBLEMS;
    }
    progress.start(`writing ${rel(io, config.output)}`);
    const files = readFiles(run.dir);
    try {
      writeOutputAtomically(config.output, files);
    } catch (e) {
      progress.clear();
      if (e instanceof OutputWriteError) throw new CliFailure(`cdk8s-fleet: ${e.message}; the output was not changed.`, ExitCode.PROGRAM_FAILED);
      throw new CliFailure(`cdk8s-fleet: could not write ${config.output}: ${(e as Error).message}`, ExitCode.PROGRAM_FAILED);
    }
    progress.done(`${files.size} files`);
    if (json) io.stdout.write(`${JSON.stringify({ ok: true, output: config.output, files: files.size }, null, 2)}\n`);
    return ExitCode.OK;
  } finally {
    run.cleanup();
  }
}

function rel(io: CliIo, p: string): string {
  const r = path.relative(io.cwd, p);
  return r && !r.startsWith('..') ? r : p;
}
