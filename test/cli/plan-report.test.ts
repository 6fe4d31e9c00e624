import { buildExampleFleet } from '../../examples/fleet';
import { parseOutputTree } from '../../src';
import { planReport } from '../../src/cli/plan-report';
import { formatCpu, formatMemory } from '../../src/core/resources';
import { smallFleet, tmpOutdir } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

/**
 * What `cdk8s-fleet plan` showed for the example fleet while it still computed
 * each node's allocatable from the machine and the kubelet reservations:
 * nodes, allocatable per node (CPU millicores, MiB, GPUs), requested (CPU, MiB)
 * and of that the DaemonSets' CPU, per pool; per cluster nodes, allocatable
 * (CPU, MiB, GPUs) and requested (CPU, MiB).
 */
const BEFORE: Record<string, number[]> = {
  'hub/general': [40, 63670, 248966, 0, 12000, 15360, 12000],
  'hub': [40, 2546800, 9958640, 0, 12000, 15360],
  'ltx1-prod-1/general': [2400, 63670, 248966, 0, 720000, 921600, 720000],
  'ltx1-prod-1/gpu': [200, 95590, 762769, 8, 60000, 76800, 60000],
  'ltx1-prod-1/high-memory': [1010, 63670, 1019670, 0, 303000, 387840, 303000],
  'ltx1-prod-1/local-ssd': [1003, 47710, 377417, 0, 545200, 1299968, 401200],
  'ltx1-prod-1': [4613, 284085830, 2158488151, 1600, 1628200, 2686208],
  'lva1-prod-1/general': [2400, 63670, 248966, 0, 888000, 1265664, 720000],
  'lva1-prod-1/gpu': [200, 95590, 762769, 8, 60000, 76800, 60000],
  'lva1-prod-1/high-memory': [1010, 63670, 1019670, 0, 303000, 387840, 303000],
  'lva1-prod-1/local-ssd': [1003, 47710, 377417, 0, 401200, 513536, 401200],
  'lva1-prod-1': [4613, 284085830, 2158488151, 1600, 1652200, 2243840],
  'lva1-prod-2/general': [2400, 63670, 248966, 0, 720000, 921600, 720000],
  'lva1-prod-2/gpu': [200, 95590, 762769, 8, 188000, 863232, 60000],
  'lva1-prod-2/high-memory': [1010, 63670, 1019670, 0, 303000, 387840, 303000],
  'lva1-prod-2/local-ssd': [1003, 47710, 377417, 0, 401200, 513536, 401200],
  'lva1-prod-2': [4613, 284085830, 2158488151, 1600, 1612200, 2686208],
};

describe('the plan report reads allocatable from the hub records', () => {
  const result = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();

  test('every KubernetesPool record states per node the allocatable, the agents\' overhead and what is left for app pods', () => {
    const records = result.objects.filter(o => o.object.kind === 'KubernetesPool');
    expect(records.length).toBe(13);
    for (const pp of result.plan.clusters.pools.values()) {
      const record = records.find(r => r.object.metadata.name === `${pp.spec.clusterName}-${pp.spec.name}`)!.object as any;
      const amounts = (r: { cpuMillis: number; memoryMiB: number; gpus: number }, pods: number) =>
        ({ cpu: formatCpu(r.cpuMillis), memory: formatMemory(r.memoryMiB), gpus: r.gpus, pods });
      expect(record.spec.poolTemplate.nodeResources).toEqual({
        allocatable: amounts(pp.profileSpec.allocatable, pp.profileSpec.maxPods),
        daemonSets: amounts(pp.agentRequestsPerNode, pp.agentPodsPerNode),
        forPods: amounts(pp.appAllocatablePerNode, pp.appPodsPerNode),
      });
    }
  });

  test('cdk8s-fleet plan shows the numbers it showed when it recomputed the allocatable formula, plus kube-proxy on every node and the federated app', () => {
    const report = planReport(parseOutputTree(result.files));
    const now: Record<string, number[]> = {};
    for (const c of report.clusters) {
      for (const p of c.pools) {
        now[`${c.cluster}/${p.pool}`] = [p.nodes, p.allocatablePerNode.cpuMillis, p.allocatablePerNode.memoryMiB, p.allocatablePerNode.gpus,
          p.requested.cpuMillis, p.requested.memoryMiB, p.daemonSets.cpuMillis];
      }
      now[c.cluster] = [c.nodes, c.allocatable.cpuMillis, c.allocatable.memoryMiB, c.allocatable.gpus, c.requested.cpuMillis, c.requested.memoryMiB];
    }
    // what changed since: kube-proxy (200m, 256Mi) on every node, counted as a DaemonSet of each pool,
    // and the kubelet serving-CSR approver in every cluster (2 replicas of 10m / 128Mi, its memory limit), not in a pool
    const approver = [2 * 10, 2 * 128];
    // and members-api, federated over the two clusters of lva1: 12 pods of 2 cores and 4 GiB in each on the general
    // pool, and its one canary pod in its first cluster (lva1-prod-2)
    const members: Record<string, number> = { 'lva1-prod-1': 12, 'lva1-prod-2': 13 };
    const membersOf = (key: string) => (key.includes('/') && !key.endsWith('/general') ? 0 : members[key.split('/')[0]] ?? 0);
    const expected: Record<string, number[]> = {};
    for (const [key, [nodes, cpu, mem, gpus, reqCpu, reqMem, dsCpu]] of Object.entries(BEFORE)) {
      const pods = membersOf(key);
      expected[key] = key.includes('/')
        ? [nodes, cpu, mem, gpus, reqCpu + 200 * nodes + 2000 * pods, reqMem + 256 * nodes + 4096 * pods, dsCpu + 200 * nodes]
        : [nodes, cpu, mem, gpus, reqCpu + 200 * nodes + approver[0] + 2000 * pods, reqMem + 256 * nodes + approver[1] + 4096 * pods];
    }
    expect(now).toEqual(expected);
  });
});

describeWithSchemas('the hub records with nodeResources', () => {
  test('validate against the generated CRD, an empty pool included', () => {
    const { fleet, general, cluster } = smallFleet();
    cluster.addPool('drained', { nodeProfile: general, capacity: 0 });
    const hub = fleet.synthesize().objects.filter(o => o.cluster === 'hub');
    expect(hub.some(o => o.object.kind === 'KubernetesPool' && o.object.metadata.name === 'prod-1-drained')).toBe(true);
    expect(validateAll(hub)).toEqual([]);
  });
});
