/**
 * Every known walk-around of the in-cluster guardrails is a denied request,
 * next to the ordinary changes that must stay allowed. The requests are built
 * from the synthesized objects (the stored state of the cluster) and evaluated
 * against everything the cluster's output holds — policies, bindings and the
 * parameters they bind — by the real CEL engine with Kubernetes integer
 * semantics, as the API server evaluates them (see ./support.ts).
 */
import { AdmissionRequest, admitInCluster } from './support';
import { AppNamespace, Cluster, Cpu, DEFAULT_PLATFORM_IDENTITIES, Guardrails, LiDeployment, Size } from '../../src';
import { smallFleet } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

const APPLIER = 'system:serviceaccount:argocd:argocd-application-controller';
const HPA = 'system:serviceaccount:kube-system:horizontal-pod-autoscaler';
const TRACK = 'fleet.cdk8s.io/track';
const PROTECTED = 'fleet.cdk8s.io/protected';

function synth() {
  const f = smallFleet();
  new Cluster(f.fleet, 'kruise-1', { region: 'lva1', openKruise: true });
  new Guardrails(f.fleet, 'guardrails', { platformIdentities: [...DEFAULT_PLATFORM_IDENTITIES, APPLIER] });
  const feed = new AppNamespace(f.fleet, 'feed-ns', { app: 'feed', tenant: 'stateless', nodeProfile: f.general, cluster: f.cluster });
  new LiDeployment(feed, 'feed', {
    application: 'feed',
    version: { app: '1.42.0' },
    replicas: 100,
    resources: { cpu: Cpu.millis(500), memory: Size.gibibytes(1) },
    canary: { count: 10, version: { app: '1.43.0' } },
  });
  const result = f.fleet.synthesize();
  const objects = (cluster: string) => result.objects.filter(o => o.cluster === cluster).map(o => o.object as any);
  return { result, objects };
}

const S = synth();
const prod = S.objects('prod-1');
const find = (kind: string, name: string) => {
  const o = prod.find(x => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in prod-1`);
  return JSON.parse(JSON.stringify(o));
};
const stable = find('Deployment', 'feed');
const canary = find('Deployment', 'feed-canary');
const feedNs = find('Namespace', 'feed');

/** The outcome of a request in a cluster; a decision never comes from an evaluation error. */
function decide(r: AdmissionRequest, cluster = 'prod-1') {
  const out = admitInCluster(S.objects(cluster), r);
  expect(out.errors).toEqual([]);
  return out;
}

const withChanges = (o: any, change: (c: any) => void) => {
  const c = JSON.parse(JSON.stringify(o));
  change(c);
  return c;
};
const update = (old: any, change: (c: any) => void, username?: string): AdmissionRequest => ({
  operation: 'UPDATE', group: 'apps', resource: 'deployments', namespace: 'feed', name: old.metadata.name, oldObject: old, object: withChanges(old, change), username,
});
const del = (old: any, group: string, resource: string, username?: string): AdmissionRequest => ({
  operation: 'DELETE', group, resource, namespace: old.metadata.namespace, name: old.metadata.name, oldObject: old, username,
});
const scaleObj = (name: string, replicas: number) => ({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace: 'feed' }, spec: replicas ? { replicas } : {} });

test('the synthesized fleet is what the scenarios assume', () => {
  expect(stable.spec.replicas).toBe(100);
  expect(stable.metadata.labels[TRACK]).toBe('stable');
  expect(canary.spec.replicas).toBe(10);
  expect(canary.metadata.annotations?.['fleet.cdk8s.io/stable-replicas']).toBeUndefined(); // nothing on the canary decides its bound
  expect(feedNs.metadata.labels[PROTECTED]).toBe('true');
  expect(find('GuardrailParameters', 'fleet-guardrails').spec).toEqual({ canaries: { 'feed/feed-canary': { app: 'feed', stableReplicas: 100 } } });
});

describe('walk-arounds are denied', () => {
  test('1. stable 100 → 0 replicas while adding the canary track in the same request', () => {
    const out = decide(update(stable, c => {
      c.spec.replicas = 0;
      c.metadata.labels[TRACK] = 'canary';
    }));
    expect(out.allowed).toBe(false);
    expect(out.denials.join('\n')).toMatch(/track .* is fixed at creation: 'stable' cannot become 'canary'/);
    expect(out.denials.join('\n')).toMatch(/scaling from 100 to 0 replicas/);
  });

  test('1b. making a stable workload a canary first (then scaling it freely) is denied at the first step', () => {
    expect(decide(update(stable, c => { c.metadata.labels[TRACK] = 'canary'; })).allowed).toBe(false);
    expect(decide(update(stable, c => { delete c.metadata.labels[TRACK]; })).allowed).toBe(false);
    expect(decide(update(canary, c => { c.metadata.labels[TRACK] = 'stable'; })).allowed).toBe(false);
  });

  test('2. removing the protection label is guarded, and the delete that would follow stays denied', () => {
    const nsUpdate = (change: (c: any) => void): AdmissionRequest => ({ operation: 'UPDATE', group: '', resource: 'namespaces', name: 'feed', oldObject: feedNs, object: withChanges(feedNs, change) });
    const removed = decide(nsUpdate(c => { delete c.metadata.labels[PROTECTED]; }));
    expect(removed.allowed).toBe(false);
    expect(removed.denials[0]).toMatch(/removing the protection label fleet.cdk8s.io\/protected=true is itself a guarded change/);
    expect(decide(nsUpdate(c => { c.metadata.labels[PROTECTED] = 'false'; })).allowed).toBe(false);
    expect(decide({ operation: 'DELETE', group: '', resource: 'namespaces', name: 'feed', oldObject: feedNs }).allowed).toBe(false);
  });

  test('3. a canary cannot forge the facts of its bound (annotation, app label, a new name)', () => {
    const forged = decide(update(canary, c => {
      c.spec.replicas = 400; // 80% of the app's pods
      c.metadata.annotations = { ...(c.metadata.annotations ?? {}), 'fleet.cdk8s.io/stable-replicas': '1000000' };
    }));
    expect(forged.allowed).toBe(false);
    expect(forged.denials.join('\n')).toMatch(/holds 400 of 500 pods of its app, above 25%; beside 100 stable replicas it may run at most 33/);
    // claiming another app's stable track changes nothing: the facts are keyed by the canary's name
    expect(decide(update(canary, c => {
      c.spec.replicas = 400;
      c.metadata.labels['app.kubernetes.io/name'] = 'other-app';
    })).allowed).toBe(false);
    // a canary the synth never rendered has no facts at all
    const made = withChanges(canary, c => { c.metadata.name = 'feed-canary-2'; c.spec.replicas = 1; });
    expect(decide({ operation: 'CREATE', group: 'apps', resource: 'deployments', namespace: 'feed', name: 'feed-canary-2', object: made }).allowed).toBe(false);
  });

  test('3b. a canary cannot grow past the bound through the scale subresource (a Scale carries no labels)', () => {
    const scale = (to: number, username?: string): AdmissionRequest => ({
      operation: 'UPDATE',
      group: 'apps',
      resource: 'deployments',
      subResource: 'scale',
      namespace: 'feed',
      name: 'feed-canary',
      oldObject: scaleObj('feed-canary', 10),
      object: scaleObj('feed-canary', to),
      username,
    });
    const out = decide(scale(400));
    expect(out.allowed).toBe(false);
    expect(out.denials.join('\n')).toMatch(/holds 400 of 500 pods of its app, above 25%; beside 100 stable replicas it may run at most 33/);
    expect(decide(scale(33)).allowed).toBe(true);
    expect(decide(scale(34)).allowed).toBe(false);
    // the stable track scales through the subresource as before
    const stableUp: AdmissionRequest = { ...scale(400), name: 'feed', oldObject: scaleObj('feed', 100), object: scaleObj('feed', 400) };
    expect(decide(stableUp).allowed).toBe(true);
  });

  test('4. deleting a running Deployment, StatefulSet or CloneSet is scaling it to 0', () => {
    const out = decide(del(stable, 'apps', 'deployments'));
    expect(out.allowed).toBe(false);
    expect(out.denials[0]).toMatch(/deleting a workload with 100 replicas scales it to 0/);
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'feed', labels: {} }, spec: { replicas: 100 } };
    expect(decide(del(sts, 'apps', 'statefulsets')).allowed).toBe(false);
    const cs = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', metadata: { name: 'feed', namespace: 'feed', labels: { [TRACK]: 'stable' } }, spec: { replicas: 100 } };
    expect(decide(del(cs, 'apps.kruise.io', 'clonesets'), 'kruise-1').allowed).toBe(false);
    expect(decide(del({ ...cs, apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet' }, 'apps.kruise.io', 'statefulsets'), 'kruise-1').allowed).toBe(false);
  });

  test('5. deleting the CRD of any custom resource the fleet runs on (OpenKruise, the fleet\'s own)', () => {
    const crd = (name: string, group: string) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec: { group } });
    const delCrd = (name: string, group: string): AdmissionRequest => ({ operation: 'DELETE', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', name, oldObject: crd(name, group) });
    const kruise = decide(delCrd('clonesets.apps.kruise.io', 'apps.kruise.io'), 'kruise-1');
    expect(kruise.allowed).toBe(false);
    expect(kruise.denials[0]).toMatch(/clonesets.apps.kruise.io is protected against deletion: deleting it deletes every custom resource of apps.kruise.io/);
    expect(decide(delCrd('guardrailparameters.fleet.cdk8s.io', 'fleet.cdk8s.io')).allowed).toBe(false);
    expect(decide(delCrd('lideployments.fleet.cdk8s.io', 'fleet.cdk8s.io')).allowed).toBe(false);
    // the parameters themselves are fleet.cdk8s.io custom resources
    const params = find('GuardrailParameters', 'fleet-guardrails');
    expect(decide({ operation: 'DELETE', group: 'fleet.cdk8s.io', resource: 'guardrailparameters', name: 'fleet-guardrails', oldObject: params }).allowed).toBe(false);
    // a CRD nothing of the fleet uses may go
    expect(decide(delCrd('widgets.example.com', 'example.com'), 'kruise-1').allowed).toBe(true);
  });

  test('6. maxSurge as Kubernetes reads it: \'050%\' is 50% (allowed), \'051%\' is 51% (denied)', () => {
    const surge = (s: number | string) => update(stable, c => { c.spec.strategy.rollingUpdate.maxSurge = s; });
    expect(decide(surge('050%')).allowed).toBe(true);
    expect(decide(surge('0%')).allowed).toBe(true);
    expect(decide(surge('000%')).allowed).toBe(true);
    expect(decide(surge(50)).allowed).toBe(true);
    expect(decide(surge('051%')).allowed).toBe(false);
    expect(decide(surge('100%')).allowed).toBe(false);
    expect(decide(surge(51)).allowed).toBe(false);
  });
});

describe('ordinary changes are allowed', () => {
  test('the autoscaler scales the stable track, directly or through the scale subresource', () => {
    expect(decide(update(stable, c => { c.spec.replicas = 10; }, HPA)).allowed).toBe(true);
    const viaScale: AdmissionRequest = { operation: 'UPDATE', group: 'apps', resource: 'deployments', subResource: 'scale', namespace: 'feed', name: 'feed', oldObject: scaleObj('feed', 100), object: scaleObj('feed', 10), username: HPA };
    expect(decide(viaScale).allowed).toBe(true);
    // the same by a person is a scale-down beyond the bound
    expect(decide({ ...viaScale, username: undefined }).allowed).toBe(false);
  });

  test('the platform\'s deployer applies synth-approved changes, deletions included', () => {
    expect(decide(del(stable, 'apps', 'deployments', APPLIER)).allowed).toBe(true);
    expect(decide({ operation: 'DELETE', group: '', resource: 'namespaces', name: 'feed', oldObject: feedNs, username: APPLIER }).allowed).toBe(true);
  });

  test('a new version of the stable track, scaling within the bound, and scaling up', () => {
    expect(decide(update(stable, c => { c.spec.template.spec.containers[0].image = 'registry.internal/feed:1.44.0'; })).allowed).toBe(true);
    expect(decide(update(stable, c => { c.spec.replicas = 50; })).allowed).toBe(true);
    expect(decide(update(stable, c => { c.spec.replicas = 200; })).allowed).toBe(true);
    expect(decide(update(stable, c => { c.metadata.labels.team = 'feed'; })).allowed).toBe(true);
  });

  test('a new canary within the bound, and canaries shrinking or going away', () => {
    const created = withChanges(canary, c => { c.spec.replicas = 33; });
    expect(decide({ operation: 'CREATE', group: 'apps', resource: 'deployments', namespace: 'feed', name: 'feed-canary', object: created }).allowed).toBe(true);
    expect(decide({ operation: 'CREATE', group: 'apps', resource: 'deployments', namespace: 'feed', name: 'feed-canary', object: withChanges(created, c => { c.spec.replicas = 34; }) }).allowed).toBe(false);
    expect(decide(update(canary, c => { c.spec.replicas = 5; })).denials).toEqual([]);
    expect(decide(del(canary, 'apps', 'deployments')).allowed).toBe(true);
  });

  test('unprotected deletes: a ConfigMap, a pod, an unlabelled namespace, a workload at 0 replicas', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'feed' } };
    expect(decide(del(cm, '', 'configmaps')).allowed).toBe(true);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'feed-abc', namespace: 'feed', labels: { [TRACK]: 'stable' } }, spec: {} };
    expect(decide(del(pod, '', 'pods')).matched).toEqual([]);
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'scratch', labels: {} } };
    expect(decide({ operation: 'DELETE', group: '', resource: 'namespaces', name: 'scratch', oldObject: ns }).allowed).toBe(true);
    expect(decide(del(withChanges(stable, c => { c.spec.replicas = 0; }), 'apps', 'deployments')).allowed).toBe(true);
  });

  test('no policy applies where Kubernetes and the platform heal themselves (kube-system, kube-node-lease, the platform namespace)', () => {
    const dns = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: 'kube-system', labels: { [PROTECTED]: 'true' } }, spec: { replicas: 2 } };
    expect(decide({ operation: 'DELETE', group: 'apps', resource: 'deployments', namespace: 'kube-system', name: 'coredns', oldObject: dns }).matched).toEqual([]);
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease', labels: { [PROTECTED]: 'true' } } };
    expect(decide({ operation: 'UPDATE', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'node-1', oldObject: lease, object: withChanges(lease, c => { c.metadata.labels = {}; }) }).matched).toEqual([]);
    const agent = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'controller', namespace: 'fleet-system', labels: {} }, spec: { replicas: 4 } };
    expect(decide({ operation: 'UPDATE', group: 'apps', resource: 'deployments', namespace: 'fleet-system', name: 'controller', oldObject: agent, object: withChanges(agent, c => { c.spec.replicas = 0; }) }).matched).toEqual([]);
    // the platform namespace itself stays protected: deleting it would remove every node agent
    const system = find('Namespace', 'fleet-system');
    expect(system.metadata.labels[PROTECTED]).toBe('true');
    expect(decide({ operation: 'DELETE', group: '', resource: 'namespaces', name: 'fleet-system', oldObject: system }).allowed).toBe(false);
  });
});

test('expressions of policies that see DELETE (object null) or CREATE (oldObject null) guard the null object', () => {
  // cel-go fails a field selection on null, where the test engine returns false for has(): guard explicitly
  for (const p of prod.filter(o => o.kind === 'ValidatingAdmissionPolicy')) {
    const ops = new Set(p.spec.matchConstraints.resourceRules.flatMap((r: any) => r.operations));
    const exprs = [...(p.spec.matchConditions ?? []), ...(p.spec.variables ?? []), ...p.spec.validations]
      .flatMap((e: any) => [e.expression, e.messageExpression].filter(Boolean));
    for (const e of exprs as string[]) {
      // params is declared only for a policy with a paramKind
      if (!p.spec.paramKind) expect(e).not.toMatch(/(?<![A-Za-z.])params\./);
      if (ops.has('DELETE') && /(?<![A-Za-z])object\./.test(e)) expect(e).toContain('object != null');
      if (ops.has('CREATE') && /oldObject\./.test(e)) expect(e).toContain('oldObject != null');
    }
  }
});

describeWithSchemas('the scenarios\' policies, bindings and parameters are schema-valid', () => {
  test('against Kubernetes v1.28.0 (strict) and their CRD', () => {
    const objs = S.result.objects.filter(o => o.cluster === 'prod-1' && (o.object.apiVersion.startsWith('admissionregistration')
      || o.object.kind === 'GuardrailParameters' || o.object.metadata.name === 'guardrailparameters.fleet.cdk8s.io'));
    expect(objs.map(o => o.object.metadata.name)).toContain('fleet-guardrails-canary-percent-scale');
    expect(validateAll(objs)).toEqual([]);
  });
});
