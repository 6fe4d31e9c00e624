/**
 * The workload-kind table: its lookups, its paths against the real schemas,
 * and every reader of it through what it produces (the in-cluster guardrail
 * policies, the synth-time guardrails, the control plane's pod count, the plan
 * report, the rollout diagnosis).
 */
import { ApiObject } from 'cdk8s';
import { Cluster } from '../../src';
import { planReport } from '../../src/cli/plan-report';
import {
  OPENKRUISE_GROUP, WORKLOAD_KINDS, WorkloadKind, apiVersionOf, groupOf, rollingUpdateOf, workloadKind, workloadKindOf, workloadKindOfResource,
} from '../../src/core/workload-kinds';
import { GuardrailDefaults } from '../../src/guardrails/rules';
import { GUARDED_WORKLOAD_KINDS } from '../../src/guardrails/workload-objects';
import { parseOutputTree } from '../../src/synth/read';
import { diagnoseRollout } from '../../src/workloads/diagnose';
import { admitInCluster, AdmissionRequest } from '../guardrails/support';
import { smallFleet, synthErrors } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

const replicated = WORKLOAD_KINDS.filter(k => k.pods === 'replicas');
const rollingReplicated = replicated.filter(k => k.rollingUpdate !== undefined);
const label = (k: WorkloadKind) => `${k.group || 'core'}/${k.kind}`;
const nameOf = (k: WorkloadKind) => `${k.group === OPENKRUISE_GROUP ? 'kruise-' : ''}${k.kind.toLowerCase()}`;
/** Every (kind, served version) with a row of its own: the rendered version, then those whose rolling-update fields moved. */
const versioned = WORKLOAD_KINDS.flatMap(k => [k.version, ...Object.keys(k.rollingUpdateByVersion ?? {})].map(version => ({ k, version })));
const versionLabel = ({ k, version }: { k: WorkloadKind; version: string }) => `${label(k)} ${version}`;

function setAt(o: Record<string, any>, path: readonly string[], value: unknown): void {
  let cur = o;
  for (const key of path.slice(0, -1)) cur = (cur[key] ??= {});
  cur[path[path.length - 1]] = value;
}

interface Fields {
  readonly replicas?: number;
  readonly maxSurge?: number | string;
  readonly maxUnavailable?: number | string;
  readonly partition?: number;
  readonly labels?: Record<string, string>;
  readonly cpu?: string;
}

/** An object of a kind (at a served version), written at the table's paths only (plus what the kind's schema requires). */
function objectOf(k: WorkloadKind, f: Fields = {}, name = nameOf(k), version = k.version): Record<string, any> {
  const app = { 'app.kubernetes.io/name': name };
  const apiVersion = k.group === '' ? version : `${k.group}/${version}`;
  const o: Record<string, any> = {
    apiVersion,
    kind: k.kind,
    metadata: { name, namespace: 'feed', labels: { ...app, ...(f.labels ?? {}) } },
    spec: { selector: k.kind === 'ReplicationController' ? app : { matchLabels: app } },
  };
  if (k.kind === 'StatefulSet') o.spec.serviceName = name;
  setAt(o, k.podTemplatePath, {
    metadata: { labels: app },
    spec: { containers: [{ name: 'app', image: 'registry.internal/app:1.0.0', resources: { requests: { cpu: f.cpu ?? '100m', memory: '128Mi' } } }] },
  });
  if (f.replicas !== undefined && k.replicasPath) setAt(o, k.replicasPath, f.replicas);
  for (const field of ['maxSurge', 'maxUnavailable', 'partition'] as const) {
    const path = rollingUpdateOf(k, apiVersion)?.[field];
    if (path && f[field] !== undefined) setAt(o, path, f[field]);
  }
  return o;
}

describe('the workload-kind table', () => {
  test('every kind round-trips its lookups: by group and kind, by apiVersion and kind (any version), by group and resource', () => {
    for (const k of WORKLOAD_KINDS) {
      expect(workloadKind(k.group, k.kind)).toBe(k);
      expect(workloadKindOf({ apiVersion: apiVersionOf(k), kind: k.kind })).toBe(k);
      expect(groupOf(apiVersionOf(k))).toBe(k.group);
      expect(workloadKindOf({ apiVersion: k.group ? `${k.group}/v9` : 'v9', kind: k.kind })).toBe(k);
      expect(workloadKindOfResource(k.group, k.resource)).toBe(k);
    }
    expect(new Set(WORKLOAD_KINDS.map(k => `${k.group}|${k.kind}`)).size).toBe(WORKLOAD_KINDS.length);
    expect(new Set(WORKLOAD_KINDS.map(k => `${k.group}|${k.resource}`)).size).toBe(WORKLOAD_KINDS.length);
  });

  test('objects of other groups and kinds are not workloads', () => {
    expect(workloadKindOf({ apiVersion: 'v1', kind: 'Deployment' })).toBeUndefined();
    expect(workloadKindOf({ apiVersion: 'apps/v1', kind: 'ReplicationController' })).toBeUndefined();
    expect(workloadKindOf({ apiVersion: 'batch/v1', kind: 'Job' })).toBeUndefined();
    expect(workloadKindOf({ kind: 'Deployment' })).toBeUndefined();
    expect(workloadKindOfResource('apps', 'clonesets')).toBeUndefined();
  });

  test('a kind that counts by replicas has a replicas path, and only such a kind', () => {
    for (const k of WORKLOAD_KINDS) expect(k.replicasPath !== undefined).toBe(k.pods === 'replicas');
  });

  test('the guarded kinds are the replicated kinds that roll out; ReplicaSets are not (a Deployment scales them in every rollout)', () => {
    expect(GUARDED_WORKLOAD_KINDS).toEqual(rollingReplicated);
    expect(GUARDED_WORKLOAD_KINDS.map(label)).toEqual(['apps/Deployment', 'apps/StatefulSet', 'apps.kruise.io/CloneSet', 'apps.kruise.io/StatefulSet']);
    // the max-surge policy tells these kinds apart by resource alone
    const surgeResources = GUARDED_WORKLOAD_KINDS.filter(k => k.rollingUpdate?.maxSurge).map(k => k.resource);
    expect(new Set(surgeResources).size).toBe(surgeResources.length);
  });
});

describeWithSchemas('the table\'s paths, against the real schemas', () => {
  test('an object written at every path of its kind validates strictly, at every version with a row (Kubernetes 1.28 definitions, OpenKruise CRDs)', () => {
    const objects = versioned.map(({ k, version }) => objectOf(k, { replicas: 3, maxSurge: '25%', maxUnavailable: 1, partition: 0 }, nameOf(k), version));
    expect(objects.map(o => o.apiVersion)).toContain('apps.kruise.io/v1beta1');
    expect(validateAll(objects as never)).toEqual([]);
  });

  test('the check has teeth: a path a kind does not have, or a wrong type at a path, is reported', () => {
    const cloneSet = workloadKind(OPENKRUISE_GROUP, 'CloneSet')!;
    const deployment = workloadKind('apps', 'Deployment')!;
    const wrongPath = objectOf(cloneSet);
    setAt(wrongPath, deployment.rollingUpdate!.maxSurge!, '25%');
    const wrongType = objectOf(deployment);
    setAt(wrongType, deployment.rollingUpdate!.maxSurge!, { pods: 1 });
    const problems = validateAll([wrongPath, wrongType] as never);
    expect(problems.filter(p => p.startsWith('CloneSet/'))).toEqual(["CloneSet/feed/kruise-cloneset: /spec: must NOT have additional properties 'strategy'"]);
    expect(problems.filter(p => p.startsWith('Deployment/'))).toContain('Deployment/feed/deployment: /spec/strategy/rollingUpdate/maxSurge: must be integer');
  });
});

describe('the guardrails read the table', () => {
  const f = smallFleet();
  new Cluster(f.fleet, 'kruise-1', { region: 'lva1', openKruise: true });
  const objects = f.fleet.synthesize().objects.filter(o => o.cluster === 'kruise-1').map(o => o.object);
  const policy = (rule: string) => objects.find(o => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === `fleet-guardrails-${rule}`) as any;
  const resources = (rule: string) => (policy(rule).spec.matchConstraints.resourceRules as any[])
    .flatMap(r => (r.apiGroups as string[]).flatMap(g => (r.resources as string[]).map(x => `${g}/${x}`))).sort();
  const request = (k: WorkloadKind, r: Omit<AdmissionRequest, 'group' | 'resource' | 'namespace' | 'name'>): AdmissionRequest => ({
    group: k.group, resource: k.resource, namespace: 'feed', name: nameOf(k), ...r,
  });
  const inCluster = (r: AdmissionRequest) => {
    const out = admitInCluster(objects, r);
    expect(out.errors).toEqual([]);
    return out;
  };

  test('the in-cluster policies match every replicated kind that rolls out (and its scale subresource), and no other kind', () => {
    const expected = (withScale: boolean, kinds: readonly WorkloadKind[]) =>
      kinds.flatMap(k => [`${k.group}/${k.resource}`, ...(withScale ? [`${k.group}/${k.resource}/scale`] : [])]).sort();
    expect(resources('scale-down')).toEqual(expected(true, rollingReplicated));
    expect(resources('canary-percent')).toEqual(expected(true, rollingReplicated));
    expect(resources('max-surge')).toEqual(expected(false, rollingReplicated.filter(k => k.rollingUpdate?.maxSurge)));
  });

  test.each(rollingReplicated.map(k => [label(k), k] as const))('%s: a scale-down by 90%% is denied by the rendered policy, by 10%% admitted', (_, k) => {
    const scale = (to: number) => request(k, { operation: 'UPDATE', oldObject: objectOf(k, { replicas: 100 }), object: objectOf(k, { replicas: to }) });
    expect(inCluster(scale(10)).denials.join('\n')).toMatch(/fleet-guardrails-scale-down: scaling from 100 to 10 replicas/);
    expect(inCluster(scale(90)).allowed).toBe(true);
  });

  test.each(versioned.filter(({ k }) => GUARDED_WORKLOAD_KINDS.includes(k) && k.rollingUpdate?.maxSurge).map(v => [versionLabel(v), v] as const))(
    '%s: a maxSurge above the bound, at the path of the object\'s version, is denied by the rendered policy', (_, { k, version }) => {
      const create = (maxSurge: string) => request(k, { operation: 'CREATE', object: objectOf(k, { replicas: 10, maxSurge }, nameOf(k), version) });
      expect(inCluster(create('100%')).denials.join('\n')).toContain(`fleet-guardrails-max-surge: maxSurge may be at most ${GuardrailDefaults.MAX_SURGE_PERCENT}%`);
      expect(inCluster(create(`${GuardrailDefaults.MAX_SURGE_PERCENT}%`)).allowed).toBe(true);
    });

  test.each(rollingReplicated.map(k => [label(k), k] as const))('%s: a canary the synth did not render is denied by the rendered policy', (_, k) => {
    const out = inCluster(request(k, { operation: 'CREATE', object: objectOf(k, { replicas: 1, labels: { 'fleet.cdk8s.io/track': 'canary' } }) }));
    expect(out.denials.join('\n')).toMatch(/fleet-guardrails-canary-percent: the fleet's synth recorded no canary/);
  });

  test('a Deployment\'s rollout scaling its old ReplicaSet to 0 is not intercepted', () => {
    const rs = workloadKind('apps', 'ReplicaSet')!;
    const out = inCluster(request(rs, { operation: 'UPDATE', oldObject: objectOf(rs, { replicas: 100 }), object: objectOf(rs, { replicas: 0 }), username: 'system:serviceaccount:kube-system:deployment-controller' }));
    expect(out).toMatchObject({ allowed: true, matched: [] });
  });

  test('the synth-time guardrails bound maxSurge at every guarded kind\'s path', () => {
    const g = smallFleet();
    const cluster = new Cluster(g.fleet, 'kruise-1', { region: 'lva1', openKruise: true });
    cluster.addPool('general', { nodeProfile: g.general, capacity: 40 });
    for (const { k, version } of versioned) {
      const name = `${nameOf(k)}-${version}`;
      new ApiObject(cluster, name, objectOf(k, { replicas: 10, maxSurge: '100%' }, name, version) as never);
    }
    const surged = synthErrors(g.fleet).errors.filter(e => e.rule === 'guardrails.max-surge').map(e => e.message.split(' has maxSurge')[0]).sort();
    expect(surged).toEqual(versioned.filter(({ k }) => GUARDED_WORKLOAD_KINDS.includes(k) && k.rollingUpdate?.maxSurge)
      .map(({ k, version }) => `${k.kind} 'feed/${nameOf(k)}-${version}' in cluster 'kruise-1'`).sort());
    expect(surged).toContain("CloneSet 'feed/kruise-cloneset-v1beta1' in cluster 'kruise-1'");
  });
});

describe('the control plane and the plan report count the pods of every kind of the table', () => {
  const REPLICAS = 25_000;
  const fleetWithEveryKind = () => {
    const f = smallFleet();
    new ApiObject(f.cluster, 'ns-feed', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'feed' } });
    for (const k of WORKLOAD_KINDS) new ApiObject(f.cluster, nameOf(k), objectOf(k, { replicas: REPLICAS }) as never);
    return f;
  };

  test('the control plane counts replicas of every replicated kind and a pod per node of every per-node kind', () => {
    const nodes = 40;
    // besides the table's kinds: the log shipper the small fleet requires on its pool and kube-proxy, a pod per
    // node each, and the two serving-CSR approver replicas
    const pods = WORKLOAD_KINDS.reduce((n, k) => n + (k.pods === 'replicas' ? REPLICAS : nodes), 2 * nodes + 2);
    expect(pods).toBeGreaterThan(150_000);
    const e = synthErrors(fleetWithEveryKind().fleet).errors.find(x => x.rule === 'control-plane.threshold.pods');
    expect(e?.message).toContain(`has ${pods} pods`);
  });

  test('the plan report sums requests of every replicated kind (replicas) and of every per-node kind (nodes)', () => {
    const f = smallFleet();
    new ApiObject(f.cluster, 'ns-feed', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'feed' } });
    for (const k of WORKLOAD_KINDS) new ApiObject(f.cluster, nameOf(k), objectOf(k, { replicas: 2 }) as never);
    const report = planReport(parseOutputTree(f.fleet.synthesize().files));
    const feed = report.clusters.find(c => c.cluster === 'prod-1')!.namespaces.find(n => n.name === 'feed')!;
    const pods = WORKLOAD_KINDS.reduce((n, k) => n + (k.pods === 'replicas' ? 2 : 40), 0);
    expect(feed.requested).toEqual({ cpuMillis: pods * 100, memoryMiB: pods * 128, gpus: 0 });
  });
});

describe('the rollout diagnosis reads the table', () => {
  const status = (n: number) => ({ observedGeneration: 1, replicas: n, updatedReplicas: n, availableReplicas: n, readyReplicas: n });
  const live = (k: WorkloadKind) => {
    const o = objectOf(k, { replicas: 3 });
    return { ...o, metadata: { ...o.metadata, generation: 1 }, status: status(3) };
  };

  test.each(rollingReplicated.map(k => [label(k), k] as const))('%s: a complete rollout is healthy', (_, k) => {
    expect(diagnoseRollout(live(k))).toMatchObject({ verdict: 'healthy', summary: `Rollout complete: ${k.kind}/feed/${nameOf(k)} updated and available.` });
  });

  test('kinds that do not roll out by replicas are not diagnosed as rollouts; a ReplicaSet\'s (or ReplicationController\'s) ReplicaFailure is evidence', () => {
    for (const k of WORKLOAD_KINDS.filter(x => !rollingReplicated.includes(x))) {
      const failing = { ...live(k), status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden: exceeded quota: app-quota' }] } };
      const d = diagnoseRollout(failing);
      if (k.pods === 'replicas') expect(d.reasons.map(r => r.category)).toEqual(['infrastructure.quota']);
      else expect(d).toMatchObject({ verdict: 'unknown', reasons: [] });
    }
  });
});
