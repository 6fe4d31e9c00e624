/**
 * CRDs of the machine and cluster layers: ComputeBrokerPool (machines a pool
 * holds, as the compute broker sees them) and KubernetesPool (how those
 * machines join a cluster), both declared on the hub cluster.
 */
import { CrdSpec, Schema, customResourceDefinition, integer, list, map, object, optional, required, statusSchema, string } from './schema';

/** API group of every custom resource the library defines. @internal */
export const FLEET_GROUP = 'fleet.cdk8s.io';
/** API version of the library's custom resources. @internal */
export const FLEET_VERSION = 'v1alpha1';
/** `apiVersion` of the library's custom resources. @internal */
export const FLEET_API_VERSION = `${FLEET_GROUP}/${FLEET_VERSION}`;

const quantity = (d: string): Schema => string(d, { pattern: '^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|Pi|k|M|G|T)?$' });

const capacity = integer('Number of nodes (machines).', { minimum: 0, maximum: 100000 });

const taints = list('Taints every node of the pool carries.', object('A node taint.', {
  key: required(string('Taint key.')),
  value: optional(string('Taint value.'), ''),
  effect: required(string('Taint effect.', { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] })),
}));

const nodeConfig = object('Kubelet configuration of the pool\'s nodes (the node profile\'s, summarized).', {
  kubeletVersion: required(string('Kubelet version.', { pattern: '^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?$' })),
  maxPods: required(integer('Maximum pods per node.', { minimum: 1, maximum: 1024 })),
  cpuManagerPolicy: optional(string('CPU manager policy.', { enum: ['none', 'static'] }), 'none'),
  topologyManagerPolicy: optional(string('Topology manager policy.', { enum: ['none', 'best-effort', 'restricted', 'single-numa-node'] }), 'none'),
  kubeReserved: required(map('kube-reserved resources.', quantity('A quantity.'))),
  systemReserved: required(map('system-reserved resources.', quantity('A quantity.'))),
  evictionHard: required(map('Hard eviction thresholds.', string('A threshold, a quantity or a percentage.'))),
  configFile: required(string('Path of the full KubeletConfiguration file in the GitOps output.')),
  sysctls: optional(map('Kernel parameters of the nodes (sysctl key to value): the library\'s defaults, which kube-proxy depends on, and the profile\'s own.', integer('A sysctl value.', { minimum: 0 })), {}),
  sysctlFile: optional(string('Path of the nodes\' sysctl.d file in the GitOps output.')),
});

const nodeAmounts = (d: string): Schema => object(d, {
  cpu: required(quantity('CPU.')),
  memory: required(quantity('Memory.')),
  gpus: required(integer('GPUs.', { minimum: 0 })),
  pods: required(integer('Pods.', { minimum: 0 })),
});

const nodeResources = object('What one node of the pool offers, as the synth computed it.', {
  allocatable: required(nodeAmounts('Allocatable of one node: capacity minus kube-reserved, system-reserved and the hard eviction memory; pods is maxPods.')),
  daemonSets: required(nodeAmounts('What the platform pods that run on every node of the pool (the required DaemonSets and kube-proxy) request on each node; pods is their count (none on an empty pool).')),
  forPods: required(nodeAmounts('What one node leaves for app pods: allocatable minus the DaemonSets.')),
});

const zoneFields = {
  zone: required(string('Maintenance zone name.')),
  capacity: required(integer('Nodes of the pool in this zone.', { minimum: 0 })),
  nodeLabels: required(map('Labels the pool\'s nodes in this zone carry in addition to poolTemplate.nodeLabels (the maintenance zone label; in a node rollout, the rollout\'s labels).', string('Label value.'))),
};

const zoneShares = list('Nodes of the pool per maintenance zone; no two zones differ by more than one node.', object('Nodes in one maintenance zone.', zoneFields),
  { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['zone'] });

const ROLLOUT_STATES = ['updated', 'updating', 'pending'];

const rolloutZoneShares = list('Nodes of the pool per maintenance zone; no two zones differ by more than one node. In a node rollout, each zone\'s state and the node configuration it gets now.', object('Nodes in one maintenance zone.', {
  ...zoneFields,
  rollout: optional(object('Where the pool\'s node rollout stands in this zone.', {
    state: required(string('updated (done and soaked or soaking), updating (being drained and changed now), or pending (keeps the current configuration).', { enum: ROLLOUT_STATES })),
    nodeConfig: required(object('The node configuration the zone\'s nodes get now.', {
      kubeletVersion: required(string('Kubelet version.', { pattern: '^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?$' })),
      revision: optional(string('Node configuration revision.', { maxLength: 63 })),
      osImage: optional(string('OS image.', { maxLength: 63 })),
    })),
  })),
}), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['zone'] });

const rollout = object('The node rollout the pool is in: a node change rolled over its zones in order, zonesAtOnce at a time, each soaking before the next start.', {
  name: required(string('Rollout name.', { minLength: 1, maxLength: 63 })),
  changes: required(object('What the rollout changes.', {
    kubeletVersion: optional(string('Kubelet version the zones get.')),
    nodeConfig: optional(string('Node configuration revision the zones get.', { maxLength: 63 })),
    osImage: optional(string('OS image the zones get.', { maxLength: 63 })),
  })),
  zoneOrder: required(list('The pool\'s zones in update order.', string('Zone name.'), { 'x-kubernetes-list-type': 'set' })),
  zonesAtOnce: required(integer('Zones updated at once.', { minimum: 1 })),
  soakSeconds: required(integer('Seconds an updated zone runs before the next zones start.', { minimum: 0, maximum: 604800 })),
  completedZones: required(integer('The pool\'s zones already updated.', { minimum: 0 })),
  updatingZones: required(list('Zones being updated now.', string('Zone name.'), { 'x-kubernetes-list-type': 'set' })),
}, [{ rule: 'self.completedZones <= size(self.zoneOrder)', message: 'completedZones counts zones of zoneOrder' }]);

/** The KubernetesPool CRD spec. @internal */
export const KUBERNETES_POOL_CRD: CrdSpec = {
  group: FLEET_GROUP,
  version: FLEET_VERSION,
  kind: 'KubernetesPool',
  plural: 'kubernetespools',
  shortNames: ['kpool'],
  scope: 'Cluster',
  spec: object('Desired state of a pool of nodes in a workload cluster.', {
    cluster: required(string('Name of the workload cluster the pool\'s nodes join.', { minLength: 1, maxLength: 63 })),
    poolTemplate: required(object('What every node of the pool is.', {
      capacity: required(capacity),
      nodeProfile: required(string('Node profile (minimum machine type and node configuration).', { minLength: 1, maxLength: 63 })),
      nodeConfig: required(nodeConfig),
      nodeResources: required(nodeResources),
      nodeLabels: required(map('Labels every node of the pool carries.', string('Label value.'))),
      taints: optional(taints, []),
      requiredDaemonSets: optional(list('Names of the DaemonSets that must run on every node of the pool.', string('DaemonSet name.'), { 'x-kubernetes-list-type': 'set' }), []),
    }, [{ rule: 'self.capacity >= 0', message: 'capacity must not be negative' }])),
    maintenanceZones: required(rolloutZoneShares),
    rollout: optional(rollout),
  }, [
    {
      rule: 'self.maintenanceZones.all(z, z.capacity >= 0) && self.maintenanceZones.map(z, z.capacity).sum() == self.poolTemplate.capacity',
      message: 'the maintenance zone capacities must add up to poolTemplate.capacity',
    },
  ]),
  status: statusSchema('Observed state of the pool.', {
    readyNodes: optional(integer('Nodes of the pool that are Ready.', { minimum: 0 })),
  }),
  printerColumns: [
    { name: 'Cluster', type: 'string', jsonPath: '.spec.cluster' },
    { name: 'Profile', type: 'string', jsonPath: '.spec.poolTemplate.nodeProfile' },
    { name: 'Capacity', type: 'integer', jsonPath: '.spec.poolTemplate.capacity' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.readyNodes' },
  ],
};

/** The ComputeBrokerPool CRD spec. @internal */
export const COMPUTE_BROKER_POOL_CRD: CrdSpec = {
  group: FLEET_GROUP,
  version: FLEET_VERSION,
  kind: 'ComputeBrokerPool',
  plural: 'computebrokerpools',
  shortNames: ['cbpool'],
  scope: 'Cluster',
  spec: object('Machines the compute broker keeps allocated to a pool.', {
    capacity: required(capacity),
    nodeProfile: required(string('Node profile whose minimum machine type every machine must meet.', { minLength: 1, maxLength: 63 })),
    machine: required(object('The minimum machine type.', {
      sku: required(string('Hardware SKU name.')),
      cpuCores: required(integer('Physical CPU cores.', { minimum: 1 })),
      memory: required(quantity('Memory.')),
      gpus: optional(integer('GPUs.', { minimum: 0 }), 0),
      localSsd: optional(quantity('Local SSD capacity.')),
    })),
    maintenanceZones: required(zoneShares),
  }, [{ rule: 'self.capacity >= 0', message: 'capacity must not be negative' }]),
  status: statusSchema('Machines the broker has allocated.', {
    allocated: optional(integer('Machines allocated to the pool.', { minimum: 0 })),
  }),
  printerColumns: [
    { name: 'Profile', type: 'string', jsonPath: '.spec.nodeProfile' },
    { name: 'Capacity', type: 'integer', jsonPath: '.spec.capacity' },
    { name: 'Allocated', type: 'integer', jsonPath: '.status.allocated' },
  ],
};

/** Both CRD objects. @internal */
export function poolCrds(): Record<string, unknown>[] {
  return [customResourceDefinition(COMPUTE_BROKER_POOL_CRD), customResourceDefinition(KUBERNETES_POOL_CRD)];
}
