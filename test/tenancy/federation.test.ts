import * as fc from 'fast-check';
import { TestWorkload } from './support';
import { AppNamespace, Cluster, Cpu, Fleet, Guardrails, LiDeployment, LiStatefulSet, NodeProfile, PlacementLock, RequiredDaemonSet, Size } from '../../src';
import { formatPlan } from '../../src/cli/plan';
import { federateLossInput, planReport } from '../../src/cli/plan-report';
import { renderReport } from '../../src/cli/report-html';
import { readLock, whereAll } from '../../src/cli/where';
import { formatWhere } from '../../src/cli/where-lookup';
import { serializeLockRecord } from '../../src/core/lock-record';
import { WorkloadDivision } from '../../src/core/workload';
import { readOutputTree } from '../../src/synth/read';
import { checkClusterLosses } from '../../src/tenancy/cluster-loss';
import { PLACEMENTS_SECTION, parsePlacementLock, placementsSection } from '../../src/tenancy/lock';

const serializePlacementLock = (placements: Parameters<typeof placementsSection>[0]) =>
  serializeLockRecord([[PLACEMENTS_SECTION, placementsSection(placements)]]);
import { CandidateCluster, PlacementRequest, placeNamespaces } from '../../src/tenancy/placement';
import { ShareCluster, ShareRequest, divideNamespace, evenSplit, survivalMinimum } from '../../src/tenancy/shares';
import { synthErrors, tmpOutdir } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

// ---------------------------------------------------------------------------------------------------------------
// the pure division

/** A workload whose pods each take `cpu` millicores, `mem` MiB and one pod slot, with a surge of one pod. */
function division(name: string, replicas: number, cpu = 500, mem = 1024, canaryPods = 0): WorkloadDivision {
  const podRequests = { cpuMillis: cpu, memoryMiB: mem, gpus: 0 };
  return {
    name,
    replicas,
    canaryPods,
    demandAt: (r, withCanary) => ({ pods: r + (withCanary ? canaryPods : 0), podRequests, podLimits: podRequests, surgePods: r > 0 ? 1 : 0 }),
  };
}

const cap = (cores: number, gib: number, pods: number) => ({ resources: { cpuMillis: cores * 1000, memoryMiB: gib * 1024, gpus: 0 }, pods });

const clustersArb = fc.integer({ min: 2, max: 5 }).chain(n => fc.tuple(
  ...Array.from({ length: n }, (_, i) => fc.record({
    cores: fc.integer({ min: 0, max: 400 }),
    gib: fc.integer({ min: 0, max: 1600 }),
    pods: fc.integer({ min: 0, max: 800 }),
  }).map(c => ({ name: `c-${i}`, free: cap(c.cores, c.gib, c.pods) }))),
));

const requestArb: fc.Arbitrary<ShareRequest> = fc.uniqueArray(fc.record({
  key: fc.constantFrom('api', 'web', 'worker', 'edge'),
  replicas: fc.integer({ min: 0, max: 200 }),
  cpu: fc.integer({ min: 100, max: 4000 }),
  mem: fc.integer({ min: 128, max: 8192 }),
  canary: fc.integer({ min: 0, max: 3 }),
  percent: fc.integer({ min: 1, max: 100 }),
}), { selector: w => w.key, minLength: 1, maxLength: 4 }).map(ws => ({
  workloads: ws
    .map(w => ({ key: w.key, division: division(w.key, w.replicas, w.cpu, w.mem, w.canary), minimum: survivalMinimum(w.replicas, w.percent) }))
    .sort((a, b) => (a.key < b.key ? -1 : 1)),
  whole: [],
  headroomPercent: 10,
}));

function fits(need: { resources: { cpuMillis: number; memoryMiB: number; gpus: number }; pods: number }, free: typeof need): boolean {
  return need.resources.cpuMillis <= free.resources.cpuMillis && need.resources.memoryMiB <= free.resources.memoryMiB
    && need.resources.gpus <= free.resources.gpus && need.pods <= free.pods;
}

describe('divided replicas (src/tenancy/shares.ts)', () => {
  test('the rounding rule: floor(R / N) each, one more for the first R mod N clusters', () => {
    expect(evenSplit(7, 2)).toEqual([4, 3]);
    expect(evenSplit(10, 3)).toEqual([4, 3, 3]);
    expect(evenSplit(1, 3)).toEqual([1, 0, 0]);
    expect(survivalMinimum(7, 50)).toBe(3);
    expect(survivalMinimum(1, 50)).toBe(1);
    expect(survivalMinimum(0, 50)).toBe(0);
  });

  test('property: the shares sum to the replicas and each cluster\'s quota fits what it has free', () => {
    fc.assert(fc.property(clustersArb, requestArb, (clusters, request) => {
      const d = divideNamespace(clusters, request);
      if (!('shares' in d)) return;
      for (const w of request.workloads) {
        const split = d.shares.get(w.key)!;
        expect(split.reduce((a, b) => a + b, 0)).toBe(w.division.replicas);
        expect(split.every(s => Number.isInteger(s) && s >= 0)).toBe(true);
      }
      d.demands.forEach((demand, i) => expect(fits(demand, clusters[i].free)).toBe(true));
    }), { numRuns: 400, seed: 20 });
  });

  test('property: with room everywhere, the shares are the even split, and it survives the loss of any one cluster at the default minimum', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 500 }), (n, replicas) => {
      const clusters = Array.from({ length: n }, (_, i) => ({ name: `c-${i}`, free: cap(100_000, 400_000, 100_000) }));
      const minimum = survivalMinimum(replicas, Math.floor((100 * (n - 1)) / n));
      const d = divideNamespace(clusters, { workloads: [{ key: 'api', division: division('api', replicas), minimum }], whole: [], headroomPercent: 10 });
      if (!('shares' in d)) throw new Error('expected a division');
      const split = d.shares.get('api')!;
      expect(split).toEqual(evenSplit(replicas, n));
      for (let lost = 0; lost < n; lost++) expect(replicas - split[lost]).toBeGreaterThanOrEqual(minimum);
    }), { numRuns: 300, seed: 21 });
  });

  test('property: deterministic, and a recorded division is kept while it fits (capacity elsewhere does not move it)', () => {
    fc.assert(fc.property(clustersArb, requestArb, fc.integer({ min: 0, max: 200 }), (clusters, request, extra) => {
      const d = divideNamespace(clusters, request);
      expect(divideNamespace(clusters, request)).toEqual(d);
      if (!('shares' in d)) return;
      const recorded = new Map([...d.shares].map(([w, split]) => [w, new Map(split.map((s, i) => [clusters[i].name, s]))]));
      // every cluster has more room now: the recorded shares stay as they are
      const roomier = clusters.map(c => ({
        ...c,
        free: { resources: { ...c.free.resources, cpuMillis: c.free.resources.cpuMillis + extra * 1000 }, pods: c.free.pods + extra },
      }));
      const again = divideNamespace(roomier, { ...request, recorded });
      expect('shares' in again && again.shares).toEqual(d.shares);
    }), { numRuns: 300, seed: 22 });
  });

  test('a cluster that cannot hold its even share keeps what it holds; the rest goes to the others', () => {
    // 2 cores free in c-0: with 10% headroom and a surge pod, three 500m pods at most
    const clusters: ShareCluster[] = [{ name: 'c-0', free: cap(2, 100, 100) }, { name: 'c-1', free: cap(100, 100, 100) }];
    const d = divideNamespace(clusters, { workloads: [{ key: 'api', division: division('api', 10), minimum: 5 }], whole: [], headroomPercent: 10 });
    expect('shares' in d && d.shares.get('api')).toEqual([2, 8]);
  });

  test('no room for the replicas is a problem naming the workload', () => {
    const clusters: ShareCluster[] = [{ name: 'c-0', free: cap(1, 4, 10) }, { name: 'c-1', free: cap(1, 4, 10) }];
    expect(divideNamespace(clusters, { workloads: [{ key: 'api', division: division('api', 10), minimum: 5 }], whole: [], headroomPercent: 10 }))
      .toMatchObject({ workload: 'api' });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// placement over N clusters

const candidates = (names: readonly string[], cores = 400): CandidateCluster[] =>
  names.map(name => ({ name, region: name.split('-')[0], capacity: new Map([['general', cap(cores, cores * 4, cores * 4)]]) }));

type Recorded = { clusters: string[]; shares: Map<string, Map<string, number>> };

function fedRequest(key: string, replicas: number, n = 2, locked?: Recorded): PlacementRequest {
  return {
    key,
    nodeProfile: 'general',
    demand: cap(replicas, replicas * 2, replicas + 2),
    regions: ['lva1'],
    ...(locked ? { locked: locked.clusters[0] } : {}),
    federation: {
      clusters: n,
      ...(locked ? { locked: locked.clusters } : {}),
      shares: {
        workloads: [{ key: 'api', division: division('api', replicas), minimum: survivalMinimum(replicas, 50) }],
        whole: [],
        headroomPercent: 10,
        ...(locked ? { recorded: locked.shares } : {}),
      },
    },
  };
}

describe('placement of a federated namespace', () => {
  test('N clusters of its region, the most available first; other regions are not candidates', () => {
    const clusters = [...candidates(['lva1-a', 'lva1-b', 'lva1-c']), ...candidates(['ltx1-a'], 4000)];
    const busy: PlacementRequest = { key: 'busy', nodeProfile: 'general', demand: cap(300, 10, 10), pinned: 'lva1-a' };
    const r = placeNamespaces(clusters, [busy, fedRequest('members', 20)]);
    expect(r.problems).toEqual([]);
    expect(r.decisions.get('members')).toMatchObject({ cluster: 'lva1-b', clusters: ['lva1-b', 'lva1-c'], reason: 'routed' });
    expect(r.decisions.get('members')!.shares!.get('api')).toEqual([10, 10]);
  });

  test('property: recorded, the clusters and shares are stable when an unrelated app or cluster is added', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 200 }), fc.boolean(),
      (replicas, otherCores, addCluster) => {
        const clusters = candidates(['lva1-a', 'lva1-b', 'lva1-c']);
        const first = placeNamespaces(clusters, [fedRequest('members', replicas)]).decisions.get('members')!;
        const shares = new Map([...first.shares!].map(([w, s]) => [w, new Map(s.map((n, i) => [first.clusters[i], n]))]));
        const locked = { clusters: [...first.clusters], shares };
        const more = addCluster ? [...candidates(['lva1-d'], 4000), ...clusters] : clusters;
        const other: PlacementRequest = { key: 'aaa-other', nodeProfile: 'general', demand: cap(otherCores, otherCores, otherCores) };
        const again = placeNamespaces(more, [other, fedRequest('members', replicas, 2, locked)]).decisions.get('members')!;
        expect(again.clusters).toEqual(first.clusters);
        expect(again.shares).toEqual(first.shares);
        expect(again.reason).toBe('locked');
      },
    ), { numRuns: 200, seed: 23 });
  });

  test('property: whatever the order of the requests and clusters, the same decisions', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 40 }), (a, b) => {
      const clusters = candidates(['lva1-a', 'lva1-b', 'lva1-c']);
      const reqs = [fedRequest('one', a), fedRequest('two', b, 3), { key: 'single', nodeProfile: 'general', demand: cap(a, a, a) }];
      const x = placeNamespaces(clusters, reqs);
      const y = placeNamespaces([...clusters].reverse(), [...reqs].reverse());
      expect([...y.decisions]).toEqual([...x.decisions]);
    }), { numRuns: 100, seed: 24 });
  });

  test('property: federated and single namespaces together never exceed any cluster\'s capacity', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 2, max: 300 }), { maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 8 }),
      (federated, singles) => {
        const clusters = candidates(['lva1-a', 'lva1-b', 'lva1-c', 'ltx1-a'], 200);
        const reqs: PlacementRequest[] = [
          ...federated.map((n, i) => ({ ...fedRequest(`f${i}`, n, 2 + (i % 2)), regions: undefined })),
          ...singles.map((n, i) => ({ key: `s${i}`, nodeProfile: 'general', demand: cap(n / 4, n / 2, n) })),
        ];
        const r = placeNamespaces(clusters, reqs);
        for (const c of clusters) {
          const used = r.used.get(c.name)?.get('general');
          if (used) expect(fits(used, c.capacity.get('general')!)).toBe(true);
        }
        // what the decisions take adds up to what is used
        const taken = new Map<string, number>();
        for (const d of r.decisions.values()) {
          const req = reqs.find(x => x.key === d.key)!;
          d.clusters.forEach((c, i) => taken.set(c, (taken.get(c) ?? 0) + (d.clusterDemands ? d.clusterDemands[i].pods : req.demand.pods)));
        }
        for (const c of clusters) expect(r.used.get(c.name)?.get('general')?.pods ?? 0).toBe(taken.get(c.name) ?? 0);
      },
    ), { numRuns: 200, seed: 25 });
  });

  test('too few clusters in the region, and no capacity in a region, are named errors', () => {
    const clusters = [...candidates(['lva1-a']), ...candidates(['ltx1-a', 'ltx1-b'])];
    expect(placeNamespaces(clusters, [fedRequest('members', 4)]).problems).toEqual([
      expect.objectContaining({ kind: 'federation-too-few', clusters: 2, byRegion: [{ region: 'lva1', clusters: ['lva1-a'] }] }),
    ]);
    const single: PlacementRequest = { key: 'x', nodeProfile: 'general', demand: cap(1, 1, 1), regions: ['lva1'] };
    expect(placeNamespaces(candidates(['ltx1-a']), [single]).problems).toEqual([expect.objectContaining({ kind: 'region-no-pool', regions: ['lva1'] })]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// the synthesized fleet

function regionFleet(props: { replicas?: number; lock?: Record<string, unknown>; clusters?: number; minAvailablePercent?: number; survive?: 'one-cluster-loss' | 'none'; smallSecond?: boolean } = {}) {
  const fleet = new Fleet({ outdir: tmpOutdir(), maintenanceZones: 4 });
  const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 16, memory: Size.gibibytes(64) } });
  const logs = new RequiredDaemonSet(fleet, 'log-shipper', { image: 'registry.internal/log-shipper:1.0.0', resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) } });
  const a = new Cluster(fleet, 'lva1-prod-1', { region: 'lva1' });
  a.addPool('general', { nodeProfile: general, capacity: 8, requiredDaemonSets: [logs] });
  const b = new Cluster(fleet, 'lva1-prod-2', { region: 'lva1', openKruise: true });
  b.addPool('general', { nodeProfile: general, capacity: props.smallSecond ? 4 : 8, requiredDaemonSets: [logs] });
  const c = new Cluster(fleet, 'ltx1-prod-1', { region: 'ltx1' });
  c.addPool('general', { nodeProfile: general, capacity: 8, requiredDaemonSets: [logs] });
  if (props.lock) new PlacementLock(fleet, 'placements', { placements: props.lock as any });
  const members = new AppNamespace(fleet, 'members', {
    app: 'members',
    tenant: 'stateless',
    nodeProfile: general,
    regions: ['lva1'],
    owners: ['members-team'],
    authorization: [{ role: 'deployer', groups: ['members-team'] }],
    federation: { clusters: props.clusters ?? 2, survive: props.survive ?? 'one-cluster-loss', ...(props.minAvailablePercent ? { minAvailablePercent: props.minAvailablePercent } : {}) },
  });
  new LiDeployment(members, 'api', {
    application: 'members-api',
    version: { app: '2.8.0', config: '2026-11-28.1' },
    replicas: props.replicas ?? 12,
    resources: { cpu: Cpu.units(1), memory: Size.gibibytes(2) },
    canary: { count: 1, version: { app: '2.9.0', config: '2026-11-28.1' } },
    config: { 'members.properties': 'cache.ttl=300\n' },
  });
  const other = new AppNamespace(fleet, 'search', { app: 'search', tenant: 'stateless', nodeProfile: general });
  new TestWorkload(other, 'web', { replicas: 4, cpuMillis: 500, memoryMiB: 1024 });
  return { fleet, a, b, c };
}

const fed = regionFleet();
const result = fed.fleet.synthesize();
const file = (f: string) => result.files.get(f);
const obj = (f: string) => result.objects.find(o => o.file === f)?.object as any;

describeWithSchemas('federated objects are schema-valid', () => {
  test('every object, the federated namespace\'s in each cluster and its hub record, validates strictly', () => {
    expect(validateAll(result.objects)).toEqual([]);
  });
});

describe('a federated namespace in each of its clusters', () => {
  test('its namespace, quota, limits, RBAC and network policies exist in both clusters of the region, nowhere else', () => {
    for (const c of ['lva1-prod-1', 'lva1-prod-2']) {
      for (const f of ['cluster/namespace-members.yaml', 'namespaces/members/resourcequota-app-quota.yaml', 'namespaces/members/limitrange-app-limits.yaml',
        'namespaces/members/rolebinding-fleet-app-deployer.yaml', 'namespaces/members/networkpolicy-default-deny.yaml']) {
        expect(file(`${c}/${f}`)).toBeDefined();
      }
    }
    expect([...result.files.keys()].filter(f => f.startsWith('ltx1-prod-1/') && f.includes('members'))).toEqual([]);
  });

  test('each cluster runs its share (a Deployment, a CloneSet on OpenKruise), with a PDB of its share, and the canary in the first cluster only', () => {
    const lock = JSON.parse(file('placements.lock.json')!).placements.members;
    expect(lock).toEqual({
      cluster: 'lva1-prod-1',
      namespace: 'members',
      nodeProfile: 'general',
      clusters: ['lva1-prod-1', 'lva1-prod-2'],
      shares: { 'members-api': { 'lva1-prod-1': 6, 'lva1-prod-2': 6 } },
    });
    expect(obj('lva1-prod-1/namespaces/members/deployment-members-api.yaml').spec.replicas).toBe(6);
    expect(obj('lva1-prod-2/namespaces/members/cloneset-members-api.yaml').spec.replicas).toBe(6);
    expect(obj('lva1-prod-1/namespaces/members/deployment-members-api-canary.yaml').spec.replicas).toBe(1);
    expect(file('lva1-prod-2/namespaces/members/cloneset-members-api-canary.yaml')).toBeUndefined();
    // the PDB lets at most what the share's rollout lets go at once (10% of 6, at least one pod)
    expect(obj('lva1-prod-1/namespaces/members/poddisruptionbudget-members-api.yaml').spec.maxUnavailable).toBe(1);
    expect(obj('lva1-prod-2/namespaces/members/poddisruptionbudget-members-api.yaml').spec.maxUnavailable).toBe(1);
  });

  test('config is identical across clusters: the same ConfigMap, the same pod template apart from the workload kind', () => {
    const cm = (c: string) => [...result.files].filter(([f]) => f.startsWith(`${c}/namespaces/members/configmap-`)).map(([f, text]) => [f.split('/').pop(), text]);
    expect(cm('lva1-prod-2')).toEqual(cm('lva1-prod-1'));
    expect(cm('lva1-prod-1')).toHaveLength(1);
    const containers = (o: any) => o.spec.template.spec.containers;
    expect(containers(obj('lva1-prod-2/namespaces/members/cloneset-members-api.yaml'))).toEqual(containers(obj('lva1-prod-1/namespaces/members/deployment-members-api.yaml')));
  });

  test('each cluster\'s quota reserves its share; the hub record lists every cluster with its reservation and share', () => {
    const quota = (c: string) => obj(`${c}/namespaces/members/resourcequota-app-quota.yaml`).spec.hard;
    // 6 stable pods + 1 canary + surge (25% of 6 → 2, and 1 for the canary) in the first; 6 + 2 in the second; 10% headroom, rounded up
    expect(quota('lva1-prod-1').pods).toBe('11');
    expect(quota('lva1-prod-2').pods).toBe('9');
    const record = obj('hub/cluster/namespaceplacement-members.yaml').spec;
    expect(record.cluster).toBe('lva1-prod-1');
    expect(record.region).toBe('lva1');
    expect(record.federation).toEqual({
      survive: 'one-cluster-loss',
      minAvailablePercent: 50,
      clusters: [
        { cluster: 'lva1-prod-1', canary: true, reservation: expect.objectContaining({ pods: 11 }), shares: [{ workload: 'members-api', replicas: 6 }] },
        { cluster: 'lva1-prod-2', canary: false, reservation: expect.objectContaining({ pods: 9 }), shares: [{ workload: 'members-api', replicas: 6 }] },
      ],
    });
    expect(record.reservation.pods).toBe(20);
  });

  test('the synth is deterministic: the same fleet gives byte-identical files', () => {
    const again = regionFleet().fleet.synthesize();
    expect([...again.files]).toEqual([...result.files]);
  });

  test('a LiStatefulSet of a federated namespace gets shares too', () => {
    const fleet = new Fleet({ outdir: tmpOutdir(), maintenanceZones: 4 });
    const ssd = new NodeProfile(fleet, 'local-ssd', { machine: { cpuCores: 32, memory: Size.gibibytes(128), localSsd: Size.tebibytes(4) } });
    for (const name of ['lva1-prod-1', 'lva1-prod-2']) new Cluster(fleet, name, { region: 'lva1' }).addPool('ssd', { nodeProfile: ssd, capacity: 8 });
    const ns = new AppNamespace(fleet, 'store', { app: 'store', tenant: 'stateful', nodeProfile: ssd, federation: { clusters: 2 } });
    new LiStatefulSet(ns, 'store', {
      application: 'store',
      version: { app: '1.0.0' },
      replicas: 5,
      resources: { cpu: Cpu.units(2), memory: Size.gibibytes(8) },
      storage: Size.gibibytes(500),
      acmEndpoint: 'https://acm.internal/clusters/store',
    });
    const r = fleet.synthesize();
    const sts = (c: string) => (r.objects.find(o => o.file === `${c}/namespaces/store/statefulset-store.yaml`)?.object as any)?.spec.replicas;
    expect([sts('lva1-prod-1'), sts('lva1-prod-2')]).toEqual([3, 2]);
  });
});

describe('the cluster-loss check', () => {
  test('for each cluster: the apps that go down, the federated apps that keep running, and whether the others have room', () => {
    const loss = JSON.parse(file('cluster-loss.json')!);
    expect(loss.kind).toBe('ClusterLossReport');
    const of = (c: string) => loss.clusters.find((x: any) => x.cluster === c);
    expect(of('lva1-prod-1')).toMatchObject({ region: 'lva1', degraded: ['members'], belowMinimum: [], noCapacity: [] });
    expect(of('lva1-prod-2')).toMatchObject({ region: 'lva1', degraded: ['members'], belowMinimum: [] });
    const search = result.plan.tenancy.placement.get(fed.fleet.node.findChild('search') as AppNamespace)!.clusterName;
    expect(of(search).down).toEqual(['search']);
    expect(loss.federated).toEqual([{
      app: 'members',
      namespace: 'members',
      region: 'lva1',
      survive: 'one-cluster-loss',
      minAvailablePercent: 50,
      minimums: { 'members-api': 6 },
      clusters: [{ cluster: 'lva1-prod-1', canary: true, shares: { 'members-api': 6 } }, { cluster: 'lva1-prod-2', canary: false, shares: { 'members-api': 6 } }],
    }]);
  });

  test('a federated app whose survival target is not met is an error; without a target the synth passes', () => {
    const e = synthErrors(regionFleet({ replicas: 12, minAvailablePercent: 80 }).fleet);
    const survival = e.violations.filter(v => v.rule === 'tenancy.federation.survival');
    expect(survival).toHaveLength(2);
    expect(survival[0]).toMatchObject({ path: 'members', message: expect.stringContaining("leaves 'members-api' with 6 replica(s)") });
    expect(survival[0].fix).toContain('raise the replicas');
    // survive 'none' states no target: no minimum, nothing below it, and the loss only shows the app degraded
    const none = regionFleet({ replicas: 12, minAvailablePercent: 80, survive: 'none' }).fleet.synthesize();
    expect(none.plan.tenancy.clusterLoss.find(l => l.cluster === 'lva1-prod-1')).toMatchObject({ degraded: ['members'], belowMinimum: [] });
  });

  test('pure: apps of one cluster go down, a federated app below its minimum is listed, survivors\' room is checked', () => {
    const free = (cores: number) => new Map([['general', cap(cores, cores * 4, cores * 10)]]);
    const losses = checkClusterLosses([
      { name: 'a', region: 'r', free: free(1) },
      { name: 'b', region: 'r', free: free(100) },
    ], [
      { app: 'solo', nodeProfile: 'general', clusters: ['a'], demands: [cap(10, 10, 10)], workloads: [{ name: 'solo', shares: [4], minimum: 0 }], survivalTarget: false },
      { app: 'fed', nodeProfile: 'general', clusters: ['a', 'b'], demands: [cap(5, 5, 5), cap(5, 5, 5)], workloads: [{ name: 'api', shares: [8, 2], minimum: 5 }], survivalTarget: true },
    ]);
    expect(losses).toEqual([
      { cluster: 'a', down: ['solo'], degraded: ['fed'], belowMinimum: [{ app: 'fed', workload: 'api', remaining: 2, minimum: 5, targetMissed: true }], noCapacity: [] },
      { cluster: 'b', down: [], degraded: ['fed'], belowMinimum: [], noCapacity: ['fed'] },
    ]);
  });
});

describe('guardrails: a share that drops by more than the scale-down bound', () => {
  const recorded = (first: number, second: number) => ({
    members: {
      cluster: 'lva1-prod-1',
      namespace: 'members',
      nodeProfile: 'general',
      clusters: ['lva1-prod-1', 'lva1-prod-2'],
      shares: { 'members-api': { 'lva1-prod-1': first, 'lva1-prod-2': second } },
    },
  });

  test('a recorded division that no longer sums to the replicas is redivided; a drop beyond the bound is blocked, naming the override', () => {
    // recorded 20 + 20; now 12 replicas: 6 + 6, a drop of 70% in each cluster
    const e = synthErrors(regionFleet({ replicas: 12, lock: recorded(20, 20) }).fleet);
    const drops = e.violations.filter(v => v.rule === 'tenancy.federation.share-drop');
    expect(drops.map(d => d.message)).toEqual([
      expect.stringContaining("the share of 'members-api' in cluster 'lva1-prod-1' drops from 20 to 6"),
      expect.stringContaining("the share of 'members-api' in cluster 'lva1-prod-2' drops from 20 to 6"),
    ]);
    expect(drops[0].fix).toContain('scale-down:lva1-prod-1/members/members-api');
  });

  test('allowed with the named override (then a warning); a drop within the bound passes', () => {
    const fleet = regionFleet({ replicas: 12, lock: recorded(20, 20) }).fleet;
    const r = fleet.synthesize({ overrides: ['scale-down:lva1-prod-1/members/members-api', 'scale-down:lva1-prod-2/members/members-api'] });
    expect(r.warnings.filter(w => w.rule === 'tenancy.federation.share-drop')).toHaveLength(2);
    expect(() => regionFleet({ replicas: 12, lock: recorded(8, 8) }).fleet.synthesize()).not.toThrow();
  });

  test('the guardrails\' configuration of the scale-down rule applies: an exemption of the target, a warning severity', () => {
    const exempt = regionFleet({ replicas: 12, lock: recorded(20, 20) });
    new Guardrails(exempt.fleet, 'guardrails', {
      exemptions: [
        { rule: 'scale-down', target: 'lva1-prod-1/members/members-api', reason: 'the app moves to federation' },
        { rule: 'scale-down', target: 'lva1-prod-2/members/members-api', reason: 'the app moves to federation' },
      ],
    });
    expect(() => exempt.fleet.synthesize()).not.toThrow();
    const lenient = regionFleet({ replicas: 12, lock: recorded(20, 20) });
    new Guardrails(lenient.fleet, 'guardrails', { severities: { 'scale-down': 'warning' } });
    expect(lenient.fleet.synthesize().warnings.filter(w => w.rule === 'tenancy.federation.share-drop')).toHaveLength(2);
  });

  test('the recorded shares are kept while they sum to the replicas and fit, even when uneven', () => {
    // 7 + 5 survives the loss of either cluster at a minimum of 40% (4 replicas), not at the default 50% (6)
    expect(synthErrors(regionFleet({ replicas: 12, lock: recorded(7, 5) }).fleet).violations.map(v => v.rule)).toContain('tenancy.federation.survival');
    const r = regionFleet({ replicas: 12, lock: recorded(7, 5), minAvailablePercent: 40 }).fleet.synthesize();
    expect(JSON.parse(r.files.get('placements.lock.json')!).placements.members.shares).toEqual({ 'members-api': { 'lva1-prod-1': 7, 'lva1-prod-2': 5 } });
  });

  test('spanning one more cluster keeps the recorded two and divides afresh; the drop from 12 to 8 is within the bound', () => {
    const fleet = regionFleet({ replicas: 24, clusters: 3, lock: recorded(12, 12) }).fleet;
    // lva1 has two clusters in this fleet: a third is not there
    expect(synthErrors(fleet).violations.map(v => v.rule)).toContain('tenancy.federation.too-few-clusters');
    const f = regionFleet({ replicas: 24, clusters: 3, lock: recorded(12, 12) });
    new Cluster(f.fleet, 'lva1-prod-3', { region: 'lva1' }).addPool('general', {
      nodeProfile: f.fleet.node.findChild('general') as NodeProfile, capacity: 8,
    });
    const r = f.fleet.synthesize();
    const lock = JSON.parse(r.files.get('placements.lock.json')!).placements.members;
    expect(lock.clusters).toEqual(['lva1-prod-1', 'lva1-prod-2', 'lva1-prod-3']);
    expect(lock.shares['members-api']).toEqual({ 'lva1-prod-1': 8, 'lva1-prod-2': 8, 'lva1-prod-3': 8 });
  });

  test('moving a share to a cluster outside the record: spanning fewer clusters drops the removed cluster\'s share to 0, blocked', () => {
    const fleet = new Fleet({ outdir: tmpOutdir(), maintenanceZones: 4 });
    const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 16, memory: Size.gibibytes(64) } });
    for (const n of ['lva1-prod-1', 'lva1-prod-2']) new Cluster(fleet, n, { region: 'lva1' }).addPool('general', { nodeProfile: general, capacity: 8 });
    new PlacementLock(fleet, 'placements', { placements: recorded(6, 6) as any });
    const ns = new AppNamespace(fleet, 'members', { app: 'members', tenant: 'stateless', nodeProfile: general });
    new LiDeployment(ns, 'api', { application: 'members-api', version: { app: '2.8.0' }, replicas: 12, resources: { cpu: Cpu.units(1), memory: Size.gibibytes(2) } });
    const e = synthErrors(fleet);
    expect(e.violations.filter(v => v.rule === 'tenancy.federation.share-drop').map(v => v.message)).toEqual([
      expect.stringContaining("in cluster 'lva1-prod-2' drops from 6 to 0"),
    ]);
  });
});

describe('guardrails against the previous output: a namespace that becomes federated shrinks its cluster\'s Deployment', () => {
  function build(federate: boolean) {
    const fleet = new Fleet({ outdir: tmpOutdir(), maintenanceZones: 4 });
    const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 16, memory: Size.gibibytes(64) } });
    for (const n of ['lva1-prod-1', 'lva1-prod-2', 'lva1-prod-3']) new Cluster(fleet, n, { region: 'lva1' }).addPool('general', { nodeProfile: general, capacity: 8 });
    const ns = new AppNamespace(fleet, 'members', {
      app: 'members',
      tenant: 'stateless',
      nodeProfile: general,
      cluster: federate ? undefined : fleet.node.findChild('lva1-prod-1') as Cluster,
      ...(federate ? { federation: { clusters: 3 } } : {}),
    });
    new LiDeployment(ns, 'api', { application: 'members-api', version: { app: '2.8.0' }, replicas: 12, resources: { cpu: Cpu.units(1), memory: Size.gibibytes(2) } });
    return fleet;
  }
  const first = build(false);
  first.synth();
  const previous = first.fleetOutdir;

  test('12 replicas in one cluster, then 4 in each of three: the first cluster\'s drop is blocked, naming the override', () => {
    const e = synthErrors2(() => build(true).synthesize({ previousOutdir: previous }));
    const scaleDown = e.violations.filter(v => v.rule === 'guardrails.scale-down');
    expect(scaleDown.map(v => v.message)).toEqual([expect.stringContaining('from 12 to 4 replica(s)')]);
    expect(scaleDown[0].fix).toContain('scale-down:lva1-prod-1/members/members-api');
  });

  test('allowed with the named override: the namespace keeps its cluster as its first, the others are added', () => {
    const r = build(true).synthesize({ previousOutdir: previous, overrides: ['scale-down:lva1-prod-1/members/members-api'] });
    expect(r.warnings.map(w => w.rule)).toContain('guardrails.scale-down');
    expect(JSON.parse(r.files.get('placements.lock.json')!).placements.members.clusters[0]).toBe('lva1-prod-1');
  });
});

function synthErrors2(run: () => unknown) {
  try {
    run();
  } catch (e) {
    return e as import('../../src').FleetValidationError;
  }
  throw new Error('expected the synth to fail');
}

describe('bad federation and region props are named errors', () => {
  const errorsOf = (props: Record<string, unknown>) => {
    const fleet = new Fleet({ outdir: tmpOutdir(), maintenanceZones: 4 });
    const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 16, memory: Size.gibibytes(64) } });
    const a = new Cluster(fleet, 'lva1-prod-1', { region: 'lva1' });
    a.addPool('general', { nodeProfile: general, capacity: 8 });
    new Cluster(fleet, 'ltx1-prod-1', { region: 'ltx1' }).addPool('general', { nodeProfile: general, capacity: 8 });
    const ns = new AppNamespace(fleet, 'x', { app: 'x', tenant: 'stateless', nodeProfile: general, ...(props.pin ? { cluster: a } : {}), ...props } as any);
    new TestWorkload(ns, 'w', { replicas: 2, cpuMillis: 100, memoryMiB: 128 });
    return synthErrors(fleet).violations.filter(v => v.severity === 'error').map(v => v.rule);
  };

  test.each([
    [{ regions: [] }, 'tenancy.region.list'],
    [{ regions: ['lva1', 'lva1'] }, 'tenancy.region.list'],
    [{ regions: ['eu1'] }, 'tenancy.region.unknown'],
    [{ regions: ['ltx1'], pin: true }, 'tenancy.region.pinned'],
    [{ federation: { clusters: 1 } }, 'tenancy.federation.props'],
    [{ federation: { clusters: 2.5 } }, 'tenancy.federation.props'],
    [{ federation: { clusters: 2, survive: 'two-cluster-loss' } }, 'tenancy.federation.props'],
    [{ federation: { clusters: 2, minAvailablePercent: 0 } }, 'tenancy.federation.props'],
    [{ federation: { clusters: 2 }, pin: true }, 'tenancy.federation.pinned'],
    [{ federation: { clusters: 2 }, tenant: 'batch' }, 'tenancy.federation.tenant'],
    [{ federation: 'two' }, 'tenancy.props.type'],
    [{ federation: { clusters: 2 } }, 'tenancy.federation.too-few-clusters'],
  ])('%j: %s', (props, rule) => {
    expect(errorsOf(props)).toEqual([rule]);
  });

  test('a region without a pool of the profile is a named error', () => {
    const fleet = new Fleet({ outdir: tmpOutdir(), maintenanceZones: 4 });
    const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 16, memory: Size.gibibytes(64) } });
    const gpu = new NodeProfile(fleet, 'gpu', { machine: { cpuCores: 16, memory: Size.gibibytes(64), gpus: 2 } });
    new Cluster(fleet, 'lva1-prod-1', { region: 'lva1' }).addPool('general', { nodeProfile: general, capacity: 8 });
    new Cluster(fleet, 'ltx1-prod-1', { region: 'ltx1' }).addPool('gpu', { nodeProfile: gpu, capacity: 8 });
    new AppNamespace(fleet, 'x', { app: 'x', tenant: 'stateless', nodeProfile: gpu, regions: ['lva1'], reserve: { pods: 1 } });
    const e = synthErrors(fleet).violations.find(v => v.rule === 'tenancy.region.no-capacity')!;
    expect(e.message).toBe("no workload cluster of region 'lva1' has a non-empty pool of node profile 'gpu'");
  });
});

describe('where and plan show every cluster of a federated app', () => {
  test('where lists both clusters with their shares and kubectl contexts', () => {
    const f = regionFleet();
    f.fleet.synth();
    const dir = f.fleet.fleetOutdir;
    const [entry] = whereAll(dir, readLock(dir), ['members'], []);
    expect(entry.cluster).toBe('lva1-prod-1');
    expect(entry.region).toBe('lva1');
    expect(entry.clusters!.map(c => [c.cluster, c.canary, c.shares, c.kubectl])).toEqual([
      ['lva1-prod-1', true, { 'members-api': 6 }, 'kubectl --context lva1-prod-1 -n members'],
      ['lva1-prod-2', false, { 'members-api': 6 }, 'kubectl --context lva1-prod-2 -n members'],
    ]);
    expect(entry.clusters![1].workloads.map(w => `${w.kind}/${w.name}`)).toContain('CloneSet/members-api');
    const text = formatWhere(entry);
    expect(text).toContain('lva1-prod-1 (region lva1), the first of 2 (federated)');
    expect(text).toContain('lva1-prod-2  shares: members-api 6');
  });

  test('plan shows the region of each cluster, the federated namespace under both clusters, the shares and the cluster-loss table', () => {
    const f = regionFleet();
    f.fleet.synth();
    const report = planReport(readOutputTree(f.fleet.fleetOutdir));
    const c1 = report.clusters.find(c => c.cluster === 'lva1-prod-1')!;
    expect(c1.region).toBe('lva1');
    expect(c1.namespaces.find(n => n.name === 'members')!.federatedOver).toEqual(['lva1-prod-1', 'lva1-prod-2']);
    expect(report.clusters.find(c => c.cluster === 'lva1-prod-2')!.namespaces.map(n => n.name)).toContain('members');
    expect(report.clusterLoss!.federated[0].clusters.map(c => c.cluster)).toEqual(['lva1-prod-1', 'lva1-prod-2']);
    const text = formatPlan(report);
    expect(text).toContain('cluster lva1-prod-1 (region lva1)');
    expect(text).toMatch(/members +lva1 +one-cluster-loss \(min 50%\) +lva1-prod-1 \(canaries\) +members-api 6/);
    expect(text).toMatch(/lva1-prod-2 +members-api 6/);
    // one cluster-loss table: the maintenance simulation's, over the clusters' objects, with the federated workload as
    // one app over its clusters (its share in the other cluster keeps it up; the survivors' room takes the lost share)
    expect(text).toMatch(/LOST CLUSTER +APPS +DOWN/);
    expect(text).not.toMatch(/LOST CLUSTER +REGION/);
    const members = (cluster: string) => report.maintenance!.clusterLoss.find(l => l.cluster === cluster)!.apps.find(a => a.app === 'members/members-api')!;
    expect(members('lva1-prod-1')).toMatchObject({ lost: 6, minReplicas: 6 });
    expect(members('lva1-prod-1').outcome).not.toBe('down');
    expect(members('lva1-prod-2').running).toBeGreaterThanOrEqual(6);
    expect(report.maintenance!.clusterLoss.flatMap(l => l.down)).not.toContain('members/members-api');
    expect(JSON.parse(JSON.stringify(report)).clusterLoss.clusters.map((c: any) => c.cluster)).toEqual(['ltx1-prod-1', 'lva1-prod-1', 'lva1-prod-2']);
    // the HTML report marks the federated namespace in both clusters, and each cluster's region
    const html = renderReport(report, undefined);
    expect(html.match(/members <em>\(federated over lva1-prod-1, lva1-prod-2\)<\/em>/g)).toHaveLength(2);
    expect(html).toContain('region lva1, ');
  });
});

describe('the lock records a federation, and a malformed one is a named error', () => {
  test('parse and serialize round-trip: clusters in order, shares by workload then cluster order', () => {
    const text = serializePlacementLock(new Map([['members', {
      cluster: 'b', namespace: 'members', nodeProfile: 'general', clusters: ['b', 'a'], shares: { web: { a: 3, b: 4 }, api: { b: 1, a: 2 } },
    }]]));
    expect(JSON.parse(text).placements.members).toEqual({
      cluster: 'b', namespace: 'members', nodeProfile: 'general', clusters: ['b', 'a'], shares: { api: { b: 1, a: 2 }, web: { b: 4, a: 3 } },
    });
    expect(Object.keys(JSON.parse(text).placements.members.shares.web)).toEqual(['b', 'a']);
    const parsed = parsePlacementLock(text);
    expect('placements' in parsed && serializePlacementLock(parsed.placements)).toBe(text);
  });

  test.each([
    [{ clusters: ['a'] }],
    [{ clusters: ['b', 'a'] }],
    [{ clusters: ['a', 'a'] }],
    [{ clusters: ['a', 'b'], shares: { web: { c: 1 } } }],
    [{ clusters: ['a', 'b'], shares: { web: { a: -1 } } }],
    [{ shares: { web: { a: 1 } } }],
  ])('%j', fields => {
    const doc = { apiVersion: 'fleet.cdk8s.io/v1alpha1', kind: 'PlacementLock', placements: { m: { cluster: 'a', namespace: 'm', nodeProfile: 'general', ...fields } } };
    expect(parsePlacementLock(JSON.stringify(doc))).toEqual({ error: expect.stringContaining("placement of 'm'") });
    const fleet = regionFleet({ lock: { m: { cluster: 'a', namespace: 'm', nodeProfile: 'general', ...fields } } }).fleet;
    expect(synthErrors(fleet).violations.map(v => v.rule)).toContain('tenancy.lock.placement');
  });
});

describe('one cluster-loss report: the federated apps fed into the maintenance simulation', () => {
  test('federateLossInput: a federated workload is one app over its clusters (whatever each cluster\'s kind), with the federation\'s minimum; others are left alone', () => {
    const req = { cpuMillis: 1000, memoryMiB: 1024, gpus: 0 };
    const input = {
      clusters: [],
      apps: [
        { app: 'members/members-api', minReplicas: 5, shares: [{ cluster: 'a', replicas: 6, requests: req, nodeProfile: 'general' }], failover: false },
        { app: 'members/members-api', minReplicas: 5, shares: [{ cluster: 'b', replicas: 6, requests: req, nodeProfile: 'general' }], failover: false },
        { app: 'members/members-api-canary', minReplicas: 0, shares: [{ cluster: 'a', replicas: 1, requests: req, nodeProfile: 'general' }], failover: false },
        { app: 'search/web', minReplicas: 3, shares: [{ cluster: 'b', replicas: 4, requests: req, nodeProfile: 'general' }], failover: false },
      ],
    };
    const federated = [{
      app: 'members',
      namespace: 'members',
      region: 'lva1',
      survive: 'one-cluster-loss',
      minAvailablePercent: 50,
      minimums: { 'members-api': 6 },
      clusters: [{ cluster: 'a', canary: true, shares: { 'members-api': 6 } }, { cluster: 'b', canary: false, shares: { 'members-api': 6 } }],
    }];
    const out = federateLossInput(input, federated);
    expect(out.apps).toEqual([
      input.apps[2],
      input.apps[3],
      { app: 'members/members-api', minReplicas: 6, shares: [...input.apps[0].shares, ...input.apps[1].shares], failover: true },
    ]);
    expect(federateLossInput(input, [])).toBe(input);
  });
});
