/**
 * Every workload is resolved once into a spec with its defaults applied; the
 * later stages read only specs. Bad props are reported once, with path, rule
 * and fix, and the workload is then skipped by the checks across constructs.
 */
import { FEED, TEST_TEMPLATE, workloadFleet } from './support';
import { AppNamespace, Cpu, LiDeployment, LiStatefulSet, LiStatefulSetProps, Size } from '../../src';
import { Violations } from '../../src/core/errors';
import { resolveDeployment, resolveStatefulSet } from '../../src/workloads/resolve';
import { resolvePods } from '../../src/workloads/rollout';
import { synthErrors } from '../support/fleet';

const DB: LiStatefulSetProps = {
  application: 'db',
  version: { app: '1.0.0' },
  replicas: 3,
  resources: { cpu: Cpu.units(2), memory: Size.gibibytes(8) },
  storage: Size.tebibytes(2),
  acmEndpoint: 'https://acm.internal/clusters/db',
};

describe('resolveDeployment', () => {
  test('applies every default once: ports, rollout, minReadySeconds, config version, service account token', () => {
    const f = workloadFleet();
    const d = new LiDeployment(f.ns, 'feed', { ...FEED, version: { app: '1.42.0' } });
    const v = new Violations();
    const spec = resolveDeployment(d, 25, v)!;
    expect(v.all()).toEqual([]);
    expect(spec).toMatchObject({
      kind: 'deployment',
      application: 'feed',
      namespace: f.ns,
      version: { app: '1.42.0', config: '1.42.0' },
      ports: [{ name: 'http', port: 8080 }],
      maxSurge: '25%',
      maxUnavailable: '10%',
      minReadySeconds: 10,
      automountServiceAccountToken: false,
      env: {},
      labels: {},
      annotations: {},
      budget: { cpuMillis: 2000, memoryMiB: 4096, gpus: 0 },
    });
    expect(spec.canary).toBeUndefined();
  });

  test('the construct\'s getters read the same defaults as its spec (tenancy reads demand through the getter)', () => {
    const f = workloadFleet();
    const plain = new LiDeployment(f.ns, 'plain', { ...FEED, application: 'plain', replicas: 10 });
    const tuned = new LiDeployment(f.ns, 'tuned', { ...FEED, application: 'tuned', replicas: 10, maxSurge: 3, ports: [{ name: 'grpc', port: 9090 }], canary: { count: 2, version: { app: '1.43.0' } } });
    for (const d of [plain, tuned]) {
      const spec = resolveDeployment(d, 25, new Violations())!;
      expect(d.ports).toEqual(spec.ports);
      const surgeOf = (pods: number) => resolvePods(spec.maxSurge, pods, 'up');
      expect(d.workloadDemand.surgePods).toBe(surgeOf(spec.replicas) + (spec.canary ? surgeOf(spec.canary.replicas) : 0));
      expect(d.workloadDemand.pods).toBe(spec.replicas + (spec.canary?.replicas ?? 0));
      expect(d.workloadDemand.podRequests).toEqual(spec.budget);
    }
    expect(plain.workloadDemand.surgePods).toBe(3); // 25% of 10, rounded up
    expect(tuned.workloadDemand.surgePods).toBe(6); // 3 for the stable workload, 3 (more than its 2 pods) for the canary
  });

  test('resolves the canary: its name, pods and merged config', () => {
    const f = workloadFleet();
    const d = new LiDeployment(f.ns, 'feed', { ...FEED, canary: { count: 2, version: { app: '1.43.0' }, config: { 'log-level': 'debug' } } });
    const spec = resolveDeployment(d, 25, new Violations())!;
    expect(spec.canary).toEqual({
      name: 'feed-canary',
      version: { app: '1.43.0', config: '1.43.0' },
      replicas: 2,
      config: { 'feed.properties': 'ranking.model=v12\n', 'log-level': 'debug' },
    });
  });

  test('a bad prop is reported with path, rule and fix, and gives no spec', () => {
    const f = workloadFleet();
    const d = new LiDeployment(f.ns, 'feed', { ...FEED, minReadySeconds: -1 });
    const v = new Violations();
    expect(resolveDeployment(d, 25, v)).toBeUndefined();
    expect(v.all().map(x => [x.path, x.rule, x.message, x.fix])).toEqual([
      ['feed-ns/feed', 'workload.min-ready-seconds', 'minReadySeconds is -1', 'use a whole number of seconds, 0 or more'],
    ]);
  });

  test('the canary bound is the guardrails\' one, given to resolve', () => {
    const f = workloadFleet();
    const d = new LiDeployment(f.ns, 'feed', { ...FEED, replicas: 10, canary: { count: 4, version: { app: '2.0.0' } } });
    const v = new Violations();
    expect(resolveDeployment(d, 25, v)).toBeUndefined();
    expect(v.all().map(x => x.rule)).toEqual(['workload.canary.bound']);
    expect(resolveDeployment(d, 30, new Violations())).toBeDefined();
  });
});

describe('resolveStatefulSet', () => {
  test('applies the default port and data mount path once; storage in MiB', () => {
    const f = workloadFleet();
    const ns = new AppNamespace(f.fleet, 'db', { app: 'db', tenant: 'stateful', nodeProfile: f.ssd });
    const spec = resolveStatefulSet(new LiStatefulSet(ns, 'db', DB), new Violations())!;
    expect(spec).toMatchObject({
      kind: 'stateful',
      ports: [{ name: 'http', port: 8080 }],
      dataMountPath: '/data',
      storageMiB: 2 * 1024 * 1024,
      acmEndpoint: 'https://acm.internal/clusters/db',
      version: { app: '1.0.0', config: '1.0.0' },
    });
  });

  test('bad props are reported once each, and give no spec', () => {
    const f = workloadFleet();
    const ns = new AppNamespace(f.fleet, 'db', { app: 'db', tenant: 'stateful', nodeProfile: f.ssd });
    const v = new Violations();
    expect(resolveStatefulSet(new LiStatefulSet(ns, 'db', { ...DB, dataMountPath: '/tmp', acmEndpoint: 'acm' }), v)).toBeUndefined();
    expect(v.all().map(x => [x.path, x.rule])).toEqual([
      ['db/db', 'workload.stateful.acm-endpoint'],
      ['db/db', 'workload.stateful.mount-path'],
    ]);
    for (const x of v.all()) expect(x.fix.length).toBeGreaterThan(0);
  });
});

describe('regression: a default port that clashes with a platform sidecar', () => {
  const template = {
    ...TEST_TEMPLATE,
    sidecars: [{
      name: 'metrics',
      image: 'registry.internal/platform/metrics:1.0.0',
      resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) },
      ports: [{ name: 'metrics', containerPort: 8080 }],
    }],
  };
  const message = 'port http/8080 collides with platform sidecar port metrics/8080 (platform pod template of cluster \'prod-1\'); the app cannot override it';

  test('a LiStatefulSet with the default ports is rejected, as a LiDeployment is, with the same wording', () => {
    const f = workloadFleet({ template });
    const ns = new AppNamespace(f.fleet, 'db', { app: 'db', tenant: 'stateful', nodeProfile: f.ssd });
    new LiStatefulSet(ns, 'db', DB);
    new LiDeployment(f.ns, 'feed', FEED);
    const e = synthErrors(f.fleet);
    expect(e.errors.map(x => [x.path, x.rule, x.message])).toEqual([
      ['db/db', 'workload.platform-owned', message],
      ['feed-ns/feed', 'workload.platform-owned', message],
    ]);
  });
});
