/**
 * `cdk8s-fleet where APP|NAMESPACE [DIR]`: where an app runs, read from the
 * placements lock and a few hub records (see ./where-lookup.ts). Reads a
 * fixed handful of files whatever the size of the output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliFailure, CliIo, ExitCode, UsageError, parseVerbArgs } from './io';
import {
  LockedPlacement, WhereEntry, WhereGuardrailException, WherePool, closestNames, formatWhere, matchPlacements, whereEntry,
} from './where-lookup';
import { INPUT_ENV, splitOverrides } from '../synth/inputs';
import { readEmittedYaml } from '../synth/yaml-reader';

/** Help text of the verb. */
export const WHERE_HELP = `Usage: cdk8s-fleet where APP|NAMESPACE [DIR] [options]

Shows where an app runs: its cluster and region, namespace, node profile and
the cluster's pools of that profile, the workloads of the namespace and their
files, the guardrail exemptions recorded for it and the given overrides that
touch it, and the kubectl prefix for it. A namespace name shows every app
placed in a namespace of that name. Reads the placements lock
(placements.lock.json) and the hub's records only, so it answers at once on
any output. DIR defaults to the output directory of the config file (else
dist).

Options:
  --override R:T   an override of a synth (repeatable; merged with env
                   CDK8S_FLEET_OVERRIDES): shown when it touches the app
                   (overrides are not recorded in the output)
  --json           print the entries as JSON on stdout
  -h, --help       show this help

Exit codes: 0 ok, 1 no such app or namespace (the closest names are printed),
2 usage or an unreadable output directory.
`;

const LOCK_FILE = 'placements.lock.json';

/**
 * The file system calls the verb makes: reading one file, listing one
 * directory, asking whether a path exists. Injectable, so a test can count
 * what the verb reads.
 */
export interface WhereReader {
  /** The text of a file (UTF-8). */
  readFile(file: string): string;
  /** The entry names of a directory, sorted. */
  readDir(dir: string): string[];
  /** Whether a path exists. */
  exists(file: string): boolean;
}

/** The reader of the real file system. */
export const FS_READER: WhereReader = {
  readFile: file => fs.readFileSync(file, 'utf8'),
  readDir: dir => fs.readdirSync(dir).sort(),
  exists: file => fs.existsSync(file),
};

/** Runs the verb. */
export async function runWhere(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, {
    override: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(WHERE_HELP);
    return ExitCode.OK;
  }
  if (positionals.length === 0) throw new UsageError('where needs an app or namespace name');
  if (positionals.length > 2) throw new UsageError('where takes an app or namespace name and at most one directory');
  const query = positionals[0];
  const dir = path.resolve(io.cwd, positionals[1] ?? await defaultOutput(io));
  const lock = readLock(dir);
  const apps = matchPlacements(lock, query);
  if (apps.length === 0) {
    const names = [...Object.keys(lock), ...Object.values(lock).map(p => p.namespace)];
    const close = closestNames(query, names);
    const hint = close.length > 0 ? `; closest: ${close.join(', ')}` : '';
    throw new CliFailure(`cdk8s-fleet where: no app or namespace '${query}' in ${LOCK_FILE}${hint}`, ExitCode.PROBLEMS);
  }
  const given = ((values.override as string[] | undefined) ?? []).map(o => o.trim()).filter(o => o);
  const overrides = [...given, ...splitOverrides(io.env[INPUT_ENV.OVERRIDES])];
  const entries = whereAll(dir, lock, apps, overrides);
  io.stdout.write(values.json ? `${JSON.stringify(entries, null, 2)}\n` : entries.map(formatWhere).join('\n'));
  return ExitCode.OK;
}

/** The entries of the given apps, read from an output directory. */
export function whereAll(
  dir: string, lock: Readonly<Record<string, LockedPlacement>>, apps: readonly string[], overrides: readonly string[],
  reader: WhereReader = FS_READER,
): WhereEntry[] {
  const hub = hubDir(dir, reader);
  const exemptions = hub ? readExemptions(dir, hub, reader) : [];
  const poolsByCluster = new Map<string, WherePool[]>();
  return apps.map(app => {
    const placement = lock[app];
    let pools = poolsByCluster.get(placement.cluster);
    if (!pools) {
      pools = hub ? readPools(dir, hub, placement.cluster, reader) : [];
      poolsByCluster.set(placement.cluster, pools);
    }
    const filesIn = (cluster: string) => {
      const nsDir = path.join(dir, cluster, 'namespaces', placement.namespace);
      return reader.exists(nsDir) ? reader.readDir(nsDir) : [];
    };
    const poolsIn = (cluster: string) => {
      let list = poolsByCluster.get(cluster);
      if (!list) {
        list = hub ? readPools(dir, hub, cluster, reader) : [];
        poolsByCluster.set(cluster, list);
      }
      return list;
    };
    return whereEntry({
      app,
      placement,
      region: hub ? readRegion(dir, hub, app, reader) : undefined,
      pools,
      namespaceFiles: filesIn(placement.cluster),
      ...(Array.isArray(placement.clusters)
        ? { clusters: placement.clusters.map(c => ({ cluster: c, pools: poolsIn(c), namespaceFiles: filesIn(c) })) }
        : {}),
      exemptions,
      overrides,
    });
  });
}

/** Reads the placements lock of an output directory (app → placement). */
export function readLock(dir: string, reader: WhereReader = FS_READER): Record<string, LockedPlacement> {
  const file = path.join(dir, LOCK_FILE);
  let text: string;
  try {
    text = reader.readFile(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message} (is it a synthesized output directory?)`);
  }
  let doc: { placements?: Record<string, LockedPlacement> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
  return doc.placements ?? {};
}

/** The config file's output directory, else dist (loads the synth verb's config reader only when no DIR is given). */
async function defaultOutput(io: CliIo): Promise<string> {
  const { resolveSynthConfig } = await import('./synth');
  try {
    return resolveSynthConfig(io, 'unused').output;
  } catch {
    return path.join(io.cwd, 'dist');
  }
}

/** The hub's directory: the cluster directory holding the NamespacePlacement CRD. */
function hubDir(dir: string, reader: WhereReader): string | undefined {
  for (const d of reader.readDir(dir)) {
    if (reader.exists(path.join(dir, d, 'cluster', 'customresourcedefinition-namespaceplacements.fleet.cdk8s.io.yaml'))) return d;
  }
  return undefined;
}

function readYaml(file: string, reader: WhereReader): Record<string, unknown> | undefined {
  if (!reader.exists(file)) return undefined;
  const text = reader.readFile(file);
  // the library's own YAML without the yaml package (loaded only for a file edited by hand)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (readEmittedYaml(text) ?? (require('yaml') as typeof import('yaml')).parse(text)) as Record<string, unknown> | undefined;
}

function spec(doc: Record<string, unknown> | undefined): Record<string, unknown> {
  const s = doc?.spec;
  return s && typeof s === 'object' ? s as Record<string, unknown> : {};
}

function readRegion(dir: string, hub: string, app: string, reader: WhereReader): string | undefined {
  const r = spec(readYaml(path.join(dir, hub, 'cluster', `namespaceplacement-${app}.yaml`), reader)).region;
  return typeof r === 'string' ? r : undefined;
}

function readExemptions(dir: string, hub: string, reader: WhereReader): WhereGuardrailException[] {
  const list = spec(readYaml(path.join(dir, hub, 'cluster', 'guardrailconfiguration-fleet-guardrails.yaml'), reader)).exemptions;
  if (!Array.isArray(list)) return [];
  return list.map(e => e as WhereGuardrailException).map(e => ({ rule: e.rule, target: e.target, reason: e.reason }));
}

function readPools(dir: string, hub: string, cluster: string, reader: WhereReader): WherePool[] {
  const clusterDir = path.join(dir, hub, 'cluster');
  const prefix = `kubernetespool-${cluster}-`;
  const out: WherePool[] = [];
  for (const f of reader.readDir(clusterDir)) {
    if (!f.startsWith(prefix) || !f.endsWith('.yaml')) continue;
    const doc = readYaml(path.join(clusterDir, f), reader);
    const s = spec(doc);
    if (s.cluster !== cluster) continue;
    const tpl = (s.poolTemplate ?? {}) as { capacity?: number; nodeProfile?: string };
    const labels = ((doc?.metadata as { labels?: Record<string, string> } | undefined)?.labels) ?? {};
    const name = labels['fleet.cdk8s.io/pool'] ?? f.slice(prefix.length, -'.yaml'.length);
    const zones = Array.isArray(s.maintenanceZones) ? s.maintenanceZones as Array<{ zone: string; capacity: number }> : [];
    out.push({
      pool: name,
      nodeProfile: tpl.nodeProfile ?? '',
      nodes: tpl.capacity ?? zones.reduce((n, z) => n + (z.capacity ?? 0), 0),
      zones: zones.map(z => ({ zone: z.zone, nodes: z.capacity ?? 0 })),
    });
  }
  return out;
}
