/**
 * The machines and node agents of the example platform: LinkedIn-like
 * bare-metal node profiles and the DaemonSets their pools require. The example
 * fleet and the benchmark's generated fleet both build on them.
 */
import { Cpu, Fleet, NodeProfile, RequiredDaemonSet, Size } from '../src';

/** The example platform's node profiles. */
export function addNodeProfiles(fleet: Fleet) {
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
  const localSsd = new NodeProfile(fleet, 'local-ssd', {
    machine: { sku: 'st-48c-384g-15t', cpuCores: 48, memory: Size.gibibytes(384), localSsd: Size.tebibytes(15) },
    nodeConfig: { cpuManagerPolicy: 'static' },
    taints: [{ key: 'fleet.cdk8s.io/local-ssd', value: 'true', effect: 'NoSchedule' }],
  });
  return { general, highMemory, gpu, localSsd };
}

/** The example platform's node agents: two for every pool, one for local-SSD pools. */
export function addNodeAgents(fleet: Fleet) {
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
  return { logShipper, nodeMetrics, localVolumes };
}
