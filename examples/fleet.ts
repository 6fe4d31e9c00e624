/**
 * The example fleet, as a function so tests and benchmarks synthesize exactly
 * what the README's main job does.
 */
import { addControlPlanes } from './control-plane';
import { addExampleGuardrails } from './guardrails';
import { onboardExampleApps } from './tenancy';
import { addExampleWorkloads } from './workloads';
import { Cluster, Cpu, Fleet, NodeProfile, RequiredDaemonSet, Size } from '../src';

/** Options of the example fleet. */
export interface ExampleFleetOptions {
  /** Output directory. @default 'dist' */
  readonly outdir?: string;
}

/** Builds the example fleet. */
export function buildExampleFleet(options: ExampleFleetOptions = {}): Fleet {
  const fleet = new Fleet({
    outdir: options.outdir ?? 'dist',
    maintenanceZones: 20,
    kubernetesVersion: '1.28.9',
    hub: { region: 'lva1' },
  });

  // ---- machines -----------------------------------------------------------
  const general = new NodeProfile(fleet, 'general', {
    machine: { sku: 'gp-64c-256g', cpuCores: 64, memory: Size.gibibytes(256) },
  });
  const highMemory = new NodeProfile(fleet, 'high-memory', {
    machine: { sku: 'hm-64c-1t', cpuCores: 64, memory: Size.tebibytes(1) },
  });
  const gpu = new NodeProfile(fleet, 'gpu', {
    machine: { sku: 'gpu-96c-768g-8xh100', cpuCores: 96, memory: Size.gibibytes(768), gpus: 8 },
    nodeConfig: { cpuManagerPolicy: 'static' },
    taints: [{ key: 'fleet.cdk8s.io/gpu', value: 'true', effect: 'NoSchedule' }],
  });
  const storage = new NodeProfile(fleet, 'local-ssd', {
    machine: { sku: 'st-48c-384g-15t', cpuCores: 48, memory: Size.gibibytes(384), localSsd: Size.tebibytes(15) },
    nodeConfig: { cpuManagerPolicy: 'static' },
    taints: [{ key: 'fleet.cdk8s.io/local-ssd', value: 'true', effect: 'NoSchedule' }],
  });

  // ---- node agents every pool requires -------------------------------------
  const logShipper = new RequiredDaemonSet(fleet, 'log-shipper', {
    image: 'registry.internal/platform/log-shipper:3.4.1',
    args: ['--input=/var/log/pods', '--output=kafka://logs.internal:9092'],
    resources: { cpu: Cpu.millis(200), memory: Size.mebibytes(256) },
    hostPaths: [{ name: 'pod-logs', hostPath: '/var/log/pods', mountPath: '/var/log/pods' }],
    runAsRoot: true, // pod log files are root-owned on the host
    ports: [{ name: 'metrics', containerPort: 2020 }],
    readinessProbe: { path: '/api/v1/health', port: 'metrics' },
  });
  const nodeMetrics = new RequiredDaemonSet(fleet, 'node-metrics', {
    image: 'registry.internal/platform/node-exporter:1.8.2',
    args: ['--path.rootfs=/host/root', '--web.listen-address=:9100'],
    resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) },
    hostPaths: [{ name: 'root', hostPath: '/', mountPath: '/host/root', mountPropagation: 'HostToContainer' }],
    ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100 }],
  });
  const localVolumes = new RequiredDaemonSet(fleet, 'local-volume-provisioner', {
    image: 'registry.k8s.io/sig-storage/local-volume-provisioner:v2.6.0',
    resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) },
    hostPaths: [{ name: 'local-disks', hostPath: '/mnt/local-ssd', mountPath: '/mnt/local-ssd', readOnly: false, mountPropagation: 'HostToContainer' }],
    privileged: true, // discovers and formats the node's local SSDs
    clusterRules: [
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ],
  });
  const everyPool = [logShipper, nodeMetrics];

  // ---- clusters -------------------------------------------------------------
  const regions: Array<{ name: string; region: string; openKruise: boolean }> = [
    { name: 'lva1-prod-1', region: 'lva1', openKruise: false },
    { name: 'lva1-prod-2', region: 'lva1', openKruise: true },
    { name: 'ltx1-prod-1', region: 'ltx1', openKruise: true },
  ];
  for (const r of regions) {
    const cluster = new Cluster(fleet, r.name, { region: r.region, openKruise: r.openKruise });
    cluster.addPool('general', { nodeProfile: general, capacity: 2400, requiredDaemonSets: everyPool });
    cluster.addPool('high-memory', { nodeProfile: highMemory, capacity: 1010, requiredDaemonSets: everyPool });
    cluster.addPool('gpu', { nodeProfile: gpu, capacity: 200, requiredDaemonSets: everyPool });
    cluster.addPool('local-ssd', { nodeProfile: storage, capacity: 1003, requiredDaemonSets: [...everyPool, localVolumes] });
  }
  // the hub runs on a small general pool of its own
  fleet.hub.addPool('general', { nodeProfile: general, capacity: 40, requiredDaemonSets: everyPool });
  const onboarded = onboardExampleApps(fleet);
  addExampleGuardrails(fleet);
  addControlPlanes(fleet);

  addExampleWorkloads(fleet, onboarded);
  return fleet;
}
