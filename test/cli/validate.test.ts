import * as fs from 'fs';
import * as path from 'path';
import { CliRun, ensureCompiled, fleetProject, runCli, tmpDir } from '../support/cli';
import { describeWithSchemas, schemasDir } from '../support/schemas';

beforeAll(ensureCompiled, 180_000);

function expectCode(r: CliRun, code: number) {
  if (r.code !== code) throw new Error(`expected exit code ${code}, got ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

describeWithSchemas('cdk8s-fleet validate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir, env: { APPS: 'web', WEB_REPLICAS: '2' } }), 0);
  }, 120_000);

  test('a synthesized output is valid (strict), CRDs found in the directory included', async () => {
    const r = await runCli(['validate', 'dist', '--schemas', schemasDir()!], { cwd: dir });
    expectCode(r, 0);
    expect(r.stdout).toMatch(/^\d+ object\(s\) valid against Kubernetes v1\.28\.0 \(strict\)$/m);
  });

  test('problems: file, object and problem; exit 1; schemas from the environment', async () => {
    const bad = tmpDir();
    fs.cpSync(path.join(dir, 'dist'), bad, { recursive: true });
    const file = path.join(bad, 'prod-1', 'namespaces', 'web', 'deployment-web.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: "two"\n  replica: 2'));
    const pool = path.join(bad, 'hub', 'cluster', 'kubernetespool-prod-1-general.yaml');
    fs.writeFileSync(pool, fs.readFileSync(pool, 'utf8').replace('capacity: 8', 'capacity: -8'));
    fs.writeFileSync(path.join(bad, 'broken.yaml'), 'a: [');
    const r = await runCli(['validate', bad], { cwd: dir, env: { CDK8S_FLEET_SCHEMAS: schemasDir() } });
    expectCode(r, 1);
    expect(r.stdout).toContain("prod-1/namespaces/web/deployment-web.yaml: Deployment web/web: /spec: must NOT have additional properties 'replica'");
    expect(r.stdout).toContain('prod-1/namespaces/web/deployment-web.yaml: Deployment web/web: /spec/replicas: must be integer');
    expect(r.stdout).toContain('hub/cluster/kubernetespool-prod-1-general.yaml: KubernetesPool prod-1-general: /spec/poolTemplate/capacity: must be >= 0');
    expect(r.stdout).toContain('broken.yaml: document 1: not valid YAML');

    const loose = await runCli(['validate', bad, '--loose', '--json'], { cwd: dir, env: { CDK8S_FLEET_SCHEMAS: schemasDir() } });
    expectCode(loose, 1);
    const j = JSON.parse(loose.stdout);
    expect(j.problems.some((p: any) => /additional properties/.test(p.problem))).toBe(false);
    expect(j.problems.some((p: any) => /must be integer/.test(p.problem))).toBe(true);
  });

  test('unknown kinds fail unless --ignore-missing-schemas', async () => {
    const d = tmpDir();
    fs.writeFileSync(path.join(d, 'x.yaml'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n');
    const r = await runCli(['validate', d, '--schemas', schemasDir()!], { cwd: d });
    expectCode(r, 1);
    expect(r.stdout).toContain('x.yaml: Widget w: no schema for example.com/v1 Widget');
    expectCode(await runCli(['validate', d, '--schemas', schemasDir()!, '--ignore-missing-schemas'], { cwd: d }), 0);
  });

  test('a schema directory with ecosystem CRDs (RE2 patterns, a CRD that cannot compile) validates everything else', async () => {
    // regression: Kueue's AdmissionCheck CRD has '^(?i)...' patterns, which ended every validation in exit 4
    const schemas = tmpDir();
    fs.cpSync(path.join(schemasDir()!, 'kubernetes', 'v1.28.0'), path.join(schemas, 'kubernetes', 'v1.28.0'), { recursive: true });
    fs.mkdirSync(path.join(schemas, 'crds'));
    fs.cpSync(path.join(schemasDir()!, 'crds', 'kueue'), path.join(schemas, 'crds', 'kueue'), { recursive: true });
    const broken = fs.readFileSync(path.join(schemas, 'crds', 'kueue', 'kueue.x-k8s.io_admissionchecks.yaml'), 'utf8')
      .replace(/name: admissionchecks\.kueue\.x-k8s\.io/, 'name: lookbehinds.kueue.x-k8s.io')
      .replace(/kind: AdmissionCheck\n/g, 'kind: Lookbehind\n')
      .replace(/pattern: \^\(\?i\)/g, 'pattern: (?<=x)');
    fs.writeFileSync(path.join(schemas, 'crds', 'kueue', 'zz-broken.yaml'), broken);
    const d = tmpDir();
    fs.cpSync(path.join(dir, 'dist', 'prod-1', 'namespaces', 'web'), d, { recursive: true });
    fs.writeFileSync(path.join(d, 'check.yaml'), [
      'apiVersion: kueue.x-k8s.io/v1beta1', 'kind: AdmissionCheck', 'metadata:', '  name: prov', 'spec:',
      '  controllerName: kueue.x-k8s.io/provisioning-request', '  parameters:', '    apiGroup: kueue.x-k8s.io',
      '    kind: ProvisioningRequestConfig', '    name: cfg', '',
    ].join('\n'));
    const ok = await runCli(['validate', d, '--schemas', schemas], { cwd: d });
    expectCode(ok, 0);
    fs.writeFileSync(path.join(d, 'lookbehind.yaml'), 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: Lookbehind\nmetadata:\n  name: l\nspec:\n  controllerName: x\n');
    const r = await runCli(['validate', d, '--schemas', schemas], { cwd: d });
    expectCode(r, 1);
    expect(r.stdout).toMatch(/^lookbehind\.yaml: Lookbehind l: the schema of CRD kueue\.x-k8s\.io\/v1beta1 Lookbehind cannot be compiled: pattern '\(\?<=x\)/m);
    expect(r.stdout).toContain('1 problem(s) in 1 file(s)');
  });

  test('bad usage', async () => {
    expectCode(await runCli(['validate'], { cwd: dir, env: { CDK8S_FLEET_SCHEMAS: schemasDir() } }), 2);
    expectCode(await runCli(['validate', 'missing', '--schemas', schemasDir()!], { cwd: dir }), 2);
    const noSchemas = await runCli(['validate', 'dist'], { cwd: dir, env: { CDK8S_FLEET_SCHEMAS: '' } });
    expectCode(noSchemas, 2);
    expect(noSchemas.stderr).toContain('no schema directory');
    expectCode(await runCli(['validate', 'dist', '--schemas', dir], { cwd: dir }), 2);
    const help = await runCli(['validate', '--help'], { cwd: dir });
    expectCode(help, 0);
    expect(help.stdout).toContain('Usage: cdk8s-fleet validate DIR');
  });
});
