import * as fs from 'fs';
import * as path from 'path';
import { INIT_HELP } from '../../src/cli/init';
import { SCAFFOLD_APP_COMMAND, scaffoldFiles } from '../../src/cli/scaffold';
import { readTree, tmpOutdir } from '../support/fleet';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'readme.ts');

/** The commands of the first ```sh block after `marker`, without their comments. */
function commandsAfter(marker: string): string[] {
  const at = README.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const start = README.indexOf('```sh\n', at) + '```sh\n'.length;
  return README.slice(start, README.indexOf('```', start)).split('\n').map(l => l.replace(/#.*$/, '').trim()).filter(l => l);
}

describe('the README\'s quick start', () => {
  const section = README.slice(README.indexOf('## Quick start'), README.indexOf('\n## ', README.indexOf('## Quick start') + 1));

  test('for npm consumers is exactly: install, init, synth', () => {
    expect(commandsAfter('As an npm package')).toEqual(['npm install cdk8s-fleet', 'npx cdk8s-fleet init', 'npx cdk8s-fleet synth']);
  });

  test('for the repository itself is the two clone commands', () => {
    expect(commandsAfter('On a fresh clone of this repository')).toEqual(['npm ci && npm run example', 'npm ci && npm test']);
  });

  test('names every file init writes, and each is explained by init --help', () => {
    for (const f of ['package.json', ...scaffoldFiles().map(s => s.path)]) {
      expect(section).toContain(`\`${f}\``);
      expect(INIT_HELP).toMatch(new RegExp(`^  ${f.replace(/\./g, '\\.')} +\\S`, 'm'));
    }
  });

  test('documents the app command init writes, in the quick start and the config example', () => {
    expect(section).toContain(`\`${SCAFFOLD_APP_COMMAND}\``);
    expect(README).toContain(`app: ${SCAFFOLD_APP_COMMAND} `);
    expect(README).not.toContain('ts-node --transpile-only main.ts');
  });
});

describe('the README\'s 25-line fleet', () => {
  test('is exactly examples/readme.ts (with the package name as import)', () => {
    const start = README.indexOf('```ts', README.indexOf('## A fleet in 25 lines')) + '```ts\n'.length;
    const shown = README.slice(start, README.indexOf('```', start));
    const kept = fs.readFileSync(EXAMPLE, 'utf8').replace(/^\/\*\*[\s\S]*?\*\/\n/, '').replace("from '../src';", "from 'cdk8s-fleet';");
    expect(shown).toBe(kept);
  });

  test('type-checks and synthesizes: the feed app lands on the cluster with its workload, quota and RBAC', () => {
    const outdir = tmpOutdir();
    const before = process.env.CDK8S_FLEET_OUTDIR;
    process.env.CDK8S_FLEET_OUTDIR = outdir;
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('../../examples/readme');
      });
    } finally {
      if (before === undefined) delete process.env.CDK8S_FLEET_OUTDIR;
      else process.env.CDK8S_FLEET_OUTDIR = before;
    }
    const files = [...readTree(outdir).keys()];
    expect(files).toEqual(expect.arrayContaining([
      'lva1-prod-1/namespaces/feed/deployment-feed.yaml',
      'lva1-prod-1/namespaces/feed/deployment-feed-canary.yaml',
      'lva1-prod-1/namespaces/feed/resourcequota-app-quota.yaml',
      'lva1-prod-1/namespaces/feed/rolebinding-fleet-app-deployer.yaml',
      'lva1-prod-1/control-plane/sizing.yaml',
      'hub/cluster/kubernetespool-lva1-prod-1-general.yaml',
    ]));
  });
});
