/**
 * The hub's inventory records: a ComputeBrokerPool and a KubernetesPool per
 * (cluster, pool), and the CRDs that define them.
 */
import { PoolPlan } from './slots';
import { LABEL_PREFIX, Labels } from '../core/names';
import { ResourceAmounts, formatCpu, formatMemory } from '../core/resources';
import { FLEET_API_VERSION } from '../crds/pools';
import { renderKubeletConfiguration } from '../machines/kubelet-config';
import { SYSCTL_FILE } from '../machines/sysctls';
import { KubeObject } from '../synth/context';
import { NODE_PROFILES_DIR } from '../synth/layout';

/** Name of a pool's inventory records on the hub: `<cluster>-<pool>`. @internal */
export function inventoryName(plan: PoolPlan): string {
  return `${plan.spec.clusterName}-${plan.spec.name}`;
}

/** Labels every node of a pool carries (without its zone, which varies per node). @internal */
export function poolNodeLabels(plan: PoolPlan): Readonly<Record<string, string>> {
  return plan.spec.nodeLabels;
}

/** Node labels of the node configuration a zone gets now, in a rollout (each only when the rollout sets it). @internal */
export const ROLLOUT_LABELS = {
  /** The rollout the zone's nodes are in. */
  ROLLOUT: `${LABEL_PREFIX}/node-rollout`,
  /** The zone's state in it: updated, updating, pending. */
  STATE: `${LABEL_PREFIX}/node-rollout-state`,
  /** Kubelet version. */
  KUBELET_VERSION: `${LABEL_PREFIX}/kubelet-version`,
  /** Node configuration revision. */
  NODE_CONFIG: `${LABEL_PREFIX}/node-config`,
  /** OS image. */
  OS_IMAGE: `${LABEL_PREFIX}/os-image`,
} as const;

function zones(plan: PoolPlan, withRollout: boolean) {
  const rollout = withRollout ? plan.rollout : undefined;
  const byZone = new Map((rollout?.zones ?? []).map(z => [z.zone, z]));
  return plan.zones.map(z => {
    const r = byZone.get(z.zone);
    if (!rollout || !r) return { zone: z.zone, capacity: z.nodes, nodeLabels: { [Labels.MAINTENANCE_ZONE]: z.zone } };
    const c = r.config;
    return {
      zone: z.zone,
      capacity: z.nodes,
      nodeLabels: {
        [Labels.MAINTENANCE_ZONE]: z.zone,
        [ROLLOUT_LABELS.ROLLOUT]: rollout.name,
        [ROLLOUT_LABELS.STATE]: r.state,
        [ROLLOUT_LABELS.KUBELET_VERSION]: c.kubeletVersion,
        ...(c.nodeConfig !== undefined ? { [ROLLOUT_LABELS.NODE_CONFIG]: c.nodeConfig } : {}),
        ...(c.osImage !== undefined ? { [ROLLOUT_LABELS.OS_IMAGE]: c.osImage } : {}),
      },
      rollout: {
        state: r.state,
        nodeConfig: {
          kubeletVersion: c.kubeletVersion,
          ...(c.nodeConfig !== undefined ? { revision: c.nodeConfig } : {}),
          ...(c.osImage !== undefined ? { osImage: c.osImage } : {}),
        },
      },
    };
  });
}

function rolloutRecord(plan: PoolPlan): Record<string, unknown> | undefined {
  const r = plan.rollout;
  if (!r) return undefined;
  return {
    name: r.name,
    changes: { ...r.changes },
    zoneOrder: [...r.zoneOrder],
    zonesAtOnce: r.zonesAtOnce,
    soakSeconds: r.soakSeconds,
    completedZones: r.completedZones,
    updatingZones: r.zones.filter(z => z.state === 'updating').map(z => z.zone),
  };
}

function resources(r: ResourceAmounts, pods: number): Record<string, string | number> {
  return { cpu: formatCpu(r.cpuMillis), memory: formatMemory(r.memoryMiB), gpus: r.gpus, pods };
}

/**
 * What one node of a pool offers: the profile's allocatable, the per-node
 * overhead of the agents that run there, and what is left for app pods.
 * @internal
 */
export function nodeResources(plan: PoolPlan): Record<string, unknown> {
  return {
    allocatable: resources(plan.profileSpec.allocatable, plan.profileSpec.maxPods),
    daemonSets: resources(plan.agentRequestsPerNode, plan.agentPodsPerNode),
    forPods: resources(plan.appAllocatablePerNode, plan.appPodsPerNode),
  };
}

/** The KubernetesPool record of a pool. @internal */
export function renderKubernetesPool(plan: PoolPlan): KubeObject {
  const pool = plan.spec;
  const profile = plan.profileSpec;
  const kubelet = renderKubeletConfiguration(profile);
  return {
    apiVersion: FLEET_API_VERSION,
    kind: 'KubernetesPool',
    metadata: {
      name: inventoryName(plan),
      labels: { [Labels.CLUSTER]: pool.clusterName, [Labels.POOL]: pool.name, [Labels.NODE_PROFILE]: profile.name },
    },
    spec: {
      cluster: pool.clusterName,
      poolTemplate: {
        capacity: pool.capacity,
        nodeProfile: profile.name,
        nodeConfig: {
          kubeletVersion: pool.kubeletVersion,
          maxPods: profile.maxPods,
          cpuManagerPolicy: kubelet.cpuManagerPolicy,
          topologyManagerPolicy: kubelet.topologyManagerPolicy,
          kubeReserved: kubelet.kubeReserved,
          systemReserved: kubelet.systemReserved,
          evictionHard: kubelet.evictionHard,
          configFile: `${NODE_PROFILES_DIR}/${profile.name}/kubelet-config.yaml`,
          sysctls: { ...profile.sysctls },
          sysctlFile: `${NODE_PROFILES_DIR}/${profile.name}/${SYSCTL_FILE}`,
        },
        nodeResources: nodeResources(plan),
        nodeLabels: { ...pool.nodeLabels },
        taints: pool.taints.map(t => ({ key: t.key, value: t.value, effect: t.effect })),
        requiredDaemonSets: pool.requiredDaemonSets.map(d => d.name),
      },
      maintenanceZones: zones(plan, true),
      ...(plan.rollout ? { rollout: rolloutRecord(plan) } : {}),
    },
  };
}

/** The ComputeBrokerPool record of a pool. @internal */
export function renderComputeBrokerPool(plan: PoolPlan): KubeObject {
  const profile = plan.profileSpec;
  return {
    apiVersion: FLEET_API_VERSION,
    kind: 'ComputeBrokerPool',
    metadata: {
      name: inventoryName(plan),
      labels: { [Labels.CLUSTER]: plan.spec.clusterName, [Labels.POOL]: plan.spec.name, [Labels.NODE_PROFILE]: profile.name },
    },
    spec: {
      capacity: plan.spec.capacity,
      nodeProfile: profile.name,
      machine: {
        sku: profile.sku,
        cpuCores: profile.cpuCores,
        memory: formatMemory(profile.memoryMiB),
        gpus: profile.capacity.gpus,
        ...(profile.localSsdMiB !== undefined ? { localSsd: formatMemory(profile.localSsdMiB) } : {}),
      },
      maintenanceZones: zones(plan, false),
    },
  };
}
