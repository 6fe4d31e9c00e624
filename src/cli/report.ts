/**
 * `cdk8s-fleet report [DIR]`: the fleet as one self-contained HTML page (see
 * ./report-html.ts), from the same plan the `plan` verb prints.
 */
import * as fs from 'fs';
import * as path from 'path';
import { requireDir } from './diff';
import { CliIo, ExitCode, UsageError, parseVerbArgs } from './io';
import { planReport } from './plan-report';
import { ReportGuardrails, renderReport } from './report-html';
import { resolveSynthConfig } from './synth';
import { OutputTree, readOutputTree } from '../synth/read';

/** Help text of the verb. */
export const REPORT_HELP = `Usage: cdk8s-fleet report [DIR] [options]

Writes one self-contained HTML page (no network requests: inline styles,
script and SVG) for a browser: per cluster, collapsed and filtered by a
search box, the heatmap with a row per maintenance zone and a column per
pool (nodes, allocatable versus requested CPU, memory and GPUs, the numbers
of 'cdk8s-fleet plan', a pool's requests spread over its zones by nodes), the
namespaces placed there, batch (the cluster's scheduler, Volcano or Kueue;
queues / quota / batch capacity per node profile and pool; each team queue's
quota and what it may use with borrowing) and the control-plane sizing with
its reasons; then batch per region, the guardrail settings, exempt identities
and exemptions with their reasons.
The page is the same bytes for the same output. DIR defaults to the output
directory of the config file (else dist).

Options:
  -o, --out FILE   where to write the page (default fleet-report.html;
                   '-' writes it to stdout)
  -h, --help       show this help

Exit codes: 0 ok, 2 usage or an unreadable output directory.
`;

/** Runs the verb. */
export async function runReport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, { out: { type: 'string', short: 'o' } });
  if (values.help) {
    io.stdout.write(REPORT_HELP);
    return ExitCode.OK;
  }
  if (positionals.length > 1) throw new UsageError('report takes at most one directory');
  const dirArg = positionals[0] ?? path.relative(io.cwd, defaultOutput(io));
  const tree = readOutputTree(requireDir(io, dirArg || '.', 'DIR'));
  const html = renderReport(planReport(tree), reportGuardrails(tree));
  const out = (values.out as string | undefined) ?? 'fleet-report.html';
  if (out === '-') {
    io.stdout.write(html);
  } else {
    const file = path.resolve(io.cwd, out);
    fs.writeFileSync(file, html);
    io.stderr.write(`cdk8s-fleet report: wrote ${path.relative(io.cwd, file) || file}\n`);
  }
  return ExitCode.OK;
}

/** The guardrail settings of the output's GuardrailConfiguration record. */
export function reportGuardrails(tree: OutputTree): ReportGuardrails | undefined {
  const rec = [...tree.objects.values()].find(o => o.object.kind === 'GuardrailConfiguration');
  if (!rec) return undefined;
  const spec = (rec.object.spec ?? {}) as Record<string, unknown>;
  const settings: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') settings[k] = v;
  }
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const exemptions = Array.isArray(spec.exemptions) ? spec.exemptions as Array<Record<string, unknown>> : [];
  return {
    settings,
    severities: Object.fromEntries(Object.entries((spec.severities ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
    exempt: [...strings(spec.platformIdentities), ...strings(spec.platformGroups).map(g => `group ${g}`)],
    exemptions: exemptions.map(e => ({ rule: String(e.rule ?? ''), target: String(e.target ?? ''), reason: String(e.reason ?? '') })),
  };
}

function defaultOutput(io: CliIo): string {
  try {
    return resolveSynthConfig(io, 'unused').output;
  } catch {
    return path.join(io.cwd, 'dist');
  }
}
