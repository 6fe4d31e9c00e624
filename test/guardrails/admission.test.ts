import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { admit, admitInCluster, AdmissionRequest } from './support';
import { Cluster, FleetValidationError, GuardrailConfig, Guardrails } from '../../src';
import { guardrailParameters, guardrailPolicies, renderPolicy } from '../../src/guardrails/admission';
import { resolveGuardrailConfig, scaleDownAllowed } from '../../src/guardrails/rules';
import { surgeAllowed } from '../../src/guardrails/workload-objects';
import { canaryAllowed } from '../../src/workloads/rollout';
import { evaluateCel, kubernetesCelEnvironment } from '../support/cel';
import { smallFleet, synthErrors } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

function synthPolicies(configure?: (f: ReturnType<typeof smallFleet>) => void) {
  const f = smallFleet();
  configure?.(f);
  const result = f.fleet.synthesize();
  const of = (cluster: string, kind: string) => result.objects.filter(o => o.cluster === cluster && o.object.kind === kind).map(o => o.object as any);
  const policy = (cluster: string, rule: string) => of(cluster, 'ValidatingAdmissionPolicy').find(p => p.metadata.name === `fleet-guardrails-${rule}`);
  const objects = (cluster: string) => result.objects.filter(o => o.cluster === cluster).map(o => o.object);
  return { ...f, result, of, policy, objects };
}

const defaults = synthPolicies(f => new Cluster(f.fleet, 'kruise-1', { region: 'lva1', openKruise: true }));
const P = (rule: string, cluster = 'prod-1') => defaults.policy(cluster, rule);
/** A request against everything the cluster's output holds (policies, bindings, parameters); no evaluation errors allowed. */
const inCluster = (r: AdmissionRequest, cluster = 'prod-1', f = defaults) => {
  const out = admitInCluster(f.objects(cluster), r);
  expect(out.errors).toEqual([]);
  return out;
};

const deploy = (replicas: number | undefined, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'feed-api', namespace: 'feed', labels: { 'app.kubernetes.io/name': 'feed-api', ...labels } },
  spec: { ...(replicas === undefined ? {} : { replicas }), ...extra },
});
const scale = (replicas: number): AdmissionRequest => ({
  operation: 'UPDATE',
  group: 'apps',
  resource: 'deployments',
  namespace: 'feed',
  name: 'feed-api',
  oldObject: deploy(100),
  object: deploy(replicas),
});
const surge = (maxSurge: number | string, replicas = 10): AdmissionRequest => ({
  operation: 'CREATE',
  group: 'apps',
  resource: 'deployments',
  namespace: 'feed',
  name: 'feed-api',
  object: deploy(replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable: 0 } } }),
});
const namespace = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'feed', labels } });
const deleteNs = (labels: Record<string, string>, username?: string): AdmissionRequest => ({
  operation: 'DELETE', group: '', resource: 'namespaces', name: 'feed', oldObject: namespace(labels), username,
});

describe('in-cluster guardrails: one ValidatingAdmissionPolicy and binding per rule in every cluster', () => {
  test('four policies and four bindings per cluster, v1beta1 for Kubernetes 1.28', () => {
    for (const cluster of ['hub', 'prod-1', 'kruise-1']) {
      const policies = defaults.of(cluster, 'ValidatingAdmissionPolicy');
      const bindings = defaults.of(cluster, 'ValidatingAdmissionPolicyBinding');
      expect(policies.map(p => p.metadata.name).sort()).toEqual([
        'fleet-guardrails-canary-percent', 'fleet-guardrails-delete-protected', 'fleet-guardrails-max-surge', 'fleet-guardrails-scale-down',
      ]);
      for (const p of [...policies, ...bindings]) expect(p.apiVersion).toBe('admissionregistration.k8s.io/v1beta1');
      const failurePolicies = Object.fromEntries(policies.map(p => [p.metadata.name.replace('fleet-guardrails-', ''), p.spec.failurePolicy]));
      expect(failurePolicies).toEqual({ 'canary-percent': 'Fail', 'delete-protected': 'Fail', 'max-surge': 'Ignore', 'scale-down': 'Fail' });
      for (const p of policies) {
        const b = bindings.find(x => x.metadata.name === p.metadata.name);
        expect(b.spec).toMatchObject({ policyName: p.metadata.name, validationActions: ['Deny', 'Audit'] });
        const excluded = b.spec.matchResources.namespaceSelector.matchExpressions;
        expect(excluded).toEqual([{
          key: 'kubernetes.io/metadata.name',
          operator: 'NotIn',
          values: p.metadata.name.endsWith('delete-protected') ? ['kube-node-lease', 'kube-system'] : ['fleet-system', 'kube-node-lease', 'kube-system'],
        }]);
      }
    }
  });

  test('the guardrails page states each policy\'s failurePolicy, as synthesized, with a reason', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'GUARDRAILS.md'), 'utf8');
    // the section's table (the page's rule tables start their rows with the short names too)
    const page = doc.slice(doc.indexOf('### failurePolicy, per policy'));
    for (const p of defaults.of('prod-1', 'ValidatingAdmissionPolicy')) {
      const rule = p.metadata.name.replace('fleet-guardrails-', '');
      const row = page.split('\n').find(l => l.startsWith(`| \`${rule}\` |`));
      expect(row).toBeDefined();
      expect(row!.split('|').map(c => c.trim())[2]).toBe(`\`${p.spec.failurePolicy}\``);
      expect(row!.split('|')[3].trim().length).toBeGreaterThan(40);
    }
  });

  test('OpenKruise workloads are guarded only in clusters that run OpenKruise', () => {
    const groups = (c: string) => P('scale-down', c).spec.matchConstraints.resourceRules.map((r: any) => r.apiGroups[0]);
    expect(groups('prod-1')).toEqual(['apps']);
    expect(groups('kruise-1')).toEqual(['apps', 'apps.kruise.io']);
    expect(P('scale-down', 'kruise-1').spec.matchConstraints.resourceRules[1].resources).toEqual(['clonesets', 'clonesets/scale', 'statefulsets', 'statefulsets/scale']);
    expect(P('max-surge', 'kruise-1').spec.matchConstraints.resourceRules[1].resources).toEqual(['clonesets']);
  });

  test('v1 for Kubernetes 1.30+, chosen per cluster', () => {
    const f = synthPolicies(x => new Cluster(x.fleet, 'new-1', { region: 'lva1', kubernetesVersion: '1.30.2' }));
    expect(f.of('new-1', 'ValidatingAdmissionPolicy').map(p => p.apiVersion)).toEqual(Array(4).fill('admissionregistration.k8s.io/v1'));
    expect(f.of('new-1', 'ValidatingAdmissionPolicyBinding').map(p => p.apiVersion)).toEqual(Array(4).fill('admissionregistration.k8s.io/v1'));
    expect(f.of('prod-1', 'ValidatingAdmissionPolicy')[0].apiVersion).toBe('admissionregistration.k8s.io/v1beta1');
  });

  test('a cluster older than 1.28 is outside the supported range: rejected before any policy is rendered', () => {
    const f = smallFleet();
    new Cluster(f.fleet, 'old-1', { region: 'lva1', kubernetesVersion: '1.27.9' });
    const e = synthErrors(f.fleet);
    expect(e.errors.map(v => [v.path, v.rule, v.message])).toEqual([['old-1', 'cluster.kubernetes-version', 'Kubernetes 1.27.9 is outside the supported range 1.28–1.31']]);
  });

  test('turning the in-cluster guardrails off deletes their parameters: a guarded change with an override to name', () => {
    const first = smallFleet();
    first.fleet.synth();
    const off = smallFleet({ outdir: first.fleet.fleetOutdir });
    new Guardrails(off.fleet, 'guardrails', { admissionPolicies: false });
    let errors: Array<{ rule: string; fix: string }> = [];
    try {
      off.fleet.synthesize({ previousOutdir: first.fleet.fleetOutdir });
    } catch (e) {
      errors = (e as FleetValidationError).errors.filter(x => x.rule === 'guardrails.delete-protected');
    }
    expect(errors.map(e => e.fix).join('\n')).toContain("'delete-protected:prod-1/guardrailparameters/fleet-guardrails'");
    expect(errors.map(e => e.fix).join('\n')).toContain("'delete-protected:prod-1/customresourcedefinition/guardrailparameters.fleet.cdk8s.io'");
  });

  test('a rule configured as a warning warns in the cluster too; admissionPolicies: false renders none', () => {
    const warn = synthPolicies(x => new Guardrails(x.fleet, 'guardrails', { severities: { 'max-surge': 'warning' } }));
    const b = warn.of('prod-1', 'ValidatingAdmissionPolicyBinding').find(x => x.metadata.name === 'fleet-guardrails-max-surge');
    expect(b.spec.validationActions).toEqual(['Warn', 'Audit']);
    const none = synthPolicies(x => new Guardrails(x.fleet, 'guardrails', { admissionPolicies: false }));
    expect(none.of('prod-1', 'ValidatingAdmissionPolicy')).toEqual([]);
  });
});

describeWithSchemas('the policies are schema-valid', () => {
  const guardrailObjects = (f: typeof defaults, cluster?: string) => f.result.objects.filter(o => (cluster === undefined || o.cluster === cluster)
    && (o.object.apiVersion.startsWith('admissionregistration') || o.object.kind === 'GuardrailParameters' || o.object.metadata.name === 'guardrailparameters.fleet.cdk8s.io'));

  test('v1beta1 objects against Kubernetes v1.28.0 (strict), the parameters against their CRD', () => {
    const objs = guardrailObjects(defaults);
    expect(objs.length).toBe(30);
    expect(validateAll(objs)).toEqual([]);
  });

  test('v1 objects against Kubernetes v1.30.0 (strict), the parameters against their CRD', () => {
    const f = synthPolicies(x => new Cluster(x.fleet, 'new-1', { region: 'lva1', kubernetesVersion: '1.30.2', openKruise: true }));
    const objs = guardrailObjects(f, 'new-1');
    expect(objs.length).toBe(10);
    expect(validateAll(objs, 'v1.30.0')).toEqual([]);
  });

  test('parameters that break their CRD schema are rejected by it', () => {
    const bad = { ...guardrailParameters([]), spec: { canaries: { 'feed/x': { app: 'feed', stableReplicas: -1 } } } };
    const crd = guardrailObjects(defaults, 'prod-1').find(o => o.object.kind === 'CustomResourceDefinition')!;
    expect(validateAll([crd, bad]).join('\n')).toMatch(/stableReplicas/);
  });
});

describe('CEL expressions under Kubernetes typing (real engine, integers as int)', () => {
  test('the engine rejects int * double, the mistake the policies avoid', () => {
    expect(() => evaluateCel('object.spec.replicas >= oldObject.spec.replicas * 0.5', { object: deploy(10), oldObject: deploy(100) })).toThrow(/overload/);
  });

  test('every generated expression parses and type-checks, and none multiplies by a double', () => {
    const env = kubernetesCelEnvironment();
    const exprs: string[] = [];
    for (const p of defaults.of('kruise-1', 'ValidatingAdmissionPolicy')) {
      for (const m of p.spec.matchConditions ?? []) exprs.push(m.expression);
      for (const v of p.spec.variables ?? []) exprs.push(v.expression);
      for (const v of p.spec.validations) {
        exprs.push(v.expression);
        if (v.messageExpression) exprs.push(v.messageExpression);
      }
    }
    expect(exprs.length).toBeGreaterThan(15);
    for (const e of exprs) {
      expect(env.check(e)).toMatchObject({ valid: true });
      expect(e).not.toMatch(/\*\s*[0-9]+\.[0-9]/);
    }
  });

  test('scale-down: 100 → 10 denied, 100 → 90 allowed, 100 → 50 allowed, 100 → 49 denied, scale-up allowed', () => {
    const p = P('scale-down');
    expect(admit(p, scale(10))).toMatchObject({ matched: true, allowed: false });
    expect(admit(p, scale(10)).messages[0]).toMatch(/scaling from 100 to 10 replicas/);
    expect(admit(p, scale(90)).allowed).toBe(true);
    expect(admit(p, scale(50)).allowed).toBe(true);
    expect(admit(p, scale(49)).allowed).toBe(false);
    expect(admit(p, scale(150)).allowed).toBe(true);
  });

  test('scale-down through the scale subresource: a Scale omits replicas when they are 0', () => {
    const p = P('scale-down');
    const scaleObj = (replicas?: number) => ({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'feed-api', namespace: 'feed' }, spec: replicas ? { replicas } : {} });
    const req = (to?: number): AdmissionRequest => ({ operation: 'UPDATE', group: 'apps', resource: 'deployments', subResource: 'scale', namespace: 'feed', name: 'feed-api', oldObject: scaleObj(100), object: scaleObj(to) });
    expect(admit(p, req(10)).allowed).toBe(false);
    expect(admit(p, req(undefined)).allowed).toBe(false);
    expect(admit(p, req(90)).allowed).toBe(true);
  });

  test('scale-down: canaries and the platform\'s autoscaler are not bound', () => {
    const p = P('scale-down');
    const canary: AdmissionRequest = { ...scale(10), oldObject: deploy(100, {}, { 'fleet.cdk8s.io/track': 'canary' }), object: deploy(1, {}, { 'fleet.cdk8s.io/track': 'canary' }) };
    expect(admit(p, canary).allowed).toBe(true);
    expect(admit(p, { ...scale(10), username: 'system:serviceaccount:kube-system:horizontal-pod-autoscaler' })).toMatchObject({ matched: false, allowed: true });
  });

  test('scale-down of an OpenKruise CloneSet is bound in a Kruise cluster', () => {
    const p = P('scale-down', 'kruise-1');
    const cs = (r: number) => ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', metadata: { name: 'x', namespace: 'feed' }, spec: { replicas: r } });
    expect(admit(p, { operation: 'UPDATE', group: 'apps.kruise.io', resource: 'clonesets', namespace: 'feed', name: 'x', oldObject: cs(100), object: cs(10) }).allowed).toBe(false);
  });

  test('maxSurge: "100%" denied, "25%" allowed, "50%" allowed, "51%" denied; counts bound by the replicas, rounded up', () => {
    const p = P('max-surge');
    expect(admit(p, surge('100%'))).toMatchObject({ matched: true, allowed: false });
    expect(admit(p, surge('25%')).allowed).toBe(true);
    expect(admit(p, surge('50%')).allowed).toBe(true);
    expect(admit(p, surge('51%')).allowed).toBe(false);
    expect(admit(p, surge(5, 10)).allowed).toBe(true);
    expect(admit(p, surge(6, 10)).allowed).toBe(false);
    expect(admit(p, surge(1, 1)).allowed).toBe(true);
    expect(admit(p, surge(100, 100)).allowed).toBe(false);
    expect(admit(p, { ...surge(0), object: deploy(10) }).allowed).toBe(true);
  });

  test('maxSurge of a CloneSet ("100%" denied, "25%" allowed)', () => {
    const p = P('max-surge', 'kruise-1');
    const cs = (maxSurge: string) => ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', metadata: { name: 'x', namespace: 'feed' }, spec: { replicas: 10, updateStrategy: { maxSurge } } });
    const req = (s: string): AdmissionRequest => ({ operation: 'UPDATE', group: 'apps.kruise.io', resource: 'clonesets', namespace: 'feed', name: 'x', oldObject: cs('10%'), object: cs(s) });
    expect(admit(p, req('100%')).allowed).toBe(false);
    expect(admit(p, req('25%')).allowed).toBe(true);
  });

  test('delete of a protected namespace denied, of an unprotected one allowed, by the namespace controller allowed', () => {
    const p = P('delete-protected');
    expect(admit(p, deleteNs({ 'fleet.cdk8s.io/protected': 'true' }))).toMatchObject({ matched: true, allowed: false });
    expect(admit(p, deleteNs({}))).toMatchObject({ matched: false, allowed: true }); // not protected: the match condition leaves it alone
    expect(admit(p, deleteNs({ 'fleet.cdk8s.io/protected': 'false' })).allowed).toBe(true);
    expect(admit(p, deleteNs({ 'fleet.cdk8s.io/protected': 'true' }, 'system:serviceaccount:kube-system:namespace-controller')).matched).toBe(false);
    expect(admit(p, { operation: 'DELETE', group: '', resource: 'namespaces', name: 'x', oldObject: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } } }).allowed).toBe(true);
  });

  test('delete of user-facing custom resources and of the fleet CRDs denied; other CRDs allowed', () => {
    const p = P('delete-protected', 'hub');
    const pool = { apiVersion: 'fleet.cdk8s.io/v1alpha1', kind: 'KubernetesPool', metadata: { name: 'prod-1-general' }, spec: {} };
    expect(admit(p, { operation: 'DELETE', group: 'fleet.cdk8s.io', resource: 'kubernetespools', name: 'prod-1-general', oldObject: pool }).allowed).toBe(false);
    const crd = (group: string) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `x.${group}` }, spec: { group } });
    const del = (group: string): AdmissionRequest => ({ operation: 'DELETE', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', name: `x.${group}`, oldObject: crd(group) });
    expect(admit(p, del('fleet.cdk8s.io')).allowed).toBe(false);
    expect(admit(p, del('example.com')).allowed).toBe(true);
  });

  test('ordinary creates and updates are allowed by every policy', () => {
    const create: AdmissionRequest = { operation: 'CREATE', group: 'apps', resource: 'deployments', namespace: 'feed', name: 'feed-api', object: deploy(3, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }) };
    const cm: AdmissionRequest = { operation: 'CREATE', group: '', resource: 'configmaps', namespace: 'feed', name: 'c', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'feed' } } };
    const update: AdmissionRequest = { ...create, operation: 'UPDATE', oldObject: create.object };
    const ns: AdmissionRequest = { operation: 'CREATE', group: '', resource: 'namespaces', name: 'feed', object: namespace({}) };
    for (const r of [create, cm, update, ns]) expect(inCluster(r, 'kruise-1')).toMatchObject({ allowed: true, denials: [] });
  });

  test('canary share: bounded by the stable replicas the synth records in the cluster\'s parameters', () => {
    const canaryObject = (replicas: number) => ({
      ...deploy(replicas),
      metadata: { name: 'feed-api-canary', namespace: 'feed', labels: { 'app.kubernetes.io/name': 'feed-api', 'fleet.cdk8s.io/track': 'canary' } },
    });
    const canary = (replicas: number, name = 'feed-api-canary'): AdmissionRequest => ({
      operation: 'CREATE', group: 'apps', resource: 'deployments', namespace: 'feed', name, object: { ...canaryObject(replicas), metadata: { ...canaryObject(replicas).metadata, name } },
    });
    const [policy, binding] = renderPolicy(guardrailPolicies(resolveGuardrailConfig(), { cluster: 'c', apiVersion: 'admissionregistration.k8s.io/v1beta1' })
      .find(x => x.rule === 'canary-percent')!, 'admissionregistration.k8s.io/v1beta1') as any[];
    const params = [guardrailParameters([{ namespace: 'feed', name: 'feed-api-canary', app: 'feed-api', stableReplicas: 90 }])];
    const run = (r: AdmissionRequest) => admit(policy, r, { binding, params });
    expect(run(canary(10))).toMatchObject({ allowed: true, errors: [] });
    expect(run(canary(30))).toMatchObject({ allowed: true, errors: [] }); // exactly 25%
    expect(run(canary(31))).toMatchObject({ allowed: false, errors: [] });
    expect(run(canary(31)).messages[0]).toMatch(/holds 31 of 121 pods of its app, above 25%; beside 90 stable replicas it may run at most 30$/);
    // a canary the synth never rendered has no recorded facts
    expect(run(canary(1, 'other-canary'))).toMatchObject({ allowed: false, errors: [] });
    expect(run(canary(1, 'other-canary')).messages[0]).toMatch(/recorded no canary feed\/other-canary/);
    // not a canary: the binding's objectSelector does not select it
    expect(run({ ...canary(50), object: deploy(50) })).toMatchObject({ matched: false, allowed: true });
    // parameters missing from the cluster: canaries fail (failurePolicy Fail), other workloads are not affected
    expect(admit(policy, canary(1), { binding, params: [] })).toMatchObject({ allowed: false });
    expect(admit(policy, { ...canary(50), object: deploy(50) }, { binding, params: [] })).toMatchObject({ matched: false, allowed: true });
  });

  test('recorded exemptions reach the cluster they name, and only that target', () => {
    const f = synthPolicies(x => new Guardrails(x.fleet, 'guardrails', {
      exemptions: [{ rule: 'max-surge', target: 'prod-1/feed/feed-api', reason: 'warm-up needs double capacity; agreed by platform team' }],
    }));
    const p = f.policy('prod-1', 'max-surge');
    expect(admit(p, surge('100%')).matched).toBe(false);
    expect(admit(p, { ...surge('100%'), name: 'other' }).allowed).toBe(false);
    expect(f.policy('hub', 'max-surge').spec.matchConditions.map((m: any) => m.name)).toEqual(['not-platform-user']);
  });

  test('platform groups are exempt when configured', () => {
    const f = synthPolicies(x => new Guardrails(x.fleet, 'guardrails', { platformGroups: ['fleet:controllers'] }));
    const p = f.policy('prod-1', 'scale-down');
    expect(admit(p, { ...scale(10), groups: ['system:authenticated', 'fleet:controllers'] }).matched).toBe(false);
    expect(admit(p, { ...scale(10), groups: ['system:authenticated'] }).allowed).toBe(false);
    expect(admit(p, scale(10)).allowed).toBe(false);
  });
});

describe('the cluster decides as the synth does (property)', () => {
  const V = 'admissionregistration.k8s.io/v1beta1';
  const rendered = (c: GuardrailConfig, rule: string) => {
    const [policy, binding] = renderPolicy(guardrailPolicies(c, { cluster: 'c', apiVersion: V }).find(x => x.rule === rule)!, V) as any[];
    return { policy, binding };
  };

  test('scale-down', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }).map(n => n / 1000), fc.nat(5000), fc.nat(5000), (fraction, before, after) => {
      const c = resolveGuardrailConfig({ maxScaleDownFraction: fraction });
      const { policy, binding } = rendered(c, 'scale-down');
      const r: AdmissionRequest = { operation: 'UPDATE', group: 'apps', resource: 'deployments', namespace: 'n', name: 'd', oldObject: deploy(before), object: deploy(after) };
      expect(admit(policy, r, { binding })).toMatchObject({ allowed: scaleDownAllowed(before, after, c), errors: [] });
      const del: AdmissionRequest = { operation: 'DELETE', group: 'apps', resource: 'deployments', namespace: 'n', name: 'd', oldObject: deploy(before) };
      expect(admit(policy, del, { binding })).toMatchObject({ allowed: scaleDownAllowed(before, 0, c), errors: [] });
    }), { numRuns: 300 });
  });

  test('maxSurge, percentages as Kubernetes parses them (leading zeros)', () => {
    const percent = fc.tuple(fc.nat(3), fc.nat(150)).map(([zeros, n]) => `${'0'.repeat(zeros)}${n}%`);
    const surgeArb = fc.oneof(fc.nat(300), percent, fc.constantFrom('+5%', '-5%', '5', '%', '5.5%', ' 5%'));
    fc.assert(fc.property(fc.nat(100), surgeArb, fc.nat(500), (bound, s, replicas) => {
      const c = resolveGuardrailConfig({ maxSurgePercent: bound });
      const { policy, binding } = rendered(c, 'max-surge');
      expect(admit(policy, surge(s, replicas), { binding })).toMatchObject({ allowed: surgeAllowed(s, replicas, bound), errors: [] });
    }), { numRuns: 300 });
  });

  test('canary share', () => {
    fc.assert(fc.property(fc.nat(100), fc.nat(1000), fc.nat(1000), (bound, canary, stable) => {
      const c = resolveGuardrailConfig({ maxCanaryPercent: bound });
      const { policy, binding } = rendered(c, 'canary-percent');
      const params = [guardrailParameters([{ namespace: 'n', name: 'c', app: 'a', stableReplicas: stable }])];
      const object = { ...deploy(canary), metadata: { name: 'c', namespace: 'n', labels: { 'fleet.cdk8s.io/track': 'canary' } } };
      const out = admit(policy, { operation: 'CREATE', group: 'apps', resource: 'deployments', namespace: 'n', name: 'c', object }, { binding, params });
      expect(out).toMatchObject({ allowed: canaryAllowed(canary, stable, bound), errors: [] });
      if (!out.allowed && bound < 100) {
        // the largest size the message names passes
        const most = Number(/at most ([0-9]+)$/.exec(out.messages[0])![1]);
        expect(canaryAllowed(most, stable, bound)).toBe(true);
        expect(canaryAllowed(most + 1, stable, bound)).toBe(false);
      }
    }), { numRuns: 300 });
  });
});
