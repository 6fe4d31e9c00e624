/**
 * Test support for the CLI: compiles the library once (into lib/, as
 * `projen compile` does) when the sources are newer, spawns the real binary,
 * and writes small fleet programs that use the compiled library.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tmpDir as tmpDirOf } from './tmp';

/** Root of the project. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** The compiled CLI entry. */
export const CLI = path.join(ROOT, 'lib', 'cli', 'main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  return fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= newestMtime(path.join(ROOT, 'src'));
}

/**
 * Makes sure lib/ is compiled from the current sources. Parallel test files
 * take a lock directory so only one compiles.
 */
export async function ensureCompiled(): Promise<void> {
  const lock = path.join(ROOT, '.compile-lock');
  for (;;) {
    if (fresh()) return;
    try {
      fs.mkdirSync(lock);
    } catch {
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // the other compile just finished
      }
      await new Promise(r => setTimeout(r, 500));
      continue;
    }
    try {
      if (!fresh()) {
        const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
        // tsc does not rewrite unchanged outputs: mark the build as fresh
        const now = new Date();
        fs.utimesSync(CLI, now, now);
      }
      return;
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Result of one run of the binary. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node lib/cli/main.js ...args` in `cwd`. */
export function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', ...options.env };
    delete env.CDK8S_FLEET_OUTDIR;
    delete env.CDK8S_FLEET_PREVIOUS;
    delete env.CDK8S_FLEET_NO_PREVIOUS;
    delete env.CDK8S_FLEET_OVERRIDES;
    for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.on('error', reject);
    child.on('close', code => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh empty temporary directory, removed when the test file ends. */
export function tmpDir(prefix = 'fleet-cli-'): string {
  return tmpDirOf(prefix);
}

/**
 * A small fleet program (JavaScript, using the compiled library at `lib`),
 * steered by environment variables so tests can change it between runs:
 * POOL_CAPACITY (nodes of the general pool; -1 fails validation), APPS
 * (comma-separated namespaces added to the cluster), WEB_REPLICAS (a hand-added Deployment in
 * namespace 'web'), EXTRA_POOL (adds a 'batch' pool), CRASH (throws), TENANT_APPS
 * (comma-separated onboarded apps: an AppNamespace each, with a reserve, recorded in the
 * placement lock file fleet.lock.json of the working directory; the second cluster
 * 'prod-2' exists only then), BATCH_CPU (a BatchPlatform whose regional quota of region lva1
 * is that many cores and GiB of 'general', split over the region's clusters).
 */
export function fleetProgram(lib = path.join(ROOT, 'lib'), cdk8s = path.join(ROOT, 'node_modules', 'cdk8s')): string {
  return `const { ApiObject } = require(${JSON.stringify(cdk8s)});
const { AppNamespace, BatchPlatform, Cluster, ControlPlane, Cpu, Fleet, NodeProfile, PlacementLock, RequiredDaemonSet, Size } = require(${JSON.stringify(lib)});
if (process.env.CRASH) throw new Error('the program crashed on purpose');
const fleet = new Fleet({ maintenanceZones: 4 });
const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 32, memory: Size.gibibytes(128) } });
const logs = new RequiredDaemonSet(fleet, 'log-shipper', {
  image: 'registry.internal/log-shipper:1.0.0',
  resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) },
});
const cluster = new Cluster(fleet, 'prod-1', { region: 'lva1' });
cluster.addPool('general', { nodeProfile: general, capacity: Number(process.env.POOL_CAPACITY || 8), requiredDaemonSets: [logs] });
if (process.env.EXTRA_POOL) cluster.addPool('batch', { nodeProfile: general, capacity: 4, requiredDaemonSets: [logs] });
for (const app of (process.env.APPS || '').split(',').filter(a => a)) {
  new ApiObject(cluster, 'ns-' + app, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: app } });
}
if (process.env.WEB_REPLICAS) {
  new ApiObject(cluster, 'web', {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'web' },
    spec: {
      replicas: Number(process.env.WEB_REPLICAS),
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          nodeSelector: { 'fleet.cdk8s.io/pool': 'general' },
          containers: [{ name: 'web', image: 'registry.internal/web:' + (process.env.WEB_TAG || '1.0.0'),
            resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } } }],
        },
      },
    },
  });
}
const tenantApps = (process.env.TENANT_APPS || '').split(',').filter(a => a);
if (tenantApps.length > 0) {
  const prod2 = new Cluster(fleet, 'prod-2', { region: 'lva1' });
  prod2.addPool('general', { nodeProfile: general, capacity: 8, requiredDaemonSets: [logs] });
  new PlacementLock(fleet, 'placements', { file: 'fleet.lock.json' });
}
for (const app of tenantApps) {
  new AppNamespace(fleet, 'app-' + app, {
    app, tenant: 'stateless', nodeProfile: 'general',
    reserve: { pods: 4, cpu: Cpu.units(2), memory: Size.gibibytes(4) },
  });
}
if (process.env.BATCH_CPU) {
  const n = Number(process.env.BATCH_CPU);
  new BatchPlatform(fleet, 'batch', { regionalQuotas: { lva1: { general: { cpu: Cpu.units(n), memory: Size.gibibytes(n) } } } });
}
for (const c of fleet.node.children.filter(x => x instanceof Cluster)) {
  new ControlPlane(c, 'control-plane', { backup: { objectStore: { endpoint: 'https://s3.backup.example.net', bucket: 'fleet-etcd-backups', prefix: 'etcd/' + c.clusterName } } });
}
fleet.synth();
`;
}

/** A project directory with the fleet program as main.js and a cdk8s-fleet.yaml naming it. */
export function fleetProject(): string {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'main.js'), fleetProgram());
  fs.writeFileSync(path.join(dir, 'cdk8s-fleet.yaml'), 'app: node main.js\noutput: dist\n');
  return dir;
}

/** An in-memory CliIo for in-process tests of a verb. */
export function memoryIo(cwd: string, stdin = ''): { io: import('../../src/cli/io').CliIo; out: () => string; err: () => string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Readable } = require('stream') as typeof import('stream');
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => { out += s; } },
      stderr: { write: (s: string) => { err += s; } },
      stdin: Readable.from([Buffer.from(stdin)]),
      interactive: false,
      cwd,
      env: {},
    },
    out: () => out,
    err: () => err,
  };
}

/** Every file below a directory (relative path → content), the marker included. */
export { readTree as readTreeOf } from './fleet';
