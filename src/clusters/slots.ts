/**
 * What the clusters layer publishes to the layers above it: every cluster,
 * pool and required DaemonSet resolved once (defaults applied), every pool's
 * shape (its nodes per maintenance zone), the node agents that run on it and
 * what they leave per node, and every cluster's capacity.
 */
import { ClusterCapacity } from './capacity';
import { Cluster, ClusterRole } from './cluster';
import { KubeProxySpec } from './kube-proxy';
import { KubernetesPool } from './kubernetes-pool';
import { NodeRollout } from './node-rollout';
import { AgentPolicyRule, AgentProtocol, DaemonSetPort, HostPathMount, RequiredDaemonSet } from './required-daemonset';
import { RolloutZone } from './rollout-state';
import { ResourceAmounts } from '../core/resources';
import { ZoneShare } from '../machines/maintenance-zones';
import { NodeProfile, NodeTaint } from '../machines/node-profile';
import { MachinesStack, NodeProfileSpec } from '../machines/slots';
import { LayerSlots, Stacked } from '../synth/layer';

/** A required DaemonSet, resolved: every value its rendering reads, defaults applied. @internal */
export interface DaemonSetSpec {
  /** The construct (for paths and identity). */
  readonly construct: RequiredDaemonSet;
  /** Agent name; the per-pool DaemonSet is `<name>-<pool>`. */
  readonly name: string;
  /** False when one of its own props was reported: checks across constructs skip it. */
  readonly valid: boolean;
  /** Container image. */
  readonly image: string;
  /** Command; `undefined` runs the image's entrypoint. */
  readonly command?: readonly string[];
  /** Arguments. Default `[]`. */
  readonly args: readonly string[];
  /** Environment variables, sorted by name. Default none. */
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** What one pod requests (CPU, memory; the memory limit equals the request). Zero when the resources are reported. */
  readonly requests: ResourceAmounts;
  /** CPU limit in millicores. Default: the request. */
  readonly cpuLimitMillis: number;
  /** Host directories (`readOnly` defaults to true). Default `[]`. */
  readonly hostPaths: ReadonlyArray<HostPathMount & { readonly readOnly: boolean }>;
  /** Container ports, each with its protocol (default `'TCP'`). Default `[]`. */
  readonly ports: ReadonlyArray<DaemonSetPort & { readonly protocol: AgentProtocol }>;
  /** Runs privileged. Default false. */
  readonly privileged: boolean;
  /** Runs as root (uid 0): asked for, or implied by `privileged`. Default false. */
  readonly runAsRoot: boolean;
  /** Rollout bound, a count or a percentage. Default `'10%'`. */
  readonly maxUnavailable: number | string;
  /** Priority class. Default `'system-node-critical'`. */
  readonly priorityClassName: string;
  /** Cluster-wide RBAC rules. Default `[]`. */
  readonly clusterRules: readonly AgentPolicyRule[];
  /** Port names open to ingress. Default: every port. */
  readonly ingressPorts: readonly string[];
  /** Egress beside DNS and the apiserver. Default `[]`. */
  readonly egress: ReadonlyArray<{ readonly cidrs: readonly string[]; readonly ports: readonly number[]; readonly protocol: AgentProtocol }>;
  /** Egress to the apiserver. Default: `clusterRules` is not empty. */
  readonly apiserverAccess: boolean;
  /** HTTP readiness probe; `undefined` for none. */
  readonly readinessProbe?: { readonly path: string; readonly port: string };
  /** True when the agent needs a Pod Security level below `restricted` (host paths or ports, root, privileged). */
  readonly needsPrivilegedNamespace: boolean;
}

/** A pool, resolved: every value a reader needs, the fleet's defaults applied. @internal */
export interface PoolSpec {
  /** The construct (for paths and identity). */
  readonly construct: KubernetesPool;
  /** Pool name. */
  readonly name: string;
  /** Its cluster. */
  readonly cluster: Cluster;
  /** Its cluster's name. */
  readonly clusterName: string;
  /** False when one of its own props was reported: checks across constructs skip what depends on it. */
  readonly valid: boolean;
  /** Nodes (machines); 0 when the capacity prop is reported (`capacityValid` is false then). */
  readonly capacity: number;
  /** True when the capacity prop is a whole number within bounds. */
  readonly capacityValid: boolean;
  /**
   * The pool has nodes (capacity above 0): its required DaemonSets run and its
   * node profile's kubelet settings are checked only then. The one place the
   * fact is decided.
   */
  readonly hasNodes: boolean;
  /** The name of its node profile, as given. */
  readonly profileName: string;
  /** Its node profile; `undefined` when the fleet declares no such profile (reported). */
  readonly profile?: NodeProfileSpec;
  /** Maintenance zones it is striped over (default: every zone of the fleet; empty when the prop is reported). */
  readonly zones: readonly string[];
  /** Minimum nodes per zone. Default 1. */
  readonly minNodesPerZone: number;
  /** The labels every node carries (without its zone): the profile's, the pool's, then the library's pool, profile and instance-type labels. */
  readonly nodeLabels: Readonly<Record<string, string>>;
  /** The taints every node carries: the profile's, then the pool's (a taint's `value` defaults to `''`). */
  readonly taints: ReadonlyArray<NodeTaint & { readonly value: string }>;
  /** The required DaemonSets it lists, in declaration order (an entry that is no RequiredDaemonSet of this fleet is reported and left out). */
  readonly requiredDaemonSets: readonly DaemonSetSpec[];
  /** The kubelet version of its nodes: the profile's, else the cluster's. */
  readonly kubeletVersion: string;
}

/** A cluster, resolved. @internal */
export interface ClusterSpec {
  /** The construct (for paths and identity). */
  readonly construct: Cluster;
  /** Cluster name. */
  readonly name: string;
  /** Role in the fleet. */
  readonly role: ClusterRole;
  /** Region (names its control-plane domain). */
  readonly region: string;
  /** Kubernetes version of the control plane (default: the fleet's). */
  readonly kubernetesVersion: string;
  /** True when that version is supported (a bad version is reported once, with the cluster or the fleet). */
  readonly kubernetesVersionValid: boolean;
  /** Runs OpenKruise. Default false. */
  readonly openKruise: boolean;
  /** Labels recorded on its objects on the hub. Default `{}`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Its kube-proxy, defaults applied (IPVS mode). */
  readonly kubeProxy: KubeProxySpec;
  /** Its pools, in declaration order. */
  readonly pools: readonly PoolSpec[];
}

/** A NodeRollout, resolved. @internal */
export interface NodeRolloutSpec {
  /** The construct. */
  readonly construct: NodeRollout;
  /** Its construct path. */
  readonly path: string;
  /** Rollout name. */
  readonly name: string;
  /** Its target pools (a cluster's pools for a cluster), in the order given. */
  readonly pools: readonly PoolSpec[];
  /** Kubelet version the zones get; undefined when unchanged. */
  readonly kubeletVersion?: string;
  /** Node configuration revision the zones get; undefined when unchanged. */
  readonly nodeConfig?: string;
  /** OS image the zones get; undefined when unchanged. */
  readonly osImage?: string;
  /** Zones in update order (default: the fleet's). */
  readonly zoneOrder: readonly string[];
  /** Zones updated at once (default 1). */
  readonly zonesAtOnce: number;
  /** Seconds an updated zone soaks (default 3600). */
  readonly soakSeconds: number;
  /** Zones of the order already updated (default 0). */
  readonly completedZones: number;
}

/** The clusters layer's resolved specs. @internal */
export interface ClustersSpec {
  /** Every cluster, the hub first. */
  readonly clusters: readonly ClusterSpec[];
  /** The hub. */
  readonly hub: ClusterSpec;
  /** The workload clusters (all but the hub), in declaration order. */
  readonly workloadClusters: readonly ClusterSpec[];
  /** Every required DaemonSet of the fleet, in tree order. */
  readonly daemonSets: readonly DaemonSetSpec[];
  /** Every node rollout whose props are valid, in tree order. */
  readonly rollouts: readonly NodeRolloutSpec[];
  /** Namespace of the platform's node agents. */
  readonly systemNamespace: string;
  /** The spec of a cluster construct of this fleet. */
  cluster(cluster: Cluster): ClusterSpec;
  /** The spec of a pool construct of this fleet. */
  pool(pool: KubernetesPool): PoolSpec;
}

/** Where a node rollout stands on one pool. */
export interface PoolRolloutPlan {
  /** Rollout name. */
  readonly name: string;
  /** The rollout's construct path. @internal */
  readonly path: string;
  /** The pool's zones in update order. */
  readonly zoneOrder: readonly string[];
  /** Zones updated at once. */
  readonly zonesAtOnce: number;
  /** Seconds an updated zone soaks before the next start. */
  readonly soakSeconds: number;
  /** The pool's zones already updated. */
  readonly completedZones: number;
  /** What the rollout changes. */
  readonly changes: { readonly kubeletVersion?: string; readonly nodeConfig?: string; readonly osImage?: string };
  /** Each zone of the pool (in the pool's zone order): its state and the node configuration it gets now. */
  readonly zones: readonly RolloutZone[];
}

/** The planned shape of one pool and the node agents that run on it. */
export interface PoolPlan {
  /** The pool. */
  readonly pool: KubernetesPool;
  /** Its cluster. */
  readonly cluster: Cluster;
  /** Its node profile's construct (its spec is `spec.profile`). */
  readonly profile: NodeProfile;
  /** The pool's resolved spec. @internal */
  readonly spec: PoolSpec;
  /** Its node profile, resolved. @internal */
  readonly profileSpec: NodeProfileSpec;
  /** Nodes per maintenance zone. */
  readonly zones: readonly ZoneShare[];
  /** The required DaemonSets that run on the pool: its list when it has nodes, none when it is empty. @internal */
  readonly agents: readonly DaemonSetSpec[];
  /** What kube-proxy requests on each node (none on an empty pool). */
  readonly kubeProxyRequestsPerNode: ResourceAmounts;
  /** What the node's platform pods request on each node (their per-node overhead): the required DaemonSets and kube-proxy. */
  readonly agentRequestsPerNode: ResourceAmounts;
  /** Platform pods on each node: the required DaemonSets' and kube-proxy's. */
  readonly agentPodsPerNode: number;
  /** What one node's allocatable leaves for app pods: the profile's allocatable minus the platform pods' requests. */
  readonly appAllocatablePerNode: ResourceAmounts;
  /** Pod slots one node leaves for app pods: the profile's maxPods minus the platform pods. */
  readonly appPodsPerNode: number;
  /** The node rollout the pool is in, and where it stands; undefined when none is. */
  readonly rollout?: PoolRolloutPlan;
}

/** The node agents of one cluster (required DaemonSets and kube-proxy), all pools together. */
export interface ClusterAgentTotals {
  /** Agent pods (one per agent per node, kube-proxy's included). */
  readonly pods: number;
  /** What they request together. */
  readonly requests: ResourceAmounts;
}

/** The clusters layer's decisions. */
export interface ClustersPlan {
  /** Striped pools, by pool. */
  readonly pools: ReadonlyMap<KubernetesPool, PoolPlan>;
  /** Capacity per cluster. */
  readonly capacity: ReadonlyMap<Cluster, ClusterCapacity>;
  /** The node agents of each cluster, all pools together. */
  readonly agents: ReadonlyMap<Cluster, ClusterAgentTotals>;
  /** The pools of a cluster, in the order they were declared. */
  poolsOf(cluster: Cluster): readonly PoolPlan[];
}

/** The clusters layer's slots. @internal */
export interface ClustersSlots extends LayerSlots {
  /** Resolved specs of the clusters layer. */
  readonly spec: { readonly clusters: ClustersSpec };
  /** Decisions of the clusters layer. */
  readonly plan: { readonly clusters: ClustersPlan };
}

/** Everything the layers above the clusters layer read of it and below it. @internal */
export type ClustersStack = Stacked<MachinesStack, ClustersSlots>;
