import { parse } from 'yaml';
import { clustersFor, generateFleet, generatedAppOf, seededRng, statefulAppsFor } from '../../bench/generator';
import { AppNamespace, Cluster, Fleet, KubernetesPool, LiDeployment, LiStatefulSet, NodeProfile, RequiredDaemonSet } from '../../src';
import { FleetModel } from '../../src/core/model';
import { tmpOutdir } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

const SMALL = { apps: 45, statefulApps: 3, clusters: 4 };

function synth(fleet: Fleet) {
  return fleet.synthesize();
}

describe('the benchmark fleet generator', () => {
  test('the same seed gives the same output, byte for byte; another seed another fleet', () => {
    const a = synth(generateFleet({ ...SMALL, seed: 7, outdir: tmpOutdir() }));
    const b = synth(generateFleet({ ...SMALL, seed: 7, outdir: tmpOutdir() }));
    const c = synth(generateFleet({ ...SMALL, seed: 8, outdir: tmpOutdir() }));
    expect([...a.files.entries()]).toEqual([...b.files.entries()]);
    expect([...a.files.entries()]).not.toEqual([...c.files.entries()]);
  });

  test('the platform: 20 maintenance zones, 5 node profiles, node agents, the hub and the workload clusters', () => {
    const fleet = generateFleet({ ...SMALL, seed: 1, outdir: tmpOutdir() });
    const model = new FleetModel(fleet);
    expect(fleet.maintenanceZones).toHaveLength(20);
    expect(model.ofType(NodeProfile).map(p => p.profileName).sort()).toEqual(['compute', 'general', 'gpu', 'high-memory', 'local-ssd']);
    expect(model.ofType(RequiredDaemonSet).length).toBe(5);
    const workloadClusters = model.ofType(Cluster).filter(c => c.role === 'workload');
    expect(workloadClusters).toHaveLength(SMALL.clusters);
    for (const c of workloadClusters) {
      const nodes = c.pools.reduce((n, p) => n + p.props.capacity, 0);
      expect(nodes).toBeGreaterThanOrEqual(3700);
      expect(nodes).toBeLessThanOrEqual(5600);
    }
    expect(model.ofType(KubernetesPool).some(p => p.nodeProfileName === 'gpu')).toBe(true);
  });

  test('apps: the requested count, stateful ones on local SSD, some with a canary', () => {
    const fleet = generateFleet({ ...SMALL, seed: 1, outdir: tmpOutdir() });
    const specs = new FleetModel(fleet).ofType(AppNamespace).map(ns => generatedAppOf(ns)!);
    expect(specs).toHaveLength(SMALL.apps);
    expect(new Set(specs.map(s => s.name)).size).toBe(SMALL.apps);
    const stateful = specs.filter(s => s.stateful);
    expect(stateful).toHaveLength(SMALL.statefulApps);
    expect(stateful.every(s => s.nodeProfile === 'local-ssd' && s.tenant === 'stateful' && s.volumeGiB > 0)).toBe(true);
    expect(specs.some(s => s.canaryReplicas > 0)).toBe(true);
  });

  test('sizes follow LinkedIn\'s ratios: 100 clusters and 200 stateful apps for 3,000 apps', () => {
    expect(clustersFor(3000)).toBe(100);
    expect(statefulAppsFor(3000)).toBe(200);
  });

  test('the seeded generator is deterministic and in [0, 1)', () => {
    const r1 = seededRng(3);
    const r2 = seededRng(3);
    const xs = Array.from({ length: 1000 }, () => r1());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => r2()));
    expect(xs.every(x => x >= 0 && x < 1)).toBe(true);
  });

  test('every app gets its real workloads: a LiDeployment, or a LiStatefulSet for stateful apps, rendered in its routed cluster', () => {
    const fleet = generateFleet({ ...SMALL, seed: 1, outdir: tmpOutdir() });
    const namespaces = new FleetModel(fleet).ofType(AppNamespace);
    for (const ns of namespaces) {
      const app = generatedAppOf(ns)!;
      expect(ns.workloads).toHaveLength(1);
      expect(ns.workloads[0]).toBeInstanceOf(app.stateful ? LiStatefulSet : LiDeployment);
    }
    const result = synth(fleet);
    const ns = namespaces.find(n => !generatedAppOf(n)!.stateful && generatedAppOf(n)!.canaryReplicas > 0)!;
    const cluster = result.plan.tenancy.placement.get(ns)!.clusterName;
    const kinds = result.objects.filter(o => o.cluster === cluster && o.object.metadata.namespace === ns.namespaceName).map(o => o.object.kind);
    expect(kinds).toEqual(expect.arrayContaining(['ServiceAccount', 'Service', 'PodDisruptionBudget', 'ConfigMap', 'NetworkPolicy', 'ResourceQuota']));
    expect(kinds.filter(k => k === 'Deployment' || k === 'CloneSet')).toHaveLength(2); // stable and canary
  });
});

describeWithSchemas('the generated fleet is schema-valid', () => {
  test('every object validates strictly against Kubernetes v1.28.0 and the CRDs; files parse back', () => {
    const result = synth(generateFleet({ ...SMALL, seed: 42, outdir: tmpOutdir() }));
    expect(result.objects.length).toBeGreaterThan(300);
    expect(validateAll(result.objects)).toEqual([]);
    for (const o of result.objects) expect(parse(result.files.get(o.file)!)).toEqual(JSON.parse(JSON.stringify(o.object)));
  });
});
