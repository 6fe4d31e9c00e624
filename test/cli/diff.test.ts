import * as fs from 'fs';
import * as path from 'path';
import { CliRun, ensureCompiled, fleetProject, runCli, tmpDir } from '../support/cli';

beforeAll(ensureCompiled, 180_000);

function expectCode(r: CliRun, code: number) {
  if (r.code !== code) throw new Error(`expected exit code ${code}, got ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

/** Synthesizes the test fleet with `env` into `<project>/<out>`. */
async function synthInto(dir: string, out: string, env: NodeJS.ProcessEnv) {
  expectCode(await runCli(['synth', '-o', out], { cwd: dir, env }), 0);
  return path.join(dir, out);
}

describe('cdk8s-fleet diff', () => {
  let dir: string;
  let before: string;
  beforeAll(async () => {
    dir = fleetProject();
    // a realistic change: scale a Deployment and bump its image, add a pool and a namespace, drop a namespace
    before = await synthInto(dir, 'before', { APPS: 'web,legacy', WEB_REPLICAS: '3', WEB_TAG: '1.0.0' });
    await synthInto(dir, 'after', { APPS: 'web,feed', WEB_REPLICAS: '5', WEB_TAG: '1.1.0', EXTRA_POOL: '1' });
  }, 120_000);

  test('added / changed / removed per cluster, with the changed fields', async () => {
    const r = await runCli(['diff', 'before', 'after'], { cwd: dir });
    expectCode(r, 1);
    const out = r.stdout;
    expect(out).toContain('cluster prod-1:');
    expect(out).toContain('  + Namespace feed');
    expect(out).toContain('  - Namespace legacy');
    expect(out).toContain('  + DaemonSet fleet-system/log-shipper-batch');
    expect(out).toMatch(/ {2}~ Deployment web\/web\n {6}spec\.replicas\n {6}spec\.template\.spec\.containers\[name=web\]\.image\n/);
    expect(out).toContain('cluster hub:');
    expect(out).toContain('  + KubernetesPool prod-1-batch');
    expect(out).toContain('~ kustomization.yaml'.replace('~ ', '~ hub/'));
    expect(out).toMatch(/total: \d+ added, 9 changed, 1 removed object\(s\)/);
    // the cluster's maintenance policy follows its capacity: the added pool raises its node budget
    expect(out).toMatch(/~ MaintenancePolicy prod-1\n {6}spec\.maxNodesInFlight\n/);
    // the control plane's sizing record follows the pool added to the cluster, and so do the
    // memory of the controller manager and the scheduler, sized from the node count
    expect(out).toMatch(/~ ControlPlaneSizing prod-1\n\s+spec.apiserver.inflightWhy[\s\S]*spec.controllerManager.memoryLimitMiB[\s\S]*spec.nodes/);
    // on each of the three control-plane hosts, each host's static pod on its own
    for (const host of [1, 2, 3]) {
      expect(out).toMatch(new RegExp(`~ Pod kube-system/kube-controller-manager \\(control-plane/static-pods/apiserver-${host}\\)\n {6}spec\\.containers\\[name=kube-controller-manager\\]\\.resources\\.limits\\.memory\n`));
    }
    // nothing about unchanged objects
    expect(out).not.toContain('log-shipper-general');
  });

  test('--json for machines', async () => {
    const r = await runCli(['diff', 'before', 'after', '--json'], { cwd: dir });
    expectCode(r, 1);
    const d = JSON.parse(r.stdout);
    const prod = d.clusters.find((c: any) => c.cluster === 'prod-1');
    expect(prod.changed).toEqual([
      expect.objectContaining({ kind: 'MaintenancePolicy', name: 'prod-1', file: 'prod-1/cluster/maintenancepolicy-prod-1.yaml' }),
      expect.objectContaining({ kind: 'ControlPlaneSizing', name: 'prod-1', file: 'prod-1/control-plane/sizing.yaml' }),
      ...[1, 2, 3].flatMap(host => ['kube-controller-manager', 'kube-scheduler'].map(name => expect.objectContaining({
        kind: 'Pod',
        namespace: 'kube-system',
        name,
        file: `prod-1/control-plane/static-pods/apiserver-${host}/${name}.yaml`,
        fields: [`spec.containers[name=${name}].resources.limits.memory`, `spec.containers[name=${name}].resources.requests.memory`],
      }))),
      expect.objectContaining({
        kind: 'Deployment',
        namespace: 'web',
        name: 'web',
        fields: ['spec.replicas', 'spec.template.spec.containers[name=web].image'],
      }),
    ]);
    expect(prod.removed.map((o: any) => o.name)).toEqual(['legacy']);
    expect(d.identical).toBe(false);
  });

  test('identical outputs: exit 0', async () => {
    const r = await runCli(['diff', 'before', 'before'], { cwd: dir });
    expectCode(r, 0);
    expect(r.stdout).toContain('no differences');
  });

  test('matches objects by identity, not by file name', async () => {
    const moved = tmpDir();
    fs.cpSync(before, moved, { recursive: true });
    fs.renameSync(path.join(moved, 'prod-1', 'cluster', 'namespace-legacy.yaml'), path.join(moved, 'prod-1', 'cluster', 'renamed.yaml'));
    const r = await runCli(['diff', before, moved, '--json'], { cwd: dir });
    const d = JSON.parse(r.stdout);
    const prod = d.clusters.find((c: any) => c.cluster === 'prod-1');
    expect(prod.added).toEqual([]);
    expect(prod.removed).toEqual([]);
    expect(prod.changed).toEqual([expect.objectContaining({ name: 'legacy', fields: ['(file moved)'] })]);
  });

  test('--synth compares committed output with a fresh synth', async () => {
    expectCode(await runCli(['diff', 'after', '--synth'], { cwd: dir, env: { APPS: 'web,feed', WEB_REPLICAS: '5', WEB_TAG: '1.1.0', EXTRA_POOL: '1' } }), 0);
    const r = await runCli(['diff', 'before', '--synth'], { cwd: dir, env: { APPS: 'web,legacy', WEB_REPLICAS: '4', WEB_TAG: '1.0.0' } });
    expectCode(r, 1);
    expect(r.stdout).toContain('~ Deployment web/web');
  });

  test('bad usage and bad input', async () => {
    expectCode(await runCli(['diff', 'before'], { cwd: dir }), 2);
    const missing = await runCli(['diff', 'before', 'nope'], { cwd: dir });
    expectCode(missing, 2);
    expect(missing.stderr).toContain("NEW_DIR 'nope' is not a directory");
    expectCode(await runCli(['diff', 'before', 'after', '--app', 'x'], { cwd: dir }), 2);
    const help = await runCli(['diff', '--help'], { cwd: dir });
    expectCode(help, 0);
    expect(help.stdout).toContain('Usage: cdk8s-fleet diff');
  });
});
