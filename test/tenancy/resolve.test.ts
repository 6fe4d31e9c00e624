/**
 * Every app namespace is resolved once into a spec with its defaults applied;
 * the later stages read only specs. Props and (later) verbs are one list per
 * concept. Bad props are reported once, with path, rule and fix, and the
 * namespace gets no spec.
 */
import { TestWorkload, twoClusterFleet } from './support';
import { AppNamespace, Cpu, Fleet, HubCluster, PlacementLock, Size } from '../../src';
import { clustersLayer } from '../../src/clusters/layer';
import { Violations } from '../../src/core/errors';
import { FleetModel } from '../../src/core/model';
import { guardrailPolicyLayer } from '../../src/guardrails/policy';
import { machinesLayer } from '../../src/machines/layer';
import { AnyLayer } from '../../src/synth/layer';
import { resolveNamespace, resolvePlacementLock, TenancyFacts } from '../../src/tenancy/resolve';

/** The specs of the layers below tenancy that resolving a namespace reads. */
function factsOf(fleet: Fleet): TenancyFacts {
  const model = new FleetModel(fleet);
  const v = new Violations();
  const spec = {} as TenancyFacts & Record<string, unknown>;
  for (const layer of [guardrailPolicyLayer, machinesLayer, clustersLayer] as AnyLayer[]) Object.assign(spec, layer.resolve?.(model, spec, v));
  expect(v.all()).toEqual([]);
  return spec;
}

describe('resolveNamespace', () => {
  test('applies every default once: namespace name, Pod Security, network policy, headroom, owners', () => {
    const f = twoClusterFleet();
    const ns = new AppNamespace(f.fleet, 'feed', { app: 'feed', tenant: 'stateless', nodeProfile: 'general', owners: ['team-b', 'team-a', 'team-b'] });
    new TestWorkload(ns, 'w', { replicas: 2, cpuMillis: 100, memoryMiB: 128 });
    const v = new Violations();
    const spec = resolveNamespace(ns, factsOf(f.fleet), v)!;
    expect(v.all()).toEqual([]);
    expect(spec).toMatchObject({
      app: 'feed',
      namespace: 'feed',
      tenant: 'stateless',
      owners: ['team-a', 'team-b'],
      authorization: [],
      network: { allowWithinNamespace: true, allowDns: true, ingress: [], egress: [] },
      podSecurity: 'restricted',
      quotaHeadroomPercent: 10,
    });
    expect(spec.nodeProfile.name).toBe('general');
    expect(spec.nodeProfile.construct).toBe(f.general);
    expect(spec.podSecurityReason).toBeUndefined();
    expect(spec.reserve).toBeUndefined();
    expect(spec.cluster).toBeUndefined();
    expect(spec.workloads).toHaveLength(1);
  });

  test('resolves the pinned cluster, the reserve as amounts, service-account namespaces and port protocols', () => {
    const f = twoClusterFleet();
    const ns = new AppNamespace(f.fleet, 'db', {
      app: 'db',
      tenant: 'stateful',
      nodeProfile: f.general,
      namespace: 'db-prod',
      cluster: f.b,
      reserve: { cpu: Cpu.millis(1500), memory: Size.gibibytes(2), pods: 3 },
      authorization: [{ role: 'deployer', groups: ['db-team'], serviceAccounts: [{ name: 'ci' }, { name: 'argo', namespace: 'cd' }] }],
      network: { allowDns: false, ingress: [{ apps: ['feed'], ports: [{ port: 5432 }] }], egress: [{ cidrs: ['10.0.0.0/8'], ports: [{ port: 53, protocol: 'UDP' }] }] },
    });
    const v = new Violations();
    const spec = resolveNamespace(ns, factsOf(f.fleet), v)!;
    expect(v.all()).toEqual([]);
    expect(spec.cluster?.name).toBe('west-1');
    expect(spec.reserve).toEqual({ resources: { cpuMillis: 1500, memoryMiB: 2048, gpus: 0 }, pods: 3 });
    expect(spec.authorization).toEqual([{
      at: 'authorization[0]',
      role: 'deployer',
      groups: ['db-team'],
      users: [],
      serviceAccounts: [{ name: 'ci', namespace: 'db-prod' }, { name: 'argo', namespace: 'cd' }],
    }]);
    expect(spec.network).toEqual({
      allowWithinNamespace: true,
      allowDns: false,
      ingress: [{ at: 'network.ingress[0]', direction: 'ingress', apps: ['feed'], namespaces: [], cidrs: [], ports: [{ port: 5432, protocol: 'TCP' }] }],
      egress: [{ at: 'network.egress[0]', direction: 'egress', apps: [], namespaces: [], cidrs: ['10.0.0.0/8'], ports: [{ port: 53, protocol: 'UDP' }] }],
    });
  });

  test('a baseline namespace keeps its reason; a restricted one records none', () => {
    const f = twoClusterFleet();
    const base = new AppNamespace(f.fleet, 'legacy', { app: 'legacy', tenant: 'stateful', nodeProfile: 'general', podSecurity: 'baseline', podSecurityReason: 'needs NET_RAW' });
    const strict = new AppNamespace(f.fleet, 'strict', { app: 'strict', tenant: 'stateless', nodeProfile: 'general', podSecurityReason: 'ignored' });
    const v = new Violations();
    const facts = factsOf(f.fleet);
    const b = resolveNamespace(base, facts, v);
    const s = resolveNamespace(strict, facts, v);
    expect(v.all().filter(x => x.severity === 'error')).toEqual([]);
    expect(b?.podSecurity).toBe('baseline');
    expect(b?.podSecurityReason).toBe('needs NET_RAW');
    expect(s?.podSecurityReason).toBeUndefined();
  });

  test.each([
    ['tenant', { tenant: 'gold' }, 'tenancy.tenant.known', 'tenant class \'gold\' is unknown', 'use one of:'],
    ['node profile', { nodeProfile: 'tiny' }, 'tenancy.node-profile.known', 'node profile \'tiny\' is not declared', 'use one of: general, gpu'],
    ['headroom', { quotaHeadroomPercent: 900 }, 'tenancy.quota.headroom', 'quotaHeadroomPercent is 900', 'between 0 and 500'],
    ['reserve', { reserve: { pods: 1.5 } }, 'tenancy.reserve.whole', 'reserve.gpus and reserve.pods', 'whole GPUs and pods'],
    ['owner', { owners: [' '] }, 'tenancy.owners', 'an owner is empty', 'name each owner'],
    ['role', { authorization: [{ role: 'root', groups: ['x'] }] }, 'tenancy.rbac.role.known', 'authorization[0] names unknown role \'root\'', 'viewer, deployer, admin'],
    ['subjects', { authorization: [{ role: 'viewer' }] }, 'tenancy.rbac.subjects', 'authorization[0] grants \'viewer\' to nobody', 'list groups'],
    ['port', { network: { ingress: [{ cidrs: ['10.0.0.0/8'], ports: [{ port: 70000 }] }] } }, 'tenancy.network.port', 'network.ingress[0]: port 70000', 'between 1 and 65535'],
    ['type', { owners: 'me' }, 'tenancy.props.type', 'owners', 'the type its documentation states'],
    ['nested type', { network: { egress: [{ cidrs: [1] }] } }, 'tenancy.props.type', 'network.egress[0].cidrs', 'the type its documentation states'],
  ])('a bad %s is reported once, with path, rule and fix, and the namespace gets no spec', (_what, bad, rule, message, fix) => {
    const f = twoClusterFleet();
    const ns = new AppNamespace(f.fleet, 'app', { app: 'app', tenant: 'stateless', nodeProfile: 'general', ...bad } as never);
    const v = new Violations();
    expect(resolveNamespace(ns, factsOf(f.fleet), v)).toBeUndefined();
    const errors = v.all().filter(x => x.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'app', rule });
    expect(errors[0].message).toContain(message);
    expect(errors[0].fix).toContain(fix);
  });

  test('pinning to the hub or to another fleet\'s cluster is reported', () => {
    const f = twoClusterFleet();
    const other = twoClusterFleet();
    const facts = factsOf(f.fleet);
    const v = new Violations();
    expect(f.fleet.hub).toBeInstanceOf(HubCluster);
    expect(resolveNamespace(new AppNamespace(f.fleet, 'h', { app: 'h', tenant: 'stateless', nodeProfile: 'general', cluster: f.fleet.hub }), facts, v)).toBeUndefined();
    expect(resolveNamespace(new AppNamespace(f.fleet, 'o', { app: 'o', tenant: 'stateless', nodeProfile: 'general', cluster: other.a }), facts, v)).toBeUndefined();
    expect(v.all().map(x => `${x.path} ${x.rule}`)).toEqual(['h tenancy.routing.pinned-hub', 'o tenancy.routing.pinned-unknown']);
  });
});

describe('resolvePlacementLock', () => {
  test('resolves inline placements and the file; a bad placement is reported and the lock gets no spec', () => {
    const f = twoClusterFleet();
    const good = new PlacementLock(f.fleet, 'lock', { placements: { feed: { cluster: 'east-1', namespace: 'feed', nodeProfile: 'general' } } });
    const v = new Violations();
    const spec = resolvePlacementLock(good, v)!;
    expect(v.all()).toEqual([]);
    expect(spec.file).toBeUndefined();
    expect([...spec.placements]).toEqual([['feed', { cluster: 'east-1', namespace: 'feed', nodeProfile: 'general' }]]);
    const bad = new PlacementLock(f.fleet, 'bad', { placements: { feed: { cluster: 'East 1', namespace: 'feed', nodeProfile: 'general' } } });
    expect(resolvePlacementLock(bad, v)).toBeUndefined();
    expect(v.all().map(x => `${x.path} ${x.rule}`)).toEqual(['bad tenancy.lock.placement']);
  });
});
