import { Cluster, Cpu, Fleet, Labels, NodeProfile, RequiredDaemonSet, Size } from '../../src';
import { resolveCluster, resolveDaemonSet, resolvePool, clustersLayer } from '../../src/clusters/layer';
import { resolveControlPlane } from '../../src/control-plane/settings';
import { Violations } from '../../src/core/errors';
import { FleetModel } from '../../src/core/model';
import { resolveGuardrailPolicy } from '../../src/guardrails/policy';
import { machinesLayer } from '../../src/machines/layer';
import { synthesizeFleet } from '../../src/synth/pipeline';
import { smallFleet, synthErrors, tmpOutdir } from '../support/fleet';

const FACTS = { fleetKubernetesVersion: '1.28.9', fleetVersionReported: false };

function resolvedSpecs(fleet: Fleet) {
  const model = new FleetModel(fleet);
  const v = new Violations();
  const policy = { guardrails: resolveGuardrailPolicy(model, v) };
  const machines = machinesLayer.resolve!(model, policy, v);
  const clusters = clustersLayer.resolve!(model, { ...policy, ...machines }, v);
  return { model, v, spec: { ...policy, ...machines, ...clusters } };
}

describe('resolveCluster', () => {
  test("applies the fleet's Kubernetes version and the defaults", () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const cluster = new Cluster(fleet, 'prod-1', { region: 'lva1' });
    const v = new Violations();
    expect(resolveCluster(cluster, FACTS, v)).toEqual({
      construct: cluster,
      name: 'prod-1',
      role: 'workload',
      region: 'lva1',
      kubernetesVersion: '1.28.9',
      kubernetesVersionValid: true,
      openKruise: false,
      labels: {},
      kubeProxy: {
        valid: true,
        mode: 'ipvs',
        conntrackMaxPerCore: 32768,
        conntrackMin: 131072,
        tcpEstablishedTimeoutSeconds: 86400,
        tcpCloseWaitTimeoutSeconds: 3600,
        ipvsScheduler: 'rr',
        ipvsTcpTimeoutSeconds: 900,
        ipvsTcpFinTimeoutSeconds: 30,
        ipvsUdpTimeoutSeconds: 300,
        metricsBindAddress: '127.0.0.1:10249',
        healthzBindAddress: '0.0.0.0:10256',
        requests: { cpuMillis: 200, memoryMiB: 256, gpus: 0 },
      },
    });
    expect(v.all()).toEqual([]);
  });

  test('a bad prop is reported with path, rule and fix', () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const cluster = new Cluster(fleet, 'prod-1', { region: 'lva1', kubernetesVersion: '1.19.0' });
    const v = new Violations();
    const spec = resolveCluster(cluster, FACTS, v);
    expect(v.all().map(x => [x.path, x.rule])).toEqual([[cluster.node.path, 'cluster.kubernetes-version']]);
    expect(v.all()[0].fix).toMatch(/supported version/);
    expect(spec.kubernetesVersionValid).toBe(false);
  });
});

describe('resolveDaemonSet', () => {
  test('applies every default once', () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const agent = new RequiredDaemonSet(fleet, 'agent', {
      image: 'registry.internal/agent:1.0.0',
      resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) },
      env: { B: '2', A: '1' },
      hostPaths: [{ name: 'logs', hostPath: '/var/log', mountPath: '/logs' }],
    });
    const v = new Violations();
    const spec = resolveDaemonSet(agent, v);
    expect(v.all()).toEqual([]);
    expect(spec).toMatchObject({
      construct: agent,
      name: 'agent',
      valid: true,
      requests: { cpuMillis: 100, memoryMiB: 128, gpus: 0 },
      cpuLimitMillis: 100,
      env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
      args: [],
      ports: [],
      clusterRules: [],
      hostPaths: [{ name: 'logs', hostPath: '/var/log', mountPath: '/logs', readOnly: true }],
      privileged: false,
      runAsRoot: false,
      maxUnavailable: '10%',
      priorityClassName: 'system-node-critical',
      needsPrivilegedNamespace: true,
    });
    expect(spec.command).toBeUndefined();
  });

  test('a bad prop is reported with path, rule and fix and marks the spec', () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const agent = new RequiredDaemonSet(fleet, 'agent', { image: 'registry.internal/agent:latest', resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) } });
    const v = new Violations();
    expect(resolveDaemonSet(agent, v).valid).toBe(false);
    expect(v.all().map(x => [x.path, x.rule])).toEqual([[agent.node.path, 'daemonset.image.pinned']]);
    expect(v.all()[0].fix).toMatch(/pin the image/);
  });
});

describe('resolvePool', () => {
  test("applies the fleet's zones, the profile's labels and taints and the cluster's kubelet version", () => {
    const { fleet, general, logs, pool } = smallFleet();
    (general.props as any).taints = [{ key: 'dedicated', effect: 'NoSchedule' }];
    (general.props as any).nodeLabels = { tier: 'general' };
    const { v, spec } = resolvedSpecs(fleet);
    expect(v.all()).toEqual([]);
    const p = spec.clusters.pool(pool);
    expect(p).toMatchObject({
      construct: pool,
      name: 'general',
      clusterName: 'prod-1',
      valid: true,
      capacity: 40,
      capacityValid: true,
      profileName: 'general',
      minNodesPerZone: 1,
      kubeletVersion: fleet.kubernetesVersion,
      taints: [{ key: 'dedicated', value: '', effect: 'NoSchedule' }],
      nodeLabels: { 'tier': 'general', [Labels.POOL]: 'general', [Labels.NODE_PROFILE]: 'general', 'node.kubernetes.io/instance-type': 'general' },
    });
    expect(p.profile?.construct).toBe(general);
    expect(p.zones).toEqual(fleet.maintenanceZones);
    expect(p.requiredDaemonSets.map(d => d.construct)).toEqual([logs]);
    expect(spec.clusters.clusters.map(c => c.name)).toEqual(['hub', 'prod-1']);
    expect(spec.clusters.hub.role).toBe('hub');
    expect(spec.clusters.workloadClusters.map(c => c.name)).toEqual(['prod-1']);
  });

  test('a bad capacity is reported once with path, rule and fix, and counts no nodes', () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const profile = new NodeProfile(fleet, 'general', { machine: { cpuCores: 32, memory: Size.gibibytes(128) } });
    const cluster = new Cluster(fleet, 'prod-1', { region: 'lva1' });
    const pool = cluster.addPool('general', { nodeProfile: profile, capacity: -3 });
    const v = new Violations();
    const model = new FleetModel(fleet);
    const machines = machinesLayer.resolve!(model, { guardrails: resolveGuardrailPolicy(model, new Violations()) }, new Violations()).machines;
    const spec = resolvePool(pool, { machines, cluster: resolveCluster(cluster, FACTS, v), daemonSets: new Map() }, v);
    expect(v.all().map(x => [x.path, x.rule])).toEqual([[pool.node.path, 'pool.capacity.non-negative-integer']]);
    expect(v.all()[0].fix).toMatch(/whole number of nodes/);
    expect(spec).toMatchObject({ valid: false, capacity: 0, capacityValid: false });
    // the whole synth reports it once too
    expect(synthErrors(fleet).violations.filter(x => x.severity === 'error').map(x => x.rule)).toEqual(['pool.capacity.non-negative-integer']);
  });
});

describe('the per-node overhead the clusters layer publishes', () => {
  test('agents run only on non-empty pools; a node leaves its allocatable minus the agents for app pods', () => {
    const { fleet, general, logs, cluster } = smallFleet();
    const drained = cluster.addPool('drained', { nodeProfile: general, capacity: 0, requiredDaemonSets: [logs] });
    const result = synthesizeFleet(fleet);
    const pools = result.plan.clusters.poolsOf(cluster);
    const [busy, empty] = pools;
    expect(empty.pool).toBe(drained);
    expect(empty.agents).toEqual([]);
    expect(empty.agentPodsPerNode).toBe(0);
    expect(busy.agents.map(a => a.construct)).toEqual([logs]);
    expect(empty.kubeProxyRequestsPerNode).toEqual({ cpuMillis: 0, memoryMiB: 0, gpus: 0 });
    // the log shipper (100m, 128Mi) and kube-proxy (200m, 256Mi) on every node
    expect(busy.kubeProxyRequestsPerNode).toEqual({ cpuMillis: 200, memoryMiB: 256, gpus: 0 });
    expect(busy.agentRequestsPerNode).toEqual({ cpuMillis: 300, memoryMiB: 384, gpus: 0 });
    expect(busy.agentPodsPerNode).toBe(2);
    const alloc = result.spec.machines.of(general)!.allocatable;
    expect(busy.appAllocatablePerNode).toEqual({ cpuMillis: alloc.cpuMillis - 300, memoryMiB: alloc.memoryMiB - 384, gpus: 0 });
    expect(busy.appPodsPerNode).toBe(108);
    expect(result.plan.clusters.agents.get(cluster)).toEqual({ pods: 80, requests: { cpuMillis: 12000, memoryMiB: 15360, gpus: 0 } });
    // the rendering reads the same decision: no DaemonSet on the empty pool; kube-proxy once for the cluster
    const daemonSets = result.objects.filter(o => o.object.kind === 'DaemonSet').map(o => o.object.metadata.name);
    expect(daemonSets.sort()).toEqual(['kube-proxy', 'log-shipper-general']);
  });
});

describe('resolveControlPlane', () => {
  test("reads the cluster's spec: its domain from the name and region, its image from the resolved version", () => {
    const { fleet, cluster } = smallFleet();
    const { spec } = resolvedSpecs(fleet);
    const v = new Violations();
    const s = resolveControlPlane(spec.clusters.cluster(cluster), undefined, 40, cluster.node.path, v);
    expect(v.errorCount).toBe(0);
    expect(s.domain).toBe('prod-1.lva1.k8s.internal');
    expect(s.version).toBe(fleet.kubernetesVersion);
    expect(s.apiserver.image).toBe(`registry.k8s.io/kube-apiserver:v${fleet.kubernetesVersion}`);
    expect(s.apiserver.unsafe).toEqual({
      anonymousAuth: false, profiling: false, withoutAlwaysPullImages: false, withoutEventRateLimit: false, withoutDenyServiceExternalIPs: false,
    });
  });
});
