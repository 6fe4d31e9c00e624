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
 * spread (min–max) of each.
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
 * Options: --sizes 1000,3000,10000  --rounds 3  --seed 42  --no-baseline
 *          --tmpdir DIR (where outputs are written; default the OS's)
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
import { AppNamespace } from '../src';
import { FleetModel } from '../src/core/model';

/** One run of one system, as `/usr/bin/time` saw it. */
interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMB: number;
}

/** Median and spread of a system's samples. */
interface Stat {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

const SYSTEMS = ['program', 'synth', 'check', 'change', 'diff', 'plan', 'where', 'baseline', 'floor'] as const;
type System = typeof SYSTEMS[number];

const ROOT = path.resolve(__dirname, '..');
const NODE = `${process.execPath} --max-old-space-size=4096`;
const TIME = '/usr/bin/time';

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

/** Runs `command` (a shell command) as a whole process under /usr/bin/time; `ok` lists its accepted exit codes. */
function measure(command: string, env: NodeJS.ProcessEnv, cwd: string, ok: readonly number[] = [0]): Sample {
  const out = path.join(os.tmpdir(), `fleet-bench-time-${process.pid}`);
  const res = spawnSync(TIME, ['-f', '%e %U %S %M', '-o', out, 'sh', '-c', command], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CI: 'true', NODE_PATH: path.join(ROOT, 'node_modules'), ...env },
  });
  if (res.status === null || !ok.includes(res.status)) {
    throw new Error(`'${command}' failed with status ${res.status}:\n${res.stderr}`);
  }
  const [wall, user, sys, rssKB] = fs.readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  fs.rmSync(out, { force: true });
  return { wallMs: Math.round(wall * 1000), cpuMs: Math.round((user + sys) * 1000), peakRssMB: Math.round(rssKB / 1024) };
}

function stat(xs: readonly number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
  return { median, min: s[0], max: s[s.length - 1] };
}

/** The middle app (by name) of an output's placements lock (read by the harness, not measured). */
function middleApp(outdir: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(outdir, 'placements.lock.json'), 'utf8')) as { placements: Record<string, unknown> };
  const apps = Object.keys(lock.placements).sort();
  if (apps.length === 0) throw new Error(`no app in ${outdir}/placements.lock.json`);
  return apps[Math.floor(apps.length / 2)];
}

function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(2);
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
  const base = path.resolve(a.get('tmpdir') ?? os.tmpdir());
  const root = fs.mkdtempSync(path.join(base, 'fleet-bench-'));
  try {
    runAll(a, root, base);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function runAll(a: Map<string, string>, root: string, base: string): void {
  const { cli: CLI, program: PROGRAM, self } = compile(root);
  const sizes = (a.get('sizes') ?? '1000,3000,10000').split(',').map(Number).sort((x, y) => x - y);
  const rounds = Number(a.get('rounds') ?? a.get('repeat') ?? 3);
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
  log(`cdk8s-fleet benchmark: sizes ${sizes.join(', ')} apps, seed ${seed}, ${rounds} interleaved round(s), medians (min-max), `
    + `every system a whole process; ${machine.cpus} CPUs (${machine.cpuModel}), Node.js ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);

  // inputs of the baseline and the floor, made once per size (not measured)
  const inputs = new Map<number, { specs: string; objects: string }>();
  for (const size of sizes) {
    const specs = path.join(root, `specs-${size}.json`);
    const objects = path.join(root, `objects-${size}.json`);
    measure(`${self} --child specs --apps ${size} --seed ${seed} --file ${specs}`, {}, root);
    measure(PROGRAM, { BENCH_APPS: String(size), BENCH_SEED: String(seed), BENCH_OBJECTS_JSON: objects }, root);
    inputs.set(size, { specs, objects });
  }

  const samples = new Map<string, Sample[]>();
  const add = (size: number, system: System, s: Sample) => {
    const k = `${size}|${system}`;
    samples.set(k, [...(samples.get(k) ?? []), s]);
  };
  for (let round = 0; round < rounds; round++) {
    for (const size of sizes) {
      const dir = fs.mkdtempSync(path.join(root, `r${round}-${size}-`));
      const env = { BENCH_APPS: String(size), BENCH_SEED: String(seed) };
      const app = `--app '${PROGRAM}'`;
      for (const system of systems) {
        let s: Sample;
        switch (system) {
          case 'program': s = measure(PROGRAM, { ...env, CDK8S_FLEET_OUTDIR: path.join(dir, 'program') }, dir); break;
          case 'synth': s = measure(`${CLI} synth -q ${app} -o out`, env, dir); break;
          case 'check': s = measure(`${CLI} synth --check -q ${app} -o out`, env, dir); break;
          case 'change': s = measure(`${CLI} synth -q ${app} -o out`, { ...env, BENCH_CHANGED_APP: String(Math.floor(size / 2)) }, dir); break;
          case 'diff': s = measure(`${CLI} diff program out > /dev/null`, {}, dir, [1]); break;
          case 'plan': s = measure(`${CLI} plan out > /dev/null`, {}, dir); break;
          case 'where': s = measure(`${CLI} where ${middleApp(path.join(dir, 'out'))} out > /dev/null`, {}, dir); break;
          case 'baseline': s = measure(`${self} --child baseline --specs ${inputs.get(size)!.specs} --out baseline`, {}, dir); break;
          case 'floor': s = measure(`${self} --child floor --objects ${inputs.get(size)!.objects}`, {}, dir); break;
        }
        add(size, system, s);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const results: Record<string, Record<string, { wallMs: Stat; cpuMs: Stat; peakRssMB: Stat }>> = {};
  for (const size of sizes) {
    results[size] = {};
    for (const system of systems) {
      const xs = samples.get(`${size}|${system}`) ?? [];
      results[size][system] = { wallMs: stat(xs.map(x => x.wallMs)), cpuMs: stat(xs.map(x => x.cpuMs)), peakRssMB: stat(xs.map(x => x.peakRssMB)) };
    }
  }
  for (const size of sizes) {
    log(`${size} apps, ${clustersFor(size)} clusters:`);
    for (const system of systems) {
      const r = results[size][system];
      log(`  ${system.padEnd(9)} wall ${secs(r.wallMs.median).padStart(6)} s (${secs(r.wallMs.min)}-${secs(r.wallMs.max)}), `
        + `CPU ${secs(r.cpuMs.median).padStart(6)} s (${secs(r.cpuMs.min)}-${secs(r.cpuMs.max)}), peak RSS ${String(r.peakRssMB.median).padStart(5)} MB (${r.peakRssMB.min}-${r.peakRssMB.max})`);
    }
  }
  const ratios: Record<string, Record<string, number>> = {};
  for (const size of sizes) {
    const r = results[size];
    const program = r.program.wallMs.median;
    ratios[size] = {
      synthPerProgram: ratio(r.synth.wallMs.median, program),
      checkPerProgram: ratio(r.check.wallMs.median, program),
      changePerProgram: ratio(r.change.wallMs.median, program),
      diffPerProgram: ratio(r.diff.wallMs.median, program),
      planPerProgram: ratio(r.plan.wallMs.median, program),
      ...(r.baseline ? { baselinePerProgram: ratio(r.baseline.wallMs.median, program) } : {}),
      programPerFloor: ratio(program, r.floor.wallMs.median),
    };
    log(`ratios at ${size} apps (wall, medians): ${Object.entries(ratios[size]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  const growth: Record<string, number> = {};
  for (let i = 1; i < sizes.length; i++) {
    const [x, y] = [sizes[i - 1], sizes[i]];
    growth[`cpu${y}per${x}`] = ratio(results[y].program.cpuMs.median, results[x].program.cpuMs.median);
    growth[`wall${y}per${x}`] = ratio(results[y].program.wallMs.median, results[x].program.wallMs.median);
  }
  if (Object.keys(growth).length > 0) log(`growth of the program's synth: ${Object.entries(growth).map(([k, v]) => `${k} ${v}`).join(', ')}`);

  const summary = {
    sizes,
    rounds,
    medians: Object.fromEntries(sizes.map(size => [size, Object.fromEntries(systems.map(s => [s, {
      wallMs: results[size][s].wallMs.median, cpuMs: results[size][s].cpuMs.median, peakRssMB: results[size][s].peakRssMB.median,
    }]))])),
    ratios,
    growth,
  };
  const resultsDir = path.join(__dirname, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify({ summary, machine, seed, rounds, tmpdir: base, results, samples: Object.fromEntries(samples) }, undefined, 2)}\n`);
  log(`details in ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
  log(JSON.stringify(summary));
}

main();
