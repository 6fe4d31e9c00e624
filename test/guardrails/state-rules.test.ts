import * as fs from 'fs';
import { cloneSet, deployment, namespace, WorkloadOptions } from './support';
import { Cluster, Guardrails, GuardrailsProps } from '../../src';
import { backedUp, smallFleet, synthErrors } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

/** The guardrails' own findings: the maintenance layer's review of these hand-made workloads (no budgets, no resources) is tested with it. */
const notMaintenance = (v: { readonly rule: string }) => !v.rule.startsWith('maintenance.');

/** A small fleet with app namespace 'feed' on prod-1 and the given guardrails. */
function fleetWith(guardrails?: GuardrailsProps) {
  const f = backedUp(smallFleet());
  namespace(f.cluster, 'feed');
  if (guardrails) new Guardrails(f.fleet, 'guardrails', guardrails);
  return f;
}

const rules = (e: { violations: readonly { rule: string }[] }) => e.violations.filter(notMaintenance).map(v => v.rule);

describe('synth-time rule: maxSurge bound', () => {
  test('a Deployment with maxSurge "100%" fails the synth with rule id, path, message and fix; nothing is written', () => {
    const f = fleetWith();
    deployment(f.cluster, 'feed-api', { replicas: 10, maxSurge: '100%' });
    const err = synthErrors(f.fleet);
    expect(err.errors).toHaveLength(1);
    expect(err.errors[0]).toMatchObject({
      rule: 'guardrails.max-surge',
      severity: 'error',
      path: 'prod-1/deploy-feed-api',
      fix: "lower maxSurge to at most '50%', or carry the override 'max-surge:prod-1/feed/feed-api' (--override or env CDK8S_FLEET_OVERRIDES)",
    });
    expect(err.errors[0].message).toMatch(/Deployment 'feed\/feed-api' in cluster 'prod-1' has maxSurge "100%" with 10 replica\(s\), above the bound of 50%/);
    expect(() => f.fleet.synth()).toThrow(/guardrails.max-surge/);
    expect(fs.existsSync(f.fleet.fleetOutdir)).toBe(false);
  });

  test('"25%", "50%", counts within the bound and an unset maxSurge pass', () => {
    const f = fleetWith();
    deployment(f.cluster, 'a', { maxSurge: '25%' });
    deployment(f.cluster, 'b', { maxSurge: '50%' });
    deployment(f.cluster, 'c', { replicas: 10, maxSurge: 5 });
    deployment(f.cluster, 'd', { replicas: 1, maxSurge: 1 });
    deployment(f.cluster, 'e');
    expect(() => f.fleet.synthesize()).not.toThrow();
  });

  test('a pod count above the bound fails; the bound is configurable', () => {
    const f = fleetWith({ maxSurgePercent: 20 });
    deployment(f.cluster, 'a', { replicas: 10, maxSurge: 3 });
    deployment(f.cluster, 'b', { replicas: 10, maxSurge: '25%' });
    deployment(f.cluster, 'c', { replicas: 10, maxSurge: '20%' });
    const err = synthErrors(f.fleet);
    expect(err.errors.map(e => e.path)).toEqual(['prod-1/deploy-a', 'prod-1/deploy-b']);
  });

  test('an OpenKruise CloneSet\'s updateStrategy.maxSurge is bound too', () => {
    const f = fleetWith();
    const kruise = new Cluster(f.fleet, 'kruise-1', { region: 'lva1', openKruise: true });
    kruise.addPool('general', { nodeProfile: f.general, capacity: 20 });
    cloneSet(kruise, 'search', { replicas: 10, maxSurge: '80%' });
    cloneSet(kruise, 'ok', { replicas: 10, maxSurge: '10%' });
    expect(synthErrors(f.fleet).errors.map(e => [e.rule, e.path])).toEqual([['guardrails.max-surge', 'kruise-1/cloneset-search']]);
  });

  test('every violation of the fleet is reported at once', () => {
    const f = fleetWith();
    deployment(f.cluster, 'a', { maxSurge: '100%' });
    deployment(f.cluster, 'b', { maxSurge: '90%' });
    deployment(f.cluster, 'web', { app: 'web', replicas: 1, track: 'stable' });
    deployment(f.cluster, 'web-canary', { app: 'web', replicas: 5, track: 'canary' });
    expect(rules(synthErrors(f.fleet)).sort()).toEqual(['guardrails.canary-percent', 'guardrails.max-surge', 'guardrails.max-surge']);
  });
});

describe('synth-time rule: canary share', () => {
  const canaryFleet = (stable: number, canary: number, g?: GuardrailsProps, o: Partial<WorkloadOptions> = {}) => {
    const f = fleetWith(g);
    deployment(f.cluster, 'feed-api', { app: 'feed-api', replicas: stable, track: 'stable', ...o });
    deployment(f.cluster, 'feed-api-canary', { app: 'feed-api', replicas: canary, track: 'canary' });
    return f;
  };

  test('10 canary pods beside 90 stable (10%) pass; the cluster\'s parameters record the stable replicas, not the canary', () => {
    const result = canaryFleet(90, 10).fleet.synthesize();
    const canary = result.objects.find(o => o.object.metadata.name === 'feed-api-canary')!.object;
    expect(canary.metadata.annotations).toBeUndefined();
    const params = result.objects.find(o => o.cluster === 'prod-1' && o.object.kind === 'GuardrailParameters')!.object as any;
    expect(params.spec.canaries).toEqual({ 'feed/feed-api-canary': { app: 'feed-api', stableReplicas: 90 } });
  });

  test('10 canary pods beside 10 stable (50%) fail', () => {
    const err = synthErrors(canaryFleet(10, 10).fleet);
    expect(err.errors).toHaveLength(1);
    expect(err.errors[0]).toMatchObject({ rule: 'guardrails.canary-percent', path: 'prod-1/deploy-feed-api-canary' });
    expect(err.errors[0].message).toMatch(/holds 10 of 20 pods \(50%\), above the bound of 25%/);
    expect(err.errors[0].fix).toMatch(/at most 3 replica/);
  });

  test('the bound is configurable', () => {
    expect(() => canaryFleet(10, 10, { maxCanaryPercent: 50 }).fleet.synthesize()).not.toThrow();
  });

  test('a canary whose stable track is in another namespace (or missing) fails', () => {
    const f = canaryFleet(90, 10, undefined, { namespace: 'other' });
    namespace(f.cluster, 'other');
    expect(synthErrors(f.fleet).errors[0].message).toMatch(/has no stable track/);
  });
});

describe('rules are data: exemptions, severities, configuration problems', () => {
  test('a recorded exemption lets its target pass, and only its target', () => {
    const f = fleetWith({ exemptions: [{ rule: 'max-surge', target: 'prod-1/feed/feed-api', reason: 'cache warm-up needs 2x capacity (platform team, 2026-03)' }] });
    deployment(f.cluster, 'feed-api', { maxSurge: '100%' });
    deployment(f.cluster, 'other', { maxSurge: '100%' });
    expect(synthErrors(f.fleet).errors.map(e => e.path)).toEqual(['prod-1/deploy-other']);
  });

  test('an exemption that matches nothing is a warning', () => {
    const f = fleetWith({ exemptions: [{ rule: 'max-surge', target: 'prod-1/feed/gone', reason: 'legacy' }] });
    const result = f.fleet.synthesize();
    expect(result.warnings.filter(notMaintenance).map(w => [w.rule, w.path])).toEqual([['guardrails.exemption.unused', 'guardrails']]);
  });

  test('a rule configured as a warning reports and passes', () => {
    const f = fleetWith({ severities: { 'max-surge': 'warning' } });
    deployment(f.cluster, 'feed-api', { maxSurge: '100%' });
    const result = f.fleet.synthesize();
    expect(result.warnings.filter(notMaintenance).map(w => w.rule)).toEqual(['guardrails.max-surge']);
  });

  test('configuration problems are reported together, at the Guardrails construct', () => {
    const f = fleetWith({
      maxScaleDownFraction: 1.5,
      maxSurgePercent: 150,
      maxCanaryPercent: 12.5,
      protectedLabel: 'not a label',
      platformIdentities: ['*'],
      exemptions: [
        { rule: 'max-surge', target: 'prod-1/feed/a', reason: ' ' },
        { rule: 'no-such-rule' as any, target: 'x', reason: 'r' },
        { rule: 'scale-down', target: 'prod-1/*', reason: 'r' },
      ],
    });
    const err = synthErrors(f.fleet);
    expect(new Set(err.errors.map(e => e.path))).toEqual(new Set(['guardrails']));
    expect(rules(err).sort()).toEqual([
      'guardrails.config.identity', 'guardrails.config.percent', 'guardrails.config.percent', 'guardrails.config.protected-label',
      'guardrails.config.scale-down-fraction', 'guardrails.exemption.reason', 'guardrails.exemption.rule', 'guardrails.exemption.target',
    ]);
  });

  test('one Guardrails per fleet', () => {
    const f = fleetWith({});
    new Guardrails(f.fleet, 'more-guardrails', {});
    expect(synthErrors(f.fleet).errors.map(e => [e.rule, e.path])).toEqual([['guardrails.unique', 'more-guardrails']]);
  });
});

describe('objects the in-cluster policies rely on', () => {
  test('a Namespace holding workloads carries the protection label; an empty one does not', () => {
    const f = fleetWith({ protectedLabel: 'example.com/keep' });
    namespace(f.cluster, 'empty');
    deployment(f.cluster, 'feed-api');
    const result = f.fleet.synthesize();
    const ns = (n: string) => result.objects.find(o => o.object.kind === 'Namespace' && o.object.metadata.name === n)!.object;
    expect(ns('feed').metadata.labels?.['example.com/keep']).toBe('true');
    expect(ns('empty').metadata.labels?.['example.com/keep']).toBeUndefined();
  });
});

describeWithSchemas('guarded output is schema-valid', () => {
  test('workloads, canaries, namespaces, policies: every object validates strictly (v1.28.0)', () => {
    const f = fleetWith();
    const kruise = new Cluster(f.fleet, 'kruise-1', { region: 'lva1', openKruise: true });
    kruise.addPool('general', { nodeProfile: f.general, capacity: 20 });
    namespace(kruise, 'feed');
    deployment(f.cluster, 'feed-api', { app: 'feed-api', replicas: 90, track: 'stable', maxSurge: '25%' });
    deployment(f.cluster, 'feed-api-canary', { app: 'feed-api', replicas: 10, track: 'canary' });
    cloneSet(kruise, 'search', { replicas: 10, maxSurge: '10%' });
    const result = f.fleet.synthesize();
    expect(validateAll(result.objects)).toEqual([]);
  });
});

describe('the platform\'s own namespace', () => {
  test('the system namespace holding the required DaemonSets is protected', () => {
    const result = fleetWith().fleet.synthesize();
    const ns = result.objects.find(o => o.object.kind === 'Namespace' && o.object.metadata.name === 'fleet-system')!.object;
    expect(ns.metadata.labels?.['fleet.cdk8s.io/protected']).toBe('true');
  });
});
