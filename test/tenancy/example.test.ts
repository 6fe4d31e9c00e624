import * as fs from 'fs';
import * as path from 'path';
import { buildExampleFleet } from '../../examples/fleet';
import { CLUSTER_LOSS_FILE, PLACEMENT_RECORD_FILE, fleetCapacityReport } from '../../src';
import { tmpOutdir } from '../support/fleet';

const result = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();
const placements = result.objects.filter(o => o.object.kind === 'NamespacePlacement').map(o => (o.object as any).spec);

describe('the example fleet onboards dozens of apps', () => {
  test('across every tenant class, node profile and workload cluster', () => {
    expect(placements.length).toBeGreaterThanOrEqual(36);
    expect(new Set(placements.map(p => p.tenant))).toEqual(new Set(['stateless', 'stateful', 'batch']));
    expect(new Set(placements.map(p => p.nodeProfile))).toEqual(new Set(['general', 'high-memory', 'gpu', 'local-ssd']));
    expect(new Set(placements.map(p => p.cluster))).toEqual(new Set(['lva1-prod-1', 'lva1-prod-2', 'ltx1-prod-1']));
    expect(placements.filter(p => p.reason === 'pinned').map(p => p.app).sort()).toEqual(['feed', 'identity', 'ranker', 'venice-feed', 'zookeeper-main']);
  });

  test('every app recorded in the committed lock file keeps its cluster', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'fleet.lock.json'), 'utf8')).placements;
    const record = JSON.parse(result.files.get(PLACEMENT_RECORD_FILE)!).placements;
    expect(Object.keys(lock).length).toBeGreaterThanOrEqual(36);
    for (const [app, p] of Object.entries(lock)) expect(record[app]).toEqual(p);
  });

  test('no cluster is over capacity on any node profile', () => {
    for (const c of fleetCapacityReport(result.plan)) {
      for (const line of c.byProfile.values()) {
        expect(line.free.resources.cpuMillis).toBeGreaterThanOrEqual(0);
        expect(line.free.resources.memoryMiB).toBeGreaterThanOrEqual(0);
        expect(line.free.resources.gpus).toBeGreaterThanOrEqual(0);
        expect(line.free.pods).toBeGreaterThanOrEqual(0);
      }
    }
  });

  test('each app namespace has its quota, limits, default-deny policy and role bindings', () => {
    for (const p of placements) {
      const files = [...result.files.keys()].filter(f => f.startsWith(`${p.cluster}/namespaces/${p.namespace}/`)).map(f => path.basename(f));
      expect(files).toEqual(expect.arrayContaining([
        'resourcequota-app-quota.yaml', 'limitrange-app-limits.yaml', 'networkpolicy-default-deny.yaml',
        'rolebinding-fleet-app-viewer.yaml', 'rolebinding-fleet-app-deployer.yaml', 'rolebinding-fleet-app-admin.yaml',
      ]));
      expect(result.files.has(`${p.cluster}/cluster/namespace-${p.namespace}.yaml`)).toBe(true);
    }
  });
});

describe('the example fleet federates a stateless app over two clusters of lva1', () => {
  test('members-api runs its share in lva1-prod-1 (Deployment) and lva1-prod-2 (CloneSet, with the canary), recorded in the lock', () => {
    const record = JSON.parse(result.files.get(PLACEMENT_RECORD_FILE)!).placements['members-api'];
    expect(record.clusters).toEqual(['lva1-prod-2', 'lva1-prod-1']);
    expect(record.shares).toEqual({ 'members-api': { 'lva1-prod-2': 12, 'lva1-prod-1': 12 } });
    const replicas = (f: string) => (result.objects.find(o => o.file === f)?.object as any)?.spec.replicas;
    expect(replicas('lva1-prod-1/namespaces/members-api/deployment-members-api.yaml')).toBe(12);
    expect(replicas('lva1-prod-2/namespaces/members-api/cloneset-members-api.yaml')).toBe(12);
    expect(replicas('lva1-prod-2/namespaces/members-api/cloneset-members-api-canary.yaml')).toBe(1);
    expect(result.files.has('lva1-prod-1/namespaces/members-api/deployment-members-api-canary.yaml')).toBe(false);
  });

  test('the cluster-loss report: losing either lva1 cluster leaves members-api running, above its minimum', () => {
    const loss = JSON.parse(result.files.get(CLUSTER_LOSS_FILE)!);
    for (const c of loss.clusters.filter((x: any) => x.region === 'lva1')) {
      expect(c.degraded).toEqual(['members-api']);
      expect(c.belowMinimum).toEqual([]);
      expect(c.down).not.toContain('members-api');
    }
    expect(loss.clusters.find((x: any) => x.cluster === 'lva1-prod-1').down).toContain('feed');
  });
});
