/**
 * `cdk8s-fleet init [DIR]`: scaffolds a fleet project (see scaffold.ts for
 * the files) and installs its tooling. It checks everything first and writes
 * nothing when a file exists that it would overwrite.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CliFailure, CliIo, ExitCode, UsageError, parseVerbArgs } from './io';
import { SCAFFOLD_APP_COMMAND, SCAFFOLD_LOCK_FILE, SCAFFOLD_TOOLING, packageNameOf, planPackageJson, scaffoldFiles } from './scaffold';

/** Help text of the verb. */
export const INIT_HELP = `Usage: cdk8s-fleet init [DIR] [options]

Scaffolds a fleet project in DIR (default: the working directory; created if
missing), then runs 'npm install' there. The quick start, in an empty directory:

  npm install cdk8s-fleet
  npx cdk8s-fleet init
  npx cdk8s-fleet synth

Files:
  package.json       the project: dependency on cdk8s-fleet, scripts 'synth',
                     'check' (synth --check), 'plan', 'diff', 'typecheck', and
                     pinned tooling that runs on Node.js 20: tsx ${SCAFFOLD_TOOLING.tsx},
                     typescript ${SCAFFOLD_TOOLING.typescript}, @types/node ${SCAFFOLD_TOOLING['@types/node']}
  tsconfig.json      compiler settings of 'npm run typecheck' (tsc --noEmit)
  cdk8s-fleet.yaml   the CLI's config: 'app: ${SCAFFOLD_APP_COMMAND}' and
                     'output: dist'
  main.ts            a small fleet across the layers: a node profile and a
                     required DaemonSet, a cluster with two pools, an app
                     namespace with a grant, a LiDeployment, guardrails
  .gitignore         node_modules/ (commit dist/: GitOps applies it)
  ${SCAFFOLD_LOCK_FILE}    the empty placement lock; each synth records where every
                     app namespace lives (commit it)

Why tsx: the program runs with 'node --require tsx/cjs', which strips the
types without type-checking. No TypeScript version or tsconfig can break a
synth that way: with ts-node, 'npm i ts-node typescript' brings TypeScript 7,
which crashes ts-node, and TypeScript 5.9 without a tsconfig stops with TS5109.
Type errors are found by 'npm run typecheck' with the pinned TypeScript.

Existing files: a package.json is merged (e.g. the one 'npm install
cdk8s-fleet' created): the scripts and devDependencies above are added, its
cdk8s-fleet dependency is kept; an entry it has with another value, or
"type": "module", is a conflict. Every other file above, and a dist/ directory,
must not exist. On any conflict init names them all and writes nothing.

Options:
  --dependency SPEC    the cdk8s-fleet dependency of a new package.json
                       (default: ^VERSION of this CLI; e.g. a tarball path)
  --no-install         do not run 'npm install'
  -h, --help           show this help

Exit codes: 0 ok, 2 usage, 3 a file exists that init would overwrite (nothing
was written), a file cannot be written, or 'npm install' failed.
`;

/** Runs `npm install` in a directory; resolves with its exit code. Injectable for tests. */
export type Installer = (dir: string, io: CliIo) => Promise<number>;

/** Runs the user's npm (the one that runs this CLI under npx or npm scripts, else `npm` on the PATH). */
export const npmInstall: Installer = (dir, io) => new Promise((resolve) => {
  const npmCli = io.env.npm_execpath && /npm-cli\.js$/.test(io.env.npm_execpath) ? io.env.npm_execpath : undefined;
  const [cmd, args] = npmCli ? [process.execPath, [npmCli, 'install']] : ['npm', ['install']];
  const child = spawn(cmd, args, { cwd: dir, env: io.env, stdio: ['ignore', 'pipe', 'pipe'], shell: !npmCli && process.platform === 'win32' });
  child.stdout.on('data', (c: Buffer) => io.stderr.write(c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => io.stderr.write(c.toString('utf8')));
  child.on('error', (e) => {
    io.stderr.write(`${e.message}\n`);
    resolve(127);
  });
  child.on('close', code => resolve(code ?? 1));
});

function ownVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../package.json') as { version: string }).version;
}

/** Runs the verb. */
export async function runInit(args: string[], io: CliIo, install: Installer = npmInstall): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, {
    'dependency': { type: 'string' },
    'no-install': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(INIT_HELP);
    return ExitCode.OK;
  }
  if (positionals.length > 1) throw new UsageError(`init takes at most one directory (got '${positionals[1]}')`);
  const dependency = (values.dependency as string | undefined) ?? `^${ownVersion()}`;
  if (!dependency.trim()) throw new UsageError('--dependency must not be empty');
  const dir = path.resolve(io.cwd, positionals[0] ?? '.');
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a directory`);

  // check everything before writing anything
  const conflicts: string[] = [];
  const files = scaffoldFiles();
  for (const f of files) if (fs.existsSync(path.join(dir, f.path))) conflicts.push(`${f.path} exists`);
  if (fs.existsSync(path.join(dir, 'dist'))) conflicts.push('dist exists (the output directory of the first synth)');
  const pkgFile = path.join(dir, 'package.json');
  const existing = fs.existsSync(pkgFile) ? fs.readFileSync(pkgFile, 'utf8') : undefined;
  const pkg = planPackageJson(existing, { name: packageNameOf(path.basename(dir)), dependency });
  if ('conflicts' in pkg) conflicts.push(...pkg.conflicts);
  if (conflicts.length > 0 || 'conflicts' in pkg) {
    throw new CliFailure(`cdk8s-fleet init: ${dir} is not empty enough; nothing was written:\n${conflicts.map(c => `  - ${c}`).join('\n')}\n`
      + 'init a new directory (cdk8s-fleet init DIR), or move these away', ExitCode.PROGRAM_FAILED);
  }

  const created: string[] = [];
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of files) {
      fs.writeFileSync(path.join(dir, f.path), f.content, { flag: 'wx' });
      created.push(f.path);
    }
    const tmp = `${pkgFile}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, pkg.content, { flag: 'wx' });
    fs.renameSync(tmp, pkgFile);
  } catch (e) {
    for (const f of created) fs.rmSync(path.join(dir, f), { force: true });
    fs.rmSync(`${pkgFile}.tmp-${process.pid}`, { force: true });
    throw new CliFailure(`cdk8s-fleet init: could not write ${dir}: ${(e as Error).message}; nothing was left behind`, ExitCode.PROGRAM_FAILED);
  }
  const where = path.relative(io.cwd, dir) || '.';
  io.stdout.write(`${pkg.created ? 'created' : 'updated'} ${path.join(where, 'package.json')}`
    + `${pkg.created ? '' : ` (added ${pkg.added.join(', ') || 'nothing'})`}\n`);
  for (const f of created) io.stdout.write(`created ${path.join(where, f)}\n`);

  if (!values['no-install']) {
    io.stderr.write(`cdk8s-fleet: running npm install in ${where}...\n`);
    const code = await install(dir, io);
    if (code !== 0) {
      throw new CliFailure(`cdk8s-fleet init: the project was written, but 'npm install' failed (exit code ${code}); `
        + `run it in ${where} yourself`, ExitCode.PROGRAM_FAILED);
    }
  }
  const steps = [
    ...(where === '.' ? [] : [`cd ${where}`]),
    ...(values['no-install'] ? ['npm install'] : []),
    'npx cdk8s-fleet synth       # writes dist/ and records the placements in fleet.lock.json',
  ];
  io.stdout.write(`\nnext:\n${steps.map(s => `  ${s}`).join('\n')}\n`);
  return ExitCode.OK;
}
