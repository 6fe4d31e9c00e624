import * as fs from 'fs';
import * as path from 'path';
import { DiagnoseFunction, runDiagnose } from '../../src/cli/diagnose';
import { CliRun, ROOT, ensureCompiled, memoryIo, runCli, tmpDir } from '../support/cli';

beforeAll(ensureCompiled, 180_000);

function expectCode(r: CliRun, code: number) {
  if (r.code !== code) throw new Error(`expected exit code ${code}, got ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

const podList = {
  apiVersion: 'v1',
  kind: 'List',
  items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'web' }, status: { phase: 'Pending' } }],
};

/** A stub categorizer: Pending pods are the infrastructure's problem. */
const stub: DiagnoseFunction = (input: any) => {
  const pending = (input.items ?? []).filter((i: any) => i.status?.phase === 'Pending');
  return pending.length > 0
    ? { verdict: 'infrastructure', summary: `${pending.length} pod(s) cannot be scheduled`, reasons: pending.map((p: any) => ({ category: 'unschedulable', evidence: 'phase Pending', object: `Pod ${p.metadata.namespace}/${p.metadata.name}` })) }
    : { verdict: 'healthy', summary: 'all pods run', reasons: [] };
};

describe('diagnose verb (categorizer injected)', () => {
  test('reads stdin, prints the verdict and evidence; exit 1 for a failing rollout', async () => {
    const m = memoryIo(tmpDir(), JSON.stringify(podList));
    expect(await runDiagnose([], m.io, stub)).toBe(1);
    expect(m.out()).toBe('verdict: infrastructure\n1 pod(s) cannot be scheduled\n  [unschedulable] Pod web/web-1: phase Pending\n');
  });

  test('reads a file, --json; exit 0 when healthy', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify({ kind: 'List', items: [] }));
    const m = memoryIo(dir);
    expect(await runDiagnose(['state.json', '--json'], m.io, stub)).toBe(0);
    expect(JSON.parse(m.out())).toEqual({ verdict: 'healthy', summary: 'all pods run', reasons: [] });
  });

  test('input that is not JSON, or a missing file, is a usage error', async () => {
    await expect(runDiagnose([], memoryIo(tmpDir(), 'not json').io, stub)).rejects.toThrow(/not JSON/);
    await expect(runDiagnose(['missing.json'], memoryIo(tmpDir()).io, stub)).rejects.toThrow(/does not exist/);
  });

  test('without a categorizer: not available, exit 3', async () => {
    const m = memoryIo(tmpDir(), '{}');
    expect(await runDiagnose([], m.io, undefined)).toBe(3);
    expect(m.err()).toContain('not available');
  });
});

describe('cdk8s-fleet diagnose (real binary)', () => {
  const available = fs.existsSync(path.join(ROOT, 'lib', 'workloads', 'diagnose.js'));

  test('reads stdin; reports "not available" (exit 3) until the workloads categorizer is built in', async () => {
    const r = await runCli(['diagnose'], { cwd: tmpDir(), input: JSON.stringify(podList) });
    if (available) {
      expect([0, 1]).toContain(r.code);
      expect(r.stdout).toMatch(/^verdict: (app|infrastructure|healthy|unknown)$/m);
    } else {
      expectCode(r, 3);
      expect(r.stderr).toContain('diagnose is not available in this build');
    }
  });

  test('bad usage: exit 2; --help', async () => {
    expectCode(await runCli(['diagnose', 'a.json', 'b.json'], { cwd: tmpDir() }), 2);
    expectCode(await runCli(['diagnose', '--nope'], { cwd: tmpDir() }), 2);
    const help = await runCli(['diagnose', '--help'], { cwd: tmpDir() });
    expectCode(help, 0);
    expect(help.stdout).toContain('Usage: cdk8s-fleet diagnose');
  });
});
