/**
 * What the machines layer publishes to the layers above it (see `Layer` in
 * `src/synth/layer.ts`): every node profile, resolved once with its defaults
 * applied, and the fleet's maintenance zones.
 */
import { CpuManagerPolicy, NodeProfile, NodeTaint, TopologyManagerPolicy } from './node-profile';
import { ResourceAmounts } from '../core/resources';
import { GuardrailPolicyStack } from '../guardrails/policy';
import { LayerSlots, Stacked } from '../synth/layer';

/** The kubelet settings of a node profile, defaults applied. @internal */
export interface KubeletSpec {
  /** The profile's own kubelet version; `undefined` runs each cluster's version (a pool's `kubeletVersion` resolves it). */
  readonly kubeletVersion?: string;
  /** CPU manager policy. Default `'none'`. */
  readonly cpuManagerPolicy: CpuManagerPolicy;
  /** Topology manager policy. Default `'none'`, or `'single-numa-node'` for GPU profiles with the static CPU manager. */
  readonly topologyManagerPolicy: TopologyManagerPolicy;
  /** Rotate the kubelet's client certificate. Default true. */
  readonly rotateCertificates: boolean;
  /** Request the serving certificate from the cluster. Default true. */
  readonly serverTLSBootstrap: boolean;
  /** Feature gates. Default `{}`. */
  readonly featureGates: Readonly<Record<string, boolean>>;
  /** Hard eviction when the node filesystem's free space falls below this percentage. Default 10. */
  readonly nodefsAvailablePercent: number;
  /** Hard eviction when the image filesystem's free space falls below this percentage. Default 15. */
  readonly imagefsAvailablePercent: number;
  /** Hard eviction when free inodes fall below this percentage. Default 5. */
  readonly nodefsInodesFreePercent: number;
}

/** A node profile, resolved: every value a reader needs, defaults applied. @internal */
export interface NodeProfileSpec {
  /** The construct (for paths and identity). */
  readonly construct: NodeProfile;
  /** Profile name. */
  readonly name: string;
  /** False when one of its own props was reported: checks across constructs skip it. */
  readonly valid: boolean;
  /** True when its capacity and reservations could be computed (the numbers below are zero otherwise). */
  readonly usable: boolean;
  /** Hardware SKU name. Default: the profile name. */
  readonly sku: string;
  /** Physical CPU cores. */
  readonly cpuCores: number;
  /** Memory of the machine, in MiB. */
  readonly memoryMiB: number;
  /** Local SSD capacity in MiB; `undefined` when the machine has none. */
  readonly localSsdMiB?: number;
  /** True when the machine has local SSD (hosts local persistent volumes). */
  readonly hasLocalSsd: boolean;
  /** Extended resource name of the GPUs. Default `'nvidia.com/gpu'`. */
  readonly gpuResourceName: string;
  /** What the machine has (GPUs default 0). */
  readonly capacity: ResourceAmounts;
  /** kube-reserved, as configured or derived from the machine. */
  readonly kubeReserved: ResourceAmounts;
  /** system-reserved, as configured or the default (100m, 512Mi). */
  readonly systemReserved: ResourceAmounts;
  /** The hard memory eviction threshold, in MiB. Default 500. */
  readonly evictionHardMemoryMiB: number;
  /** What pods can use on one node: capacity − kube-reserved − system-reserved − hard eviction memory. */
  readonly allocatable: ResourceAmounts;
  /** Maximum pods per node. Default min(110, 10 × cores). */
  readonly maxPods: number;
  /** Kubelet settings. */
  readonly kubelet: KubeletSpec;
  /** Taints of the profile's nodes. Default `[]`. */
  readonly taints: readonly NodeTaint[];
  /** Labels of the profile's nodes, besides the library's own. Default `{}`. */
  readonly nodeLabels: Readonly<Record<string, string>>;
  /** Node sysctls, sorted by key: the library's defaults with the profile's values over them. */
  readonly sysctls: Readonly<Record<string, number>>;
}

/** The machines layer's resolved specs. @internal */
export interface MachinesSpec {
  /** The fleet's maintenance zone names, in order (empty when the fleet's prop is reported). */
  readonly maintenanceZones: readonly string[];
  /** Every node profile, in tree order (a profile whose name repeats an earlier one included). */
  readonly profiles: readonly NodeProfileSpec[];
  /** The first profile declared with a name, if any. */
  profile(name: string): NodeProfileSpec | undefined;
  /** The spec of a profile construct of this fleet, if it is the one its name resolves to. */
  of(profile: NodeProfile): NodeProfileSpec | undefined;
}

/** The machines layer's slots. @internal */
export interface MachinesSlots extends LayerSlots {
  /** Resolved specs of the machines layer. */
  readonly spec: { readonly machines: MachinesSpec };
  /** Decisions of the machines layer. */
  readonly plan: {};
}

/** Everything the layers above the machines layer read of it and below it (the guardrails' policy). @internal */
export type MachinesStack = Stacked<GuardrailPolicyStack, MachinesSlots>;
