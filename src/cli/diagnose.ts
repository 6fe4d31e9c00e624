/**
 * `cdk8s-fleet diagnose [FILE|-]`: categorizes a failed rollout (app or
 * infrastructure) from `kubectl get ... -o json` output. The categorizer itself
 * belongs to the workloads layer and is passed in.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliIo, ExitCode, UsageError, parseVerbArgs } from './io';

/** A rollout diagnosis (the workloads layer's result shape). */
export interface RolloutDiagnosisLike {
  /** Who should act. */
  readonly verdict: 'app' | 'infrastructure' | 'healthy' | 'unknown';
  /** Evidence, one entry per finding. */
  readonly reasons: ReadonlyArray<{ readonly category: string; readonly evidence: string; readonly object: string }>;
  /** One-line summary. */
  readonly summary: string;
}

/** The categorizer: `kubectl ... -o json` output in, diagnosis out. */
export type DiagnoseFunction = (input: unknown) => RolloutDiagnosisLike;

/** Help text of the verb. */
export const DIAGNOSE_HELP = `Usage: cdk8s-fleet diagnose [FILE|-] [--json]

Reads the output of 'kubectl get deploy,rs,pods,events -o json' (a List or a
single object) from FILE or stdin and says whether a failed rollout is the
app's problem or the infrastructure's, with the evidence.

Options:
  --json       print the diagnosis as JSON on stdout
  -h, --help   show this help

Exit codes: 0 healthy, 1 failing or undetermined rollout, 2 usage or input
that is not JSON, 3 the categorizer is not available in this build.
`;

/** Runs the verb with a categorizer (undefined when it is not available). */
export async function runDiagnose(args: string[], io: CliIo, diagnose: DiagnoseFunction | undefined): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, { json: { type: 'boolean' } });
  if (values.help) {
    io.stdout.write(DIAGNOSE_HELP);
    return ExitCode.OK;
  }
  if (positionals.length > 1) throw new UsageError('diagnose takes at most one input file (or - for stdin)');
  if (!diagnose) {
    io.stderr.write('cdk8s-fleet: diagnose is not available in this build (the workloads layer\'s categorizer is missing)\n');
    return ExitCode.PROGRAM_FAILED;
  }
  const source = positionals[0] ?? '-';
  let text: string;
  if (source === '-') {
    text = await readAll(io.stdin);
  } else {
    const file = path.resolve(io.cwd, source);
    if (!fs.existsSync(file)) throw new UsageError(`input file '${source}' does not exist`);
    text = fs.readFileSync(file, 'utf8');
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the input is not JSON (${(e as Error).message}); pass the output of 'kubectl get ... -o json'`);
  }
  const d = diagnose(input);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
  } else {
    io.stdout.write(`verdict: ${d.verdict}\n${d.summary}\n`);
    for (const r of d.reasons) io.stdout.write(`  [${r.category}] ${r.object}: ${r.evidence}\n`);
  }
  return d.verdict === 'healthy' ? ExitCode.OK : ExitCode.PROBLEMS;
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
