import * as fs from 'fs';
import * as path from 'path';
import { TestWorkload, twoClusterFleet } from './support';
import { AppNamespace, Cpu, NodeProfile, PLACEMENT_RECORD_FILE, PlacementLock, Size, fleetCapacityReport, updatePlacementLock } from '../../src';
import { DEFAULT_KUBE_PROXY_CPU_MILLIS, DEFAULT_KUBE_PROXY_MEMORY_MIB } from '../../src/clusters/kube-proxy';
import { readTree, synthErrors, tmpOutdir } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

function onboardSample() {
  const f = twoClusterFleet();
  const feed = new AppNamespace(f.fleet, 'feed', {
    app: 'feed',
    tenant: 'stateless',
    nodeProfile: f.general,
    owners: ['feed-team', 'alice@example.com'],
    authorization: [{ role: 'viewer', groups: ['engineering'] }, { role: 'deployer', groups: ['feed-team'] }],
    network: {
      ingress: [{ namespaces: ['ingress-gateway'], ports: [{ port: 8080 }] }, { apps: ['profile'] }],
      egress: [{ apps: ['profile'], ports: [{ port: 8443 }] }, { cidrs: ['10.20.0.0/16'], ports: [{ port: 5432 }] }],
    },
    cluster: f.a,
  });
  new TestWorkload(feed, 'web', { replicas: 10, canaries: 2, surge: 2, cpuMillis: 500, memoryMiB: 1024 });
  new AppNamespace(f.fleet, 'profile', { app: 'profile', tenant: 'stateful', nodeProfile: 'general', cluster: f.a, reserve: { cpu: Cpu.units(2), memory: Size.gibibytes(4), pods: 4 } });
  new AppNamespace(f.fleet, 'etl', {
    app: 'etl',
    tenant: 'batch',
    nodeProfile: f.gpu,
    podSecurity: 'baseline',
    podSecurityReason: 'vendor CUDA image needs a fixed root group',
    reserve: { cpu: Cpu.units(8), memory: Size.gibibytes(64), gpus: 4, pods: 8 },
    quotaHeadroomPercent: 0,
  });
  return f;
}

const sample = onboardSample();
const result = sample.fleet.synthesize();
const obj = (file: string) => result.objects.find(o => o.file === file)?.object as any;

describeWithSchemas('tenancy output is schema-valid', () => {
  test('every object validates strictly against Kubernetes v1.28.0 and the generated CRDs (CEL rules included)', () => {
    expect(validateAll(result.objects)).toEqual([]);
  });
});

describe('namespace objects', () => {
  test('the Namespace carries app, tenant and node profile labels, restricted Pod Security and its owners', () => {
    const ns = obj('east-1/cluster/namespace-feed.yaml');
    expect(ns.metadata.labels).toMatchObject({
      'fleet.cdk8s.io/app': 'feed',
      'fleet.cdk8s.io/tenant': 'stateless',
      'fleet.cdk8s.io/node-profile': 'general',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(ns.metadata.annotations).toEqual({ 'fleet.cdk8s.io/owners': 'alice@example.com,feed-team' });
  });

  test('a batch tenant may run baseline, with its reason visible; audit and warn stay restricted', () => {
    const ns = obj('west-1/cluster/namespace-etl.yaml');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(ns.metadata.annotations['fleet.cdk8s.io/pod-security-exception']).toBe('vendor CUDA image needs a fixed root group');
  });

  test('the ResourceQuota is sized from the workloads, canaries and surge included, plus 10% headroom', () => {
    // (10 replicas + 2 canaries + 2 surge) x (500m, 1Gi) = 7 CPUs, 14Gi, 14 pods; +10%
    expect(obj('east-1/namespaces/feed/resourcequota-app-quota.yaml').spec.hard).toEqual({
      'requests.cpu': '7700m',
      'requests.memory': '15770Mi',
      'requests.nvidia.com/gpu': '0',
      'pods': '16',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
    expect(obj('west-1/namespaces/etl/resourcequota-app-quota.yaml').spec.hard).toMatchObject({ 'requests.cpu': '8', 'requests.memory': '64Gi', 'requests.nvidia.com/gpu': '4', 'pods': '8' });
  });

  test('the LimitRange gives default requests and caps a container at what one node holds next to its agents', () => {
    const lr = obj('east-1/namespaces/feed/limitrange-app-limits.yaml');
    const alloc = result.spec.machines.of(sample.general)!.allocatable;
    // on every node: the pool's agent (100m, 128Mi) and the cluster's kube-proxy (its default request)
    const agentsCpu = 100 + DEFAULT_KUBE_PROXY_CPU_MILLIS;
    const agentsMemory = 128 + DEFAULT_KUBE_PROXY_MEMORY_MIB;
    expect(lr.spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      max: { cpu: `${alloc.cpuMillis - agentsCpu}m`, memory: `${alloc.memoryMiB - agentsMemory}Mi` },
    }]);
  });

  test('network: default-deny, in-namespace and DNS, then exactly the declared allowances', () => {
    const files = result.objects.filter(o => o.object.kind === 'NetworkPolicy' && o.object.metadata.namespace === 'feed').map(o => o.object.metadata.name).sort();
    expect(files).toEqual(['allow-declared-egress', 'allow-declared-ingress', 'allow-dns', 'allow-within-namespace', 'default-deny']);
    expect(obj('east-1/namespaces/feed/networkpolicy-default-deny.yaml').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(obj('east-1/namespaces/feed/networkpolicy-allow-declared-ingress.yaml').spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-gateway' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'profile' } } }] },
    ]);
    expect(obj('east-1/namespaces/feed/networkpolicy-allow-declared-egress.yaml').spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'profile' } } }], ports: [{ port: 8443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
    // profile declares nothing: only the defaults
    expect(result.objects.filter(o => o.object.kind === 'NetworkPolicy' && o.object.metadata.namespace === 'profile').map(o => o.object.metadata.name).sort())
      .toEqual(['allow-dns', 'allow-within-namespace', 'default-deny']);
  });
});

describe('routing records', () => {
  test('the hub holds a NamespacePlacement per app with its cluster, reason and reservation', () => {
    expect(obj('hub/cluster/namespaceplacement-feed.yaml').spec).toEqual({
      app: 'feed',
      namespace: 'feed',
      tenant: 'stateless',
      nodeProfile: 'general',
      cluster: 'east-1',
      region: 'east',
      reason: 'pinned',
      owners: ['alice@example.com', 'feed-team'],
      podSecurity: 'restricted',
      reservation: { cpu: '7700m', memory: '15770Mi', gpus: 0, pods: 16 },
    });
    expect(obj('hub/cluster/namespaceplacement-etl.yaml').spec).toMatchObject({ cluster: 'west-1', reason: 'routed', podSecurity: 'baseline' });
  });

  test('the placement record is written into the output, sorted and byte-stable', () => {
    const record = result.files.get(PLACEMENT_RECORD_FILE)!;
    expect(JSON.parse(record).placements).toEqual({
      etl: { cluster: 'west-1', namespace: 'etl', nodeProfile: 'gpu' },
      feed: { cluster: 'east-1', namespace: 'feed', nodeProfile: 'general' },
      profile: { cluster: 'east-1', namespace: 'profile', nodeProfile: 'general' },
    });
    const again = onboardSample().fleet.synthesize();
    expect([...again.files.entries()]).toEqual([...result.files.entries()]);
  });

  test('capacity accounting per cluster, profile, pool and zone is available to callers', () => {
    const report = fleetCapacityReport(result.plan);
    const east = report.find(r => r.cluster === 'east-1')!;
    expect(east.namespaces).toEqual(['feed', 'profile']);
    const general = east.byProfile.get('general')!;
    expect(general.nodes).toBe(8);
    // per node: the pool's agent (100m) and kube-proxy (its default 200m)
    const daemonSetsCpu = 8 * (100 + DEFAULT_KUBE_PROXY_CPU_MILLIS);
    expect(daemonSetsCpu).toBe(2400);
    expect(general.daemonSets.resources.cpuMillis).toBe(daemonSetsCpu);
    expect(general.namespaces.resources.cpuMillis).toBe(7700 + 2200);
    expect(general.free.resources.cpuMillis).toBe(general.allocatable.resources.cpuMillis - daemonSetsCpu - 9900);
    expect([...east.byZone.keys()]).toEqual(['mz-01', 'mz-02', 'mz-03', 'mz-04']);
    expect([...east.byZone.values()].reduce((s, z) => s + z.nodes, 0)).toBe(8);
    expect(result.plan.tenancy.namespaces.size).toBe(3);
  });
});

describe('the placement lock keeps namespaces where they are', () => {
  function fleetWith(lockFile: string, apps: Array<[string, number]>, generalNodes = 8) {
    const f = twoClusterFleet({ generalNodes });
    new PlacementLock(f.fleet, 'placements', { file: lockFile });
    for (const [app, cpu] of apps) {
      const ns = new AppNamespace(f.fleet, app, { app, tenant: 'stateless', nodeProfile: f.general });
      new TestWorkload(ns, 'web', { replicas: 4, cpuMillis: cpu, memoryMiB: 512 });
    }
    return f;
  }

  test('adding, growing and removing other apps never moves a recorded namespace', () => {
    const lockFile = path.join(path.dirname(tmpOutdir()), 'fleet.lock.json');
    const first = fleetWith(lockFile, [['feed', 2000], ['search', 3000], ['messaging', 1000]]).fleet.synthesize();
    expect(first.warnings.map(w => w.rule)).toContain('tenancy.lock.missing');
    expect(updatePlacementLock(first)).toBe(lockFile);
    const before = JSON.parse(fs.readFileSync(lockFile, 'utf8')).placements;

    // remove 'messaging', add large apps that sort before the others
    const second = fleetWith(lockFile, [['aaa-big', 9000], ['abc', 8000], ['feed', 2000], ['search', 3000]]).fleet.synthesize();
    const after = JSON.parse(second.files.get(PLACEMENT_RECORD_FILE)!).placements;
    expect(after.feed).toEqual(before.feed);
    expect(after.search).toEqual(before.search);
    expect(after.messaging).toBeUndefined();
    expect(second.warnings.find(w => w.rule === 'tenancy.lock.changed')?.message).toContain('aaa-big→');
    expect(updatePlacementLock(second)).toBe(lockFile);
    expect(updatePlacementLock(second)).toBeUndefined(); // unchanged: not rewritten
  });

  test('fleet.synth() writes the lock file it reads: one synth after adding an app settles the lock and the output', () => {
    const lockFile = path.join(path.dirname(tmpOutdir()), 'fleet.lock.json');
    const outdir = tmpOutdir();
    const synth = (apps: Array<[string, number]>) => {
      const f = fleetWith(lockFile, apps);
      Object.defineProperty(f.fleet, 'fleetOutdir', { value: outdir });
      f.fleet.synth();
    };
    synth([['feed', 2000], ['search', 3000]]);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(fs.readFileSync(path.join(outdir, PLACEMENT_RECORD_FILE), 'utf8'));
    synth([['feed', 2000], ['search', 3000], ['messaging', 1000]]);
    const settled = { tree: readTree(outdir), lock: fs.readFileSync(lockFile, 'utf8') };
    expect(Object.keys(JSON.parse(settled.lock).placements)).toEqual(['feed', 'messaging', 'search']);
    const again = fleetWith(lockFile, [['feed', 2000], ['search', 3000], ['messaging', 1000]]).fleet.synthesize({ previousOutdir: outdir });
    expect(again.warnings.map(w => w.rule)).not.toContain('tenancy.lock.changed');
    synth([['feed', 2000], ['search', 3000], ['messaging', 1000]]);
    expect(readTree(outdir)).toEqual(settled.tree);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(settled.lock);
    // a routed namespace kept by the lock still says how its cluster was chosen
    const placements = [...settled.tree.entries()].filter(([f]) => f.startsWith('hub/cluster/namespaceplacement-'));
    expect(placements.map(([, text]) => /reason: (\w+)/.exec(text)![1])).toEqual(['routed', 'routed', 'routed']);
  });

  test('every fix that an override allows names it with the real namespace', () => {
    const lockFile = path.join(path.dirname(tmpOutdir()), 'fleet.lock.json');
    updatePlacementLock(fleetWith(lockFile, [['feed', 1000]]).fleet.synthesize());
    const from = JSON.parse(fs.readFileSync(lockFile, 'utf8')).placements.feed.cluster;
    const f = twoClusterFleet();
    new PlacementLock(f.fleet, 'placements', { file: lockFile });
    new AppNamespace(f.fleet, 'feed', { app: 'feed', namespace: 'feed-prod', tenant: 'stateless', nodeProfile: f.general, cluster: from === 'east-1' ? f.b : f.a });
    const e = synthErrors(f.fleet);
    expect(e.errors.map(x => x.fix)).toEqual([
      "keep namespace 'feed', or approve the change with the override 'namespace-move:feed-prod' (--override or env CDK8S_FLEET_OVERRIDES)",
    ]);
  });

  test('a synth that would have to move a recorded namespace fails with an explanation, and writes nothing', () => {
    const lockFile = path.join(path.dirname(tmpOutdir()), 'fleet.lock.json');
    const first = fleetWith(lockFile, [['feed', 2000]]).fleet.synthesize();
    updatePlacementLock(first);
    const cluster = JSON.parse(first.files.get(PLACEMENT_RECORD_FILE)!).placements.feed.cluster;
    // feed grows and the pools shrink: its recorded cluster has no room left
    const grown = fleetWith(lockFile, [['feed', 15000]], 4);
    const e = synthErrors(grown.fleet);
    expect(e.errors.map(x => x.rule)).toEqual(['tenancy.routing.locked-full']);
    expect(e.errors[0].message).toContain(`recorded cluster '${cluster}'`);
    expect(e.errors[0].message).toContain('will not move a recorded namespace');
    expect(() => grown.fleet.synth()).toThrow();
    expect(fs.existsSync(grown.fleet.fleetOutdir)).toBe(false);
  });

  test('moving a namespace needs its owner to pin it elsewhere and approve the move', () => {
    const lockFile = path.join(path.dirname(tmpOutdir()), 'fleet.lock.json');
    updatePlacementLock(fleetWith(lockFile, [['feed', 1000]]).fleet.synthesize());
    const from = JSON.parse(fs.readFileSync(lockFile, 'utf8')).placements.feed.cluster;
    const build = () => {
      const f = twoClusterFleet();
      new PlacementLock(f.fleet, 'placements', { file: lockFile });
      new AppNamespace(f.fleet, 'feed', { app: 'feed', tenant: 'stateless', nodeProfile: f.general, cluster: from === 'east-1' ? f.b : f.a });
      return f.fleet;
    };
    expect(synthErrors(build()).errors.map(x => x.rule)).toEqual(['tenancy.routing.move-not-approved']);
    const moved = build().synthesize({ overrides: ['namespace-move:feed'] });
    expect(moved.warnings.map(w => w.rule)).toContain('tenancy.routing.move');
    const rec = moved.objects.find(o => o.object.kind === 'NamespacePlacement')!.object as any;
    expect(rec.spec).toMatchObject({ reason: 'pinned', movedFrom: from });
  });

  test('the previous output\'s record is honoured too, and must agree with the lock file', () => {
    const f1 = fleetWith(path.join(path.dirname(tmpOutdir()), 'none.json'), [['feed', 1000]]);
    f1.fleet.synth();
    const previous = f1.fleet.fleetOutdir;
    const was = JSON.parse(fs.readFileSync(path.join(previous, PLACEMENT_RECORD_FILE), 'utf8')).placements.feed.cluster;
    const f2 = twoClusterFleet();
    const other = was === 'east-1' ? 'west-1' : 'east-1';
    new PlacementLock(f2.fleet, 'placements', { placements: { feed: { cluster: other, namespace: 'feed', nodeProfile: 'general' } } });
    new AppNamespace(f2.fleet, 'feed', { app: 'feed', tenant: 'stateless', nodeProfile: f2.general });
    expect(synthErrors2(() => f2.fleet.synthesize({ previousOutdir: previous }))).toEqual(['tenancy.lock.conflict']);
    const f3 = twoClusterFleet();
    new AppNamespace(f3.fleet, 'feed', { app: 'feed', tenant: 'stateless', nodeProfile: f3.general });
    const r = f3.fleet.synthesize({ previousOutdir: previous });
    expect(JSON.parse(r.files.get(PLACEMENT_RECORD_FILE)!).placements.feed.cluster).toBe(was);
  });
});

function synthErrors2(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    return (e as any).errors.map((x: any) => x.rule);
  }
  throw new Error('expected a failure');
}

describe('bad input: clear aggregated errors, nothing written', () => {
  test('every mistake is reported in one run with its construct path', () => {
    const f = twoClusterFleet();
    new NodeProfile(f.fleet, 'local-ssd', { machine: { cpuCores: 16, memory: Size.gibibytes(64), localSsd: Size.tebibytes(1) } });
    new AppNamespace(f.fleet, 'a1', { app: 'feed', tenant: 'stateless', nodeProfile: 'nope' });
    new AppNamespace(f.fleet, 'a2', { app: 'feed', tenant: 'stateless', nodeProfile: f.general, namespace: 'feed-2' });
    new AppNamespace(f.fleet, 'a3', { app: 'ads', tenant: 'stateless', nodeProfile: f.general, authorization: [{ role: 'owner' as any, groups: ['ads'] }] });
    new AppNamespace(f.fleet, 'a4', { app: 'web', tenant: 'stateless', nodeProfile: f.general, podSecurity: 'baseline', podSecurityReason: 'x' });
    new AppNamespace(f.fleet, 'a5', { app: 'open', tenant: 'stateless', nodeProfile: f.general, authorization: [{ role: 'viewer', groups: ['system:authenticated'] }] });
    new AppNamespace(f.fleet, 'a6', { app: 'net', tenant: 'stateless', nodeProfile: f.general, network: { egress: [{ apps: ['ghost'] }, { cidrs: ['10.0.0.0/33'] }, { ports: [{ port: 80 }] }] } });
    const e = synthErrors(f.fleet);
    expect(e.errors.map(x => `${x.path} ${x.rule}`)).toEqual([
      'a1 tenancy.node-profile.known',
      'a2 tenancy.app.unique',
      'a3 tenancy.rbac.role.known',
      'a4 tenancy.pod-security.allowed',
      'a5 tenancy.rbac.subject.too-broad',
      'a6 tenancy.network.app.known',
      'a6 tenancy.network.cidr',
      'a6 tenancy.network.peer',
    ]);
    expect(e.message).toContain("node profile 'nope' is not declared in this fleet");
    expect(e.message).toContain("app 'feed' is also onboarded at a1");
    expect(e.message).toContain("names unknown role 'owner'");
  });

  test('routing mistakes: no pool of the profile anywhere, a pinned cluster without the profile, no room anywhere', () => {
    const f = twoClusterFleet();
    new NodeProfile(f.fleet, 'local-ssd', { machine: { cpuCores: 16, memory: Size.gibibytes(64), localSsd: Size.tebibytes(1) } });
    new AppNamespace(f.fleet, 'kv', { app: 'kv', tenant: 'stateful', nodeProfile: 'local-ssd' });
    new AppNamespace(f.fleet, 'ml', { app: 'ml', tenant: 'batch', nodeProfile: f.gpu, cluster: f.a });
    const huge = new AppNamespace(f.fleet, 'huge', { app: 'huge', tenant: 'stateless', nodeProfile: f.general });
    new TestWorkload(huge, 'web', { replicas: 100, cpuMillis: 4000, memoryMiB: 1024 });
    const e = synthErrors(f.fleet);
    expect(e.errors.map(x => `${x.path} ${x.rule}`)).toEqual([
      'huge tenancy.routing.no-room',
      'kv tenancy.routing.no-pool',
      'ml tenancy.routing.pinned-profile',
    ]);
    const noRoom = e.errors[0].message;
    expect(noRoom).toMatch(/east-1: general \[cpu [0-9.m]+, memory [0-9]+Mi, gpus 0, pods [0-9]+\]/);
    expect(noRoom).toMatch(/west-1: general \[.*\]; gpu \[.*gpus 16.*\]/);
  });

  test('a namespace without workloads or reserve is onboarded with a warning: its quota admits no pods', () => {
    const f = twoClusterFleet();
    new AppNamespace(f.fleet, 'empty', { app: 'empty', tenant: 'stateless', nodeProfile: f.general });
    const r = f.fleet.synthesize();
    expect(r.warnings.filter(w => w.path === 'empty').map(w => w.rule)).toEqual(['tenancy.quota.empty']);
    expect((r.objects.find(o => o.object.kind === 'ResourceQuota')!.object as any).spec.hard.pods).toBe('0');
  });

  test('a pod larger than any node of its profile is rejected', () => {
    const f = twoClusterFleet();
    const ns = new AppNamespace(f.fleet, 'fat', { app: 'fat', tenant: 'stateless', nodeProfile: f.general, cluster: f.a });
    new TestWorkload(ns, 'web', { replicas: 1, cpuMillis: 15_900, memoryMiB: 1024 });
    expect(synthErrors(f.fleet).errors.map(x => `${x.path} ${x.rule}`)).toEqual(['fat/web tenancy.workload.fits-node']);
  });
});
