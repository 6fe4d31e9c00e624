/**
 * The published package: `npm pack` holds the compiled library, its type
 * declarations, the CLI, README and LICENSE (no sources, tests or examples),
 * and installs into an empty project where `npx cdk8s-fleet` works.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, ensureCompiled, fleetProgram, tmpDir } from '../support/cli';

function run(cmd: string, args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  env.CI = 'true';
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
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
    const files = run('tar', ['tzf', tarball], ROOT).stdout.split('\n').filter(f => f && !f.endsWith('/')).map(f => f.replace(/^package\//, ''));
    for (const f of ['package.json', 'README.md', 'LICENSE', 'lib/index.js', 'lib/index.d.ts', 'lib/cli/main.js', 'lib/fleet.d.ts']) {
      expect(files).toContain(f);
    }
    expect(files.filter(f => /^(src|test|examples|bench|docs|dist|projenrc)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ 'cdk8s-fleet': 'lib/cli/main.js' });
    expect(fs.readFileSync(path.join(ROOT, 'lib', 'cli', 'main.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  test('installs into an empty project: npx cdk8s-fleet --help and a synth', () => {
    const project = tmpDir('fleet-consumer-');
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], project);

    const help = run('npx', ['--no-install', 'cdk8s-fleet', '--help'], project);
    expect(help.stdout).toContain('Usage: cdk8s-fleet <verb>');

    fs.writeFileSync(path.join(project, 'main.js'), fleetProgram('cdk8s-fleet', 'cdk8s'));
    fs.writeFileSync(path.join(project, 'cdk8s-fleet.yaml'), 'app: node main.js\n');
    run('npx', ['--no-install', 'cdk8s-fleet', 'synth'], project);
    expect(fs.existsSync(path.join(project, 'dist', 'prod-1', 'kustomization.yaml'))).toBe(true);
    run('npx', ['--no-install', 'cdk8s-fleet', 'synth', '--check'], project);
  });
});
