/**
 * The published package: `npm pack` holds the compiled library, its type
 * declarations, the CLI, README and LICENSE (no sources, tests or examples).
 * Then the README's quick start as a new npm consumer runs it, on the
 * machine's Node.js (the documented minimum is 20): the tarball is installed
 * into an empty directory (dependencies from the registry only), `init`
 * scaffolds the project and installs its tooling, `synth` writes the output
 * and the lock, `synth --check` is clean, `where` finds the app, `report`
 * writes its page, and `synth --check` then finds a change.
 */
import { SpawnSyncReturns, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SCAFFOLD_APP_COMMAND, SCAFFOLD_TOOLING } from '../../src/cli/scaffold';
import { ROOT, ensureCompiled, tmpDir } from '../support/cli';

/** The environment of a consumer's shell: none of this test run's npm settings, no audit/fund noise, the npm cache first. */
function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_') && !k.startsWith('CDK8S_FLEET_')) env[k] = v;
  return {
    ...env,
    CI: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_prefer_offline: 'true',
  };
}

function exec(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: consumerEnv(), encoding: 'utf8', timeout: 300_000 });
}

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = exec(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).filter(f => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe('the npm package', () => {
  let tarball: string;
  beforeAll(async () => {
    await ensureCompiled();
    const dest = tmpDir('fleet-pack-');
    const r = run('npm', ['pack', '--json', '--pack-destination', dest], ROOT);
    tarball = path.join(dest, JSON.parse(r.stdout)[0].filename);
  }, 180_000);

  test('contains the library, declarations, CLI, README and LICENSE; no sources, tests or examples', () => {
    const packed = run('tar', ['tzf', tarball], ROOT).stdout.split('\n').filter(f => f && !f.endsWith('/')).map(f => f.replace(/^package\//, ''));
    for (const f of ['package.json', 'README.md', 'LICENSE', 'lib/index.js', 'lib/index.d.ts', 'lib/cli/main.js', 'lib/fleet.d.ts']) {
      expect(packed).toContain(f);
    }
    expect(packed.filter(f => /^(src|test|examples|bench|docs|dist|projenrc)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ 'cdk8s-fleet': 'lib/cli/main.js' });
    expect(fs.readFileSync(path.join(ROOT, 'lib', 'cli', 'main.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  test(`the quick start on Node.js ${process.versions.node}: npm install, init, synth, synth --check, where, report`, () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
    const project = tmpDir('fleet-consumer-');

    // 1. npm install cdk8s-fleet (the packed tarball; its dependencies come from the registry)
    const install = run('npm', ['install', tarball], project);
    expect(`${install.stdout}${install.stderr}`).not.toContain('EBADENGINE');
    expect(fs.readdirSync(project).sort()).toEqual(['node_modules', 'package-lock.json', 'package.json']);
    expect(run('npx', ['--no-install', 'cdk8s-fleet', '--help'], project).stdout).toContain('Usage: cdk8s-fleet <verb>');

    // 2. npx cdk8s-fleet init: merges into that package.json, writes the scaffold, installs its tooling
    const init = run('npx', ['--no-install', 'cdk8s-fleet', 'init'], project);
    expect(init.stdout).toMatch(/^updated package\.json \(added /);
    for (const f of ['tsconfig.json', 'cdk8s-fleet.yaml', 'main.ts', '.gitignore', 'fleet.lock.json']) expect(init.stdout).toContain(`created ${f}\n`);
    expect(init.stdout).toContain('npx cdk8s-fleet synth');
    expect(init.stderr).not.toContain('EBADENGINE');
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
    expect(pkg.dependencies['cdk8s-fleet']).toMatch(/^file:.*\.tgz$/); // what npm install wrote is kept
    expect(pkg.devDependencies).toEqual(SCAFFOLD_TOOLING);
    for (const [name, version] of Object.entries(SCAFFOLD_TOOLING)) {
      expect(JSON.parse(fs.readFileSync(path.join(project, 'node_modules', name, 'package.json'), 'utf8')).version).toBe(version);
    }
    expect(fs.readFileSync(path.join(project, 'cdk8s-fleet.yaml'), 'utf8')).toContain(`app: ${SCAFFOLD_APP_COMMAND}\n`);

    // the scaffold type-checks against the packed declarations with its pinned TypeScript
    run('npm', ['run', '--silent', 'typecheck'], project);

    // 3. npx cdk8s-fleet synth: the program runs with tsx, the output and the lock are written
    const synth = run('npx', ['--no-install', 'cdk8s-fleet', 'synth'], project);
    expect(synth.stderr).not.toMatch(/error/i);
    const out = files(path.join(project, 'dist'));
    for (const f of [
      'node-profiles/general/kubelet-config.yaml',
      'hub/cluster/kubernetespool-prod-1-general.yaml',
      'hub/cluster/kubernetespool-prod-1-batch.yaml',
      'hub/cluster/namespaceplacement-hello.yaml',
      'prod-1/kustomization.yaml',
      'prod-1/control-plane/sizing.yaml',
      'prod-1/namespaces/hello/deployment-hello.yaml',
      'prod-1/namespaces/hello/rolebinding-fleet-app-deployer.yaml',
      'prod-1/cluster/validatingadmissionpolicy-fleet-guardrails-scale-down.yaml',
    ]) expect(out).toContain(f);
    expect(fs.readFileSync(path.join(project, 'dist', 'prod-1', 'namespaces', 'hello', 'deployment-hello.yaml'), 'utf8')).toMatch(/^ {2}replicas: 3$/m);
    expect(JSON.parse(fs.readFileSync(path.join(project, 'fleet.lock.json'), 'utf8')).placements)
      .toEqual({ hello: { cluster: 'prod-1', namespace: 'hello', nodeProfile: 'general' } });

    // synth --check: clean right after the synth, and the same output as npm run check
    run('npx', ['--no-install', 'cdk8s-fleet', 'synth', '--check'], project);
    run('npm', ['run', '--silent', 'check'], project);

    // where hello: the cluster, namespace and the kubectl prefix an operator needs, text and --json
    const where = run('npx', ['--no-install', 'cdk8s-fleet', 'where', 'hello'], project);
    expect(where.stdout).toContain('kubectl --context prod-1 -n hello');
    expect(where.stdout).toContain('namespaces/hello/deployment-hello.yaml');
    const whereJson = JSON.parse(run('npx', ['--no-install', 'cdk8s-fleet', 'where', 'hello', '--json'], project).stdout);
    expect(JSON.stringify(whereJson)).toContain('"prod-1"');
    const unknown = exec('npx', ['--no-install', 'cdk8s-fleet', 'where', 'helo'], project);
    expect(unknown.status).toBe(1);
    expect(`${unknown.stdout}${unknown.stderr}`).toContain('hello');

    // report: one self-contained page, the same bytes on a second run
    run('npx', ['--no-install', 'cdk8s-fleet', 'report', '-o', 'report.html'], project);
    const page = fs.readFileSync(path.join(project, 'report.html'), 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(page).toContain('prod-1');
    expect(page).not.toMatch(/(src|href)=["']https?:/);
    expect(run('npx', ['--no-install', 'cdk8s-fleet', 'report', '-o', '-'], project).stdout).toBe(page);

    // a change to the program makes the committed output stale: synth --check exits 1 and names the change
    const main = path.join(project, 'main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('replicas: 3,', 'replicas: 4,'));
    const stale = exec('npx', ['--no-install', 'cdk8s-fleet', 'synth', '--check'], project);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toMatch(/~ Deployment hello\/hello\n\s+spec\.replicas\n/);
  }, 600_000);
});
