/**
 * The fleet-scale benchmark (`npm run bench`).
 *
 * For each size (default 300, 1,000 and 3,000 apps, with clusters and stateful
 * apps at LinkedIn's ratios) it runs, in a fresh child process so peak memory
 * is per size, a full synth of the generated fleet: construction of the
 * construct tree, validation, planning, rendering, emission and the atomic
 * write of every file to a temporary directory. It records wall time, CPU time
 * (user + system) and peak RSS (of the whole child, Node.js and the TypeScript
 * transpiler included).
 *
 * At the largest size it also runs, each in its own child: the baseline (the
 * same apps as cdk8s-plus-28 Deployments, Services and PDBs, one Chart per
 * app, `App.synth()` into a temporary directory) and the floor (serializing
 * the synth's own final objects with the `yaml` package, nothing else).
 *
 * Options: --sizes 300,1000,3000  --seed 42  --repeat 3 (best of N rounds over all
 *          sizes, so that a slow spell of a noisy machine skews no single ratio)
 *          --baseline-apps N (cap the baseline; its time is then scaled
 *          linearly, which flatters it since its cost grows faster)
 *          --no-baseline
 *          --tmpdir DIR (where the output is written; default the OS's)
 *
 * Results go to bench/results/latest.json; the last line printed is one JSON
 * object for tools: {"apps", "objects", "synthWallMs", "synthPeakRssMB",
 * "baselineWallMs", "yamlOnlyWallMs", "scaling3x"}.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { stringify } from 'yaml';
import { buildBaselineApp } from './baseline';
import { GeneratedApp, clustersFor, generateFleet, generatedAppOf, statefulAppsFor } from './generator';
import { AppNamespace, Fleet } from '../src';
import { FleetModel } from '../src/core/model';
import { canonicalObject } from '../src/synth/emit';
import { writeOutputAtomically } from '../src/synth/write';
import { emitYaml } from '../src/synth/yaml-emitter';

/** What one child measured. */
interface Measurement {
  readonly apps: number;
  readonly clusters: number;
  readonly objects: number;
  readonly files: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMB: number;
  /** Phases of the synth (construction, synthesize, write) or of the floor. */
  readonly phases: Record<string, number>;
  /** Apps the baseline actually synthesized (when capped). */
  readonly measuredApps?: number;
  /** Wall time of the whole child process as the parent saw it (Node.js start, module loading and transpiling included). */
  readonly processWallMs?: number;
}

function args(): Map<string, string> {
  const m = new Map<string, string>();
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    if (!a[i].startsWith('--')) continue;
    const next = a[i + 1];
    if (next === undefined || next.startsWith('--')) m.set(a[i].slice(2), 'true');
    else m.set(a[i].slice(2), a[++i]);
  }
  return m;
}

/**
 * Where children write: below one directory per run, removed by the parent at
 * the very end. Deleting tens of thousands of files between measurements would
 * slow the next ones down: ext4 skips recently deleted inodes when it allocates
 * new ones, for up to minutes.
 */
let tmpRoot = os.tmpdir();

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(tmpRoot, prefix));
}

function generate(apps: number, seed: number, outdir: string): Fleet {
  return generateFleet({ apps, statefulApps: statefulAppsFor(apps), clusters: clustersFor(apps), seed, outdir });
}

function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return Math.round((c.user + c.system) / 1000);
}

/** Child: a full synth at one size, as `Fleet.synth()` does it (synthesize, then the atomic write). */
function childSynth(apps: number, seed: number): Measurement {
  const outdir = path.join(tmpDir('synth-'), 'dist');
  {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const fleet = generate(apps, seed, outdir);
    const t1 = performance.now();
    const result = fleet.synthesize(); // the same path as Fleet.synth(): synthesize, then the atomic write
    const t2 = performance.now();
    writeOutputAtomically(fleet.fleetOutdir, result.files);
    const t3 = performance.now();
    return {
      apps,
      clusters: clustersFor(apps),
      objects: result.objects.length,
      files: result.files.size,
      wallMs: Math.round(t3 - t0),
      cpuMs: cpuMs(cpu0),
      peakRssMB: peakRssMB(),
      phases: { constructMs: Math.round(t1 - t0), synthesizeMs: Math.round(t2 - t1), writeMs: Math.round(t3 - t2) },
    };
  }
}

/** Child: the cdk8s-plus-28 one-chart-per-app baseline for the same apps. */
function childBaseline(apps: number, seed: number, cap: number): Measurement {
  const fleet = generate(apps, seed, 'unused');
  const specs = new FleetModel(fleet).ofType(AppNamespace).map(generatedAppOf).filter((a): a is GeneratedApp => a !== undefined);
  const measured = specs.slice(0, Math.min(cap, specs.length));
  const root = tmpDir('baseline-');
  {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const app = buildBaselineApp(measured, root);
    const t1 = performance.now();
    app.synth();
    const t2 = performance.now();
    const objects = fs.readdirSync(root).reduce((n, f) => n + fs.readFileSync(path.join(root, f), 'utf8').split(/^---$/m).length, 0);
    return {
      apps,
      clusters: 0,
      objects,
      files: fs.readdirSync(root).length,
      measuredApps: measured.length,
      wallMs: Math.round(t2 - t0),
      cpuMs: cpuMs(cpu0),
      peakRssMB: peakRssMB(),
      phases: { constructMs: Math.round(t1 - t0), synthMs: Math.round(t2 - t1) },
    };
  }
}

/** Child: the floor, the synth's own final objects serialized with `yaml` alone (and with the library's emitter, for reference). */
function childYamlOnly(apps: number, seed: number): Measurement {
  const fleet = generate(apps, seed, 'unused');
  const result = fleet.synthesize();
  const docs = result.objects.map(o => canonicalObject(o.object));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let bytes = 0;
  for (const d of docs) bytes += stringify(d, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }).length;
  const t1 = performance.now();
  const cpu = cpuMs(cpu0);
  let ownBytes = 0;
  for (const d of docs) ownBytes += emitYaml(d).length;
  const t2 = performance.now();
  if (ownBytes <= 0 || bytes <= 0) throw new Error('nothing serialized');
  return {
    apps,
    clusters: clustersFor(apps),
    objects: docs.length,
    files: 0,
    wallMs: Math.round(t1 - t0),
    cpuMs: cpu,
    peakRssMB: peakRssMB(),
    phases: { yamlPackageMs: Math.round(t1 - t0), ownEmitterMs: Math.round(t2 - t1), yamlBytes: bytes, ownBytes },
  };
}

function runChild(kind: string, apps: number, seed: number, extra: string[] = []): Measurement {
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [
    '--max-old-space-size=4096',
    '-r', require.resolve('ts-node/register/transpile-only'),
    __filename, '--child', kind, '--apps', String(apps), '--seed', String(seed), '--tmpdir', tmpRoot, ...extra,
  ], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json') },
  });
  if (res.status !== 0) {
    throw new Error(`benchmark child '${kind}' (${apps} apps) failed with status ${res.status}:\n${res.stderr}`);
  }
  const last = res.stdout.trim().split('\n').pop() ?? '';
  return { ...(JSON.parse(last) as Measurement), processWallMs: Math.round(performance.now() - t0) };
}

function bestOf(n: number, run: () => Measurement): Measurement {
  let best: Measurement | undefined;
  for (let i = 0; i < n; i++) {
    const m = run();
    if (!best || m.wallMs < best.wallMs) best = m;
  }
  return best!;
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}

function main(): void {
  const a = args();
  const seed = Number(a.get('seed') ?? 42);
  const apps = Number(a.get('apps') ?? 0);
  const child = a.get('child');
  tmpRoot = path.resolve(a.get('tmpdir') ?? os.tmpdir());
  if (child) {
    const cap = Number(a.get('baseline-apps') ?? apps);
    const m = child === 'synth' ? childSynth(apps, seed) : child === 'baseline' ? childBaseline(apps, seed, cap) : childYamlOnly(apps, seed);
    process.stdout.write(`${JSON.stringify(m)}\n`);
    return;
  }

  const base = tmpRoot;
  tmpRoot = fs.mkdtempSync(path.join(base, 'fleet-bench-'));
  try {
    runAll(a, seed, base);
  } finally {
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
}

function runAll(a: Map<string, string>, seed: number, base: string): void {
  const sizes = (a.get('sizes') ?? '300,1000,3000').split(',').map(Number).sort((x, y) => x - y);
  const repeat = Number(a.get('repeat') ?? 3);
  const largest = sizes[sizes.length - 1];
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map(l => Math.round(l * 10) / 10),
  };
  const log = (s: string) => process.stdout.write(`${s}\n`);
  log(`cdk8s-fleet benchmark: sizes ${sizes.join(', ')} apps, seed ${seed}, best of ${repeat}, output written below ${base}; `
    + `${machine.cpus} CPUs (${machine.cpuModel}), Node.js ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);

  // Rounds over all sizes rather than repeats of one size: a slow spell of the
  // machine then touches every size alike instead of skewing one ratio.
  const synth = new Map<number, Measurement>();
  for (let round = 0; round < repeat; round++) {
    for (const size of sizes) {
      const m = runChild('synth', size, seed);
      const best = synth.get(size);
      if (!best || m.wallMs < best.wallMs) synth.set(size, m);
    }
  }
  for (const size of sizes) {
    const m = synth.get(size)!;
    log(`synth    ${String(size).padStart(5)} apps, ${String(m.clusters).padStart(3)} clusters: ${String(m.objects).padStart(6)} objects, ${fmt(m.wallMs)} wall, `
      + `${fmt(m.cpuMs)} CPU, ${m.peakRssMB} MB peak RSS (construct ${fmt(m.phases.constructMs)}, synthesize ${fmt(m.phases.synthesizeMs)}, write ${fmt(m.phases.writeMs)}; `
      + `whole process ${fmt(m.processWallMs ?? 0)})`);
  }
  const top = synth.get(largest)!;
  const third = sizes.find(s => s * 3 === largest);
  const scaling3x = third ? ratio(top.wallMs, synth.get(third)!.wallMs) : NaN;

  const floor = bestOf(repeat, () => runChild('yaml', largest, seed));
  log(`floor    ${String(largest).padStart(5)} apps: ${floor.objects} objects serialized with the yaml package in ${fmt(floor.wallMs)} `
    + `(the library's emitter: ${fmt(floor.phases.ownEmitterMs)})`);

  let baseline: Measurement | undefined;
  let baselineWallMs = NaN;
  if (a.get('no-baseline') !== 'true') {
    const cap = Number(a.get('baseline-apps') ?? largest);
    baseline = runChild('baseline', largest, seed, ['--baseline-apps', String(cap)]);
    const measuredApps = baseline.measuredApps ?? largest;
    baselineWallMs = Math.round(baseline.wallMs * (largest / measuredApps));
    log(`baseline ${String(measuredApps).padStart(5)} apps as cdk8s-plus-28 charts: ${baseline.objects} objects, ${fmt(baseline.wallMs)} wall, ${fmt(baseline.cpuMs)} CPU, `
      + `${baseline.peakRssMB} MB peak RSS${measuredApps < largest ? `; scaled linearly to ${largest} apps: ${fmt(baselineWallMs)}` : ''}`);
  }

  log(`ratios at ${largest} apps: baseline / synth = ${ratio(baselineWallMs, top.wallMs)}x, synth / yaml-only floor = ${ratio(top.wallMs, floor.wallMs)}x, `
    + `time(${largest}) / time(${third ?? '?'}) = ${scaling3x}`);

  const summary = {
    apps: largest,
    objects: top.objects,
    synthWallMs: top.wallMs,
    synthPeakRssMB: top.peakRssMB,
    baselineWallMs,
    yamlOnlyWallMs: floor.wallMs,
    scaling3x,
  };
  const resultsDir = path.join(__dirname, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify({ summary, machine, seed, repeat, tmpdir: base, synth: [...synth.values()], floor, baseline }, undefined, 2)}\n`);
  log(`details in ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
  log(JSON.stringify(summary));
}

main();
