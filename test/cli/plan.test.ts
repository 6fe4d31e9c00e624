import * as path from 'path';
import { planReport } from '../../src/cli/plan-report';
import { DEFAULT_KUBE_PROXY_CPU_MILLIS, DEFAULT_KUBE_PROXY_MEMORY_MIB } from '../../src/clusters/kube-proxy';
import { readOutputTree } from '../../src/synth/read';
import { CliRun, ensureCompiled, fleetProject, runCli } from '../support/cli';

beforeAll(ensureCompiled, 180_000);

function expectCode(r: CliRun, code: number) {
  if (r.code !== code) throw new Error(`expected exit code ${code}, got ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

describe('cdk8s-fleet plan', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fleetProject();
    expectCode(await runCli(['synth', '-o', 'old'], { cwd: dir, env: { APPS: 'web' } }), 0);
    expectCode(await runCli(['synth'], { cwd: dir, env: { APPS: 'web,feed', WEB_REPLICAS: '4', EXTRA_POOL: '1' } }), 0);
  }, 120_000);

  test('reads only the files it needs, with the report of the whole output', async () => {
    const r = await runCli(['plan', 'dist', '--previous', 'old', '--json'], { cwd: dir });
    expectCode(r, 0);
    const whole = planReport(readOutputTree(path.join(dir, 'dist')), readOutputTree(path.join(dir, 'old')));
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(whole)));
  });

  test('--json: per cluster, pool and zone nodes, allocatable vs requested, namespaces (new marked)', async () => {
    const r = await runCli(['plan', 'dist', '--previous', 'old', '--json'], { cwd: dir });
    expectCode(r, 0);
    const report = JSON.parse(r.stdout);
    expect(report.clusters.map((c: any) => c.cluster)).toEqual(['hub', 'prod-1']);
    const prod = report.clusters[1];
    expect(prod.nodes).toBe(12);
    expect(prod.pools.map((p: any) => [p.pool, p.profile, p.nodes])).toEqual([['batch', 'general', 4], ['general', 'general', 8]]);
    const general = prod.pools[1];
    // 32 cores, 128 GiB: kube-reserved 150m + system-reserved, allocatable below capacity
    expect(general.allocatablePerNode.cpuMillis).toBeLessThan(32_000);
    expect(general.allocatablePerNode.cpuMillis).toBeGreaterThan(30_000);
    expect(general.allocatable.cpuMillis).toBe(general.allocatablePerNode.cpuMillis * 8);
    // on every node the log shipper (100m, 128Mi) and kube-proxy (its default 200m, 256Mi)
    const perNode = { cpuMillis: 100 + DEFAULT_KUBE_PROXY_CPU_MILLIS, memoryMiB: 128 + DEFAULT_KUBE_PROXY_MEMORY_MIB, gpus: 0 };
    expect(perNode).toEqual({ cpuMillis: 300, memoryMiB: 384, gpus: 0 });
    // 4 × (500m, 1Gi) from the Deployment + 8 nodes' agents
    expect(general.requested).toEqual({ cpuMillis: 4 * 500 + 8 * perNode.cpuMillis, memoryMiB: 4 * 1024 + 8 * perNode.memoryMiB, gpus: 0 });
    expect(general.daemonSets).toEqual({ cpuMillis: 8 * perNode.cpuMillis, memoryMiB: 8 * perNode.memoryMiB, gpus: 0 });
    expect(prod.pools[0].requested).toEqual({ cpuMillis: 4 * perNode.cpuMillis, memoryMiB: 4 * perNode.memoryMiB, gpus: 0 });
    expect(prod.zones.map((z: any) => z.zone)).toEqual(['mz-01', 'mz-02', 'mz-03', 'mz-04']);
    expect(prod.zones.map((z: any) => z.nodes)).toEqual([3, 3, 3, 3]);
    expect(prod.zones[0].pools).toEqual({ batch: 1, general: 2 });
    expect(prod.namespaces.map((n: any) => [n.name, n.new])).toEqual([['etcd-backup', false], ['feed', true], ['fleet-system', false], ['web', false]]);
    expect(prod.namespaces.find((n: any) => n.name === 'web').requested).toEqual({ cpuMillis: 2000, memoryMiB: 4096, gpus: 0 });
  });

  test('an aligned table by default, default DIR from the config', async () => {
    const r = await runCli(['plan', '--previous', 'old'], { cwd: dir });
    expectCode(r, 0);
    const out = r.stdout;
    expect(out).toContain('cluster prod-1: 12 nodes in 2 pool(s) over 4 maintenance zone(s)');
    const lines = out.split('\n');
    const header = lines.find(l => l.startsWith('POOL'))!;
    const general = lines.find(l => l.startsWith('general '))!;
    // columns are aligned: NODES right-aligned under its header
    expect(general.indexOf(' 8 ') + 2).toBe(header.indexOf('NODES') + 'NODES'.length - 1 + 1);
    expect(out).toContain('namespaces (4, 1 new): etcd-backup, feed (new), fleet-system, web');
    expect(out).toMatch(/^mz-01 +1 +2 +3 /m);
  });

  test('maintenance: every zone\'s drain in the table, --drain ZONE workload by workload, --json with eviction reviews and cluster loss', async () => {
    const table = await runCli(['plan', 'dist'], { cwd: dir });
    expectCode(table, 0);
    expect(table.stdout).toMatch(/maintenance of prod-1 \(plan --drain ZONE for one zone\): at most [\d,]+ node\(s\) and 1 zone\(s\) in flight/);
    // the hand-added web Deployment has no zone spread: at worst all 4 pods are in the drained zone, and they fit elsewhere
    expect(table.stdout).toMatch(/^mz-02 +3 +4 +1 +0 +0 +0 +0 /m);
    expect(table.stdout).toMatch(/^prod-1 +1 +1: web\/web +0 +0$/m);

    const drain = await runCli(['plan', 'dist', '--drain', 'mz-02'], { cwd: dir });
    expectCode(drain, 0);
    expect(drain.stdout).toContain('draining mz-02 in prod-1: 3 node(s), 4 pod(s) evicted');
    expect(drain.stdout).toMatch(/^web\/web +Deployment +4 +4 +4 +0 +none +- +moves$/m);
    expect(drain.stdout).toContain('headroom left outside mz-02:');

    const json = JSON.parse((await runCli(['plan', 'dist', '--json'], { cwd: dir })).stdout);
    const prod = json.maintenance.clusters.find((c: any) => c.cluster === 'prod-1');
    expect(prod.zones.map((z: any) => z.zone)).toEqual(['mz-01', 'mz-02', 'mz-03', 'mz-04']);
    expect(prod.evictions.find((e: any) => e.name === 'web').findings.map((f: any) => f.rule)).toEqual(['maintenance.eviction.no-budget']);
    expect(json.maintenance.clusterLoss.find((l: any) => l.cluster === 'prod-1').down).toEqual(['web/web']);
    const one = JSON.parse((await runCli(['plan', 'dist', '--drain', 'mz-02', '--json'], { cwd: dir })).stdout);
    expect(one.zone).toBe('mz-02');
    expect(one.clusters.map((c: any) => c.cluster)).toEqual(['prod-1']);

    const unknown = await runCli(['plan', 'dist', '--drain', 'mz-09'], { cwd: dir });
    expectCode(unknown, 2);
    expect(unknown.stderr).toContain("no cluster has nodes in maintenance zone 'mz-09' (zones: mz-01, mz-02, mz-03, mz-04)");
  });

  test('--synth plans the program\'s current state against the committed output', async () => {
    const r = await runCli(['plan', 'dist', '--synth', '--json'], { cwd: dir, env: { APPS: 'web,feed,search' } });
    expectCode(r, 0);
    const prod = JSON.parse(r.stdout).clusters.find((c: any) => c.cluster === 'prod-1');
    expect(prod.namespaces.filter((n: any) => n.new).map((n: any) => n.name)).toEqual(['search']);
    expect(prod.pools.map((p: any) => p.pool)).toEqual(['general']);
  });

  test('--synth with a failing program: exit 1', async () => {
    expectCode(await runCli(['plan', '--synth'], { cwd: dir, env: { POOL_CAPACITY: '-1' } }), 1);
  });

  test('bad usage and bad input', async () => {
    expectCode(await runCli(['plan', 'a', 'b'], { cwd: dir }), 2);
    expectCode(await runCli(['plan', 'missing'], { cwd: dir }), 2);
    expectCode(await runCli(['plan', '--previous', 'missing'], { cwd: dir }), 2);
    expectCode(await runCli(['plan', '--bogus'], { cwd: dir }), 2);
    const help = await runCli(['plan', '-h'], { cwd: dir });
    expectCode(help, 0);
    expect(help.stdout).toContain('Usage: cdk8s-fleet plan');
  });
});
