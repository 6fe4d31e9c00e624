import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { CLI, CliRun, ensureCompiled, fleetProject, readTreeOf, runCli, tmpDir } from '../support/cli';
import { deadPid } from '../support/fleet';

beforeAll(ensureCompiled, 180_000);

function expectCode(r: CliRun, code: number) {
  if (r.code !== code) throw new Error(`expected exit code ${code}, got ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

describe('cdk8s-fleet synth', () => {
  test('writes the output from the app command of cdk8s-fleet.yaml, a kustomization per cluster', async () => {
    const dir = fleetProject();
    const r = await runCli(['synth'], { cwd: dir });
    expectCode(r, 0);
    const out = path.join(dir, 'dist');
    expect(fs.existsSync(path.join(out, '.cdk8s-fleet'))).toBe(true);
    for (const c of ['hub', 'prod-1']) {
      const k = parse(fs.readFileSync(path.join(out, c, 'kustomization.yaml'), 'utf8'));
      expect(k.kind).toBe('Kustomization');
      expect(k.resources.length).toBeGreaterThan(0);
      for (const f of k.resources) expect(fs.existsSync(path.join(out, c, f))).toBe(true);
    }
    // line-oriented progress when not on a terminal, nothing on stdout
    expect(r.stderr).toMatch(/^cdk8s-fleet: running node main\.js\.\.\.$/m);
    // the first synth into an empty directory says so, once
    expect(r.stderr.match(/nothing to compare with/g)).toEqual(['nothing to compare with']);
    expect(r.stderr).toContain('cdk8s-fleet: nothing to compare with: dist holds no previous output');
    expect(r.stderr).not.toMatch(/\r/);
    expect(r.stdout).toBe('');
    // no staging directories are left behind
    expect(fs.readdirSync(dir).sort()).toEqual(['cdk8s-fleet.yaml', 'dist', 'main.js']);
  });

  test('cdk8s.yaml app command, --app and --output override', async () => {
    const dir = fleetProject();
    fs.renameSync(path.join(dir, 'cdk8s-fleet.yaml'), path.join(dir, 'cdk8s.yaml'));
    expectCode(await runCli(['synth', '-q'], { cwd: dir }), 0);
    expect(fs.existsSync(path.join(dir, 'dist', 'prod-1', 'kustomization.yaml'))).toBe(true);
    fs.rmSync(path.join(dir, 'cdk8s.yaml'));
    const r = await runCli(['synth', '--app', 'node main.js', '-o', 'gitops/out'], { cwd: dir });
    expectCode(r, 0);
    expect(fs.existsSync(path.join(dir, 'gitops', 'out', 'prod-1', 'kustomization.yaml'))).toBe(true);
  });

  test('removes the files of objects that no longer exist', async () => {
    const dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir, env: { EXTRA_POOL: '1', APPS: 'feed' } }), 0);
    const before = readTreeOf(path.join(dir, 'dist'));
    expect([...before.keys()].filter(f => f.includes('batch')).length).toBeGreaterThan(0);
    expect(before.has('prod-1/cluster/namespace-feed.yaml')).toBe(true);
    // removing the pool deletes protected objects: this test is about files, so it skips the change rules explicitly
    const r = await runCli(['synth', '--no-previous'], { cwd: dir });
    expectCode(r, 0);
    expect(r.stderr).toContain('cdk8s-fleet: change-aware guardrails skipped (--no-previous)');
    const after = readTreeOf(path.join(dir, 'dist'));
    expect([...after.keys()].filter(f => f.includes('batch') && !f.includes('fleet-tenant-batch'))).toEqual([]);
    expect(after.has('prod-1/cluster/namespace-feed.yaml')).toBe(false);
    expect(parse(after.get('prod-1/kustomization.yaml')!).resources).not.toContain('cluster/namespace-feed.yaml');
  });

  test('a synth that fails validation after a good one leaves the previous output intact, exit 1 with path and fix', async () => {
    const dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir, env: { APPS: 'feed' } }), 0);
    const good = readTreeOf(path.join(dir, 'dist'));
    const r = await runCli(['synth'], { cwd: dir, env: { POOL_CAPACITY: '-1' } });
    expectCode(r, 1);
    expect(r.stderr).toContain('[error] prod-1/general: capacity is -1 nodes (rule pool.capacity.non-negative-integer)');
    expect(r.stderr).toContain('fix: set capacity to a whole number of nodes');
    expect(r.stderr).toContain('the output was not changed');
    expect(r.stderr).not.toMatch(/at Object\.<anonymous>/); // violations, not a stack trace
    expect(readTreeOf(path.join(dir, 'dist'))).toEqual(good);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdk8s-fleet.yaml', 'dist', 'main.js']);
  });

  test('violations as JSON with --json', async () => {
    const dir = fleetProject();
    const r = await runCli(['synth', '--json'], { cwd: dir, env: { POOL_CAPACITY: '-1' } });
    expectCode(r, 1);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    expect(j.violations).toEqual([expect.objectContaining({ rule: 'pool.capacity.non-negative-integer', path: 'prod-1/general', severity: 'error' })]);
  });

  test('a program that crashes: exit 3, its error shown, the previous output intact', async () => {
    const dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir }), 0);
    const good = readTreeOf(path.join(dir, 'dist'));
    const r = await runCli(['synth'], { cwd: dir, env: { CRASH: '1' } });
    expectCode(r, 3);
    expect(r.stderr).toContain('the program crashed on purpose');
    expect(readTreeOf(path.join(dir, 'dist'))).toEqual(good);
  });

  test('--check passes on up-to-date output and fails (exit 1, with a summary) on stale output', async () => {
    const dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir, env: { WEB_REPLICAS: '2', APPS: 'web' } }), 0);
    const committed = readTreeOf(path.join(dir, 'dist'));
    const ok = await runCli(['synth', '--check'], { cwd: dir, env: { WEB_REPLICAS: '2', APPS: 'web' } });
    expectCode(ok, 0);
    expect(ok.stdout).toContain('dist is up to date');

    const stale = await runCli(['synth', '--check'], { cwd: dir, env: { WEB_REPLICAS: '3', APPS: 'web,feed' } });
    expectCode(stale, 1);
    expect(stale.stdout).toContain('dist differs from what the fleet program produces');
    expect(stale.stdout).toContain('+ Namespace feed');
    expect(stale.stdout).toContain('~ Deployment web/web');
    expect(stale.stdout).toContain('spec.replicas');
    // --check never writes
    expect(readTreeOf(path.join(dir, 'dist'))).toEqual(committed);
  });

  test('--check on a missing output directory fails', async () => {
    const dir = fleetProject();
    const r = await runCli(['synth', '--check'], { cwd: dir });
    expectCode(r, 1);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('flags and environment merge: --previous wins over env, --override and env CDK8S_FLEET_OVERRIDES both apply', async () => {
    const dir = fleetProject();
    fs.writeFileSync(path.join(dir, 'env.js'), "require('fs').writeFileSync('seen.json', JSON.stringify({ p: process.env.CDK8S_FLEET_PREVIOUS, n: process.env.CDK8S_FLEET_NO_PREVIOUS, o: process.env.CDK8S_FLEET_OVERRIDES })); require('./main.js');\n");
    const seen = () => JSON.parse(fs.readFileSync(path.join(dir, 'seen.json'), 'utf8'));
    // first synth: nothing to compare with, so the program is told to skip (not to fall back to its staging directory)
    expectCode(await runCli(['synth', '--app', 'node env.js'], { cwd: dir }), 0);
    expect(seen()).toEqual({ n: '1', o: '' });
    // by default the output directory being replaced is the previous output
    expectCode(await runCli(['synth', '--app', 'node env.js'], { cwd: dir }), 0);
    expect(seen()).toEqual({ p: path.join(dir, 'dist'), o: '' });
    fs.cpSync(path.join(dir, 'dist'), path.join(dir, 'committed'), { recursive: true });
    const env = { CDK8S_FLEET_PREVIOUS: 'committed', CDK8S_FLEET_OVERRIDES: 'namespace-move:feed, scale-down:prod-1/web/web' };
    expectCode(await runCli(['synth', '--app', 'node env.js'], { cwd: dir, env }), 0);
    expect(seen()).toEqual({ p: path.join(dir, 'committed'), o: 'namespace-move:feed,scale-down:prod-1/web/web' });
    const r = await runCli(['synth', '--app', 'node env.js', '--previous', 'dist', '--override', 'scale-down:prod-1/feed/feed-api', '--override', 'namespace-move:feed'], { cwd: dir, env });
    expectCode(r, 0);
    expect(seen()).toEqual({ p: path.join(dir, 'dist'), o: 'scale-down:prod-1/feed/feed-api,namespace-move:feed,scale-down:prod-1/web/web' });
    // an override that matches nothing is named in a warning
    expect(r.stderr).toContain("override 'scale-down:prod-1/feed/feed-api' matches no guarded change");
    // env CDK8S_FLEET_NO_PREVIOUS skips, with the notice; a flag wins over it
    const skipped = await runCli(['synth', '--app', 'node env.js'], { cwd: dir, env: { CDK8S_FLEET_NO_PREVIOUS: '1' } });
    expectCode(skipped, 0);
    expect(seen()).toEqual({ n: '1', o: '' });
    expect(skipped.stderr).toContain('change-aware guardrails skipped (env CDK8S_FLEET_NO_PREVIOUS)');
    expectCode(await runCli(['synth', '--app', 'node env.js', '--previous', 'committed'], { cwd: dir, env: { CDK8S_FLEET_NO_PREVIOUS: '1' } }), 0);
    expect(seen()).toEqual({ p: path.join(dir, 'committed'), o: '' });
    // contradictions are usage errors
    const both = await runCli(['synth', '--previous', 'dist', '--no-previous'], { cwd: dir });
    expectCode(both, 2);
    expect(both.stderr).toContain('--previous and --no-previous contradict each other');
    expectCode(await runCli(['synth'], { cwd: dir, env: { CDK8S_FLEET_PREVIOUS: 'nope' } }), 2);
  });

  test("the README's flow is the safe flow: synth, a 90% scale-down, synth again → exit 1 and the output untouched; with the override → exit 0, named in a warning", async () => {
    const dir = fleetProject();
    const out = path.join(dir, 'dist');
    expectCode(await runCli(['synth'], { cwd: dir, env: { APPS: 'web', WEB_REPLICAS: '60' } }), 0);
    const committed = readTreeOf(out);

    const scaled = { APPS: 'web', WEB_REPLICAS: '6' };
    const refused = await runCli(['synth'], { cwd: dir, env: scaled });
    expectCode(refused, 1);
    expect(refused.stderr).toContain("Deployment 'web/web' in cluster 'prod-1' scales from 60 to 6 replica(s) in one step; at most 50% may go at once (rule guardrails.scale-down)");
    expect(refused.stderr).toContain("carry the override 'scale-down:prod-1/web/web' (--override or env CDK8S_FLEET_OVERRIDES)");
    expect(refused.stderr).toContain('the output was not changed');
    expect(readTreeOf(out)).toEqual(committed);
    // the CI gate refuses it too
    expectCode(await runCli(['synth', '--check'], { cwd: dir, env: scaled }), 1);
    expect(readTreeOf(out)).toEqual(committed);

    const allowed = await runCli(['synth'], { cwd: dir, env: { ...scaled, CDK8S_FLEET_OVERRIDES: 'scale-down:prod-1/web/web' } });
    expectCode(allowed, 0);
    expect(allowed.stderr).toMatch(/\[warning\] .*scales from 60 to 6 replica\(s\).*allowed by the override 'scale-down:prod-1\/web\/web' this change carries \(rule guardrails\.scale-down\)/);
    expect(parse(fs.readFileSync(path.join(out, 'prod-1', 'namespaces', 'web', 'deployment-web.yaml'), 'utf8')).spec.replicas).toBe(6);
    // and now the change is the committed state: the next synth passes without the override
    expectCode(await runCli(['synth', '--check'], { cwd: dir, env: scaled }), 0);
  });

  test('writes the placement lock where the fleet reads it: one synth after adding an app settles the lock and the output', async () => {
    const dir = fleetProject();
    const lockFile = path.join(dir, 'fleet.lock.json');
    const out = path.join(dir, 'dist');
    const first = await runCli(['synth'], { cwd: dir, env: { TENANT_APPS: 'feed,search' } });
    expectCode(first, 0);
    expect(first.stderr).toContain('cdk8s-fleet: updated the placement lock fleet.lock.json');
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(fs.readFileSync(path.join(out, 'placements.lock.json'), 'utf8'));

    const added = { TENANT_APPS: 'feed,search,messaging' };
    const second = await runCli(['synth'], { cwd: dir, env: added });
    expectCode(second, 0);
    expect(second.stderr).toContain('updated the placement lock');
    expect(Object.keys(JSON.parse(fs.readFileSync(lockFile, 'utf8')).placements)).toEqual(['feed', 'messaging', 'search']);
    const settled = { tree: readTreeOf(out), lock: fs.readFileSync(lockFile, 'utf8') };
    expect(parse(settled.tree.get('hub/cluster/namespaceplacement-messaging.yaml')!).spec.reason).toBe('routed');

    const third = await runCli(['synth'], { cwd: dir, env: added });
    expectCode(third, 0);
    expect(third.stderr).not.toContain('updated the placement lock');
    expect(third.stderr).not.toContain('tenancy.lock.changed');
    expect(readTreeOf(out)).toEqual(settled.tree);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(settled.lock);
    expectCode(await runCli(['synth', '--check'], { cwd: dir, env: added }), 0);

    // --check never writes the lock; a stale one fails it and says where it is
    fs.rmSync(lockFile);
    const stale = await runCli(['synth', '--check', '--json'], { cwd: dir, env: added });
    expectCode(stale, 1);
    expect(JSON.parse(stale.stdout)).toMatchObject({ ok: false, lock: { file: lockFile, stale: true } });
    const staleText = await runCli(['synth', '--check'], { cwd: dir, env: added });
    expect(staleText.stdout).toContain('the placement lock fleet.lock.json is stale: the synth would create it');
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  test('the lock holds the regional batch split: a lock without it is stale for --check, and the synth completes it', async () => {
    const dir = fleetProject();
    const lockFile = path.join(dir, 'fleet.lock.json');
    const env = { TENANT_APPS: 'feed', BATCH_CPU: '16' };
    expectCode(await runCli(['synth'], { cwd: dir, env }), 0);
    const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
    // split by batch capacity (the cluster with the app's namespace has less), summing to the quota
    const shares = Object.values(lock.batchQuotaSplits['lva1/general']) as Array<{ cpuMillis: number; memoryMiB: number }>;
    expect(Object.keys(lock.batchQuotaSplits['lva1/general'])).toEqual(['prod-1', 'prod-2']);
    expect(shares.reduce((a, b) => a + b.cpuMillis, 0)).toBe(16000);
    expect(shares.reduce((a, b) => a + b.memoryMiB, 0)).toBe(16 * 1024);
    expectCode(await runCli(['synth', '--check'], { cwd: dir, env }), 0);

    // a lock written before the split joined it: the output is unchanged, the lock is stale
    delete lock.batchQuotaSplits;
    fs.writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
    const stale = await runCli(['synth', '--check', '--json'], { cwd: dir, env });
    expectCode(stale, 1);
    expect(JSON.parse(stale.stdout)).toMatchObject({ ok: false, diff: { identical: true }, lock: { file: lockFile, stale: true } });
    expect((await runCli(['synth', '--check'], { cwd: dir, env })).stdout).toContain('the placement lock fleet.lock.json is stale: the synth would update it');
    const completed = await runCli(['synth'], { cwd: dir, env });
    expectCode(completed, 0);
    expect(completed.stderr).toContain('updated the placement lock fleet.lock.json');
    expect(completed.stderr).not.toContain('batch-quota.record.changed');
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8')).batchQuotaSplits).toEqual(JSON.parse(fs.readFileSync(path.join(dir, 'dist', 'placements.lock.json'), 'utf8')).batchQuotaSplits);
    expectCode(await runCli(['synth', '--check'], { cwd: dir, env }), 0);
  });

  test('bad usage: exit 2 with the reason', async () => {
    const dir = fleetProject();
    const unknown = await runCli(['synth', '--frobnicate'], { cwd: dir });
    expectCode(unknown, 2);
    expect(unknown.stderr).toContain("Unknown option '--frobnicate'");
    expect(unknown.stderr).toContain("Run 'cdk8s-fleet synth --help'");
    fs.rmSync(path.join(dir, 'cdk8s-fleet.yaml'));
    const noApp = await runCli(['synth'], { cwd: dir });
    expectCode(noApp, 2);
    expect(noApp.stderr).toContain('no app command');
    expectCode(await runCli(['synth', '--app', 'node main.js', '--previous', 'nope'], { cwd: dir }), 2);
  });

  test('refuses to replace a directory it did not write (exit 3), leaving it as it was', async () => {
    const dir = fleetProject();
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'precious.txt'), 'keep me');
    const r = await runCli(['synth'], { cwd: dir });
    expectCode(r, 3);
    expect(r.stderr).toContain('was not written by cdk8s-fleet');
    expect(fs.readdirSync(path.join(dir, 'dist'))).toEqual(['precious.txt']);
  });

  test('--help', async () => {
    const r = await runCli(['synth', '--help'], { cwd: fleetProject() });
    expectCode(r, 0);
    expect(r.stdout).toContain('Usage: cdk8s-fleet synth');
    expect(r.stdout).toContain('Exit codes');
  });
});

describe('cdk8s-fleet synth survives faults', () => {
  /** A pid no process has any more: a child that has exited. */

  test('a CLI killed with kill -9 mid-synth leaves its .dist.synth-* directory, which the next synth removes', async () => {
    const dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir }), 0);
    const good = readTreeOf(path.join(dir, 'dist'));
    // a program that hangs, so the kill lands while the CLI waits for it; the CLI and its program in one process group
    fs.writeFileSync(path.join(dir, 'hang.js'), 'setTimeout(() => {}, 60000);\n');
    const cli = spawn(process.execPath, [CLI, 'synth', '--app', 'node hang.js'], { cwd: dir, detached: true, stdio: 'ignore' });
    const synthDir = () => fs.readdirSync(dir).filter(n => n.startsWith('.dist.synth-'));
    for (let i = 0; i < 200 && synthDir().length === 0; i++) await new Promise(r => setTimeout(r, 50));
    expect(synthDir()).toEqual([expect.stringMatching(new RegExp(`^\\.dist\\.synth-${cli.pid}-[0-9a-f]+$`))]);
    const ended = new Promise(r => cli.on('exit', r));
    process.kill(-cli.pid!, 'SIGKILL');
    await ended;
    expect(synthDir()).toHaveLength(1);
    expect(readTreeOf(path.join(dir, 'dist'))).toEqual(good);
    expectCode(await runCli(['synth'], { cwd: dir }), 0);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdk8s-fleet.yaml', 'dist', 'hang.js', 'main.js']);
  });

  test('leftovers of a killed synth beside the output (staging, previous, synth) are removed by the next synth', async () => {
    const dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir }), 0);
    const dead = deadPid();
    for (const kind of ['staging', 'previous', 'synth']) fs.mkdirSync(path.join(dir, `.dist.${kind}-${dead}-abcdef01`, 'prod-1'), { recursive: true });
    expectCode(await runCli(['synth'], { cwd: dir }), 0);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdk8s-fleet.yaml', 'dist', 'main.js']);
  });

  test('killed between the two renames of the swap (no dist/): the next synth restores it before it runs the program', async () => {
    const dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir }), 0);
    const good = readTreeOf(path.join(dir, 'dist'));
    fs.renameSync(path.join(dir, 'dist'), path.join(dir, `.dist.previous-${deadPid()}-abcdef02`));
    // --check compares with the output restored
    expectCode(await runCli(['synth', '--check'], { cwd: dir }), 0);
    expect(readTreeOf(path.join(dir, 'dist'))).toEqual(good);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdk8s-fleet.yaml', 'dist', 'main.js']);
  });

  test('dist as a symbolic link to a shared tree: the link stays and the shared tree gets the new output', async () => {
    const dir = fleetProject();
    const shared = tmpDir('fleet-shared-');
    fs.mkdirSync(path.join(shared, 'out'));
    fs.symlinkSync(path.join(shared, 'out'), path.join(dir, 'dist'));
    expectCode(await runCli(['synth'], { cwd: dir, env: { APPS: 'feed' } }), 0);
    expectCode(await runCli(['synth'], { cwd: dir }), 0);
    expect(fs.lstatSync(path.join(dir, 'dist')).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(path.join(shared, 'out', 'prod-1', 'kustomization.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(shared, 'out', 'prod-1', 'cluster', 'namespace-feed.yaml'))).toBe(false);
    expect(fs.readdirSync(shared)).toEqual(['out']);
  });

  test('a dangling dist link: exit 3, one line naming the link and its target', async () => {
    const dir = fleetProject();
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dist'));
    const r = await runCli(['synth'], { cwd: dir });
    expectCode(r, 3);
    expect(r.stderr).toContain(`cannot write output directory ${path.join(dir, 'dist')}: it is a symbolic link to ${path.join(dir, 'nowhere')}, which does not exist`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('the user\'s own NOTES.md and my-extra/ in dist: exit 3, named, kept', async () => {
    const dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir }), 0);
    fs.writeFileSync(path.join(dir, 'dist', 'NOTES.md'), 'mine');
    fs.mkdirSync(path.join(dir, 'dist', 'my-extra'));
    fs.writeFileSync(path.join(dir, 'dist', 'my-extra', 'a.txt'), 'mine');
    const before = readTreeOf(path.join(dir, 'dist'));
    const r = await runCli(['synth'], { cwd: dir, env: { APPS: 'feed' } });
    expectCode(r, 3);
    expect(r.stderr).toContain(`cdk8s-fleet: cannot replace output directory ${path.join(dir, 'dist')}: it holds 2 entries cdk8s-fleet did not write (NOTES.md, my-extra/)`);
    expect(readTreeOf(path.join(dir, 'dist'))).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdk8s-fleet.yaml', 'dist', 'main.js']);
  });

  test.each([
    ['ENOSPC', 'no space left on device'],
    ['EROFS', 'read-only file system'],
  ])('%s when the program writes the output: exit 3, one line naming the directory and the cause, the output kept', async (code, words) => {
    const dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir }), 0);
    const good = readTreeOf(path.join(dir, 'dist'));
    // the program writes the output itself (once); its file writes into the new tree fail as on a full or read-only disk
    fs.writeFileSync(path.join(dir, 'full.js'), `const fs = require('fs');
const write = fs.writeFileSync;
fs.writeFileSync = (f, ...rest) => {
  if (String(f).includes('.dist.staging-')) throw Object.assign(new Error('${code}: injected, write'), { code: '${code}', path: String(f) });
  return write(f, ...rest);
};
require('./main.js');
`);
    const r = await runCli(['synth', '--app', 'node full.js'], { cwd: dir, env: { APPS: 'feed' } });
    expectCode(r, 3);
    expect(r.stderr).toMatch(new RegExp(`^cdk8s-fleet: cannot write output directory ${path.join(dir, 'dist')}: ${words} \\(${code} at [^)]+\\); the output was not changed\\.$`, 'm'));
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(readTreeOf(path.join(dir, 'dist'))).toEqual(good);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdk8s-fleet.yaml', 'dist', 'full.js', 'main.js']);
  });

  test('a full disk when the program writes the differing files for --check: exit 3, one line naming where it wrote', async () => {
    const dir = fleetProject();
    expectCode(await runCli(['synth'], { cwd: dir }), 0);
    const good = readTreeOf(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'full.js'), `const fs = require('fs');
const write = fs.writeFileSync;
fs.writeFileSync = (f, ...rest) => {
  if (String(f).includes('.dist.synth-') && String(f).includes('/out/')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: String(f) });
  return write(f, ...rest);
};
require('./main.js');
`);
    // --check writes only the files that differ: a changed fleet
    const r = await runCli(['synth', '--check', '--app', 'node full.js'], { cwd: dir, env: { APPS: 'feed' } });
    expectCode(r, 3);
    expect(r.stderr).toMatch(new RegExp(`^cdk8s-fleet: the fleet program could not write its output into ${dir}/\\.dist\\.synth-\\d+-[0-9a-f]+ `
      + `\\(beside ${dir}/dist\\): no space left on device \\(ENOSPC at [^)]+\\); the output was not changed\\.$`, 'm'));
    expect(readTreeOf(path.join(dir, 'dist'))).toEqual(good);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdk8s-fleet.yaml', 'dist', 'full.js', 'main.js']);
  });
});
