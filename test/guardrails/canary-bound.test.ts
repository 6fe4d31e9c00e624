/**
 * One canary bound: Guardrails.maxCanaryPercent, a share of all the app's pods
 * (canary + stable). LiDeployment validation, the synth-time guardrail and the
 * in-cluster policy decide alike, and a failing canary's fix names sizes that pass.
 */
import { admitInCluster } from './support';
import { Guardrails, LiDeployment, LiDeploymentProps } from '../../src';
import { synthErrors } from '../support/fleet';
import { FEED, workloadFleet } from '../workloads/support';

function fleet(bound: number, replicas: number, canary: LiDeploymentProps['canary']) {
  const f = workloadFleet();
  new Guardrails(f.fleet, 'guardrails', { maxCanaryPercent: bound });
  new LiDeployment(f.ns, 'feed', { ...FEED, replicas, canary });
  return f;
}

/** The synthesized canary, created anew in its cluster: what every policy there says. */
function admitCanary(result: ReturnType<ReturnType<typeof fleet>['fleet']['synthesize']>) {
  const objects = result.objects.filter(o => o.cluster === 'prod-1').map(o => o.object);
  const canary = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'feed-canary')!;
  return admitInCluster(objects, { operation: 'CREATE', group: 'apps', resource: 'deployments', namespace: canary.metadata.namespace, name: canary.metadata.name, object: canary });
}

test('bound 34, 80 replicas, canary.percent 34: passes the synth (28 of 108 pods, 25.9%) and the cluster', () => {
  const result = fleet(34, 80, { percent: 34, version: { app: '2.0.0' } }).fleet.synthesize();
  const canary = result.objects.find(o => o.object.metadata.name === 'feed-canary')!.object as any;
  expect(canary.spec.replicas).toBe(28);
  expect(admitCanary(result)).toMatchObject({ allowed: true, errors: [] });
});

test.each([
  [10, 80, { percent: 20 }],
  [25, 10, { count: 4 }],
  [20, 3, { count: 1 }],
  [5, 400, { percent: 50 }],
])('bound %p, %p replicas, canary %p: fails with a fix whose every size passes the synth and the cluster', (bound, replicas, size) => {
  const err = synthErrors(fleet(bound, replicas, { ...size, version: { app: '2.0.0' } }).fleet);
  const [e] = err.errors.filter(x => x.rule === 'workload.canary.bound');
  expect(e.message).toContain(`above the fleet's bound of ${bound}% of the app's pods`);
  const count = /canary\.count ≤ ([0-9]+)/.exec(e.fix);
  const percent = /canary\.percent ≤ ([0-9]+)/.exec(e.fix);
  const raise = /raise replicas to at least ([0-9]+)/.exec(e.fix);
  const applied: Array<[number, LiDeploymentProps['canary']]> = [];
  if (count) applied.push([replicas, { count: Number(count[1]), version: { app: '2.0.0' } }]);
  if (percent) applied.push([replicas, { percent: Number(percent[1]), version: { app: '2.0.0' } }]);
  if (raise) applied.push([Number(raise[1]), { count: 1, version: { app: '2.0.0' } }]);
  expect(applied.length).toBeGreaterThan(0);
  for (const [r, c] of applied) {
    const result = fleet(bound, r, c).fleet.synthesize();
    expect(admitCanary(result)).toMatchObject({ allowed: true, errors: [] });
  }
});

test('one step above the largest passing canary, the cluster denies what the synth refuses', () => {
  // bound 25, 30 stable: at most 10 canary pods (10 of 40 = 25%)
  const result = fleet(25, 30, { count: 10, version: { app: '2.0.0' } }).fleet.synthesize();
  expect(admitCanary(result).allowed).toBe(true);
  const objects = result.objects.filter(o => o.cluster === 'prod-1').map(o => o.object as any);
  const canary = JSON.parse(JSON.stringify(objects.find(o => o.metadata.name === 'feed-canary')));
  canary.spec.replicas = 11;
  const out = admitInCluster(objects, { operation: 'CREATE', group: 'apps', resource: 'deployments', namespace: canary.metadata.namespace, name: 'feed-canary', object: canary });
  expect(out.allowed).toBe(false);
  expect(out.denials.join('\n')).toMatch(/may run at most 10$/m);
  expect(synthErrors(fleet(25, 30, { count: 11, version: { app: '2.0.0' } }).fleet).errors.map(e => e.rule)).toContain('workload.canary.bound');
});
