/**
 * NodeProfile: the minimum machine type of a class of nodes and the kubelet
 * configuration they run with.
 */
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** The minimum machine a node of a profile has. */
export interface MachineType {
  /** A name for the hardware SKU, recorded in node labels (a non-empty label value). @default - the profile name */
  readonly sku?: string;
  /** Physical CPU cores: a whole number from 1 to `MAX_MACHINE_CPU_CORES` (1024). */
  readonly cpuCores: number;
  /** Memory of the machine: positive, at most `MAX_MEMORY_MIB` (1 EiB). */
  readonly memory: Size;
  /** GPUs on the machine: a whole number from 0 to `MAX_MACHINE_GPUS` (16). @default 0 */
  readonly gpus?: number;
  /** Extended resource name GPUs are advertised under (`<vendor domain>/<name>`). @default 'nvidia.com/gpu' */
  readonly gpuResourceName?: string;
  /** Local SSD capacity; a profile with local SSD can host local persistent volumes. @default - no local SSD */
  readonly localSsd?: Size;
}

/** A reservation of CPU and memory. */
export interface Reservation {
  /** CPU reserved. */
  readonly cpu: Cpu;
  /** Memory reserved. */
  readonly memory: Size;
}

/** Hard eviction thresholds of the kubelet. */
export interface EvictionThresholds {
  /** Evict when available memory falls below this. @default 500Mi */
  readonly memoryAvailable?: Size;
  /** Evict when the node filesystem's free space falls below this percentage (whole, 0–100). @default 10 */
  readonly nodefsAvailablePercent?: number;
  /** Evict when the image filesystem's free space falls below this percentage (whole, 0–100). @default 15 */
  readonly imagefsAvailablePercent?: number;
  /** Evict when free inodes on the node filesystem fall below this percentage (whole, 0–100). @default 5 */
  readonly nodefsInodesFreePercent?: number;
}

/** CPU manager policy: `static` pins whole cores to Guaranteed pods with integer CPU requests. */
export type CpuManagerPolicy = 'none' | 'static';

/** Topology manager policy, for NUMA-aligned CPU/GPU allocation. */
export type TopologyManagerPolicy = 'none' | 'best-effort' | 'restricted' | 'single-numa-node';

/** Node configuration: kubelet version and a typed subset of KubeletConfiguration. */
export interface NodeConfig {
  /**
   * Kubelet version of nodes of this profile (`1.MINOR.PATCH`, 1.25–1.31); must
   * not be newer than a cluster's control plane nor more than three minors older.
   * @default - the cluster's Kubernetes version
   */
  readonly kubeletVersion?: string;
  /** Maximum pods per node: a whole number from 1 to `MAX_PODS_PER_NODE` (1024). @default min(110, 10 × cpuCores) */
  readonly maxPods?: number;
  /** kube-reserved. @default - derived from the machine (6%/1%/0.5%/0.25% CPU tiers; 25%/20%/10%/6%/2% memory tiers) */
  readonly kubeReserved?: Reservation;
  /** system-reserved. @default - 100m CPU, 512Mi memory */
  readonly systemReserved?: Reservation;
  /** Hard eviction thresholds. @default - see {@link EvictionThresholds} */
  readonly evictionHard?: EvictionThresholds;
  /** CPU manager policy. @default 'none' */
  readonly cpuManagerPolicy?: CpuManagerPolicy;
  /** Topology manager policy. @default 'none', or 'single-numa-node' for GPU profiles with the static CPU manager */
  readonly topologyManagerPolicy?: TopologyManagerPolicy;
  /** Rotate the kubelet's client certificate before it expires. @default true */
  readonly rotateCertificates?: boolean;
  /** Request the kubelet's serving certificate from the cluster (CSR) instead of self-signing. @default true */
  readonly serverTLSBootstrap?: boolean;
  /** Kubelet feature gates. @default {} */
  readonly featureGates?: Readonly<Record<string, boolean>>;
  /**
   * Kernel parameters of the nodes (sysctl key → whole number, 0 or more),
   * merged over the library's defaults: the ones kube-proxy depends on
   * (`net.ipv4.vs.expire_nodest_conn=1`, `net.ipv4.tcp_retries2=8`, ...) and
   * `net.netfilter.nf_conntrack_max` sized like kube-proxy's (max(131072,
   * 32768 × cores)). A value that breaks the cluster's proxy mode is reported
   * on the pool. The docs list each default with its reason.
   * @default - the library's node sysctls
   */
  readonly sysctls?: Readonly<Record<string, number>>;
}

/** A taint put on every node of a pool or profile. */
export interface NodeTaint {
  /** Taint key. */
  readonly key: string;
  /** Taint value. @default '' */
  readonly value?: string;
  /** Taint effect. */
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Props of {@link NodeProfile}. */
export interface NodeProfileProps {
  /** Profile name (DNS-1123 label). @default - the construct id */
  readonly name?: string;
  /** The minimum machine type. */
  readonly machine: MachineType;
  /** Node (kubelet) configuration. @default - sized from the machine */
  readonly nodeConfig?: NodeConfig;
  /** Taints every node of this profile carries (e.g. `gpu=true:NoSchedule`). @default [] */
  readonly taints?: readonly NodeTaint[];
  /** Labels every node of this profile carries, besides the library's own. @default {} */
  readonly nodeLabels?: Readonly<Record<string, string>>;
}

/** Most CPU cores a machine type may declare (the largest servers have a few hundred). */
export const MAX_MACHINE_CPU_CORES = 1024;
/** Most GPUs a machine type may declare (the largest GPU servers have 8 or 16). */
export const MAX_MACHINE_GPUS = 16;
/** Most pods per node a profile may allow (the tested threshold is 110; above it is warned about). */
export const MAX_PODS_PER_NODE = 1024;

/** Default system-reserved CPU, in millicores. @internal */
export const DEFAULT_SYSTEM_RESERVED_CPU_MILLIS = 100;
/** Default system-reserved memory, in MiB. @internal */
export const DEFAULT_SYSTEM_RESERVED_MEMORY_MIB = 512;
/** Default hard eviction threshold for memory, in MiB. @internal */
export const DEFAULT_EVICTION_MEMORY_MIB = 500;

/**
 * A class of nodes: the minimum machine type and the kubelet configuration.
 * Pools reference profiles; workloads request a profile; placement uses the
 * profile's allocatable capacity.
 */
export class NodeProfile extends Construct {
  /** Profile name. */
  public readonly profileName: string;
  /** The props as given. */
  public readonly props: NodeProfileProps;

  constructor(scope: Construct, id: string, props: NodeProfileProps) {
    super(scope, id);
    this.profileName = props.name ?? id;
    this.props = props;
  }
}
