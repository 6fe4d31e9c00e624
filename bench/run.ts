/**
 * The fleet-scale benchmark (`npm run bench`).
 *
 * Every system is measured the same way: as a separate whole process (Node.js
 * start and module loading included; the library and the benchmark are
 * compiled to JavaScript first, as users run them), under `/usr/bin/time`, which reports the child's wall time, its CPU
 * time (user + system, of it and every process it waited for: the CLI's fleet
 * program too) and its peak RSS (of the largest process). Each system runs
 * once per round; rounds interleave all sizes and systems, so a slow spell of
 * a shared machine touches them alike; the report gives the median and the
 * spread (min–max) of each. Every run has the same time limit (`--limit`):
 * a run that reaches it is stopped (its whole process group) and reported as
 * "> limit", in the table and in the JSON, and counts as slower than every
 * run that finished. The outputs stay until the last round has run: deleting
 * tens of thousands of files on ext4 makes the next file creations in that
 * file system several times slower for a while (it skips recently deleted
 * inodes), which would charge one system's cleanup to the next system.
 *
 * Systems, per size (default 1,000, 3,000 and 10,000 apps, with clusters and
 * stateful apps at LinkedIn's ratios):
 * - `program`: the fleet program's own `fleet.synth()` into a fresh directory
 * - `synth`: `cdk8s-fleet synth` of the same program into a fresh directory
 * - `check`: `cdk8s-fleet synth --check` against that (unchanged) output
 * - `change`: `cdk8s-fleet synth` after a one-app change (one image tag), over that output
 * - `diff`: `cdk8s-fleet diff OLD NEW` of the two outputs (one app changed)
 * - `plan`: `cdk8s-fleet plan` of the output
 * - `where`: `cdk8s-fleet where APP` of the output, for the middle app of its lock
 * - `baseline`: the same apps as cdk8s-plus-28 charts, `App.synth()` (from the apps' specs)
 * - `floor`: the synth's final objects serialized with the `yaml` package (from their JSON)
 *
 * Options: --sizes 1000,3000,10000  --rounds 3  --rounds-at 10000=1 (fewer
 *          rounds for some sizes)  --limit 600 (seconds per run)  --seed 42
 *          --no-baseline  --tmpdir DIR (where outputs are written; default the OS's)
 *
 * Results go to bench/results/latest.json; the last line printed is one JSON
 * object for tools (medians, ms and MB, and the ratios).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { buildBaselineApp } from './baseline';
import { GeneratedApp, clustersFor, generateFleet, generatedAppOf, statefulAppsFor } from './generator';
import { Figure, Sample, SystemStats, jsonFigure, plain, ratio, roundsBySize, seconds, systemStats } from './stats';
import { AppNamespace } from '../src';
import { FleetModel } from '../src/core/model';

const SYSTEMS = ['program', 'synth', 'check', 'change', 'diff', 'plan', 'where', 'baseline', 'floor'] as const;
type System = typeof SYSTEMS[number];

const ROOT = path.resolve(__dirname, '..');
const NODE = `${process.execPath} --max-old-space-size=4096`;
const TIME = '/usr/bin/time';
const TIMEOUT = '/usr/bin/timeout';
/** timeout's exit status for a command it stopped (124), or killed after the grace period (137). */
const TIMED_OUT = [124, 137];

/** The commands of the compiled systems. */
interface Commands {
  readonly cli: string;
  readonly program: string;
  readonly self: string;
}

/**
 * Compiles src/ and bench/ to JavaScript below `root` with the project's
 * compiler settings, as users run the library (no TypeScript loader in any
 * measured process); the children find the project's packages through
 * NODE_PATH.
 */
function compile(root: string): Commands {
  const build = path.join(root, 'js');
  const tsc = require.resolve('typescript/bin/tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'tsconfig.json'), '--noEmit', 'false', '--declaration', 'false', '--outDir', build],
    { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`compiling the benchmark failed:\n${res.stdout}${res.stderr}`);
  return {
    cli: `${NODE} ${path.join(build, 'src', 'cli', 'main.js')}`,
    program: `${NODE} ${path.join(build, 'bench', 'program.js')}`,
    self: `${NODE} ${path.join(build, 'bench', 'run.js')}`,
  };
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
 * Runs `command` (a shell command) as a whole process under /usr/bin/time,
 * stopped by timeout(1) after `limitSec` seconds (SIGTERM to its process
 * group, SIGKILL 10 s later); `ok` lists its accepted exit codes. The shell
 * execs the command, so a stopped run's own CPU time and peak RSS are still
 * counted (lower bounds: a child it had not waited for yet is not).
 */
function measure(command: string, env: NodeJS.ProcessEnv, cwd: string, limitSec: number, ok: readonly number[] = [0]): Sample {
  const out = path.join(os.tmpdir(), `fleet-bench-time-${process.pid}`);
  const res = spawnSync(TIME, ['-f', '%e %U %S %M', '-o', out, TIMEOUT, '--kill-after=10', String(limitSec), 'sh', '-c', `exec ${command}`], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CI: 'true', NODE_PATH: path.join(ROOT, 'node_modules'), ...env },
  });
  const overLimit = res.status !== null && TIMED_OUT.includes(res.status);
  if (res.status === null || (!overLimit && !ok.includes(res.status))) {
    throw new Error(`'${command}' failed with status ${res.status}:\n${res.stderr}`);
  }
  const [wall, user, sys, rssKB] = fs.readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  fs.rmSync(out, { force: true });
  const sample = { wallMs: Math.round(wall * 1000), cpuMs: Math.round((user + sys) * 1000), peakRssMB: Math.round(rssKB / 1024) };
  return overLimit ? { ...sample, overLimit } : sample;
}

/** The middle app (by name) of an output's placements lock (read by the harness, not measured). */
function middleApp(outdir: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(outdir, 'placements.lock.json'), 'utf8')) as { placements: Record<string, unknown> };
  const apps = Object.keys(lock.placements).sort();
  if (apps.length === 0) throw new Error(`no app in ${outdir}/placements.lock.json`);
  return apps[Math.floor(apps.length / 2)];
}

/** Child: the cdk8s-plus-28 baseline for the apps in a JSON file. */
function childBaseline(specsJson: string, outdir: string): void {
  const specs = JSON.parse(fs.readFileSync(specsJson, 'utf8')) as GeneratedApp[];
  buildBaselineApp(specs, outdir).synth();
}

/** Child: the floor, the objects of a JSON file serialized with the `yaml` package. */
function childFloor(objectsJson: string): void {
  const docs = JSON.parse(fs.readFileSync(objectsJson, 'utf8')) as unknown[];
  let bytes = 0;
  for (const d of docs) bytes += stringify(d, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }).length;
  if (bytes <= 0) throw new Error('nothing serialized');
}

/** Child: the apps' specs of a size, as JSON, for the baseline. */
function childSpecs(apps: number, seed: number, file: string): void {
  const fleet = generateFleet({ apps, statefulApps: statefulAppsFor(apps), clusters: clustersFor(apps), seed, outdir: 'unused' });
  const specs = new FleetModel(fleet).ofType(AppNamespace).map(generatedAppOf).filter((a): a is GeneratedApp => a !== undefined);
  fs.writeFileSync(file, JSON.stringify(specs));
}

function main(): void {
  const a = args();
  const child = a.get('child');
  if (child === 'baseline') return childBaseline(a.get('specs')!, a.get('out')!);
  if (child === 'floor') return childFloor(a.get('objects')!);
  if (child === 'specs') return childSpecs(Number(a.get('apps')), Number(a.get('seed')), a.get('file')!);
  if (!fs.existsSync(TIME)) throw new Error(`the benchmark measures every system with ${TIME} (GNU time); install it (apt-get install time)`);
  if (!fs.existsSync(TIMEOUT)) throw new Error(`the benchmark stops a run at its time limit with ${TIMEOUT} (coreutils)`);
  const base = path.resolve(a.get('tmpdir') ?? os.tmpdir());
  const root = fs.mkdtempSync(path.join(base, 'fleet-bench-'));
  try {
    runAll(a, root, base);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The systems whose runs read what a system wrote in the same round (the CLI's output, `out`). */
const NEEDS_OUT: readonly System[] = ['check', 'change', 'diff', 'plan', 'where'];

function runAll(a: Map<string, string>, root: string, base: string): void {
  const { cli: CLI, program: PROGRAM, self } = compile(root);
  const sizes = (a.get('sizes') ?? '1000,3000,10000').split(',').map(Number).sort((x, y) => x - y);
  const rounds = roundsBySize(sizes, Number(a.get('rounds') ?? a.get('repeat') ?? 3), a.get('rounds-at'));
  const limitSec = Number(a.get('limit') ?? 600);
  if (!Number.isInteger(limitSec) || limitSec < 1) throw new Error(`--limit must be a whole number of seconds from 1, not ${a.get('limit')}`);
  const seed = Number(a.get('seed') ?? 42);
  const systems = SYSTEMS.filter(s => s !== 'baseline' || a.get('no-baseline') !== 'true');
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
  log(`cdk8s-fleet benchmark: sizes ${sizes.map(s => `${s} (${rounds.get(s)} round(s))`).join(', ')} apps, seed ${seed}, interleaved rounds, `
    + `medians (min-max), every system a whole process with a limit of ${limitSec} s per run; `
    + `${machine.cpus} CPUs (${machine.cpuModel}), Node.js ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);

  // inputs of the baseline and the floor, made once per size (not measured)
  const inputs = new Map<number, { specs: string; objects: string }>();
  const PREPARE_LIMIT = 3600;
  for (const size of sizes) {
    const specs = path.join(root, `specs-${size}.json`);
    const objects = path.join(root, `objects-${size}.json`);
    measure(`${self} --child specs --apps ${size} --seed ${seed} --file ${specs}`, {}, root, PREPARE_LIMIT);
    measure(PROGRAM, { BENCH_APPS: String(size), BENCH_SEED: String(seed), BENCH_OBJECTS_JSON: objects }, root, PREPARE_LIMIT);
    inputs.set(size, { specs, objects });
  }

  const samples = new Map<string, Sample[]>();
  const loads: number[] = [];
  const add = (size: number, system: System, s: Sample) => {
    const k = `${size}|${system}`;
    samples.set(k, [...(samples.get(k) ?? []), s]);
  };
  const maxRounds = Math.max(...rounds.values());
  for (let round = 0; round < maxRounds; round++) {
    for (const size of sizes) {
      if (round >= rounds.get(size)!) continue;
      // every round's outputs stay until the end (see the header: deleting them would slow the next run down)
      const dir = fs.mkdtempSync(path.join(root, `r${round}-${size}-`));
      const env = { BENCH_APPS: String(size), BENCH_SEED: String(seed) };
      const app = `--app '${PROGRAM}'`;
      const written = { program: false, out: false };
      for (const system of systems) {
        loads.push(os.loadavg()[0]);
        // an output stopped at the limit: what reads it has nothing to read this round
        if ((NEEDS_OUT.includes(system) && !written.out) || (system === 'diff' && !written.program)) continue;
        let s: Sample;
        switch (system) {
          case 'program': s = measure(PROGRAM, { ...env, CDK8S_FLEET_OUTDIR: path.join(dir, 'program') }, dir, limitSec); break;
          case 'synth': s = measure(`${CLI} synth -q ${app} -o out`, env, dir, limitSec); break;
          case 'check': s = measure(`${CLI} synth --check -q ${app} -o out`, env, dir, limitSec); break;
          case 'change': s = measure(`${CLI} synth -q ${app} -o out`, { ...env, BENCH_CHANGED_APP: String(Math.floor(size / 2)) }, dir, limitSec); break;
          case 'diff': s = measure(`${CLI} diff program out > /dev/null`, {}, dir, limitSec, [1]); break;
          case 'plan': s = measure(`${CLI} plan out > /dev/null`, {}, dir, limitSec); break;
          case 'where': s = measure(`${CLI} where ${middleApp(path.join(dir, 'out'))} out > /dev/null`, {}, dir, limitSec); break;
          case 'baseline': s = measure(`${self} --child baseline --specs ${inputs.get(size)!.specs} --out baseline`, {}, dir, limitSec); break;
          case 'floor': s = measure(`${self} --child floor --objects ${inputs.get(size)!.objects}`, {}, dir, limitSec); break;
        }
        if (system === 'program') written.program = !s.overLimit;
        if (system === 'synth') written.out = !s.overLimit;
        add(size, system, s);
      }
    }
  }

  const results: Record<string, Record<string, SystemStats>> = {};
  for (const size of sizes) {
    results[size] = {};
    for (const system of systems) {
      const xs = samples.get(`${size}|${system}`) ?? [];
      if (xs.length > 0) results[size][system] = systemStats(xs);
    }
  }
  const over = (r: SystemStats) => (r.overLimit > 0 ? `, ${r.overLimit} of ${r.runs} run(s) stopped at the limit` : '');
  for (const size of sizes) {
    log(`${size} apps, ${clustersFor(size)} clusters, ${rounds.get(size)} round(s):`);
    for (const system of systems) {
      const r = results[size][system];
      if (!r) {
        log(`  ${system.padEnd(9)} not run (the output it reads was stopped at the limit)`);
        continue;
      }
      log(`  ${system.padEnd(9)} wall ${seconds(r.wallMs.median).padStart(8)} s (${seconds(r.wallMs.min)}-${seconds(r.wallMs.max)}), `
        + `CPU ${seconds(r.cpuMs.median).padStart(8)} s (${seconds(r.cpuMs.min)}-${seconds(r.cpuMs.max)}), `
        + `peak RSS ${plain(r.peakRssMB.median).padStart(5)} MB (${plain(r.peakRssMB.min)}-${plain(r.peakRssMB.max)})${over(r)}`);
    }
  }
  // ratios of medians, of wall time and of CPU time, each system against the program's synth (the floor: the program against it)
  const ratios: Record<string, Record<string, number | string | null>> = {};
  const ratioOf = (x: SystemStats | undefined, y: SystemStats | undefined, k: 'wallMs' | 'cpuMs') => (x && y ? ratio(x[k].median, y[k].median) : undefined);
  for (const size of sizes) {
    const r = results[size];
    const of: Record<string, Figure | undefined> = {};
    for (const k of ['wallMs', 'cpuMs'] as const) {
      const unit = k === 'wallMs' ? '' : 'Cpu';
      for (const system of ['synth', 'check', 'change', 'diff', 'plan', 'where', 'baseline'] as const) {
        if (systems.includes(system)) of[`${system}PerProgram${unit}`] = ratioOf(r[system], r.program, k);
      }
      of[`programPerFloor${unit}`] = ratioOf(r.program, r.floor, k);
    }
    ratios[size] = Object.fromEntries(Object.entries(of).map(([k, v]) => [k, jsonFigure(v)]));
    log(`ratios at ${size} apps (medians): ${Object.entries(ratios[size]).map(([k, v]) => `${k} ${v ?? 'n/a'}`).join(', ')}`);
  }
  // growth of CPU time (and the program's wall time) from one size to the next
  const growth: Record<string, number | string | null> = {};
  const growthBySystem: Record<string, Record<string, number | string | null>> = {};
  for (let i = 1; i < sizes.length; i++) {
    const [x, y] = [sizes[i - 1], sizes[i]];
    growth[`cpu${y}per${x}`] = jsonFigure(ratioOf(results[y].program, results[x].program, 'cpuMs'));
    growth[`wall${y}per${x}`] = jsonFigure(ratioOf(results[y].program, results[x].program, 'wallMs'));
    for (const system of systems) {
      (growthBySystem[system] ??= {})[`cpu${y}per${x}`] = jsonFigure(ratioOf(results[y][system], results[x][system], 'cpuMs'));
    }
  }
  if (Object.keys(growth).length > 0) {
    log(`growth of the program's synth: ${Object.entries(growth).map(([k, v]) => `${k} ${v ?? 'n/a'}`).join(', ')}`);
    log(`CPU growth per system: ${Object.entries(growthBySystem).map(([s, g]) => `${s} ${Object.values(g).map(v => v ?? 'n/a').join(' / ')}`).join(', ')}`);
  }
  const sortedLoads = [...loads].sort((x, y) => x - y);
  const load = { min: Math.round(sortedLoads[0] * 10) / 10, max: Math.round(sortedLoads[sortedLoads.length - 1] * 10) / 10 };
  log(`1-minute load average before the runs: ${load.min} to ${load.max}`);

  const figure = (r: SystemStats | undefined, k: 'wallMs' | 'cpuMs' | 'peakRssMB') => (r ? jsonFigure(r[k].median) : null);
  const summary = {
    sizes,
    rounds: Object.fromEntries(rounds),
    limitMs: limitSec * 1000,
    medians: Object.fromEntries(sizes.map(size => [size, Object.fromEntries(systems.map(s => [s, {
      wallMs: figure(results[size][s], 'wallMs'),
      cpuMs: figure(results[size][s], 'cpuMs'),
      peakRssMB: figure(results[size][s], 'peakRssMB'),
      runs: results[size][s]?.runs ?? 0,
      overLimit: results[size][s]?.overLimit ?? 0,
    }]))])),
    ratios,
    growth,
    growthBySystem,
    load,
  };
  const resultsDir = path.join(__dirname, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'),
    `${JSON.stringify({ summary, machine, seed, rounds: summary.rounds, limitSec, tmpdir: base, results, samples: Object.fromEntries(samples) }, undefined, 2)}\n`);
  log(`details in ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
  log(JSON.stringify(summary));
}

main();
