/**
 * `cdk8s-fleet init`: the scaffold's files, the merge into a package.json
 * that `npm install cdk8s-fleet` created, the refusal to overwrite (nothing
 * written), and that the scaffolded program type-checks with its tsconfig and
 * synthesizes a fleet across the layers.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { INIT_HELP, runInit } from '../../src/cli/init';
import { main } from '../../src/cli/main';
import { SCAFFOLD_APP_COMMAND, SCAFFOLD_TOOLING, packageNameOf } from '../../src/cli/scaffold';
import { ROOT, ensureCompiled, memoryIo, runCli, tmpDir } from '../support/cli';

const FILES = ['.gitignore', 'cdk8s-fleet.yaml', 'fleet.lock.json', 'main.ts', 'package.json', 'tsconfig.json'];

function listing(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map(f => [f, fs.statSync(path.join(dir, f)).isDirectory() ? '/' : fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('cdk8s-fleet init', () => {
  test('--help explains every file and the choice of tsx', async () => {
    const { io, out } = memoryIo(tmpDir());
    expect(await main(['init', '--help'], io)).toBe(0);
    for (const f of FILES) expect(out()).toMatch(new RegExp(`^  ${f.replace('.', '\\.')} `, 'm'));
    expect(out()).toContain('TypeScript 7');
    expect(out()).toContain('TS5109');
    expect(out()).toBe(INIT_HELP);
  });

  test('an empty directory: every file, pinned tooling, the app command, an empty lock; npm install runs there', async () => {
    const cwd = tmpDir();
    const { io, out } = memoryIo(cwd);
    const installed: string[] = [];
    expect(await runInit(['my-fleet', '--dependency', '^1.2.3'], io, async (d) => { installed.push(d); return 0; })).toBe(0);
    const dir = path.join(cwd, 'my-fleet');
    expect(installed).toEqual([dir]);
    expect(fs.readdirSync(dir).sort()).toEqual(FILES);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: 'my-fleet',
      private: true,
      scripts: { synth: 'cdk8s-fleet synth', check: 'cdk8s-fleet synth --check', typecheck: 'tsc --noEmit' },
      dependencies: { 'cdk8s-fleet': '^1.2.3' },
      devDependencies: SCAFFOLD_TOOLING,
    });
    // exact pins: a fresh install gets the versions the scaffold was tested with
    for (const v of Object.values(pkg.devDependencies as Record<string, string>)) expect(v).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies.typescript).toMatch(/^5\./);
    expect(fs.readFileSync(path.join(dir, 'cdk8s-fleet.yaml'), 'utf8')).toContain(`app: ${SCAFFOLD_APP_COMMAND}\n`);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'fleet.lock.json'), 'utf8')))
      .toEqual({ apiVersion: 'fleet.cdk8s.io/v1alpha1', kind: 'PlacementLock', placements: {} });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')).compilerOptions).toMatchObject({ module: 'node16', moduleResolution: 'node16', noEmit: true });
    expect(out()).toContain('created my-fleet/main.ts');
    expect(out()).toContain('cd my-fleet');
  });

  test('without --dependency the dependency is ^ the CLI\'s version; --no-install runs nothing', async () => {
    const cwd = tmpDir();
    const { io, out } = memoryIo(cwd);
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(await runInit(['--no-install'], io, async () => { throw new Error('must not install'); })).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8')).dependencies).toEqual({ 'cdk8s-fleet': `^${version}` });
    expect(out()).toContain('  npm install\n');
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8')).name).toBe(packageNameOf(path.basename(cwd)));
  });

  test('after `npm install cdk8s-fleet`: package.json is merged and its dependency entry kept', async () => {
    const cwd = tmpDir();
    fs.writeFileSync(path.join(cwd, 'package.json'), '{\n  "dependencies": {\n    "cdk8s-fleet": "file:../cdk8s-fleet-1.0.0.tgz"\n  }\n}\n');
    fs.writeFileSync(path.join(cwd, 'package-lock.json'), '{}');
    fs.mkdirSync(path.join(cwd, 'node_modules'));
    const { io, out } = memoryIo(cwd);
    expect(await runInit(['--dependency', '^9.9.9'], io, async () => 0)).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ 'cdk8s-fleet': 'file:../cdk8s-fleet-1.0.0.tgz' });
    expect(pkg.devDependencies).toEqual(SCAFFOLD_TOOLING);
    expect(pkg.scripts.synth).toBe('cdk8s-fleet synth');
    expect(out()).toMatch(/^updated package\.json \(added name, version, private, description, engines, scripts\.synth, /);
    expect(out()).toContain('created main.ts');
  });

  test('refuses to overwrite: names every conflict, exit 3, nothing written', async () => {
    const cwd = tmpDir();
    fs.writeFileSync(path.join(cwd, 'main.ts'), 'mine\n');
    fs.mkdirSync(path.join(cwd, 'dist'));
    fs.writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ type: 'module', scripts: { synth: 'make' }, devDependencies: { typescript: '^7' } }));
    const before = listing(cwd);
    const { io, err } = memoryIo(cwd);
    expect(await main(['init'], io)).toBe(3);
    expect(err()).toContain('nothing was written');
    for (const c of ['main.ts exists', 'dist exists', '"type": "module"', 'scripts.synth is "make"', 'devDependencies.typescript is "^7"']) expect(err()).toContain(c);
    expect(listing(cwd)).toEqual(before);

    const bad = tmpDir();
    fs.writeFileSync(path.join(bad, 'package.json'), '{ not json');
    const b = memoryIo(bad);
    expect(await main(['init'], b.io)).toBe(3);
    expect(b.err()).toContain('package.json is not valid JSON');
    expect(fs.readdirSync(bad)).toEqual(['package.json']);
  });

  test('a failed npm install: exit 3, the files stay, the message says what to run', async () => {
    const cwd = tmpDir();
    const { io } = memoryIo(cwd);
    await expect(runInit([], io, async () => 1)).rejects.toThrow(/'npm install' failed \(exit code 1\)/);
    expect(fs.readdirSync(cwd).sort()).toEqual(FILES);
  });

  test('usage errors: two directories, an unknown option, a file as DIR', async () => {
    const cwd = tmpDir();
    fs.writeFileSync(path.join(cwd, 'f'), '');
    for (const args of [['a', 'b'], ['--force'], ['f']]) {
      const { io, err } = memoryIo(cwd);
      expect(await main(['init', ...args], io)).toBe(2);
      expect(err()).toContain('cdk8s-fleet init:');
    }
  });

  test('packageNameOf: npm-safe names', () => {
    expect(packageNameOf('My Fleet!')).toBe('my-fleet');
    expect(packageNameOf('.hidden')).toBe('hidden');
    expect(packageNameOf('___')).toBe('my-fleet');
  });

  describe('the scaffolded project', () => {
    let dir: string;
    beforeAll(async () => {
      await ensureCompiled();
      dir = path.join(tmpDir(), 'fleet');
      expect(await runInit([dir, '--no-install'], memoryIo(ROOT).io)).toBe(0);
      // the compiled library as the project's cdk8s-fleet, and the project's own type packages
      fs.mkdirSync(path.join(dir, 'node_modules'));
      fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'cdk8s-fleet'), 'dir');
      fs.symlinkSync(path.join(ROOT, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'), 'dir');
    }, 180_000);

    test('type-checks with its tsconfig.json and TypeScript 5.9 (no TS5109)', () => {
      const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toBe('');
      expect(r.status).toBe(0);
    });

    test('synthesizes a fleet across the layers; the lock records the app; synth --check is clean', async () => {
      // the scaffold's command needs tsx (the package test runs it); here ts-node transpiles with the scaffold's tsconfig
      const app = `node -r ${JSON.stringify(require.resolve('ts-node/register/transpile-only'))} main.ts`;
      const r = await runCli(['synth', '--app', app], { cwd: dir });
      if (r.code !== 0) throw new Error(`synth failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
      const files = new Set(fs.readdirSync(path.join(dir, 'dist'), { recursive: true }).map(String));
      for (const f of [
        'node-profiles/general/kubelet-config.yaml',
        'hub/cluster/kubernetespool-prod-1-general.yaml',
        'hub/cluster/kubernetespool-prod-1-batch.yaml',
        'hub/cluster/namespaceplacement-hello.yaml',
        'prod-1/control-plane/sizing.yaml',
        'prod-1/namespaces/hello/deployment-hello.yaml',
        'prod-1/namespaces/hello/rolebinding-fleet-app-deployer.yaml',
        'prod-1/cluster/validatingadmissionpolicy-fleet-guardrails-scale-down.yaml',
      ]) expect(files).toContain(f);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'fleet.lock.json'), 'utf8')).placements)
        .toEqual({ hello: { cluster: 'prod-1', namespace: 'hello', nodeProfile: 'general' } });
      const check = await runCli(['synth', '--check', '--app', app], { cwd: dir });
      if (check.code !== 0) throw new Error(`synth --check failed (${check.code}):\n${check.stdout}\n${check.stderr}`);
    });
  });
});
