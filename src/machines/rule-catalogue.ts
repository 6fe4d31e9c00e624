/**
 * The machines layer's rules: the fleet's maintenance zones and every node
 * profile prop. Each id here is a rule `Violations` accepts (see
 * `src/core/rules.ts` for how the ids reach it); the rule table in
 * docs/ARCHITECTURE.md is generated from this catalogue.
 */
import { DEFAULT_MAINTENANCE_ZONE_COUNT, MAX_MAINTENANCE_ZONES } from './maintenance-zones';
import { MAX_MACHINE_CPU_CORES, MAX_MACHINE_GPUS, MAX_PODS_PER_NODE } from './node-profile';
import { DNS1123_LABEL_FIX } from '../core/names';
import { RuleIdsOf, ruleCatalogue } from '../core/rules';

/** The fix of a taint list, for node profiles and pools. @internal */
export const TAINTS_FIX = "list taints as { key, value, effect }, with a key like 'dedicated', a label value and one of the effects NoSchedule, PreferNoSchedule, NoExecute";

/** The machines layer's rules. @internal */
export const MACHINES_RULES = ruleCatalogue('machines', {
  'fleet.maintenance-zones.count': {
    summary: `the fleet declares 1 to ${MAX_MAINTENANCE_ZONES} maintenance zones, so every pool can be striped over them`,
    fix: `declare a whole number of zones from 1 to ${MAX_MAINTENANCE_ZONES} (default ${DEFAULT_MAINTENANCE_ZONE_COUNT}), or list at most ${MAX_MAINTENANCE_ZONES} names`,
    severity: 'error',
  },
  'fleet.maintenance-zones.type': {
    summary: 'maintenanceZones is a count or a list of zone names',
    fix: `declare a zone count (default ${DEFAULT_MAINTENANCE_ZONE_COUNT}) or a list of zone names`,
    severity: 'error',
  },
  'fleet.maintenance-zones.non-empty': {
    summary: 'the fleet has at least one maintenance zone to stripe pools over',
    fix: `declare at least one maintenance zone (default: ${DEFAULT_MAINTENANCE_ZONE_COUNT})`,
    severity: 'error',
  },
  'fleet.maintenance-zones.name': {
    summary: 'each maintenance zone name is a DNS-1123 label (it becomes a node label value and part of record names)',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'fleet.maintenance-zones.unique': {
    summary: 'each maintenance zone is declared once, so striping counts every zone once',
    fix: 'remove the duplicate zone name',
    severity: 'error',
  },
  'node-profile.name': {
    summary: 'a node profile name is a DNS-1123 label (it names pools, labels and files)',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'node-profile.unique-name': {
    summary: 'each node profile name is declared once, so pools and namespaces name one profile',
    fix: 'give each node profile a unique name',
    severity: 'error',
  },
  'node-profile.allocatable.positive': {
    summary: 'a node of the profile has CPU and memory left for pods after kube-reserved, system-reserved and hard eviction',
    fix: 'lower kubeReserved/systemReserved/evictionHard, or use a larger machine',
    severity: 'error',
  },
  'node-profile.cpu-manager.reservation': {
    summary: 'the static CPU manager gets the non-zero CPU reservation the kubelet requires for it',
    fix: 'reserve CPU in kubeReserved or systemReserved',
    severity: 'error',
  },
  'node-profile.machine': {
    summary: 'the profile declares its machine, from which capacity and reservations are derived',
    fix: 'declare the machine, e.g. { cpuCores: 64, memory: Size.gibibytes(256) }',
    severity: 'error',
  },
  'node-profile.machine.cpu': {
    summary: `a machine has 1 to ${MAX_MACHINE_CPU_CORES} whole CPU cores`,
    fix: `set cpuCores to a whole number from 1 to ${MAX_MACHINE_CPU_CORES}`,
    severity: 'error',
  },
  'node-profile.machine.memory': {
    summary: 'a machine has a positive, finite memory size',
    fix: 'set memory, e.g. Size.gibibytes(256)',
    severity: 'error',
  },
  'node-profile.machine.gpus': {
    summary: `a machine has 0 to ${MAX_MACHINE_GPUS} whole GPUs`,
    fix: `set gpus to a whole number from 0 to ${MAX_MACHINE_GPUS}`,
    severity: 'error',
  },
  'node-profile.machine.sku': {
    summary: 'the hardware SKU is a non-empty label value (it labels the nodes)',
    fix: "name the hardware SKU as a label value, e.g. 'r6i-16xlarge'",
    severity: 'error',
  },
  'node-profile.machine.gpu-resource': {
    summary: 'the GPU resource is an extended resource name with a vendor prefix, as the device plugin advertises it',
    fix: "use an extended resource name like 'nvidia.com/gpu'",
    severity: 'error',
  },
  'node-profile.machine.local-ssd': {
    summary: 'the local SSD is a valid size',
    fix: 'set localSsd to a size, e.g. Size.tebibytes(4)',
    severity: 'error',
  },
  'node-profile.node-config': {
    summary: 'nodeConfig is an object',
    fix: 'omit nodeConfig or give an object',
    severity: 'error',
  },
  'node-profile.kubelet-version': {
    summary: 'the kubelet version is a 1.MINOR.PATCH version the library can configure',
    fix: "use a version like '1.28.9', or omit it to run the cluster's version",
    severity: 'error',
  },
  'node-profile.max-pods': {
    summary: `maxPods is a whole number from 1 to ${MAX_PODS_PER_NODE}`,
    fix: `set maxPods to a whole number from 1 to ${MAX_PODS_PER_NODE} (default min(110, 10 × cores))`,
    severity: 'error',
  },
  'node-profile.reserved': {
    summary: 'kubeReserved and systemReserved are valid CPU and memory quantities',
    fix: 'set kubeReserved / systemReserved to { cpu: Cpu.millis(…), memory: Size.mebibytes(…) }, or omit it',
    severity: 'error',
  },
  'node-profile.eviction': {
    summary: 'the hard eviction thresholds are an object of a memory size and whole percentages from 0 to 100',
    fix: 'use a size for memoryAvailable, e.g. Size.mebibytes(500), and whole percentages from 0 to 100',
    severity: 'error',
  },
  'node-profile.cpu-manager': {
    summary: 'the CPU manager policy is one the kubelet knows',
    fix: 'use one of none, static',
    severity: 'error',
  },
  'node-profile.topology-manager': {
    summary: 'the topology manager policy is one the kubelet knows',
    fix: 'use one of none, best-effort, restricted, single-numa-node',
    severity: 'error',
  },
  'node-profile.node-config.boolean': {
    summary: 'rotateCertificates and serverTLSBootstrap are true or false',
    fix: 'set the field to true or false, or omit it',
    severity: 'error',
  },
  'node-profile.sysctls': {
    summary: 'node sysctls are sysctl keys (dotted lower-case words) mapped to whole numbers, 0 or more',
    fix: "use keys like 'net.ipv4.tcp_retries2' with whole numbers",
    severity: 'error',
  },
  'node-profile.feature-gates': {
    summary: 'kubelet feature gates are gate names mapped to true or false',
    fix: "use gate names like 'GracefulNodeShutdown' with true or false",
    severity: 'error',
  },
  'node-profile.taints': {
    summary: 'the profile\'s taints are a list of valid taints (key, label value, effect)',
    fix: TAINTS_FIX,
    severity: 'error',
  },
  'node-profile.node-labels': {
    summary: 'node labels are label keys and values Kubernetes accepts',
    fix: 'use label keys and values as Kubernetes accepts them',
    severity: 'error',
  },
});

declare module '../core/rules' {
  interface RuleIds extends RuleIdsOf<typeof MACHINES_RULES> {}
}
