/**
 * The hub's inventory records: a ComputeBrokerPool and a KubernetesPool per
 * (cluster, pool), and the CRDs that define them.
 */
import { poolTaints } from './daemonsets';
import { Labels } from '../core/names';
import { formatMemory, memoryToMiB } from '../core/resources';
import { FLEET_API_VERSION } from '../crds/pools';
import { renderKubeletConfiguration } from '../machines/kubelet-config';
import { FleetModel } from '../model';
import { PoolPlan } from './slots';
import { KubeObject } from '../synth/context';
import { NODE_PROFILES_DIR } from '../synth/layout';

/** Name of a pool's inventory records on the hub: `<cluster>-<pool>`. @internal */
export function inventoryName(plan: PoolPlan): string {
  return `${plan.cluster.clusterName}-${plan.pool.poolName}`;
}

/** Labels every node of a pool carries (without its zone, which varies per node). @internal */
export function poolNodeLabels(plan: PoolPlan): Record<string, string> {
  const m = plan.profile.props.machine;
  return {
    ...(plan.profile.props.nodeLabels ?? {}),
    ...(plan.pool.props.nodeLabels ?? {}),
    [Labels.POOL]: plan.pool.poolName,
    [Labels.NODE_PROFILE]: plan.profile.profileName,
    'node.kubernetes.io/instance-type': m.sku ?? plan.profile.profileName,
  };
}

function zones(plan: PoolPlan) {
  return plan.zones.map(z => ({ zone: z.zone, capacity: z.nodes, nodeLabels: { [Labels.MAINTENANCE_ZONE]: z.zone } }));
}

/** The KubernetesPool record of a pool. @internal */
export function renderKubernetesPool(plan: PoolPlan, model: FleetModel): KubeObject {
  const profile = plan.profile;
  const kubelet = renderKubeletConfiguration(profile);
  const capacity = plan.pool.props.capacity;
  return {
    apiVersion: FLEET_API_VERSION,
    kind: 'KubernetesPool',
    metadata: {
      name: inventoryName(plan),
      labels: { [Labels.CLUSTER]: plan.cluster.clusterName, [Labels.POOL]: plan.pool.poolName, [Labels.NODE_PROFILE]: profile.profileName },
    },
    spec: {
      cluster: plan.cluster.clusterName,
      poolTemplate: {
        capacity,
        nodeProfile: profile.profileName,
        nodeConfig: {
          kubeletVersion: model.kubeletVersionOf(profile, plan.cluster),
          maxPods: profile.maxPods,
          cpuManagerPolicy: kubelet.cpuManagerPolicy,
          topologyManagerPolicy: kubelet.topologyManagerPolicy,
          kubeReserved: kubelet.kubeReserved,
          systemReserved: kubelet.systemReserved,
          evictionHard: kubelet.evictionHard,
          configFile: `${NODE_PROFILES_DIR}/${profile.profileName}/kubelet-config.yaml`,
        },
        nodeLabels: poolNodeLabels(plan),
        taints: poolTaints(plan).map(t => ({ key: t.key, value: t.value ?? '', effect: t.effect })),
        requiredDaemonSets: plan.pool.requiredDaemonSets.map(d => d.daemonSetName),
      },
      maintenanceZones: zones(plan),
    },
  };
}

/** The ComputeBrokerPool record of a pool. @internal */
export function renderComputeBrokerPool(plan: PoolPlan): KubeObject {
  const m = plan.profile.props.machine;
  return {
    apiVersion: FLEET_API_VERSION,
    kind: 'ComputeBrokerPool',
    metadata: {
      name: inventoryName(plan),
      labels: { [Labels.CLUSTER]: plan.cluster.clusterName, [Labels.POOL]: plan.pool.poolName, [Labels.NODE_PROFILE]: plan.profile.profileName },
    },
    spec: {
      capacity: plan.pool.props.capacity,
      nodeProfile: plan.profile.profileName,
      machine: {
        sku: m.sku ?? plan.profile.profileName,
        cpuCores: m.cpuCores,
        memory: formatMemory(memoryToMiB(m.memory)),
        gpus: m.gpus ?? 0,
        ...(m.localSsd ? { localSsd: formatMemory(memoryToMiB(m.localSsd)) } : {}),
      },
      maintenanceZones: zones(plan),
    },
  };
}

