/**
 * `cdk8s-fleet plan [DIR]`: the capacity and routing of a synthesized output
 * at a glance, as aligned tables or JSON.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FreshSynth, requireDir } from './diff';
import { CliIo, ExitCode, UsageError, formatTable, parseVerbArgs } from './io';
import { BatchLineReport, BatchReport, ClusterReport, MaintenancePlanReport, PlanReport, planReport } from './plan-report';
import { resolveSynthConfig } from './synth';
import { ResourceAmounts } from '../core/resources';
import { WORKLOAD_KINDS } from '../core/workload-kinds';
import { DrainOutcome, ZoneDrain } from '../maintenance/drain';
import { maintenanceReportFile } from '../maintenance/report';
import { CONTROL_PLANE_DIR, SIZING_RECORD_FILE } from '../synth/layout';
import { OutputTree, listFiles, readListedOutputTree, readOutputTreeOf } from '../synth/read';

/** Help text of the verb. */
export const PLAN_HELP = `Usage: cdk8s-fleet plan [DIR] [options]

Shows, per cluster, per pool and per maintenance zone: nodes, allocatable
versus requested CPU, memory and GPUs (requests of Deployments, StatefulSets,
CloneSets x replicas, DaemonSets x nodes), the namespaces routed there (new
ones marked against --previous), the control-plane sizing when recorded, and
with a jobs platform each cluster's and region's batch capacity per node
profile and pool: what the queues hold / the regional quota's share /
allocatable after node agents and the stateless and stateful namespaces,
the cluster's batch scheduler (volcano or kueue), and each team queue's
quota / what it may use with borrowing (per cluster and per region).
With the clusters' maintenance reports: per cluster and maintenance zone,
what draining the zone does (pods evicted; workloads that move, drop below
their desired replicas, stall the drain, wait for their operator or
deadlock; the tightest headroom left), the maintenance policy, and what
losing each cluster does to its apps.
DIR defaults to the output directory of the config file (else dist).

Options:
  --previous DIR   previous output; namespaces it lacks are marked (new)
  --synth          plan a fresh synth of the fleet program instead of DIR;
                   DIR (if it exists) is then the previous output
  -a, --app CMD    app command for --synth
  --drain ZONE     show what draining maintenance zone ZONE does, workload by
                   workload and per node profile, in every cluster
  --json           print the report as JSON on stdout (zone drains, eviction
                   reviews and cluster loss included)
  -h, --help       show this help

Exit codes: 0 ok, 1 the fresh synth failed validation, 2 usage, 3 the fleet program failed.
`;

/** Runs the verb. */
export async function runPlan(args: string[], io: CliIo, freshSynth: FreshSynth): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, {
    previous: { type: 'string' },
    synth: { type: 'boolean' },
    app: { type: 'string', short: 'a' },
    json: { type: 'boolean' },
    drain: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(PLAN_HELP);
    return ExitCode.OK;
  }
  if (positionals.length > 1) throw new UsageError('plan takes at most one directory');
  const dirArg = positionals[0] ?? path.relative(io.cwd, resolveSynthConfigSafe(io));
  let previous: OutputTree | undefined;
  if (values.previous) previous = readNamespaces(requireDir(io, values.previous as string, '--previous'));

  if (values.synth) {
    const committed = path.resolve(io.cwd, dirArg);
    if (!previous && fs.existsSync(committed)) previous = readNamespaces(committed);
    const fresh = await freshSynth(io, { app: values.app as string | undefined, overrides: [] });
    try {
      if (fresh.exitCode !== ExitCode.OK || !fresh.dir) return fresh.exitCode;
      return print(io, planReport(readPlanTree(fresh.dir), previous), !!values.json, values.drain as string | undefined);
    } finally {
      fresh.cleanup();
    }
  }
  if (values.app) throw new UsageError('--app needs --synth');
  const tree = readPlanTree(requireDir(io, dirArg || '.', 'DIR'));
  return print(io, planReport(tree, previous), !!values.json, values.drain as string | undefined);
}

/** The kind part of an API object file's name (`<kind>-<name>.yaml`, kind lowercased), if the path has the layout's shape. */
function kindOfFile(file: string): string | undefined {
  const parts = file.split('/');
  const objectFile = (parts.length === 3 && parts[1] === 'cluster') || (parts.length === 4 && parts[1] === 'namespaces');
  if (!objectFile) return undefined;
  const base = parts[parts.length - 1];
  const dash = base.indexOf('-');
  return dash > 0 ? base.slice(0, dash) : undefined;
}

/** The kinds (lowercased) the plan report reads: pools, namespaces, control planes and workloads. */
const PLAN_KINDS = new Set(['kubernetespool', 'namespace', ...WORKLOAD_KINDS.map(k => k.kind.toLowerCase())]);

/**
 * True for the files outside the clusters' object directories that the plan
 * report reads: the fleet's own records (the top-level files: placement lock,
 * cluster loss, batch capacity), each cluster's maintenance report and its
 * control plane's sizing record. Not the control-plane hosts' files (static
 * pods, etcd and kubelet configs, the restore script: a third of an output's
 * bytes) or kustomizations, which say nothing about capacity.
 */
function isPlanRecord(file: string): boolean {
  const parts = file.split('/');
  return parts.length === 1
    || (parts.length === 2 && file === maintenanceReportFile(parts[0]))
    || (parts.length === 3 && parts[1] === CONTROL_PLANE_DIR && parts[2] === SIZING_RECORD_FILE);
}

/**
 * The part of an output the plan report reads, and no more: the API object
 * files of pools, namespaces, control planes and workloads (told by their
 * names, `<kind>-<name>.yaml`), the records {@link isPlanRecord} names, and
 * of a cluster with none of these one object file (so that the cluster is
 * listed).
 */
function readPlanTree(dir: string): OutputTree {
  const wanted = new Set<string>();
  const clusterWithout = new Map<string, string>();
  const covered = new Set<string>();
  const listed = listFiles(dir);
  for (const file of listed) {
    const kind = kindOfFile(file);
    const cluster = file.split('/')[0];
    if (kind === undefined) {
      if (isPlanRecord(file)) wanted.add(file);
    } else if (PLAN_KINDS.has(kind) || kind.includes('controlplane')) {
      wanted.add(file);
      covered.add(cluster);
    } else if (!clusterWithout.has(cluster)) {
      clusterWithout.set(cluster, file);
    }
  }
  for (const [cluster, file] of clusterWithout) if (!covered.has(cluster)) wanted.add(file);
  // the listing once: a second walk of the tree was a tenth of plan's time
  return readListedOutputTree(dir, listed.filter(f => wanted.has(f)));
}

/** The namespaces of a previous output: all the plan report compares with. */
function readNamespaces(dir: string): OutputTree {
  return readOutputTreeOf(dir, f => kindOfFile(f) === 'namespace');
}

function resolveSynthConfigSafe(io: CliIo): string {
  try {
    return resolveSynthConfig(io, 'unused').output;
  } catch {
    return path.join(io.cwd, 'dist');
  }
}

function print(io: CliIo, report: PlanReport, json: boolean, drain?: string): number {
  if (drain !== undefined) {
    const zones = new Set((report.maintenance?.clusters ?? []).flatMap(c => c.zones.map(z => z.zone)));
    if (!zones.has(drain)) {
      throw new UsageError(zones.size === 0 ? 'the output has no maintenance reports (<cluster>/maintenance.json): synthesize it with this version first'
        : `no cluster has nodes in maintenance zone '${drain}' (zones: ${[...zones].sort().join(', ')})`);
    }
    const clusters = report.maintenance!.clusters.map(c => ({ cluster: c.cluster, drain: c.zones.find(z => z.zone === drain) })).filter(c => c.drain);
    io.stdout.write(json ? `${JSON.stringify({ zone: drain, clusters }, null, 2)}\n` : formatDrain(drain, report.maintenance!));
    return ExitCode.OK;
  }
  io.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatPlan(report));
  return ExitCode.OK;
}

function outcomeCounts(z: ZoneDrain): Record<DrainOutcome, number> {
  const out: Record<DrainOutcome, number> = { 'moves': 0, 'degraded': 0, 'blocked': 0, 'waits-for-operator': 0, 'deadlock': 0 };
  for (const w of z.workloads) out[w.outcome]++;
  return out;
}

/** The tightest headroom of a zone's drain: the smallest free share of CPU or memory over the profiles that run pods. */
function tightest(z: ZoneDrain): string {
  let worst: { share: number; text: string } | undefined;
  for (const h of z.headroom) {
    if (h.requested.pods === 0) continue;
    for (const [dim, fmt] of [['cpuMillis', cores], ['memoryMiB', memory]] as const) {
      const cap = h.capacity.resources[dim];
      const share = cap > 0 ? h.free.resources[dim] / cap : -Infinity;
      if (!worst || share < worst.share) {
        worst = { share, text: `${h.nodeProfile} ${dim === 'cpuMillis' ? 'cpu' : 'memory'} ${fmt(h.free.resources[dim])} free (${cap > 0 ? Math.round(share * 100) : 0}%)` };
      }
    }
  }
  return worst?.text ?? '-';
}

function formatMaintenance(m: MaintenancePlanReport): string {
  const out: string[] = [];
  for (const c of m.clusters) {
    const rows = [['ZONE', 'NODES', 'PODS EVICTED', 'MOVE', 'BELOW DESIRED', 'STALL DRAIN', 'WAIT FOR OPERATOR', 'DEADLOCK', 'TIGHTEST HEADROOM', 'ROLLOUT']];
    for (const z of c.zones) {
      const n = outcomeCounts(z);
      const updating = c.updating.filter(u => u.zone === z.zone).map(u => `${u.rollout} updating ${u.pool}`).join(', ');
      rows.push([z.zone, String(z.nodes), String(z.evicted), String(n.moves), String(n.degraded), String(n.blocked), String(n['waits-for-operator']), String(n.deadlock), tightest(z), updating]);
    }
    const p = c.policy;
    out.push(`maintenance of ${c.cluster} (plan --drain ZONE for one zone): at most ${WHOLE.format(p.maxNodesInFlight)} node(s) and ${p.maxZonesInFlight} zone(s) in flight, drain timeout ${p.drainTimeoutSeconds} s\n\n${formatTable(rows)}`);
  }
  const rows = [['LOST CLUSTER', 'APPS', 'DOWN', 'BELOW MINIMUM', 'ABSORBED']];
  for (const l of m.clusterLoss) {
    rows.push([l.cluster, String(l.apps.length), l.down.length > 0 ? `${l.down.length}: ${l.down.join(', ')}` : '0',
      l.belowMinimum.length > 0 ? `${l.belowMinimum.length}: ${l.belowMinimum.join(', ')}` : '0', String(l.apps.filter(a => a.outcome === 'absorbed').length)]);
  }
  out.push(`losing a cluster:\n\n${formatTable(rows)}`);
  return out.join('\n');
}

/** What draining one zone does, in every cluster with nodes there. */
export function formatDrain(zone: string, m: MaintenancePlanReport): string {
  const out: string[] = [];
  for (const c of m.clusters) {
    const z = c.zones.find(x => x.zone === zone);
    if (!z) continue;
    const updating = c.updating.filter(u => u.zone === zone).map(u => ` (${u.rollout} is updating pool ${u.pool} there now)`).join('');
    out.push(`draining ${zone} in ${c.cluster}: ${WHOLE.format(z.nodes)} node(s), ${z.evicted} pod(s) evicted${updating}\n`);
    if (z.workloads.length > 0) {
      const rows = [['WORKLOAD', 'KIND', 'REPLICAS', 'EVICTED', 'RESCHEDULED', 'PENDING', 'BUDGET', 'MINIMUM', 'OUTCOME']];
      for (const w of z.workloads) {
        rows.push([`${w.namespace}/${w.name}`, w.kind, String(w.replicas), String(w.evicted), String(w.rescheduled), String(w.pending),
          w.disruptionBudget === undefined ? 'none' : String(w.disruptionBudget), w.minimum === undefined ? '-' : String(w.minimum), w.outcome]);
      }
      out.push(formatTable(rows));
    }
    const rows = [['PROFILE', 'CPU FREE / CAPACITY', 'MEMORY FREE / CAPACITY', 'GPU FREE / CAPACITY', 'POD SLOTS FREE']];
    for (const h of z.headroom) {
      const f = h.free.resources, cap = h.capacity.resources;
      rows.push([h.nodeProfile, `${cores(f.cpuMillis)} / ${cores(cap.cpuMillis)}`, `${memory(f.memoryMiB)} / ${memory(cap.memoryMiB)}`, `${f.gpus} / ${cap.gpus}`, WHOLE.format(h.free.pods)]);
    }
    out.push(`headroom left outside ${zone}:\n\n${formatTable(rows)}`);
  }
  return out.join('\n');
}

/**
 * Numbers as the tables print them (thousands separated, one decimal unless
 * whole): one formatter for every cell, because `toLocaleString` with options
 * builds a new one per call, which a plan of thousands of rows feels.
 */
const ONE_DECIMAL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const WHOLE = new Intl.NumberFormat('en-US');

/** Cores, one decimal unless whole. */
export function cores(millis: number): string {
  return ONE_DECIMAL.format(millis / 1000);
}

/** Memory in Gi (one decimal unless whole), Ti above 100 Ti. */
export function memory(mib: number): string {
  const gi = mib / 1024;
  if (gi >= 100 * 1024) return `${ONE_DECIMAL.format(gi / 1024)}Ti`;
  return `${ONE_DECIMAL.format(gi)}Gi`;
}

function pct(req: number, alloc: number): string {
  return alloc > 0 ? `${Math.round((req / alloc) * 100)}%` : req > 0 ? 'n/a' : '0%';
}

function usage(req: ResourceAmounts, alloc: ResourceAmounts): string[] {
  return [
    `${cores(req.cpuMillis)} / ${cores(alloc.cpuMillis)}`, pct(req.cpuMillis, alloc.cpuMillis),
    `${memory(req.memoryMiB)} / ${memory(alloc.memoryMiB)}`, pct(req.memoryMiB, alloc.memoryMiB),
    `${req.gpus} / ${alloc.gpus}`,
  ];
}

/** The report as aligned tables, one section per cluster. */
export function formatPlan(report: PlanReport): string {
  const batch = new Map((report.batch?.clusters ?? []).map(b => [b.name, b]));
  const clusters = report.clusters.map(c => formatCluster(c, report.comparedWithPrevious, batch.get(c.cluster))).join('\n');
  const regions = report.batch?.regions.filter(r => Object.keys(r.byProfile).length > 0) ?? [];
  const out = [clusters];
  if (regions.length > 0) {
    const rows = [['REGION', 'PROFILE', ...BATCH_COLUMNS]];
    for (const r of regions) for (const [profile, l] of Object.entries(r.byProfile)) rows.push([r.name, profile, ...batchCells(l)]);
    const queues = regions.filter(r => r.queues.length > 0).map(r => `\nqueues of region ${r.name} (quota and most use, over its clusters):\n${formatQueues(r)}`).join('');
    out.push(`\nbatch quotas per region (capacity: allocatable after node agents and service namespaces):\n\n${formatTable(rows)}${queues}`);
  }
  // the maintenance tables end with the one cluster-loss table (federated apps fed in as one app over their clusters);
  // an output without maintenance reports shows the tenancy's cluster-loss check instead
  if (report.maintenance) out.push(`\n${formatMaintenance(report.maintenance)}`);
  if (report.clusterLoss) out.push(formatClusterLoss(report.clusterLoss, !report.maintenance));
  return out.join('');
}

/** How many names a cell lists before it says how many more. */
const NAMES_IN_A_CELL = 4;

function someNames(names: readonly string[]): string {
  if (names.length === 0) return '-';
  const shown = names.slice(0, NAMES_IN_A_CELL).join(', ');
  return names.length > NAMES_IN_A_CELL ? `${names.length}: ${shown}, … ${names.length - NAMES_IN_A_CELL} more` : shown;
}

/** The federated apps with their shares, and what the loss of each cluster does. */
function formatClusterLoss(loss: NonNullable<PlanReport['clusterLoss']>, withLossTable: boolean): string {
  const out: string[] = [];
  if (loss.federated.length > 0) {
    const rows = [['APP', 'REGION', 'SURVIVE', 'CLUSTER', 'SHARES']];
    for (const f of loss.federated) {
      f.clusters.forEach((c, i) => {
        const shares = Object.entries(c.shares).map(([w, n]) => `${w} ${n}`).join(', ') || '-';
        rows.push([i === 0 ? f.app : '', i === 0 ? f.region : '', i === 0 ? `${f.survive} (min ${f.minAvailablePercent}%)` : '', `${c.cluster}${c.canary ? ' (canaries)' : ''}`, shares]);
      });
    }
    out.push(`\nfederated apps (each workload's replicas per cluster):\n\n${formatTable(rows)}`);
  }
  if (!withLossTable) return out.join('');
  const rows = [['LOST CLUSTER', 'REGION', 'DOWN', 'DEGRADED (FEDERATED)', 'BELOW MINIMUM', 'NO ROOM ELSEWHERE']];
  for (const c of loss.clusters) {
    const below = c.belowMinimum.map(b => `${b.app}/${b.workload} ${b.remaining}<${b.minimum}${b.targetMissed ? ' (target missed)' : ''}`);
    rows.push([c.cluster, c.region, someNames(c.down), someNames(c.degraded), someNames(below), someNames(c.noCapacity)]);
  }
  out.push(`\ncluster loss (apps that run only in the lost cluster go down; federated apps keep their other shares):\n\n${formatTable(rows)}`);
  return out.join('');
}

const BATCH_COLUMNS = ['CPU QUEUES / QUOTA / CAPACITY', 'MEMORY QUEUES / QUOTA / CAPACITY', 'GPU QUEUES / QUOTA / CAPACITY'];

function batchCells(l: BatchLineReport): string[] {
  return [
    `${cores(l.queues.cpuMillis)} / ${cores(l.quota.cpuMillis)} / ${cores(l.capacity.cpuMillis)}`,
    `${memory(l.queues.memoryMiB)} / ${memory(l.quota.memoryMiB)} / ${memory(l.capacity.memoryMiB)}`,
    `${l.queues.gpus} / ${l.quota.gpus} / ${l.capacity.gpus}`,
  ];
}

function formatBatch(b: BatchReport): string {
  const rows = [['POOL', 'PROFILE', ...BATCH_COLUMNS]];
  for (const [profile, l] of Object.entries(b.byProfile)) rows.push(['(all)', profile, ...batchCells(l)]);
  for (const [pool, l] of Object.entries(b.byPool ?? {})) rows.push([pool, '', ...batchCells(l)]);
  return `batch (region ${b.region}${b.scheduler ? `, scheduler ${b.scheduler}` : ''}):\n\n${formatTable(rows)}${formatQueues(b)}`;
}

const QUEUE_COLUMNS = ['QUEUE', 'TEAM', 'PROFILE', 'CPU QUOTA / MAX', 'MEMORY QUOTA / MAX', 'GPU QUOTA / MAX'];

/** The team queues of a cluster or region: per profile its quota and what it may use at most, borrowing included. */
function formatQueues(b: BatchReport): string {
  if (b.queues.length === 0) return '';
  const rows = [QUEUE_COLUMNS];
  for (const q of b.queues) {
    for (const [profile, l] of Object.entries(q.byProfile)) {
      rows.push([q.queue, q.team, profile, `${cores(l.quota.cpuMillis)} / ${cores(l.capability.cpuMillis)}`,
        `${memory(l.quota.memoryMiB)} / ${memory(l.capability.memoryMiB)}`, `${l.quota.gpus} / ${l.capability.gpus}`]);
    }
  }
  return `\n${formatTable(rows)}`;
}

function formatCluster(c: ClusterReport, compared: boolean, batch?: BatchReport): string {
  const out: string[] = [];
  out.push(`cluster ${c.cluster}${c.region ? ` (region ${c.region})` : ''}: ${WHOLE.format(c.nodes)} nodes in ${c.pools.length} pool(s) over ${c.zones.length} maintenance zone(s)\n`);
  if (c.pools.length > 0) {
    const rows = [['POOL', 'PROFILE', 'NODES', 'CPU REQ / ALLOC', 'CPU', 'MEMORY REQ / ALLOC', 'MEM', 'GPU REQ / ALLOC']];
    for (const p of c.pools) rows.push([p.pool, p.profile, WHOLE.format(p.nodes), ...usage(p.requested, p.allocatable)]);
    if (c.unplaced.cpuMillis + c.unplaced.memoryMiB + c.unplaced.gpus > 0) {
      rows.push(['(no pool selected)', '', '', ...usage(c.unplaced, { cpuMillis: 0, memoryMiB: 0, gpus: 0 })]);
    }
    rows.push(['TOTAL', '', WHOLE.format(c.nodes), ...usage(c.requested, c.allocatable)]);
    out.push(formatTable(rows));
  }
  if (c.zones.length > 0) {
    const poolNames = c.pools.map(p => p.pool);
    const rows = [['ZONE', ...poolNames, 'NODES', 'CPU ALLOC', 'MEMORY ALLOC', 'GPU ALLOC']];
    for (const z of c.zones) {
      const a = z.allocatable;
      rows.push([z.zone, ...poolNames.map(p => String(z.pools[p] ?? 0)), String(z.nodes), cores(a.cpuMillis), memory(a.memoryMiB), String(a.gpus)]);
    }
    out.push(formatTable(rows));
  }
  const ns = c.namespaces.map(n => `${n.name}${n.new ? ' (new)' : ''}${n.federatedOver ? ` (federated over ${n.federatedOver.join(', ')})` : ''}`);
  out.push(`namespaces (${c.namespaces.length}${compared ? `, ${c.namespaces.filter(n => n.new).length} new` : ''}): ${ns.length > 0 ? ns.join(', ') : '-'}\n`);
  if (batch && Object.keys(batch.byProfile).length > 0) out.push(formatBatch(batch));
  if (c.controlPlane) {
    const fields = Object.entries(c.controlPlane.fields).map(([k, v]) => `${k}=${v}`).join(', ');
    out.push(`control plane (${c.controlPlane.source}): ${fields}\n`);
  } else {
    out.push('control plane: not recorded in the output\n');
  }
  return out.join('\n');
}
