import { CliRun, ensureCompiled, runCli, tmpDir } from '../support/cli';

beforeAll(ensureCompiled, 180_000);

function expectCode(r: CliRun, code: number) {
  if (r.code !== code) throw new Error(`expected exit code ${code}, got ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

describe('cdk8s-fleet', () => {
  test('--help lists every verb and the exit codes', async () => {
    const r = await runCli(['--help'], { cwd: tmpDir() });
    expectCode(r, 0);
    for (const verb of ['synth', 'plan', 'diff', 'validate', 'diagnose']) expect(r.stdout).toMatch(new RegExp(`^  ${verb} `, 'm'));
    expect(r.stdout).toContain('Exit codes:');
  });

  test('no verb or an unknown verb: exit 2', async () => {
    expectCode(await runCli([], { cwd: tmpDir() }), 2);
    const r = await runCli(['deploy'], { cwd: tmpDir() });
    expectCode(r, 2);
    expect(r.stderr).toContain("unknown verb 'deploy'");
  });

  test('help VERB and --version', async () => {
    const r = await runCli(['help', 'plan'], { cwd: tmpDir() });
    expectCode(r, 0);
    expect(r.stdout).toContain('Usage: cdk8s-fleet plan');
    const v = await runCli(['--version'], { cwd: tmpDir() });
    expectCode(v, 0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
