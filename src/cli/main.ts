#!/usr/bin/env node
/**
 * The `cdk8s-fleet` command line: the GitOps pipeline's synth step and the
 * reviewer's tool. One module per verb; this file dispatches and maps
 * failures to the documented exit codes.
 */
import type { DiagnoseFunction } from './diagnose';
import { CliFailure, CliIo, ExitCode, UsageError, processIo } from './io';
import { OutputWriteError } from '../synth/output-dir';

/** Help text of the whole CLI. */
export const MAIN_HELP = `Usage: cdk8s-fleet <verb> [options]

A fleet of Kubernetes clusters as typed cdk8s code, synthesized into
deterministic GitOps manifests.

Verbs:
  init        scaffold a fleet project (package.json, tsconfig.json,
              cdk8s-fleet.yaml, main.ts, .gitignore, placement lock)
  synth       run the fleet program and write the output directory atomically
              (--check: exit 1 when the committed output is stale)
  plan        nodes, allocatable vs requested resources, namespaces and control
              plane per cluster, pool and maintenance zone
  report      the fleet as one self-contained HTML page: zones x pools
              heatmap, namespaces, control plane, guardrails
  diff        object-level diff of two output directories
  where       where an app or namespace runs: cluster, region, pools,
              workloads, guardrail exemptions, kubectl prefix
  validate    schema validation of a manifest directory (strict)
  diagnose    categorize a failed rollout from 'kubectl get ... -o json'

Run 'cdk8s-fleet <verb> --help' for a verb's options.

Exit codes:
  0  ok
  1  validation or guardrail errors, schema problems, differences, failed rollout
  2  usage errors (unknown verb or option, missing or unreadable input)
  3  the fleet program failed (not a validation error), a file cannot be written
     (init: a file exists), or a verb is unavailable
  4  internal error
`;

/** The workloads layer's rollout categorizer, when this build has it. */
export function loadDiagnose(): DiagnoseFunction | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('../workloads/diagnose') as { diagnoseRollout?: DiagnoseFunction };
    return typeof mod.diagnoseRollout === 'function' ? mod.diagnoseRollout : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

/**
 * The verbs. Each loads its module when it runs, so a verb pays only for the
 * modules it needs (`where` answers without loading the synth, the schema
 * validator or the plan).
 */
const VERBS: Record<string, { run: (args: string[], io: CliIo) => Promise<number> }> = {
  init: { run: async (a, io) => (await import('./init')).runInit(a, io) },
  synth: { run: async (a, io) => (await import('./synth')).runSynth(a, io) },
  plan: { run: async (a, io) => (await import('./plan')).runPlan(a, io, (await import('./synth')).freshSynth) },
  report: { run: async (a, io) => (await import('./report')).runReport(a, io) },
  diff: { run: async (a, io) => (await import('./diff')).runDiff(a, io, (await import('./synth')).freshSynth) },
  validate: { run: async (a, io) => (await import('./validate')).runValidate(a, io) },
  where: { run: async (a, io) => (await import('./where')).runWhere(a, io) },
  diagnose: { run: async (a, io) => (await import('./diagnose')).runDiagnose(a, io, loadDiagnose()) },
};

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [verb, ...args] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    if (verb === 'help' && args[0] && VERBS[args[0]]) return VERBS[args[0]].run(['--help'], io);
    (verb === undefined ? io.stderr : io.stdout).write(MAIN_HELP);
    return verb === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (verb === '--version' || verb === '-V') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    io.stdout.write(`${(require('../../package.json') as { version: string }).version}\n`);
    return ExitCode.OK;
  }
  const v = VERBS[verb];
  if (!v) {
    io.stderr.write(`cdk8s-fleet: unknown verb '${verb}'\n\n${MAIN_HELP}`);
    return ExitCode.USAGE;
  }
  try {
    return await v.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`cdk8s-fleet ${verb}: ${e.message}\nRun 'cdk8s-fleet ${verb} --help' for usage.\n`);
      return ExitCode.USAGE;
    }
    if (e instanceof CliFailure) {
      io.stderr.write(`${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof OutputWriteError) {
      io.stderr.write(`cdk8s-fleet ${verb}: ${e.message}\n`);
      return ExitCode.PROGRAM_FAILED;
    }
    io.stderr.write(`cdk8s-fleet ${verb}: internal error: ${(e as Error).stack ?? e}\n`);
    return ExitCode.INTERNAL;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e) => {
      process.stderr.write(`cdk8s-fleet: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = ExitCode.INTERNAL;
    },
  );
}
