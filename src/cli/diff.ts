/**
 * `cdk8s-fleet diff OLD [NEW]`: object-level diff of two output directories
 * (or of the committed output and a fresh synth, with `--synth`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliIo, ExitCode, UsageError, parseVerbArgs } from './io';
import { ObjectRef, OutputDiff, diffCounts, diffOutputFiles } from '../synth/diff';
import { CONTROL_PLANE_DIR } from '../synth/layout';
import { readFiles } from '../synth/read';

/** Help text of the verb. */
export const DIFF_HELP = `Usage: cdk8s-fleet diff OLD_DIR NEW_DIR [--json]
       cdk8s-fleet diff OLD_DIR --synth [synth options]

Object-level diff of two output directories: per cluster, the objects added,
removed and changed (with the changed field paths), and other files that differ.
Objects are matched by identity (cluster, API group, kind, namespace, name),
not by file name.

Options:
  --json         print the diff as JSON on stdout
  --synth        compare OLD_DIR with a fresh synth of the fleet program
                 (accepts synth's --app, --previous, --no-previous, --override)
  -h, --help     show this help

Exit codes: 0 no differences, 1 differences, 2 usage, 3 the fleet program failed.
`;

/** Formats a diff for people: one line per object, changed field paths indented. */
export function formatDiff(d: OutputDiff, maxFields = 8): string {
  const lines: string[] = [];
  for (const c of d.clusters) {
    // a static pod is one object per control-plane host: name its host's directory
    const id = (o: ObjectRef) => {
      const dir = o.file.slice(c.cluster.length + 1, o.file.lastIndexOf('/'));
      const host = dir.startsWith(`${CONTROL_PLANE_DIR}/`) ? ` (${dir})` : '';
      return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}${host}`;
    };
    lines.push(`cluster ${c.cluster}: ${c.added.length} added, ${c.changed.length} changed, ${c.removed.length} removed`);
    for (const o of c.added) lines.push(`  + ${id(o)}`);
    for (const o of c.changed) {
      lines.push(`  ~ ${id(o)}`);
      for (const f of o.fields.slice(0, maxFields)) lines.push(`      ${f}`);
      if (o.fields.length > maxFields) lines.push(`      ... and ${o.fields.length - maxFields} more`);
    }
    for (const o of c.removed) lines.push(`  - ${id(o)}`);
  }
  const f = d.files;
  if (f.added.length + f.changed.length + f.removed.length > 0) {
    lines.push(`files: ${f.added.length} added, ${f.changed.length} changed, ${f.removed.length} removed`);
    for (const x of f.added) lines.push(`  + ${x}`);
    for (const x of f.changed) lines.push(`  ~ ${x}`);
    for (const x of f.removed) lines.push(`  - ${x}`);
  }
  const n = diffCounts(d);
  lines.push(d.identical
    ? 'no differences'
    : `total: ${n.added} added, ${n.changed} changed, ${n.removed} removed object(s); ${n.files} other file(s) differ`);
  return lines.join('\n') + '\n';
}

/** Reads an output directory that must exist. */
export function requireDir(io: CliIo, dir: string, what: string): string {
  const abs = path.resolve(io.cwd, dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new UsageError(`${what} '${dir}' is not a directory`);
  }
  return abs;
}

/** Options of a fresh synth (shared with `synth`). */
export interface FreshSynthRequest {
  /** App command. @default - from the config file */
  readonly app?: string;
  /** Previous output directory. @default - env CDK8S_FLEET_PREVIOUS, else `defaultPrevious` (none for `diff` and `plan`) */
  readonly previous?: string;
  /** Skip the change-aware guardrails. @default - env CDK8S_FLEET_NO_PREVIOUS, else false */
  readonly noPrevious?: boolean;
  /** The output directory the synth replaces, its previous output unless told otherwise (`synth` sets it). @default - none */
  readonly defaultPrevious?: string;
  /** Overrides. @default - none */
  readonly overrides: readonly string[];
}

/** Runs a fresh synth into a temporary directory. */
export type FreshSynth = (io: CliIo, request: FreshSynthRequest) => Promise<{ dir?: string; exitCode: number; cleanup: () => void }>;

/** Runs the verb; `freshSynth` serves `--synth`. */
export async function runDiff(args: string[], io: CliIo, freshSynth: FreshSynth): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, {
    'json': { type: 'boolean' },
    'synth': { type: 'boolean' },
    'app': { type: 'string' },
    'previous': { type: 'string' },
    'no-previous': { type: 'boolean' },
    'override': { type: 'string', multiple: true },
  });
  if (values.help) {
    io.stdout.write(DIFF_HELP);
    return ExitCode.OK;
  }
  const json = !!values.json;
  if (values.synth) {
    if (positionals.length !== 1) throw new UsageError('diff --synth takes exactly one directory: the committed output');
    const oldDir = requireDir(io, positionals[0], 'OLD_DIR');
    const fresh = await freshSynth(io, {
      app: values.app as string | undefined,
      previous: values.previous as string | undefined,
      noPrevious: !!values['no-previous'],
      overrides: (values.override as string[] | undefined) ?? [],
    });
    try {
      if (fresh.exitCode !== ExitCode.OK || !fresh.dir) return fresh.exitCode;
      return report(io, diffOutputFiles(readFiles(oldDir), readFiles(fresh.dir)), json);
    } finally {
      fresh.cleanup();
    }
  }
  if (values.app || values.previous || values['no-previous'] || values.override) throw new UsageError('--app, --previous, --no-previous and --override need --synth');
  if (positionals.length !== 2) throw new UsageError('diff takes two directories: OLD_DIR NEW_DIR (or OLD_DIR --synth)');
  const before = readFiles(requireDir(io, positionals[0], 'OLD_DIR'));
  const after = readFiles(requireDir(io, positionals[1], 'NEW_DIR'));
  return report(io, diffOutputFiles(before, after), json);
}

function report(io: CliIo, d: OutputDiff, json: boolean): number {
  io.stdout.write(json ? `${JSON.stringify(d, null, 2)}\n` : formatDiff(d));
  return d.identical ? ExitCode.OK : ExitCode.PROBLEMS;
}
