import * as fs from 'fs';
import { ApiObject } from 'cdk8s';
import * as fc from 'fast-check';
import { Cluster, Cpu, Fleet, FleetValidationError, LiDeployment, NodeProfile, Size, AppNamespace } from '../../src';
import { ClusterLossInput, DrainClusterInput, DrainPool, DrainWorkload, simulateClusterLoss, simulateZoneDrain, simulateZoneDrains, worstCasePodsInZone } from '../../src/maintenance/drain';
import { MaintenanceReport, parseMaintenanceReport, zoneDrainsOf } from '../../src/maintenance/report';
import { smallFleet, synthErrors, tmpOutdir } from '../support/fleet';

const ZONES = Array.from({ length: 20 }, (_, i) => `mz-${String(i + 1).padStart(2, '0')}`);

function pool(name: string, nodesPerZone: number, profile = 'general', zones = ZONES): DrainPool {
  return {
    pool: name,
    nodeProfile: profile,
    forPodsPerNode: { cpuMillis: 30000, memoryMiB: 120000, gpus: 0 },
    podSlotsPerNode: 100,
    zones: zones.map(zone => ({ zone, nodes: nodesPerZone })),
  };
}

function workload(name: string, replicas: number, extra: Partial<DrainWorkload> = {}): DrainWorkload {
  return {
    namespace: name,
    name,
    kind: 'Deployment',
    replicas,
    requests: { cpuMillis: 1000, memoryMiB: 2048, gpus: 0 },
    nodeProfile: 'general',
    priority: 100000,
    zoneSpread: { maxSkew: 1, hard: true },
    disruptionBudget: 1,
    operatorCoordinated: false,
    ...extra,
  };
}

/**
 * A scheduler placing pods one at a time under a hard zone spread of maxSkew 1:
 * each pod goes to a zone whose count stays within the skew, chosen by `pick`
 * among the allowed ones (the real scheduler's choice among them depends on
 * scores the synth cannot know).
 */
function schedule(replicas: number, zones: number, pick: (allowed: number[], i: number) => number): number[] {
  const counts = new Array(zones).fill(0);
  for (let i = 0; i < replicas; i++) {
    const min = Math.min(...counts);
    const allowed = counts.map((c, z) => (c + 1 - min <= 1 ? z : -1)).filter(z => z >= 0);
    counts[allowed[pick(allowed, i) % allowed.length]]++;
  }
  return counts;
}

describe('zone-drain simulation (pure)', () => {
  test('property: with maxSkew 1 over 20 zones, one zone\'s drain never evicts more than ceil(replicas / zones) pods of a workload, and no scheduler placement puts more there', () => {
    const choicesArb = fc.array(fc.nat(), { minLength: 1, maxLength: 50 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 2000 }), choicesArb, fc.constantFrom(...ZONES), (replicas, choices, zone) => {
      const input: DrainClusterInput = { cluster: 'c', pools: [pool('general', 10)], workloads: [workload('app', replicas)] };
      const d = simulateZoneDrain(input, zone);
      const evicted = d.workloads[0].evicted;
      expect(evicted).toBeLessThanOrEqual(Math.ceil(replicas / 20));
      const placed = schedule(replicas, 20, (_allowed, i) => choices[i % choices.length]);
      for (const c of placed) expect(c).toBeLessThanOrEqual(evicted);
    }), { seed: 19, numRuns: 300 });
  });

  test('the worst case of a wider or soft spread', () => {
    expect(worstCasePodsInZone(10, 20, { maxSkew: 1, hard: true })).toBe(1);
    expect(worstCasePodsInZone(10, 20, { maxSkew: 2, hard: true })).toBe(2);
    expect(worstCasePodsInZone(41, 20, { maxSkew: 1, hard: true })).toBe(3);
    expect(worstCasePodsInZone(10, 20, { maxSkew: 1, hard: false })).toBe(10);
    expect(worstCasePodsInZone(10, 20)).toBe(10);
    expect(worstCasePodsInZone(10, 1, { maxSkew: 1, hard: true })).toBe(10);
  });

  test('property: a PodDisruptionBudget of maxUnavailable 0 on a stateless app is a drain deadlock in every zone; with an operator that moves the pods it waits for it', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.constantFrom(...ZONES), (replicas, zone) => {
      const stateless = simulateZoneDrain({ cluster: 'c', pools: [pool('general', 5)], workloads: [workload('app', replicas, { disruptionBudget: 0 })] }, zone);
      expect(stateless.workloads.map(w => w.outcome)).toEqual(['deadlock']);
      const shards = simulateZoneDrain({ cluster: 'c', pools: [pool('general', 5)], workloads: [workload('app', replicas, { kind: 'StatefulSet', disruptionBudget: 0, operatorCoordinated: true })] }, zone);
      expect(shards.workloads.map(w => w.outcome)).toEqual(['waits-for-operator']);
    }), { seed: 19, numRuns: 100 });
  });

  test('property: results do not depend on the order of pools and workloads', () => {
    const arbWorkload = fc.record({
      name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      replicas: fc.integer({ min: 1, max: 300 }),
      cpu: fc.integer({ min: 100, max: 30000 }),
      priority: fc.constantFrom(0, 100000, 200000),
      budget: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      profile: fc.constantFrom('general', 'big'),
    });
    const workloadsArb = fc.uniqueArray(arbWorkload, { selector: w => w.name, minLength: 1, maxLength: 6 });
    fc.assert(fc.property(workloadsArb, fc.integer({ min: 0, max: 3 }), (ws, nodes) => {
      const workloads = ws.map(w => workload(w.name, w.replicas, {
        requests: { cpuMillis: w.cpu, memoryMiB: 1024, gpus: 0 }, priority: w.priority, disruptionBudget: w.budget, nodeProfile: w.profile,
      }));
      const pools = [pool('a', nodes), pool('b', 1, 'big', ZONES.slice(0, 5)), pool('c', 2, 'general', ZONES.slice(10))];
      const forward = simulateZoneDrains({ cluster: 'c', pools, workloads });
      const backward = simulateZoneDrains({ cluster: 'c', pools: pools.slice().reverse(), workloads: workloads.slice().reverse() });
      const byZone = (ds: typeof forward) => new Map(ds.map(d => [d.zone, d]));
      expect(byZone(backward)).toEqual(byZone(forward));
    }), { seed: 19, numRuns: 200 });
  });

  test('evicted pods without room stay pending: within the budget the app is degraded, beyond it the drain stalls', () => {
    // 2 zones of 1 node, each node holds 30 cores for app pods; 40 pods of 1 core: after a drain 20 must fit in 30 - 20 = 10
    const pools = [pool('general', 1, 'general', ['mz-01', 'mz-02'])];
    const tight = simulateZoneDrain({ cluster: 'c', pools, workloads: [workload('app', 40, { disruptionBudget: 4 })] }, 'mz-01');
    expect(tight.workloads[0]).toMatchObject({ evicted: 20, rescheduled: 10, pending: 10, outcome: 'blocked', minimum: 36 });
    expect(tight.headroom[0].free.resources.cpuMillis).toBe(-10000);
    const degraded = simulateZoneDrain({ cluster: 'c', pools, workloads: [workload('app', 40, { disruptionBudget: 12 })] }, 'mz-01');
    expect(degraded.workloads[0].outcome).toBe('degraded');
    // higher priority takes the room first
    const two = simulateZoneDrain({ cluster: 'c', pools, workloads: [workload('low', 20, { priority: 1 }), workload('high', 20, { priority: 2 })] }, 'mz-01');
    expect(two.workloads.find(w => w.name === 'high')!.pending).toBe(0);
    expect(two.workloads.find(w => w.name === 'low')!.pending).toBe(10);
  });

  test('a workload on a profile without nodes in the zone loses nothing there', () => {
    const d = simulateZoneDrain({ cluster: 'c', pools: [pool('general', 1, 'general', ZONES.slice(0, 10))], workloads: [workload('app', 10)] }, 'mz-15');
    expect(d.workloads).toEqual([]);
    expect(d.nodes).toBe(0);
  });
});

describe('cluster-loss simulation (pure, typed input)', () => {
  const req = { cpuMillis: 1000, memoryMiB: 1024, gpus: 0 };
  const room = (cpu: number) => new Map([['general', { resources: { cpuMillis: cpu, memoryMiB: cpu * 10, gpus: 0 }, pods: 1000 }]]);
  const input: ClusterLossInput = {
    clusters: [{ cluster: 'a', free: room(100000) }, { cluster: 'b', free: room(5000) }, { cluster: 'c', free: room(0) }],
    apps: [
      { app: 'only-a', minReplicas: 3, shares: [{ cluster: 'a', replicas: 4, requests: req, nodeProfile: 'general' }], failover: false },
      { app: 'fed', minReplicas: 12, shares: [{ cluster: 'a', replicas: 10, requests: req, nodeProfile: 'general' }, { cluster: 'b', replicas: 10, requests: req, nodeProfile: 'general' }], failover: true },
      { app: 'tight', minReplicas: 18, shares: [{ cluster: 'b', replicas: 10, requests: req, nodeProfile: 'general' }, { cluster: 'c', replicas: 10, requests: req, nodeProfile: 'general' }], failover: true },
    ],
  };
  const loss = new Map(simulateClusterLoss(input).map(l => [l.cluster, l]));

  test('an app that runs only in the lost cluster is down; a federated one is absorbed as far as the survivors have room', () => {
    expect(loss.get('a')!.down).toEqual(['only-a']);
    // b has room for 5 of fed's 10 pods: 15 running, above its minimum of 12
    expect(loss.get('a')!.apps.find(x => x.app === 'fed')).toMatchObject({ lost: 10, absorbed: 5, running: 15, outcome: 'degraded' });
    expect(loss.get('b')!.apps.find(x => x.app === 'fed')).toMatchObject({ absorbed: 10, running: 20, outcome: 'absorbed' });
    // c has no room: tight keeps 10 of its minimum 18
    expect(loss.get('b')!.belowMinimum).toEqual(['tight']);
    expect(loss.get('b')!.survivors.find(s => s.cluster === 'a')!.free.get('general')!.resources.cpuMillis).toBe(90000);
  });

  test('the result does not depend on the order of apps or clusters', () => {
    const reversed = simulateClusterLoss({ clusters: input.clusters.slice().reverse(), apps: input.apps.slice().reverse() });
    const strip = (ls: ReturnType<typeof simulateClusterLoss>) => ls.map(l => ({ ...l, survivors: l.survivors.map(s => s.cluster).sort() }));
    expect(strip(reversed)).toEqual(strip(simulateClusterLoss(input)));
  });
});

function reportsOf(files: ReadonlyMap<string, string>): Map<string, MaintenanceReport> {
  const out = new Map<string, MaintenanceReport>();
  for (const [f, text] of files) if (f.endsWith('/maintenance.json')) out.set(f.split('/')[0], parseMaintenanceReport(text)!);
  return out;
}

describe('zone drains in a synthesized fleet', () => {
  test('each cluster\'s report simulates every zone; a LiDeployment of 40 over 20 zones loses 2 pods per zone, within its budget', () => {
    const f = smallFleet();
    const ns = new AppNamespace(f.fleet, 'feed-ns', { app: 'feed', tenant: 'stateless', owners: ['team-feed'], nodeProfile: f.general, cluster: f.cluster });
    new LiDeployment(ns, 'feed', { application: 'feed', version: { app: '1.0.0' }, replicas: 40, resources: { cpu: Cpu.millis(500), memory: Size.gibibytes(1) } });
    const r = f.fleet.synthesize();
    const report = reportsOf(r.files).get('prod-1')!;
    const zones = zoneDrainsOf(report);
    expect(zones.map(z => z.zone)).toEqual(ZONES);
    for (const z of zones) {
      expect(z.workloads).toEqual([expect.objectContaining({ namespace: 'feed', name: 'feed', kind: 'Deployment', replicas: 40, evicted: 2, rescheduled: 2, pending: 0, outcome: 'moves' })]);
    }
  });

  test('a hand-added Deployment with a PodDisruptionBudget of maxUnavailable 0 is a drain deadlock, reported at its construct; nothing is written', () => {
    const outdir = tmpOutdir();
    const f = smallFleet({ outdir });
    new ApiObject(f.cluster, 'legacy', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'legacy', namespace: 'legacy' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'legacy' } },
        template: { metadata: { labels: { app: 'legacy' } }, spec: { nodeSelector: { 'fleet.cdk8s.io/node-profile': 'general' }, containers: [{ name: 'x', image: 'registry.internal/x:1.0.0', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } } }] } },
      },
    });
    new ApiObject(f.cluster, 'legacy-pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'legacy', namespace: 'legacy' },
      spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'legacy' } } },
    });
    const e = synthErrors(f.fleet);
    expect(() => f.fleet.synth()).toThrow(FleetValidationError);
    expect(fs.existsSync(outdir)).toBe(false);
    const deadlock = e.violations.filter(v => v.rule === 'maintenance.drain.deadlock');
    expect(deadlock).toHaveLength(1);
    expect(deadlock[0].path).toBe('prod-1/legacy');
    expect(deadlock[0].message).toMatch(/allows no eviction/);
  });

  test('the report is the same whatever order the namespaces are declared in', () => {
    const build = (reverse: boolean) => {
      const fleet = new Fleet({ outdir: tmpOutdir() });
      const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 32, memory: Size.gibibytes(128) } });
      const cluster = new Cluster(fleet, 'prod-1', { region: 'lva1' });
      cluster.addPool('general', { nodeProfile: general, capacity: 40 });
      const apps = ['alpha', 'beta', 'gamma'];
      for (const app of reverse ? apps.slice().reverse() : apps) {
        const ns = new AppNamespace(fleet, `${app}-ns`, { app, tenant: 'stateless', owners: ['team'], nodeProfile: general, cluster });
        new LiDeployment(ns, app, { application: app, version: { app: '1.0.0' }, replicas: 7, resources: { cpu: Cpu.units(1), memory: Size.gibibytes(2) } });
      }
      return fleet.synthesize().files.get('prod-1/maintenance.json');
    };
    expect(build(true)).toBe(build(false));
  });
});
