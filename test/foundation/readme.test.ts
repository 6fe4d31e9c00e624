import * as fs from 'fs';
import * as path from 'path';
import { readTree, tmpOutdir } from '../support/fleet';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'readme.ts');

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
