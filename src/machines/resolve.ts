/**
 * Resolution of the machines layer's constructs: each node profile's props are
 * checked once (runtime type, then bounds) and resolved into a readonly,
 * defaults-applied {@link NodeProfileSpec}.
 */
import { DEFAULT_MAINTENANCE_ZONE_COUNT, MAX_MAINTENANCE_ZONES, maintenanceZoneCountProblem } from './maintenance-zones';
import { DEFAULT_EVICTION_MEMORY_MIB, DEFAULT_SYSTEM_RESERVED_CPU_MILLIS, DEFAULT_SYSTEM_RESERVED_MEMORY_MIB, EvictionThresholds, MAX_MACHINE_CPU_CORES, MAX_MACHINE_GPUS, MAX_PODS_PER_NODE, MachineType, NodeConfig, NodeProfile, NodeTaint } from './node-profile';
import { allocatable, defaultKubeReservedCpuMillis, defaultKubeReservedMemoryMiB, defaultMaxPods } from './sizing';
import { KubeletSpec, NodeProfileSpec } from './slots';
import { SYSCTL_KEY, defaultSysctls, sortedByKey } from './sysctls';
import { describeValue, isRecord, wholeNumberProblem } from '../core/checks';
import { Violations } from '../core/errors';
import { FleetRoot, pathOf } from '../core/model';
import { dns1123LabelFix, isDns1123Label, labelValueProblem, labelsProblems, qualifiedNameProblem } from '../core/names';
import { ResourceAmounts, ZERO, amountsIfValid, cpuProblem, cpuToMillis, formatCpu, formatMemory, memoryProblem, memoryToMiB } from '../core/resources';
import { ErrorRuleId } from '../core/rules';
import { kubeletVersionProblem } from '../core/versions';

const CPU_MANAGER_POLICIES: readonly string[] = ['none', 'static'];
const TOPOLOGY_MANAGER_POLICIES: readonly string[] = ['none', 'best-effort', 'restricted', 'single-numa-node'];
const TAINT_EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * Checks the taints of a profile or pool; reports at `path` under `rule`.
 * True when they are all valid.
 * @internal
 */
export function validateTaints(taints: unknown, path: string, rule: ErrorRuleId, v: Violations): boolean {
  if (taints === undefined) return true;
  if (!Array.isArray(taints)) {
    v.error(path, rule, `taints is ${describeValue(taints)}, not a list`, 'list taints as { key, value, effect }');
    return false;
  }
  let ok = true;
  taints.forEach((t: unknown, i) => {
    const taint = (isRecord(t) ? t : {}) as Partial<NodeTaint>;
    const problem = !isRecord(t) ? `taints[${i}] is ${describeValue(t)}, not a taint`
      : qualifiedNameProblem(taint.key)
      ?? (taint.value === undefined ? undefined : labelValueProblem(taint.value))
      ?? (TAINT_EFFECTS.includes(taint.effect as string) ? undefined : `effect ${describeValue(taint.effect)} is not one of ${TAINT_EFFECTS.join(', ')}`);
    if (problem) {
      ok = false;
      v.error(path, rule, `taints[${i}]: ${problem}`, `use a key like 'dedicated', a label value and one of the effects ${TAINT_EFFECTS.join(', ')}`);
    }
  });
  return ok;
}

/**
 * Checks every prop of a node profile on its own (ranges, quantities, names,
 * versions). True when the profile's capacity and reservations can be computed.
 */
function validateProfileProps(profile: NodeProfile, path: string, v: Violations): boolean {
  const m: unknown = profile.props.machine;
  if (!isRecord(m)) {
    v.error(path, 'node-profile.machine', `machine is ${describeValue(m)}`, 'declare the machine, e.g. { cpuCores: 64, memory: Size.gibibytes(256) }');
    return false;
  }
  let usable = true;
  const machine = m as Partial<MachineType>;
  const cores = wholeNumberProblem(machine.cpuCores, 'cpuCores', 1, MAX_MACHINE_CPU_CORES);
  if (cores) {
    v.error(path, 'node-profile.machine.cpu', cores, `set cpuCores to a whole number from 1 to ${MAX_MACHINE_CPU_CORES}`);
    usable = false;
  }
  const memory = memoryProblem(machine.memory);
  if (memory || !(memoryToMiB(machine.memory!) > 0)) {
    v.error(path, 'node-profile.machine.memory', memory ? `machine memory: ${memory}` : 'machine memory must be positive', 'set memory, e.g. Size.gibibytes(256)');
    usable = false;
  }
  const gpus = wholeNumberProblem(machine.gpus ?? 0, 'gpus', 0, MAX_MACHINE_GPUS);
  if (gpus) {
    v.error(path, 'node-profile.machine.gpus', gpus, `set gpus to a whole number from 0 to ${MAX_MACHINE_GPUS}`);
    usable = false;
  }
  if (machine.sku !== undefined) {
    const problem = labelValueProblem(machine.sku);
    if (problem || machine.sku === '') v.error(path, 'node-profile.machine.sku', `sku: ${problem ?? 'it is empty'}`, "name the hardware SKU as a label value, e.g. 'r6i-16xlarge'");
  }
  if (machine.gpuResourceName !== undefined) {
    const problem = qualifiedNameProblem(machine.gpuResourceName);
    if (problem || !machine.gpuResourceName.includes('/')) {
      v.error(path, 'node-profile.machine.gpu-resource', `gpuResourceName: ${problem ?? `'${machine.gpuResourceName}' has no vendor prefix`}`, "use an extended resource name like 'nvidia.com/gpu'");
    }
  }
  if (machine.localSsd !== undefined) {
    const problem = memoryProblem(machine.localSsd);
    if (problem) v.error(path, 'node-profile.machine.local-ssd', `localSsd: ${problem}`, 'set localSsd to a size, e.g. Size.tebibytes(4)');
  }

  const nc: unknown = profile.props.nodeConfig;
  if (nc !== undefined && !isRecord(nc)) {
    v.error(path, 'node-profile.node-config', `nodeConfig is ${describeValue(nc)}`, 'omit nodeConfig or give an object');
    return false;
  }
  const cfg = (nc ?? {}) as NodeConfig;
  if (cfg.kubeletVersion !== undefined) {
    const problem = kubeletVersionProblem(cfg.kubeletVersion);
    if (problem) v.error(path, 'node-profile.kubelet-version', problem, `use a version like '${DEFAULT_KUBELET_VERSION_EXAMPLE}', or omit it to run the cluster's version`);
  }
  if (cfg.maxPods !== undefined) {
    const problem = wholeNumberProblem(cfg.maxPods, 'maxPods', 1, MAX_PODS_PER_NODE);
    if (problem) v.error(path, 'node-profile.max-pods', problem, `set maxPods to a whole number from 1 to ${MAX_PODS_PER_NODE} (default min(110, 10 × cores))`);
  }
  for (const [key, r] of [['kubeReserved', cfg.kubeReserved], ['systemReserved', cfg.systemReserved]] as const) {
    if (r === undefined) continue;
    const problem = !isRecord(r) ? `${key} is ${describeValue(r)}` : cpuProblem(r.cpu) ?? memoryProblem(r.memory);
    if (problem) {
      v.error(path, 'node-profile.reserved', `${key}: ${problem}`, `set ${key} to { cpu: Cpu.millis(…), memory: Size.mebibytes(…) }, or omit it`);
      usable = false;
    }
  }
  const ev: unknown = cfg.evictionHard;
  if (ev !== undefined) {
    if (!isRecord(ev)) {
      v.error(path, 'node-profile.eviction', `evictionHard is ${describeValue(ev)}`, 'omit evictionHard or give an object');
      usable = false;
    } else {
      const e = ev as EvictionThresholds;
      if (e.memoryAvailable !== undefined) {
        const problem = memoryProblem(e.memoryAvailable);
        if (problem) {
          v.error(path, 'node-profile.eviction', `evictionHard.memoryAvailable: ${problem}`, 'use a size, e.g. Size.mebibytes(500)');
          usable = false;
        }
      }
      for (const key of ['nodefsAvailablePercent', 'imagefsAvailablePercent', 'nodefsInodesFreePercent'] as const) {
        if (e[key] === undefined) continue;
        const problem = wholeNumberProblem(e[key], `evictionHard.${key}`, 0, 100);
        if (problem) v.error(path, 'node-profile.eviction', problem, 'use a whole percentage from 0 to 100');
      }
    }
  }
  if (cfg.cpuManagerPolicy !== undefined && !CPU_MANAGER_POLICIES.includes(cfg.cpuManagerPolicy)) {
    v.error(path, 'node-profile.cpu-manager', `cpuManagerPolicy ${describeValue(cfg.cpuManagerPolicy)} is unknown`, `use one of ${CPU_MANAGER_POLICIES.join(', ')}`);
  }
  if (cfg.topologyManagerPolicy !== undefined && !TOPOLOGY_MANAGER_POLICIES.includes(cfg.topologyManagerPolicy)) {
    v.error(path, 'node-profile.topology-manager', `topologyManagerPolicy ${describeValue(cfg.topologyManagerPolicy)} is unknown`, `use one of ${TOPOLOGY_MANAGER_POLICIES.join(', ')}`);
  }
  for (const key of ['rotateCertificates', 'serverTLSBootstrap'] as const) {
    if (cfg[key] !== undefined && typeof cfg[key] !== 'boolean') v.error(path, 'node-profile.node-config.boolean', `${key} is ${describeValue(cfg[key])}, not true or false`, `set ${key} to true or false, or omit it`);
  }
  if (cfg.featureGates !== undefined) {
    const gates: unknown = cfg.featureGates;
    const bad = !isRecord(gates) ? ['featureGates is not a map']
      : Object.entries(gates).filter(([k, on]) => !FEATURE_GATE.test(k) || typeof on !== 'boolean').map(([k]) => `feature gate ${describeValue(k)}`);
    for (const b of bad) v.error(path, 'node-profile.feature-gates', `${b} is not a feature gate name with a true or false value`, "use gate names like 'GracefulNodeShutdown' with true or false");
  }
  if (cfg.sysctls !== undefined) {
    const sysctls: unknown = cfg.sysctls;
    const bad = !isRecord(sysctls) ? [`sysctls is ${describeValue(sysctls)}, not a map`]
      : Object.entries(sysctls).filter(([k, n]) => !SYSCTL_KEY.test(k) || !Number.isSafeInteger(n) || (n as number) < 0)
        .map(([k, n]) => `sysctl ${describeValue(k)} = ${describeValue(n)} is not a sysctl key with a whole number, 0 or more`);
    for (const b of bad) v.error(path, 'node-profile.sysctls', b, "use keys like 'net.ipv4.tcp_retries2' with whole numbers");
  }
  validateTaints(profile.props.taints, path, 'node-profile.taints', v);
  for (const problem of labelsProblems(profile.props.nodeLabels)) {
    v.error(path, 'node-profile.node-labels', `nodeLabels: ${problem}`, 'use label keys and values as Kubernetes accepts them');
  }
  return usable;
}

/** Feature gate names: CamelCase words. */
const FEATURE_GATE = /^[A-Z][A-Za-z0-9]{0,99}$/;

/** A version shown in fixes. */
const DEFAULT_KUBELET_VERSION_EXAMPLE = '1.28.9';


/**
 * Resolves a node profile: reports each bad prop at the profile's path (its
 * name, the machine, the node configuration, then what the reservations leave)
 * and returns its spec, defaults applied. A profile with a reported prop is
 * marked `valid: false`; when its capacity or reservations cannot be computed
 * it is also `usable: false` and its numbers are zero.
 * @internal
 */
export function resolveNodeProfile(profile: NodeProfile, v: Violations): NodeProfileSpec {
  const path = pathOf(profile);
  const before = v.errorCount;
  const name = profile.profileName;
  if (!isDns1123Label(name)) v.error(path, 'node-profile.name', `node profile name '${name}' is not a DNS-1123 label`, dns1123LabelFix(name));
  const computable = validateProfileProps(profile, path, v);
  const m = (isRecord(profile.props.machine) ? profile.props.machine : {}) as Partial<MachineType>;
  const cfg = (isRecord(profile.props.nodeConfig) ? profile.props.nodeConfig : {}) as NodeConfig;
  const amounts = computable ? amountsIfValid(() => profileAmounts(m as MachineType, cfg)) : undefined;
  const usable = amounts !== undefined;
  const a = amounts ?? { capacity: ZERO, kubeReserved: ZERO, systemReserved: ZERO, evictionHardMemoryMiB: 0, allocatable: ZERO };
  if (amounts) {
    const alloc = amounts.allocatable;
    if (alloc.cpuMillis <= 0 || alloc.memoryMiB <= 0) {
      v.error(path, 'node-profile.allocatable.positive',
        `reservations leave nothing allocatable (cpu ${formatCpu(alloc.cpuMillis)}, memory ${formatMemory(alloc.memoryMiB)})`,
        'lower kubeReserved/systemReserved/evictionHard, or use a larger machine');
    }
    if (cfg.cpuManagerPolicy === 'static' && amounts.kubeReserved.cpuMillis + amounts.systemReserved.cpuMillis <= 0) {
      v.error(path, 'node-profile.cpu-manager.reservation', 'the static CPU manager needs a non-zero CPU reservation',
        'reserve CPU in kubeReserved or systemReserved');
    }
  }
  const ev = (isRecord(cfg.evictionHard) ? cfg.evictionHard : {}) as EvictionThresholds;
  const cpuManagerPolicy = cfg.cpuManagerPolicy ?? 'none';
  const kubelet: KubeletSpec = {
    ...(cfg.kubeletVersion !== undefined ? { kubeletVersion: cfg.kubeletVersion } : {}),
    cpuManagerPolicy,
    topologyManagerPolicy: cfg.topologyManagerPolicy ?? (cpuManagerPolicy === 'static' && a.capacity.gpus > 0 ? 'single-numa-node' : 'none'),
    rotateCertificates: cfg.rotateCertificates ?? true,
    serverTLSBootstrap: cfg.serverTLSBootstrap ?? true,
    featureGates: isRecord(cfg.featureGates) ? cfg.featureGates as Record<string, boolean> : {},
    nodefsAvailablePercent: ev.nodefsAvailablePercent ?? 10,
    imagefsAvailablePercent: ev.imagefsAvailablePercent ?? 15,
    nodefsInodesFreePercent: ev.nodefsInodesFreePercent ?? 5,
  };
  const localSsdMiB = m.localSsd !== undefined ? amountsIfValid(() => memoryToMiB(m.localSsd!)) : undefined;
  return {
    construct: profile,
    name,
    valid: v.errorCount === before,
    usable,
    sku: m.sku ?? name,
    cpuCores: typeof m.cpuCores === 'number' ? m.cpuCores : 0,
    memoryMiB: a.capacity.memoryMiB,
    ...(localSsdMiB !== undefined ? { localSsdMiB } : {}),
    hasLocalSsd: m.localSsd !== undefined,
    gpuResourceName: m.gpuResourceName ?? 'nvidia.com/gpu',
    capacity: a.capacity,
    kubeReserved: a.kubeReserved,
    systemReserved: a.systemReserved,
    evictionHardMemoryMiB: a.evictionHardMemoryMiB,
    allocatable: a.allocatable,
    maxPods: cfg.maxPods ?? defaultMaxPods(typeof m.cpuCores === 'number' ? m.cpuCores : 0),
    kubelet,
    taints: Array.isArray(profile.props.taints) ? profile.props.taints : [],
    nodeLabels: isRecord(profile.props.nodeLabels) ? profile.props.nodeLabels as Record<string, string> : {},
    sysctls: sortedByKey({
      ...defaultSysctls(typeof m.cpuCores === 'number' ? m.cpuCores : 0),
      ...(isRecord(cfg.sysctls)
        ? Object.fromEntries(Object.entries(cfg.sysctls).filter(([k, n]) => SYSCTL_KEY.test(k) && Number.isSafeInteger(n) && n >= 0))
        : {}),
    }),
  };
}

interface ProfileAmounts {
  readonly capacity: ResourceAmounts;
  readonly kubeReserved: ResourceAmounts;
  readonly systemReserved: ResourceAmounts;
  readonly evictionHardMemoryMiB: number;
  readonly allocatable: ResourceAmounts;
}

/** The machine's capacity, the reservations (as configured or the defaults) and what they leave. */
function profileAmounts(m: MachineType, cfg: NodeConfig): ProfileAmounts {
  const capacity = { cpuMillis: m.cpuCores * 1000, memoryMiB: memoryToMiB(m.memory), gpus: m.gpus ?? 0 };
  const kr = cfg.kubeReserved;
  const kubeReserved = {
    cpuMillis: kr ? cpuToMillis(kr.cpu) : defaultKubeReservedCpuMillis(m.cpuCores),
    memoryMiB: kr ? memoryToMiB(kr.memory) : defaultKubeReservedMemoryMiB(capacity.memoryMiB),
    gpus: 0,
  };
  const sr = cfg.systemReserved;
  const systemReserved = {
    cpuMillis: sr ? cpuToMillis(sr.cpu) : DEFAULT_SYSTEM_RESERVED_CPU_MILLIS,
    memoryMiB: sr ? memoryToMiB(sr.memory) : DEFAULT_SYSTEM_RESERVED_MEMORY_MIB,
    gpus: 0,
  };
  const evictionMemory = cfg.evictionHard?.memoryAvailable;
  const evictionHardMemoryMiB = evictionMemory ? memoryToMiB(evictionMemory) : DEFAULT_EVICTION_MEMORY_MIB;
  const reserved = { capacity, kubeReserved, systemReserved, evictionHardMemoryMiB };
  return { ...reserved, allocatable: allocatable(reserved) };
}

/** The fleet's maintenance zones, checked: the count or list as given, each name once and a DNS-1123 label. @internal */
export function resolveMaintenanceZones(fleet: FleetRoot, v: Violations): readonly string[] {
  const fleetPath = pathOf(fleet);
  const zones = fleet.maintenanceZones;
  const zonesProp = fleet.maintenanceZonesProp;
  const countProblem = typeof zonesProp === 'number' ? maintenanceZoneCountProblem(zonesProp) : undefined;
  if (countProblem) {
    v.error(fleetPath, 'fleet.maintenance-zones.count', countProblem,
      `declare a whole number of zones from 1 to ${MAX_MAINTENANCE_ZONES} (default ${DEFAULT_MAINTENANCE_ZONE_COUNT}), or list their names`);
  } else if (typeof zonesProp !== 'number' && !Array.isArray(zonesProp)) {
    v.error(fleetPath, 'fleet.maintenance-zones.type', `maintenanceZones is ${describeValue(zonesProp)}, neither a count nor a list of names`,
      `declare a zone count (default ${DEFAULT_MAINTENANCE_ZONE_COUNT}) or a list of zone names`);
  } else if ((zonesProp as unknown[]).length > MAX_MAINTENANCE_ZONES) {
    v.error(fleetPath, 'fleet.maintenance-zones.count', `${(zonesProp as unknown[]).length} maintenance zones are more than the ${MAX_MAINTENANCE_ZONES} a fleet may declare`,
      `list at most ${MAX_MAINTENANCE_ZONES} zones`);
  } else if (zones.length === 0) {
    v.error(fleetPath, 'fleet.maintenance-zones.non-empty', 'the fleet has no maintenance zones', 'declare at least one maintenance zone (default: 20)');
  }
  const seenZones = new Set<string>();
  for (const z of zones.length > MAX_MAINTENANCE_ZONES ? [] : zones) {
    if (!isDns1123Label(z)) v.error(fleetPath, 'fleet.maintenance-zones.name', `maintenance zone '${z}' is not a DNS-1123 label`, dns1123LabelFix(z));
    if (seenZones.has(z)) v.error(fleetPath, 'fleet.maintenance-zones.unique', `maintenance zone '${z}' is declared twice`, 'remove the duplicate zone name');
    seenZones.add(z);
  }
  return zones;
}
