import fc from 'fast-check';
import { admitInCluster, AdmissionRequest } from './support';
import { Guardrails } from '../../src';
import { GUARDRAIL_OVERRIDE_ANNOTATION } from '../../src/guardrails/admission';
import { batchFleet } from '../jobs/support';
import { describeWithSchemas, validateAll } from '../support/schemas';

/** prod-1 runs Volcano, prod-2 Kueue; both on `version`. */
function synth(version: string, configure?: (f: ReturnType<typeof batchFleet>) => void) {
  const f = batchFleet({ fleet: { kubernetesVersion: version }, platform: { clusterSchedulers: { 'prod-2': 'kueue' } } });
  configure?.(f);
  const result = f.fleet.synthesize();
  const objects = (cluster: string) => result.objects.filter(o => o.cluster === cluster).map(o => o.object as any);
  const find = (cluster: string, kind: string, name: string) => objects(cluster).find(o => o.kind === kind && o.metadata.name === name);
  return { result, objects, find };
}

const v129 = synth('1.29.4');
const v128 = synth('1.28.9');
const POLICY = 'fleet-guardrails-batch-queue-shrink';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
/** The synthesized team queue of a cluster with a status, as the API server stores it. */
function stored(kind: 'Queue' | 'ClusterQueue', status: Record<string, unknown>, annotations?: Record<string, string>, s = v129) {
  const o = clone(s.find(kind === 'Queue' ? 'prod-1' : 'prod-2', kind, 'ml-training'));
  if (annotations) o.metadata.annotations = { ...(o.metadata.annotations ?? {}), ...annotations };
  return { ...o, status };
}
const group = (kind: 'Queue' | 'ClusterQueue') => (kind === 'Queue' ? 'scheduling.volcano.sh' : 'kueue.x-k8s.io');
const resource = (kind: 'Queue' | 'ClusterQueue') => (kind === 'Queue' ? 'queues' : 'clusterqueues');
const del = (kind: 'Queue' | 'ClusterQueue', oldObject: unknown, username?: string): AdmissionRequest =>
  ({ operation: 'DELETE', group: group(kind), resource: resource(kind), name: 'ml-training', oldObject, ...(username ? { username } : {}) });
const update = (kind: 'Queue' | 'ClusterQueue', oldObject: unknown, object: unknown): AdmissionRequest =>
  ({ operation: 'UPDATE', group: group(kind), resource: resource(kind), name: 'ml-training', oldObject, object });
const inCluster = (r: AdmissionRequest, s = v129) => {
  const out = admitInCluster(s.objects(r.group === 'kueue.x-k8s.io' ? 'prod-2' : 'prod-1'), r);
  expect(out.errors).toEqual([]);
  return out;
};
/** A Volcano Queue whose capability (and deserved) is `spec`. */
function volcano(base: any, field: 'capability' | 'deserved', values: Record<string, string | number>, annotations?: Record<string, string>) {
  const o = clone(base);
  o.spec[field] = values;
  if (annotations) o.metadata.annotations = { ...(o.metadata.annotations ?? {}), ...annotations };
  return o;
}
/** The Kueue ClusterQueue with the gpu flavor's resource `name` at `nominal` (removed when undefined). */
function kueue(base: any, name: string, nominal: string | number | undefined) {
  const o = clone(base);
  const gpu = o.spec.resourceGroups[0].flavors.find((f: any) => f.name === 'gpu');
  gpu.resources = gpu.resources.flatMap((r: any) => (r.name !== name ? [r] : nominal === undefined ? [] : [{ ...r, nominalQuota: nominal }]));
  return o;
}
const OVERRIDE = { [GUARDRAIL_OVERRIDE_ANNOTATION]: 'batch-queue-shrink:prod-1/ml-training' };

describeWithSchemas('the batch queue policy validates against the Kubernetes schemas', () => {
  test('Volcano and Kueue clusters, 1.28 (v1beta1) and 1.29', () => {
    for (const s of [v128, v129]) {
      for (const c of ['prod-1', 'prod-2']) {
        const mine = s.objects(c).filter(o => o.metadata.name === POLICY);
        expect(mine.map(o => o.kind)).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
        expect(validateAll(mine)).toEqual([]);
      }
    }
    // the hub runs no batch scheduler: no batch queue policy there
    expect(v129.find('hub', 'ValidatingAdmissionPolicy', POLICY)).toBeUndefined();
  });
});

describe('Volcano Queue: deleting one with work', () => {
  test('denied while the status shows running, pending, inqueue or unknown PodGroups; allowed when idle', () => {
    for (const field of ['running', 'pending', 'inqueue', 'unknown']) {
      const out = inCluster(del('Queue', stored('Queue', { [field]: 1, state: 'Open' })));
      expect(out.allowed).toBe(false);
      expect(out.denials).toEqual([`${POLICY}: deleting Queue ml-training while its status shows 1 running, pending, inqueue or unknown PodGroups takes their quota away; drain it first, or annotate it with ${GUARDRAIL_OVERRIDE_ANNOTATION}=batch-queue-shrink:prod-1/ml-training`]);
    }
    expect(inCluster(del('Queue', stored('Queue', { running: 0, completed: 40, state: 'Open' }))).allowed).toBe(true);
    expect(inCluster(del('Queue', stored('Queue', {}))).allowed).toBe(true);
    const { status: _, ...noStatus } = stored('Queue', {});
    expect(inCluster(del('Queue', noStatus)).allowed).toBe(true);
  });

  test('the override annotation on the stored queue, an exemption and the platform identities let it through', () => {
    const busy = { running: 3 };
    expect(inCluster(del('Queue', stored('Queue', busy, OVERRIDE))).allowed).toBe(true);
    // another queue's or another cluster's override does not
    expect(inCluster(del('Queue', stored('Queue', busy, { [GUARDRAIL_OVERRIDE_ANNOTATION]: 'batch-queue-shrink:prod-2/ml-training' }))).allowed).toBe(false);
    expect(inCluster(del('Queue', stored('Queue', busy, { [GUARDRAIL_OVERRIDE_ANNOTATION]: 'scale-down:prod-1/ml-training' }))).allowed).toBe(false);
    expect(inCluster(del('Queue', stored('Queue', busy), 'system:serviceaccount:kube-system:generic-garbage-collector')).allowed).toBe(true);
    const exempt = synth('1.29.4', f => new Guardrails(f.fleet, 'guardrails', {
      exemptions: [{ rule: 'batch-queue-shrink', target: 'prod-1/ml-training', reason: 'the ML team drains its own queue' }],
    }));
    expect(inCluster(del('Queue', stored('Queue', busy)), exempt).allowed).toBe(true);
    expect(inCluster({ ...del('Queue', { ...stored('Queue', busy), metadata: { name: 'data-etl' } }), name: 'data-etl' }, exempt).allowed).toBe(false);
  });

  test('configured as a warning, the client is warned and the request goes through', () => {
    const warn = synth('1.29.4', f => new Guardrails(f.fleet, 'guardrails', { severities: { 'batch-queue-shrink': 'warning' } }));
    const out = inCluster(del('Queue', stored('Queue', { running: 1 })), warn);
    expect(out.allowed).toBe(true);
    expect(out.warnings.join('\n')).toMatch(/deleting Queue ml-training while its status shows 1 running/);
  });
});

describe('Volcano Queue: lowering capability or deserved below what is allocated (Kubernetes 1.29+)', () => {
  const base = stored('Queue', { running: 2, allocated: { 'cpu': '700', 'memory': '5000Gi', 'nvidia.com/gpu': '100' } });

  test('below allocated is denied, naming the resource; above it, or growing, is allowed', () => {
    const out = inCluster(update('Queue', base, volcano(base, 'capability', { 'cpu': '1200', 'memory': '8800Gi', 'nvidia.com/gpu': '96' })));
    expect(out.allowed).toBe(false);
    expect(out.denials).toEqual([`${POLICY}: lowering the capability of Queue ml-training on nvidia.com/gpu to 96 is below what it has allocated (100); drain its jobs first, or annotate it with ${GUARDRAIL_OVERRIDE_ANNOTATION}=batch-queue-shrink:prod-1/ml-training`]);
    expect(inCluster(update('Queue', base, volcano(base, 'capability', { 'cpu': '700', 'memory': '5000Gi', 'nvidia.com/gpu': 100 }))).allowed).toBe(true);
    expect(inCluster(update('Queue', base, volcano(base, 'capability', { 'cpu': '2000', 'memory': '9000Gi', 'nvidia.com/gpu': '200' }))).allowed).toBe(true);
    // deserved too: its jobs beyond it are reclaimed
    expect(inCluster(update('Queue', base, volcano(base, 'deserved', { 'cpu': '500', 'memory': '4500Gi', 'nvidia.com/gpu': '96' }))).denials[0]).toMatch(/the deserved of Queue ml-training on cpu to 500 is below what it has allocated \(700\)/);
  });

  test('quantities compare as Kubernetes reads them: millicores, binary and decimal suffixes, exponents, ints', () => {
    const lower = (values: Record<string, string | number>) => inCluster(update('Queue', base, volcano(base, 'capability', values))).allowed;
    expect(lower({ cpu: '699999m' })).toBe(false);
    expect(lower({ cpu: '700000m' })).toBe(true);
    expect(lower({ cpu: '7e2' })).toBe(true);
    expect(lower({ memory: '5119999Mi' })).toBe(false); // 5000Gi = 5,120,000Mi
    expect(lower({ memory: '5120000Mi' })).toBe(true);
    expect(lower({ memory: '5368709120000' })).toBe(true); // bytes
    expect(lower({ memory: '5.3T' })).toBe(false); // 5.3e12 < 5000Gi (5.37e12)
    expect(lower({ 'nvidia.com/gpu': 99 })).toBe(false);
  });

  test('an update that lowers nothing passes even while the queue is over its capability; removing a resource lifts its cap', () => {
    const over = stored('Queue', { allocated: { cpu: '1300' } });
    const relabelled = clone(over);
    relabelled.metadata.labels = { ...relabelled.metadata.labels, team: 'ml' };
    expect(inCluster(update('Queue', over, relabelled)).allowed).toBe(true);
    expect(inCluster(update('Queue', over, volcano(over, 'capability', { 'memory': '8800Gi', 'nvidia.com/gpu': '160' }))).allowed).toBe(true);
    // a resource the stored capability leaves unlimited that the request caps below what is allocated
    const unlimited = volcano(over, 'capability', { memory: '8800Gi' });
    expect(inCluster(update('Queue', unlimited, volcano(over, 'capability', { memory: '8800Gi', cpu: '1000' }))).allowed).toBe(false);
  });

  test('the override annotation on the new queue lets a shrink through', () => {
    const shrunk = volcano(base, 'capability', { 'cpu': '100', 'memory': '8800Gi', 'nvidia.com/gpu': '160' }, OVERRIDE);
    expect(inCluster(update('Queue', base, shrunk)).allowed).toBe(true);
    // on the stored object only, it approves nothing for an UPDATE (the request must carry it)
    const annotated = { ...base, metadata: { ...base.metadata, annotations: OVERRIDE } };
    expect(inCluster(update('Queue', annotated, volcano(base, 'capability', { cpu: '100' }))).allowed).toBe(false);
  });

  test('property: denied exactly when the new capability is below both the old and what is allocated', () => {
    const cpu = fc.integer({ min: 0, max: 5_000_000 }); // millicores
    const form = fc.constantFrom('m', 'cores', 'int');
    const show = (m: number, f: string): string | number => (f === 'm' ? `${m}m` : f === 'int' && m % 1000 === 0 ? m / 1000 : m % 1000 === 0 ? String(m / 1000) : `${m}m`);
    fc.assert(fc.property(cpu, cpu, cpu, form, form, form, (before, after, allocated, f1, f2, f3) => {
      const old = volcano(stored('Queue', { allocated: { cpu: show(allocated, f3) } }), 'capability', { cpu: show(before, f1) });
      const next = volcano(old, 'capability', { cpu: show(after, f2) });
      const out = inCluster(update('Queue', old, next));
      return out.allowed === !(after < before && after < allocated);
    }), { numRuns: 300, seed: 18 });
  });
});

describe('Kueue ClusterQueue', () => {
  const usage = (cpu: string, gpus: number | string, list: 'flavorsUsage' | 'flavorsReservation' = 'flavorsUsage') => ({
    admittedWorkloads: 2,
    [list]: [{ name: 'gpu', resources: [{ name: 'cpu', total: cpu, borrowed: '0' }, { name: 'nvidia.com/gpu', total: gpus, borrowed: 0 }] }],
  });

  test('deleting one with admitted, reserving or pending workloads is denied; an idle one is not', () => {
    for (const field of ['admittedWorkloads', 'reservingWorkloads', 'pendingWorkloads']) {
      const out = inCluster(del('ClusterQueue', stored('ClusterQueue', { [field]: 4 })));
      expect(out.denials).toEqual([`${POLICY}: deleting ClusterQueue ml-training while its status shows 4 admitted, reserving or pending workloads takes their quota away; drain it first, or annotate it with ${GUARDRAIL_OVERRIDE_ANNOTATION}=batch-queue-shrink:prod-2/ml-training`]);
    }
    expect(inCluster(del('ClusterQueue', stored('ClusterQueue', { admittedWorkloads: 0 }))).allowed).toBe(true);
    expect(inCluster(del('ClusterQueue', stored('ClusterQueue', { admittedWorkloads: 1 }, { [GUARDRAIL_OVERRIDE_ANNOTATION]: 'batch-queue-shrink:prod-2/ml-training' }))).allowed).toBe(true);
  });

  test('lowering a nominal quota below what admitted workloads use or reserve is denied; above it, growing or an unused resource is allowed', () => {
    const base = stored('ClusterQueue', usage('500', 80));
    const out = inCluster(update('ClusterQueue', base, kueue(base, 'nvidia.com/gpu', '64')));
    expect(out.denials).toEqual([`${POLICY}: lowering the nominal quota of ClusterQueue ml-training below what its admitted workloads use or reserve preempts or evicts them; drain them first, or annotate it with ${GUARDRAIL_OVERRIDE_ANNOTATION}=batch-queue-shrink:prod-2/ml-training`]);
    expect(inCluster(update('ClusterQueue', base, kueue(base, 'nvidia.com/gpu', 80))).allowed).toBe(true);
    expect(inCluster(update('ClusterQueue', base, kueue(base, 'cpu', '499999m'))).allowed).toBe(false);
    expect(inCluster(update('ClusterQueue', base, kueue(base, 'cpu', '500'))).allowed).toBe(true);
    expect(inCluster(update('ClusterQueue', base, kueue(base, 'nvidia.com/gpu', '128'))).allowed).toBe(true);
    // memory is not used: lowering it is no shrink of anything admitted
    expect(inCluster(update('ClusterQueue', base, kueue(base, 'memory', '100Gi'))).allowed).toBe(true);
    // reservations count like usage
    const reserved = stored('ClusterQueue', usage('500', 80, 'flavorsReservation'));
    expect(inCluster(update('ClusterQueue', reserved, kueue(reserved, 'nvidia.com/gpu', '64'))).allowed).toBe(false);
  });

  test('removing a used resource (its quota becomes 0) is denied; removing an unused one is not; the override allows it', () => {
    const base = stored('ClusterQueue', usage('500', 80));
    expect(inCluster(update('ClusterQueue', base, kueue(base, 'nvidia.com/gpu', undefined))).allowed).toBe(false);
    expect(inCluster(update('ClusterQueue', base, kueue(base, 'memory', undefined))).allowed).toBe(true);
    const approved = kueue(base, 'nvidia.com/gpu', '8');
    approved.metadata.annotations = { [GUARDRAIL_OVERRIDE_ANNOTATION]: 'batch-queue-shrink:prod-2/ml-training' };
    expect(inCluster(update('ClusterQueue', base, approved)).allowed).toBe(true);
  });
});

describe('Kubernetes 1.28: no quantity library in CEL', () => {
  test('the policy guards deletions only, uses no quantity function, and says what it leaves to the synth', () => {
    for (const c of ['prod-1', 'prod-2']) {
      const policy = v128.find(c, 'ValidatingAdmissionPolicy', POLICY);
      expect(policy.spec.matchConstraints.resourceRules.map((r: any) => r.operations)).toEqual([['DELETE']]);
      expect(JSON.stringify(policy)).not.toMatch(/quantity\(/);
      expect(policy.metadata.annotations['fleet.cdk8s.io/not-enforced']).toMatch(/lowering a queue's quota below what it has allocated: the CEL quantity library this needs is served from Kubernetes 1\.29/);
      expect(JSON.stringify(v129.find(c, 'ValidatingAdmissionPolicy', POLICY).metadata.annotations)).not.toContain('not-enforced');
    }
    const warnings = v128.result.warnings.filter(w => w.rule === 'guardrails.admission.partial');
    expect(warnings.map(w => w.message)).toEqual(['prod-1', 'prod-2'].map(c =>
      `cluster '${c}' runs Kubernetes 1.28.9: its ${POLICY} policy does not enforce lowering a queue's quota below what it has allocated: the CEL quantity library this needs is served from Kubernetes 1.29; the synth's batch-queue-shrink rule still guards every shrink that comes through it`));
    expect(v129.result.warnings.filter(w => w.rule === 'guardrails.admission.partial')).toEqual([]);
    // the deletion check works there
    expect(inCluster(del('Queue', stored('Queue', { running: 1 }, undefined, v128)), v128).allowed).toBe(false);
    const shrink = stored('Queue', { allocated: { cpu: '1000' } }, undefined, v128);
    expect(inCluster(update('Queue', shrink, volcano(shrink, 'capability', { cpu: '1' })), v128).matched).toEqual([]);
  });
});
