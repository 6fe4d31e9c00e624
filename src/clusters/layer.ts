/**
 * The clusters layer: clusters, pools striped over maintenance zones, required
 * DaemonSets, and the hub's inventory.
 */
import { ApiObject, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ClusterCapacity, clusterCapacity } from './capacity';
import { Cluster } from './cluster';
import { agentAllowances, renderAgentDaemonSet, renderAgentIdentity, renderSystemNamespace } from './daemonsets';
import { renderComputeBrokerPool, renderKubernetesPool } from './inventory';
import { conntrackMaxFor, resolveKubeProxy } from './kube-proxy';
import { KubernetesPool, MAX_POOL_CAPACITY } from './kubernetes-pool';
import { NodeRollout } from './node-rollout';
import { AgentPolicyRule, AgentProtocol, DEFAULT_DAEMONSET_MAX_UNAVAILABLE, DaemonSetPort, HostPathMount, MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT, RequiredDaemonSet } from './required-daemonset';
import { planRollout, resolveRollout, validateRollouts } from './resolve-rollout';
import { ClusterAgentTotals, ClusterSpec, ClustersPlan, ClustersSlots, ClustersSpec, DaemonSetSpec, NodeRolloutSpec, PoolPlan, PoolRolloutPlan, PoolSpec } from './slots';
import { describeValue, isRecord, isString, wholeNumberProblem } from '../core/checks';
import { Violations } from '../core/errors';
import { FleetModel, FleetRoot, pathOf } from '../core/model';
import { Labels, RESERVED_NAMESPACES, dns1123LabelFix, isDns1123Label, isDns1123Subdomain, labelsProblems } from '../core/names';
import { isCidr, isWholeInternet, renderPlatformAllowance, renderPlatformNetworkPolicies } from '../core/network';
import { ResourceAmounts, ZERO, addResources, cpuProblem, cpuToMillis, fitsIn, formatCpu, formatMemory, memoryProblem, memoryToMiB, scaleResources, shortfalls, subtractResources } from '../core/resources';
import { ErrorRuleId } from '../core/rules';
import { imagePinProblem, kubeletSkewProblem, kubeletVersionProblem, kubernetesVersionProblem, parseKubeVersion, supportedKubernetesRange } from '../core/versions';
import { groupOf, workloadKindOf } from '../core/workload-kinds';
import { poolCrds } from '../crds/pools';
import { MAX_MAINTENANCE_ZONES, stripePools, stripingProblem } from '../machines/maintenance-zones';
import { NodeProfile } from '../machines/node-profile';
import { validateTaints } from '../machines/resolve';
import { MachinesSpec, MachinesStack, NodeProfileSpec } from '../machines/slots';
import { CONNTRACK_MAX_SYSCTL, NODE_SYSCTLS } from '../machines/sysctls';
import { KubeObject, RenderContext } from '../synth/context';
import { Layer } from '../synth/layer';
import { RESERVED_CLUSTER_NAMES } from '../synth/layout';

const RESERVED_NODE_LABELS: readonly string[] = [Labels.POOL, Labels.NODE_PROFILE, Labels.MAINTENANCE_ZONE];

/** What a cluster resolves against: the fleet's Kubernetes version and whether it is itself reported. @internal */
export interface ClusterFacts {
  /** The fleet's default Kubernetes version. */
  readonly fleetKubernetesVersion: string;
  /** True when the fleet's version is reported (a cluster inheriting it is not reported again). */
  readonly fleetVersionReported: boolean;
}

/** Checks the fleet's own props that this layer owns (Kubernetes version, system namespace). */
function resolveFleet(fleet: FleetRoot, v: Violations): ClusterFacts {
  const fleetVersionProblem = kubernetesVersionProblem(fleet.kubernetesVersion);
  if (fleetVersionProblem) {
    v.error(pathOf(fleet), 'fleet.kubernetes-version', fleetVersionProblem, `use a supported version (${supportedKubernetesRange()}) like '1.28.9'`);
  }
  const ns: unknown = fleet.systemNamespace;
  if (!isDns1123Label(ns)) {
    v.error(pathOf(fleet), 'fleet.system-namespace', `systemNamespace ${describeValue(ns)} is not a DNS-1123 label`, dns1123LabelFix(String(ns)));
  } else if (RESERVED_NAMESPACES.includes(ns)) {
    v.error(pathOf(fleet), 'fleet.system-namespace', `systemNamespace '${ns}' belongs to Kubernetes`, "use a namespace of the platform's own, e.g. 'fleet-system'");
  }
  return { fleetKubernetesVersion: fleet.kubernetesVersion, fleetVersionReported: fleetVersionProblem !== undefined };
}

/**
 * Resolves a cluster's own props (its pools are resolved with
 * {@link resolvePool}): reports each bad prop and returns its spec with the
 * fleet's Kubernetes version applied.
 * @internal
 */
export function resolveCluster(cluster: Cluster, facts: ClusterFacts, v: Violations): Omit<ClusterSpec, 'pools'> {
  const path = pathOf(cluster);
  const name = cluster.clusterName;
  const p = cluster.props;
  if (!isDns1123Label(name)) v.error(path, 'cluster.name', `cluster name '${name}' is not a DNS-1123 label`, dns1123LabelFix(name));
  if (RESERVED_CLUSTER_NAMES.includes(name)) v.error(path, 'cluster.name.reserved', `'${name}' is reserved for the output layout`, 'choose another cluster name');
  const region: unknown = p.region;
  if (typeof region !== 'string' || region.trim() === '') {
    v.error(path, 'cluster.region', 'the cluster has no region', "set region, e.g. 'lva1'");
  } else if (!isDns1123Label(region)) {
    v.error(path, 'cluster.region', `region '${region}' is not a DNS-1123 label (it names the control-plane hosts' domain)`, dns1123LabelFix(region));
  }
  const kubernetesVersion = p.kubernetesVersion ?? facts.fleetKubernetesVersion;
  const versionProblem = kubernetesVersionProblem(kubernetesVersion);
  // a cluster that inherits a bad fleet version is covered by the fleet's violation
  if (versionProblem && !(p.kubernetesVersion === undefined && facts.fleetVersionReported)) {
    v.error(path, 'cluster.kubernetes-version', versionProblem, `use a supported version (${supportedKubernetesRange()}) like '1.28.9'`);
  }
  if (p.openKruise !== undefined && typeof p.openKruise !== 'boolean') {
    v.error(path, 'cluster.open-kruise', `openKruise is ${describeValue(p.openKruise)}, not true or false`, 'set openKruise to true or false, or omit it');
  }
  for (const problem of labelsProblems(p.labels)) {
    v.error(path, 'cluster.labels', `labels: ${problem}`, 'use label keys and values as Kubernetes accepts them');
  }
  return {
    construct: cluster,
    name,
    role: cluster.role,
    region: region as string,
    kubernetesVersion,
    kubernetesVersionValid: versionProblem === undefined,
    openKruise: p.openKruise === true,
    labels: isRecord(p.labels) ? p.labels as Record<string, string> : {},
    kubeProxy: resolveKubeProxy(p.kubeProxy, path, kubernetesVersion, v),
  };
}

/** What a pool resolves against: the machines layer's specs, its cluster, and the fleet's required DaemonSets. @internal */
export interface PoolFacts {
  /** The machines layer's specs (profiles, maintenance zones). */
  readonly machines: MachinesSpec;
  /** The pool's cluster, resolved. */
  readonly cluster: Omit<ClusterSpec, 'pools'>;
  /** The fleet's required DaemonSets, resolved. */
  readonly daemonSets: ReadonlyMap<RequiredDaemonSet, DaemonSetSpec>;
}

/**
 * Resolves a pool: reports each bad prop (and each reference to a node profile
 * or DaemonSet the fleet does not declare) at the pool's path, and returns its
 * spec with the fleet's maintenance zones and the profile's kubelet version
 * applied.
 * @internal
 */
export function resolvePool(pool: KubernetesPool, facts: PoolFacts, v: Violations): PoolSpec {
  const path = pathOf(pool);
  const cluster = facts.cluster;
  const fleetZones = facts.machines.maintenanceZones;
  const p = pool.props;
  const before = v.errorCount;
  if (!isDns1123Label(pool.poolName)) v.error(path, 'pool.name', `pool name '${pool.poolName}' is not a DNS-1123 label`, dns1123LabelFix(pool.poolName));
  const inventoryName = `${cluster.name}-${pool.poolName}`;
  if (inventoryName.length > 253) v.error(path, 'pool.name.length', `'${inventoryName}' is too long for the hub record`, 'shorten the cluster or pool name');

  const capacityProblem = wholeNumberProblem(p.capacity, 'capacity', 0, MAX_POOL_CAPACITY);
  const capacityValid = capacityProblem === undefined;
  if (!capacityValid) {
    v.error(path, 'pool.capacity.non-negative-integer', typeof p.capacity === 'number' && p.capacity < 0 ? `capacity is ${p.capacity} nodes` : `${capacityProblem} (nodes)`,
      `set capacity to a whole number of nodes, 0 or more, at most ${MAX_POOL_CAPACITY}`);
  }
  const capacity = capacityValid ? p.capacity : 0;

  const profileRef: unknown = p.nodeProfile;
  const profile = profileRef instanceof NodeProfile ? facts.machines.of(profileRef) : facts.machines.profile(profileRef as string);
  if (!profile) {
    const known = facts.machines.profiles.map(n => n.name).sort().join(', ') || '(none)';
    v.error(path, 'pool.node-profile.known', `node profile '${pool.nodeProfileName}' is not declared in this fleet`,
      `use one of the fleet's node profiles: ${known}; or declare a NodeProfile named '${pool.nodeProfileName}'`);
  }

  const fleetZoneSet = new Set(fleetZones);
  const zonesProp: unknown = p.maintenanceZones;
  const zonesOk = zonesProp === undefined || (Array.isArray(zonesProp) && zonesProp.length <= MAX_MAINTENANCE_ZONES);
  if (!zonesOk) {
    v.error(path, 'pool.zones.list', Array.isArray(zonesProp) ? `the pool lists ${zonesProp.length} maintenance zones, more than the ${MAX_MAINTENANCE_ZONES} a fleet may have` : `maintenanceZones is ${describeValue(zonesProp)}, not a list`,
      'list zones of the fleet by name, or omit maintenanceZones to use every zone');
  }
  const zones: readonly string[] = zonesOk ? p.maintenanceZones ?? fleetZones : [];
  if (zonesOk && zones.length === 0 && fleetZones.length > 0) v.error(path, 'pool.zones.non-empty', 'the pool lists no maintenance zones', 'omit maintenanceZones to use every zone, or list at least one');
  const unknownZones = zones.filter(z => !fleetZoneSet.has(z));
  if (unknownZones.length > 0) {
    v.error(path, 'pool.zones.known', `unknown maintenance zone(s): ${unknownZones.map(String).join(', ')}`, `use zones of the fleet: ${fleetZones.join(', ')}`);
  }
  if (new Set(zones).size !== zones.length) v.error(path, 'pool.zones.unique', 'a maintenance zone is listed twice', 'list each zone once');
  const minNodesPerZone = p.minNodesPerZone ?? 1;
  const minProblem = wholeNumberProblem(minNodesPerZone, 'minNodesPerZone', 0, MAX_POOL_CAPACITY);
  if (minProblem) {
    v.error(path, 'pool.zones.min-nodes', minProblem, 'set minNodesPerZone to a whole number, 0 or more');
  } else if (capacityValid && zones.length > 0) {
    const problem = stripingProblem(capacity, zones.length, minNodesPerZone);
    if (problem) {
      v.error(path, 'pool.capacity.stripable', problem,
        `raise capacity to at least ${zones.length * minNodesPerZone}, restrict maintenanceZones to at most ${Math.floor(capacity / Math.max(1, minNodesPerZone))} zones, or lower minNodesPerZone`);
    }
  }

  const labelProblems = labelsProblems(p.nodeLabels);
  for (const problem of labelProblems) {
    v.error(path, 'pool.node-labels', `nodeLabels: ${problem}`, 'use label keys and values as Kubernetes accepts them');
  }
  const taintsOk = validateTaints(p.taints, path, 'pool.taints', v);
  const ownLabels = labelProblems.length === 0 && isRecord(p.nodeLabels) ? p.nodeLabels as Record<string, string> : {};
  for (const key of Object.keys(ownLabels)) {
    if (RESERVED_NODE_LABELS.includes(key)) v.error(path, 'pool.node-labels.reserved', `node label '${key}' is set by the library`, `remove '${key}' from nodeLabels`);
  }

  // required DaemonSets: each one of this fleet, once
  const agentsProp: unknown = p.requiredDaemonSets;
  if (agentsProp !== undefined && !Array.isArray(agentsProp)) {
    v.error(path, 'pool.daemonsets.list', `requiredDaemonSets is ${describeValue(agentsProp)}, not a list`, 'list the RequiredDaemonSet constructs the pool needs');
  }
  // the prop's agents, then those of addRequiredDaemonSet()
  const requiredDaemonSets: DaemonSetSpec[] = [];
  const seen = new Set<string>();
  for (const agent of pool.requiredDaemonSets as readonly unknown[]) {
    const ds = agent instanceof RequiredDaemonSet ? facts.daemonSets.get(agent) : undefined;
    if (!ds) {
      v.error(path, 'pool.daemonsets.known', agent instanceof RequiredDaemonSet ? `required DaemonSet '${agent.daemonSetName}' is not part of this fleet` : `a required DaemonSet of the pool is ${describeValue(agent)}, not a RequiredDaemonSet`,
        'declare the RequiredDaemonSet in the same Fleet');
      continue;
    }
    requiredDaemonSets.push(ds);
    if (seen.has(ds.name)) v.error(path, 'pool.daemonsets.unique', `required DaemonSet '${ds.name}' is listed twice`, 'list each DaemonSet once');
    seen.add(ds.name);
    const dsName = `${ds.name}-${pool.poolName}`;
    if (dsName.length > 63) v.error(path, 'pool.daemonsets.name-length', `DaemonSet name '${dsName}' is longer than 63 characters`, 'shorten the pool or DaemonSet name');
  }

  const poolTaints = taintsOk && Array.isArray(p.taints) ? p.taints : [];
  return {
    construct: pool,
    name: pool.poolName,
    cluster: cluster.construct,
    clusterName: cluster.name,
    valid: v.errorCount === before,
    capacity,
    capacityValid,
    hasNodes: capacity > 0,
    profileName: pool.nodeProfileName,
    ...(profile ? { profile } : {}),
    zones,
    minNodesPerZone,
    nodeLabels: {
      ...profile?.nodeLabels,
      ...ownLabels,
      [Labels.POOL]: pool.poolName,
      [Labels.NODE_PROFILE]: profile?.name ?? pool.nodeProfileName,
      'node.kubernetes.io/instance-type': profile?.sku ?? pool.nodeProfileName,
    },
    taints: [...profile?.taints ?? [], ...poolTaints].map(t => ({ ...t, value: t.value ?? '' })),
    requiredDaemonSets,
    kubeletVersion: profile?.kubelet.kubeletVersion ?? cluster.kubernetesVersion,
  };
}

/**
 * Resolves a required DaemonSet: reports each bad prop at its path and returns
 * its spec, defaults applied (`valid: false` when a prop was reported).
 * @internal
 */
export function resolveDaemonSet(agent: RequiredDaemonSet, v: Violations): DaemonSetSpec {
  const path = pathOf(agent);
  const p = agent.props;
  const name = agent.daemonSetName;
  const before = v.errorCount;
  if (!isDns1123Label(name)) v.error(path, 'daemonset.name', `DaemonSet name '${name}' is not a DNS-1123 label`, dns1123LabelFix(name));
  const imageProblem = imagePinProblem(p.image);
  if (imageProblem) v.error(path, 'daemonset.image.pinned', `image ${describeValue(p.image)}: ${imageProblem}`, 'pin the image to a version tag or digest, e.g. registry/agent:1.4.2');
  const res: unknown = p.resources;
  let requests: ResourceAmounts = ZERO;
  let cpuLimitMillis = 0;
  if (!isRecord(res)) {
    v.error(path, 'daemonset.resources.parse', `resources is ${describeValue(res)}`, 'set resources: { cpu: Cpu.millis(…), memory: Size.mebibytes(…) }');
  } else {
    const problems = [
      ['cpu', cpuProblem(res.cpu)],
      ['memory', memoryProblem(res.memory)],
      ['cpuLimit', res.cpuLimit === undefined ? undefined : cpuProblem(res.cpuLimit)],
    ].filter(([, problem]) => problem !== undefined);
    for (const [key, problem] of problems) v.error(path, 'daemonset.resources.parse', `resources.${key}: ${problem}`, 'use Cpu.millis(…) and Size.mebibytes(…)');
    if (problems.length === 0) {
      const req = { cpuMillis: cpuToMillis(res.cpu as Cpu), memoryMiB: memoryToMiB(res.memory as Size), gpus: 0 };
      requests = req;
      cpuLimitMillis = res.cpuLimit !== undefined ? cpuToMillis(res.cpuLimit as Cpu) : req.cpuMillis;
      if (req.cpuMillis <= 0 || req.memoryMiB <= 0) {
        v.error(path, 'daemonset.resources.positive', 'CPU and memory requests must be positive', 'request CPU and memory, e.g. Cpu.millis(100) and Size.mebibytes(128)');
      } else if (res.cpuLimit !== undefined && cpuToMillis(res.cpuLimit as Cpu) < req.cpuMillis) {
        v.error(path, 'daemonset.resources.cpu-limit', `the CPU limit ${formatCpu(cpuToMillis(res.cpuLimit as Cpu))} is below the request ${formatCpu(req.cpuMillis)}`, 'set cpuLimit at or above cpu, or omit it');
      }
    }
  }
  const mu: unknown = p.maxUnavailable;
  if (mu !== undefined) {
    if (typeof mu === 'number') {
      if (!Number.isInteger(mu) || mu < 1 || mu > MAX_POOL_CAPACITY) v.error(path, 'daemonset.max-unavailable', `maxUnavailable is ${mu}`, 'use a whole number of at least 1, or a percentage');
    } else {
      const m = typeof mu === 'string' ? /^([0-9]{1,3})%$/.exec(mu) : null;
      const pct = m ? Number(m[1]) : NaN;
      if (!(pct >= 1 && pct <= MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT)) {
        v.error(path, 'daemonset.max-unavailable', `maxUnavailable ${describeValue(mu)} is not a percentage between 1% and ${MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT}%`,
          `use a bounded rollout, e.g. '10%' (at most ${MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT}%)`);
      }
    }
  }
  for (const key of ['command', 'args'] as const) {
    const list: unknown = p[key];
    if (list !== undefined && (!Array.isArray(list) || !list.every(isString))) {
      v.error(path, 'daemonset.command', `${key} is ${describeValue(list)}, not a list of strings`, `give ${key} as a list of strings, or omit it`);
    }
  }
  const env: unknown = p.env;
  if (env !== undefined) {
    const bad = !isRecord(env) ? ['env is not a map'] : Object.entries(env).filter(([k, val]) => !ENV_NAME.test(k) || typeof val !== 'string').map(([k]) => `env ${describeValue(k)}`);
    for (const b of bad) v.error(path, 'daemonset.env', `${b} is not a variable name with a string value`, 'use names of letters, digits and _ (not starting with a digit) and string values');
  }
  for (const key of ['runAsRoot', 'privileged'] as const) {
    if (p[key] !== undefined && typeof p[key] !== 'boolean') v.error(path, 'daemonset.boolean', `${key} is ${describeValue(p[key])}, not true or false`, `set ${key} to true or false, or omit it`);
  }
  if (p.priorityClassName !== undefined && (!isDns1123Subdomain(p.priorityClassName))) {
    v.error(path, 'daemonset.priority-class', `priorityClassName ${describeValue(p.priorityClassName)} is not a DNS subdomain`, "use a priority class name like 'system-node-critical'");
  }
  const ports: unknown = p.ports;
  const portNames = new Set<string>();
  if (ports !== undefined && !Array.isArray(ports)) {
    v.error(path, 'daemonset.ports', `ports is ${describeValue(ports)}, not a list`, 'list ports as { name, containerPort }');
  }
  for (const [i, port] of (Array.isArray(ports) ? ports as unknown[] : []).entries()) {
    const pt = (isRecord(port) ? port : {}) as Partial<DaemonSetPort>;
    const problem = !isRecord(port) ? `ports[${i}] is ${describeValue(port)}`
      : !isString(pt.name) || !PORT_NAME.test(pt.name) || pt.name.length > 15 ? `ports[${i}]: name ${describeValue(pt.name)} is not a port name (at most 15 lower-case letters, digits and '-', with a letter)`
        : wholeNumberProblem(pt.containerPort, `ports[${i}].containerPort`, 1, 65535)
        ?? (pt.hostPort === undefined ? undefined : wholeNumberProblem(pt.hostPort, `ports[${i}].hostPort`, 1, 65535))
        ?? (pt.protocol === undefined || PROTOCOLS.includes(pt.protocol) ? undefined : `ports[${i}]: protocol ${describeValue(pt.protocol)} is not one of ${PROTOCOLS.join(', ')}`);
    if (problem) v.error(path, 'daemonset.ports', problem, 'name each port, use port numbers from 1 to 65535 and a protocol of TCP, UDP or SCTP (default TCP)');
    if (isString(pt.name)) {
      if (portNames.has(pt.name)) v.error(path, 'daemonset.ports', `port '${pt.name}' is declared twice`, 'give each port a unique name');
      portNames.add(pt.name);
    }
  }
  const probe: unknown = p.readinessProbe;
  if (probe !== undefined) {
    const pr = (isRecord(probe) ? probe : {}) as { path?: unknown; port?: unknown };
    if (!isRecord(probe) || !isString(pr.path) || !pr.path.startsWith('/') || !isString(pr.port) || !portNames.has(pr.port)) {
      v.error(path, 'daemonset.readiness-probe', 'readinessProbe needs an absolute path and the name of one of the agent\'s ports', "use e.g. { path: '/ready', port: 'metrics' } with a port named 'metrics'");
    }
  }
  const rules: unknown = p.clusterRules;
  if (rules !== undefined && !Array.isArray(rules)) {
    v.error(path, 'daemonset.rbac', `clusterRules is ${describeValue(rules)}, not a list`, 'list rules as { apiGroups, resources, verbs }');
  }
  for (const rule of Array.isArray(rules) ? rules as unknown[] : []) {
    const r = (isRecord(rule) ? rule : {}) as Partial<AgentPolicyRule>;
    const lists = [r.apiGroups, r.resources, r.verbs];
    if (!lists.every(l => Array.isArray(l) && l.every(isString)) || (r.resources ?? []).length === 0 || (r.verbs ?? []).length === 0) {
      v.error(path, 'daemonset.rbac', 'a cluster rule is not { apiGroups, resources, verbs } lists of strings with at least one resource and verb', 'list the exact API groups, resources and verbs the agent needs');
    } else if ([...r.apiGroups!, ...r.resources!, ...r.verbs!].includes(WILDCARD)) {
      v.error(path, 'daemonset.rbac.no-wildcards', "a cluster rule uses '*'", 'list the exact API groups, resources and verbs the agent needs');
    }
  }
  const network = resolveAgentNetwork(p.network, portNames, path, v);
  const hostPaths: unknown = p.hostPaths;
  if (hostPaths !== undefined && !Array.isArray(hostPaths)) {
    v.error(path, 'daemonset.host-path', `hostPaths is ${describeValue(hostPaths)}, not a list`, 'list host paths as { name, hostPath, mountPath }');
  }
  const vols = new Set<string>();
  for (const hp of Array.isArray(hostPaths) ? hostPaths as unknown[] : []) {
    const h = (isRecord(hp) ? hp : {}) as Partial<HostPathMount>;
    if (!isDns1123Label(h.name)) v.error(path, 'daemonset.host-path.name', `volume name ${describeValue(h.name)} is not a DNS-1123 label`, dns1123LabelFix(String(h.name)));
    if (isString(h.name) && vols.has(h.name)) v.error(path, 'daemonset.host-path.unique', `volume '${h.name}' is declared twice`, 'give each host path a unique name');
    if (isString(h.name)) vols.add(h.name);
    if (!isString(h.hostPath) || !isString(h.mountPath) || !h.hostPath.startsWith('/') || !h.mountPath.startsWith('/')) {
      v.error(path, 'daemonset.host-path.absolute', `host path ${describeValue(h.name)} must use absolute paths`, 'use absolute hostPath and mountPath');
    }
    if (h.readOnly !== undefined && typeof h.readOnly !== 'boolean') v.error(path, 'daemonset.host-path.read-only', `host path ${describeValue(h.name)}: readOnly is ${describeValue(h.readOnly)}`, 'set readOnly to true or false, or omit it');
    if (h.mountPropagation !== undefined && !MOUNT_PROPAGATIONS.includes(h.mountPropagation)) {
      v.error(path, 'daemonset.host-path.propagation', `host path ${describeValue(h.name)}: mountPropagation ${describeValue(h.mountPropagation)} is unknown`, `use one of ${MOUNT_PROPAGATIONS.join(', ')}`);
    }
  }
  const list = <T>(x: unknown): T[] => (Array.isArray(x) ? x as T[] : []);
  const privileged = p.privileged === true;
  const portList = list<DaemonSetPort>(p.ports);
  const hostPathList = list<HostPathMount>(p.hostPaths);
  return {
    construct: agent,
    name,
    valid: v.errorCount === before,
    image: p.image,
    ...(Array.isArray(p.command) ? { command: p.command } : {}),
    args: list<string>(p.args),
    env: Object.entries(isRecord(p.env) ? p.env as Record<string, string> : {})
      .sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, value]) => ({ name: n, value })),
    requests,
    cpuLimitMillis,
    hostPaths: hostPathList.map(h => ({ ...h, readOnly: h.readOnly ?? true })),
    ports: portList.map(pt => ({ ...pt, protocol: pt.protocol ?? 'TCP' })),
    privileged,
    runAsRoot: p.runAsRoot === true || privileged,
    maxUnavailable: p.maxUnavailable ?? DEFAULT_DAEMONSET_MAX_UNAVAILABLE,
    priorityClassName: p.priorityClassName ?? 'system-node-critical',
    clusterRules: list<AgentPolicyRule>(p.clusterRules),
    ingressPorts: network.ingressPorts ?? [...portNames].sort(),
    egress: network.egress,
    apiserverAccess: network.apiserver ?? list<AgentPolicyRule>(p.clusterRules).length > 0,
    ...(isRecord(p.readinessProbe) ? { readinessProbe: p.readinessProbe } : {}),
    needsPrivilegedNamespace: hostPathList.length > 0 || p.runAsRoot === true || privileged
      || portList.some(pt => isRecord(pt) && pt.hostPort !== undefined),
  };
}

/** The agent's `network` prop, checked: named ingress ports it declares, egress to address blocks (not the whole internet) on valid ports. */
interface AgentNetworkSpec {
  readonly ingressPorts?: string[];
  readonly egress: Array<{ cidrs: string[]; ports: number[]; protocol: AgentProtocol }>;
  readonly apiserver?: boolean;
}

function resolveAgentNetwork(net: unknown, portNames: ReadonlySet<string>, path: string, v: Violations): AgentNetworkSpec {
  const fix = "declare { ingressPorts: ['metrics'], egress: [{ cidrs: ['10.20.0.0/16'], ports: [443] }], apiserver: true } with the agent's own port names";
  if (net === undefined) return { egress: [] };
  if (!isRecord(net)) {
    v.error(path, 'daemonset.network', `network is ${describeValue(net)}, not an object`, fix);
    return { egress: [] };
  }
  const n = net as { ingressPorts?: unknown; egress?: unknown; apiserver?: unknown };
  let ingressPorts: string[] | undefined;
  if (n.ingressPorts !== undefined) {
    if (!Array.isArray(n.ingressPorts) || !n.ingressPorts.every(isString)) {
      v.error(path, 'daemonset.network', `network.ingressPorts is ${describeValue(n.ingressPorts)}, not a list of port names`, fix);
    } else {
      for (const name of n.ingressPorts) if (!portNames.has(name)) v.error(path, 'daemonset.network', `network.ingressPorts names '${name}', which is not one of the agent's ports`, fix);
      ingressPorts = [...new Set(n.ingressPorts.filter(name => portNames.has(name)))].sort();
    }
  }
  const egress: AgentNetworkSpec['egress'] = [];
  if (n.egress !== undefined && !Array.isArray(n.egress)) v.error(path, 'daemonset.network', `network.egress is ${describeValue(n.egress)}, not a list`, fix);
  for (const [i, e] of (Array.isArray(n.egress) ? n.egress as unknown[] : []).entries()) {
    const r = (isRecord(e) ? e : {}) as { cidrs?: unknown; ports?: unknown; protocol?: unknown };
    const cidrs = Array.isArray(r.cidrs) ? r.cidrs as unknown[] : [];
    const ports = Array.isArray(r.ports) ? r.ports as unknown[] : [];
    const problem = !isRecord(e) ? `network.egress[${i}] is ${describeValue(e)}`
      : cidrs.length === 0 || !cidrs.every(c => isString(c) && isCidr(c)) ? `network.egress[${i}].cidrs is ${describeValue(r.cidrs)}, not a list of CIDRs`
        : cidrs.some(c => isWholeInternet(c as string)) ? `network.egress[${i}] opens the whole internet`
          : ports.length === 0 ? `network.egress[${i}].ports is ${describeValue(r.ports)}, not a list of ports`
            : ports.some(pt => !(Number.isInteger(pt) && (pt as number) >= 1 && (pt as number) <= 65535))
              ? `network.egress[${i}]: port ${describeValue(ports.find(pt => !(Number.isInteger(pt) && (pt as number) >= 1 && (pt as number) <= 65535)))} is not from 1 to 65535`
              : r.protocol !== undefined && !PROTOCOLS.includes(r.protocol as AgentProtocol)
                ? `network.egress[${i}]: protocol ${describeValue(r.protocol)} is not one of ${PROTOCOLS.join(', ')}`
                : undefined;
    if (problem) v.error(path, 'daemonset.network', problem, fix);
    else egress.push({ cidrs: [...new Set(cidrs as string[])].sort(), ports: [...new Set(ports as number[])].sort((a, b) => a - b), protocol: (r.protocol as AgentProtocol | undefined) ?? 'TCP' });
  }
  if (n.apiserver !== undefined && typeof n.apiserver !== 'boolean') v.error(path, 'daemonset.network', `network.apiserver is ${describeValue(n.apiserver)}, not true or false`, fix);
  return { ...(ingressPorts ? { ingressPorts } : {}), egress, ...(typeof n.apiserver === 'boolean' ? { apiserver: n.apiserver } : {}) };
}

const WILDCARD = '*';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MOUNT_PROPAGATIONS: readonly string[] = ['None', 'HostToContainer', 'Bidirectional'];
const PROTOCOLS: readonly AgentProtocol[] = ['TCP', 'UDP', 'SCTP'];


/** Resolves the fleet's clusters, their pools and the required DaemonSets, reporting each bad prop. */
function resolve(model: FleetModel, below: MachinesStack['spec'], v: Violations): ClustersSlots['spec'] {
  const facts = resolveFleet(model.fleet, v);
  const daemonSets = model.ofType(RequiredDaemonSet).map(d => resolveDaemonSet(d, v));
  const dsByConstruct = new Map(daemonSets.map(d => [d.construct, d]));
  const byCluster = new Map<Cluster, ClusterSpec>();
  const byPool = new Map<KubernetesPool, PoolSpec>();
  const clusters: ClusterSpec[] = [];
  for (const c of model.ofType(Cluster)) {
    const own = resolveCluster(c, facts, v);
    const pools = c.pools.map(pool => resolvePool(pool, { machines: below.machines, cluster: own, daemonSets: dsByConstruct }, v));
    const spec: ClusterSpec = { ...own, pools };
    clusters.push(spec);
    byCluster.set(c, spec);
    for (const pool of pools) byPool.set(pool.construct, pool);
  }
  const hub = byCluster.get(model.fleet.hub as Cluster)!;
  const rolloutFacts = { fleetZones: below.machines.maintenanceZones, clusters: byCluster, pools: byPool };
  const rollouts = model.ofType(NodeRollout).map(r => resolveRollout(r, rolloutFacts, v)).filter((r): r is NodeRolloutSpec => r !== undefined);
  const spec: ClustersSpec = {
    clusters: [hub, ...clusters.filter(c => c !== hub)],
    hub,
    workloadClusters: clusters.filter(c => c.role === 'workload'),
    daemonSets,
    rollouts,
    systemNamespace: model.fleet.systemNamespace,
    cluster: c => byCluster.get(c)!,
    pool: p => byPool.get(p)!,
  };
  return { clusters: spec };
}

/** Checks across constructs: unique names, kubelet skew, and whether each pool's agents fit its nodes. */
function validate(_model: FleetModel, spec: ClustersSlots['spec'] & MachinesStack['spec'], v: Violations): void {
  const unique = (path: string, names: Map<string, string>, name: string, rule: ErrorRuleId,
    message: (other: string) => string, fix: string): void => {
    const other = names.get(name);
    if (other) v.error(path, rule, message(other), fix);
    else names.set(name, path);
  };
  const clusterNames = new Map<string, string>();
  for (const c of spec.clusters.clusters) {
    unique(pathOf(c.construct), clusterNames, c.name, 'cluster.unique-name', other => `cluster '${c.name}' is also declared at ${other}`, 'give each cluster a unique name');
  }
  const dsNames = new Map<string, string>();
  for (const d of spec.clusters.daemonSets) {
    unique(pathOf(d.construct), dsNames, d.name, 'daemonset.unique-name', other => `required DaemonSet '${d.name}' is also declared at ${other}`, 'give each required DaemonSet a unique name');
  }
  const poolNames = new Map<string, string>();
  for (const c of spec.clusters.clusters) {
    for (const pool of c.pools) {
      unique(pathOf(pool.construct), poolNames, `${c.name}/${pool.name}`, 'pool.unique-name', other => `pool '${pool.name}' is also declared at ${other}`, 'give each pool of a cluster a unique name');
      validatePool(c, pool, v);
    }
  }
  const clusterOfPool = new Map(spec.clusters.clusters.flatMap(c => c.pools.map(p => [p, c] as const)));
  validateRollouts(spec.clusters.rollouts, pool => clusterOfPool.get(pool)!, v);
}

function validatePool(cluster: ClusterSpec, pool: PoolSpec, v: Violations): void {
  const path = pathOf(pool.construct);
  const profile = pool.profile;
  if (!profile) return;
  // each version itself is checked with its construct; here only whether they fit together
  const kubelet = kubeletVersionProblem(pool.kubeletVersion) ? undefined : parseKubeVersion(pool.kubeletVersion);
  const apiserver = cluster.kubernetesVersionValid ? parseKubeVersion(cluster.kubernetesVersion) : undefined;
  if (kubelet && apiserver) {
    const problem = kubeletSkewProblem(kubelet, apiserver);
    if (problem) {
      v.error(path, 'pool.kubelet-version-skew', `${problem}: kubelet ${pool.kubeletVersion}, cluster ${cluster.kubernetesVersion}`,
        'align the node profile\'s kubeletVersion with the cluster: not newer, at most three minor versions older');
    }
  }
  if (pool.hasNodes && profile.valid && cluster.kubeProxy.valid) validateProxySysctls(cluster, pool, profile, v);
  // the agents together within one node's allocatable; agents and profiles with reported props are skipped
  const agents = pool.requiredDaemonSets;
  if (!profile.usable || !agents.every(a => a.valid) || !cluster.kubeProxy.valid) return;
  const alloc = profile.allocatable;
  const proxy = cluster.kubeProxy.requests;
  if (!fitsIn(proxy, alloc)) {
    v.error(path, 'pool.kube-proxy.fit', `kube-proxy requests more than a '${profile.name}' node allocates: ${shortfalls(proxy, alloc).join(', ')}`,
      `lower the cluster's kubeProxy cpu/memory or use a larger node profile for pool '${pool.name}'`);
    return;
  }
  for (const agent of agents) {
    if (!fitsIn(agent.requests, alloc)) {
      v.error(path, 'pool.daemonsets.fit', `required DaemonSet '${agent.name}' requests more than a '${profile.name}' node allocates: ${shortfalls(agent.requests, alloc).join(', ')}`,
        `lower the DaemonSet's requests or use a larger node profile for pool '${pool.name}'`);
    }
  }
  const total = addResources(proxy, ...agents.map(a => a.requests));
  if (agents.length > 0 && !fitsIn(total, alloc)) {
    v.error(path, 'pool.daemonsets.fit-together', `the pool's required DaemonSets and kube-proxy (${formatCpu(proxy.cpuMillis)} CPU, ${formatMemory(proxy.memoryMiB)}) together request more than a '${profile.name}' node allocates: ${shortfalls(total, alloc).join(', ')}`,
      'lower the DaemonSets\' requests, drop one, or use a larger node profile');
  }
}

/**
 * Checks a pool's node sysctls against what its cluster's kube-proxy mode
 * needs: a value that breaks the mode is an error, one that slows its failover
 * or a conntrack table smaller than kube-proxy sizes it a warning.
 */
function validateProxySysctls(cluster: ClusterSpec, pool: PoolSpec, profile: NodeProfileSpec, v: Violations): void {
  const path = pathOf(pool.construct);
  const mode = cluster.kubeProxy.mode;
  for (const need of NODE_SYSCTLS) {
    if (!need.modes.includes(mode)) continue;
    const value = profile.sysctls[need.key];
    if (value === undefined || need.ok(value)) continue;
    const message = `node profile '${profile.name}' sets ${need.key} = ${value}; kube-proxy in ${mode} mode needs ${need.needs}: ${need.reason}`;
    const fix = `remove ${need.key} from the profile's nodeConfig.sysctls (default ${need.value})`;
    if (need.severity === 'error') v.error(path, 'pool.kube-proxy.sysctl', message, fix);
    else v.warning(path, 'pool.kube-proxy.sysctl.degraded', message, fix);
  }
  const conntrack = profile.sysctls[CONNTRACK_MAX_SYSCTL];
  const wanted = conntrackMaxFor(cluster.kubeProxy, profile.cpuCores);
  if (conntrack !== undefined && conntrack < wanted) {
    v.warning(path, 'pool.kube-proxy.sysctl.degraded',
      `node profile '${profile.name}' sets ${CONNTRACK_MAX_SYSCTL} = ${conntrack}, below the ${wanted} kube-proxy sets on a ${profile.cpuCores}-core node: the two fight over the value and a full table drops new connections`,
      `raise ${CONNTRACK_MAX_SYSCTL} to at least ${wanted}, or remove it from the profile's nodeConfig.sysctls`);
  }
}

/**
 * Stripes every pool over its zones and decides, once, which agents run on it
 * (none on an empty pool) and what they leave per node for app pods.
 */
function plan(_model: FleetModel, spec: ClustersSlots['spec']): ClustersSlots['plan'] {
  const byPool = new Map<KubernetesPool, PoolPlan>();
  const capacity = new Map<Cluster, ClusterCapacity>();
  const agentTotals = new Map<Cluster, ClusterAgentTotals>();
  const poolsOf = (cluster: Cluster): PoolPlan[] => cluster.pools.map(p => byPool.get(p)).filter((p): p is PoolPlan => p !== undefined);
  const rolloutOf = new Map<PoolSpec, PoolRolloutPlan>();
  // a pool's unfinished rollout is the one its records show (validate allows one); else the last finished one
  for (const r of spec.clusters.rollouts) {
    for (const [pool, state] of planRollout(r)) {
      const prev = rolloutOf.get(pool);
      if (!prev || prev.completedZones === prev.zoneOrder.length) rolloutOf.set(pool, state);
    }
  }
  for (const cluster of spec.clusters.clusters) {
    const shares = stripePools(cluster.pools.map(p => ({ capacity: p.capacity, zones: p.zones })));
    let pods = 0;
    let requests: ResourceAmounts = ZERO;
    cluster.pools.forEach((pool, i) => {
      const profile = pool.profile!;
      const agents = pool.hasNodes ? pool.requiredDaemonSets : [];
      // kube-proxy runs on every node of the pool, beside the required DaemonSets
      const kubeProxyRequestsPerNode = pool.hasNodes ? cluster.kubeProxy.requests : ZERO;
      const kubeProxyPods = pool.hasNodes ? 1 : 0;
      const agentRequestsPerNode = addResources(kubeProxyRequestsPerNode, ...agents.map(a => a.requests));
      byPool.set(pool.construct, {
        pool: pool.construct,
        cluster: cluster.construct,
        profile: profile.construct,
        spec: pool,
        profileSpec: profile,
        zones: shares[i],
        agents,
        kubeProxyRequestsPerNode,
        agentRequestsPerNode,
        agentPodsPerNode: agents.length + kubeProxyPods,
        appAllocatablePerNode: subtractResources(profile.allocatable, agentRequestsPerNode),
        appPodsPerNode: profile.maxPods - agents.length - kubeProxyPods,
        ...(rolloutOf.has(pool) ? { rollout: rolloutOf.get(pool)! } : {}),
      });
      pods += pool.capacity * (agents.length + kubeProxyPods);
      requests = addResources(requests, scaleResources(agentRequestsPerNode, pool.capacity));
    });
    agentTotals.set(cluster.construct, { pods, requests });
    capacity.set(cluster.construct, clusterCapacity(poolsOf(cluster.construct).map(pp => ({
      pool: pp.spec.name,
      nodeProfile: pp.profileSpec.name,
      allocatablePerNode: pp.profileSpec.allocatable,
      maxPodsPerNode: pp.profileSpec.maxPods,
      zones: pp.zones,
    }))));
  }
  const clusters: ClustersPlan = { pools: byPool, capacity, agents: agentTotals, poolsOf };
  return { clusters };
}

function renderCluster(ctx: RenderContext<MachinesStack['spec'] & ClustersSlots['spec'], ClustersSlots['plan']>, cluster: Cluster, pools: readonly PoolPlan[]): void {
  const ns = ctx.spec.clusters.systemNamespace;
  const agents = new Map<DaemonSetSpec, true>();
  for (const pp of pools) {
    for (const agent of pp.agents) {
      agents.set(agent, true);
      ctx.add(cluster, renderAgentDaemonSet(agent, pp, ns), agent.construct);
    }
  }
  // the namespace holds the node agents and the control plane's serving-CSR approver: it carries the
  // guardrails' protection label and denies all traffic but DNS and what its pods declare
  const privileged = [...agents.keys()].some(a => a.needsPrivilegedNamespace);
  ctx.add(cluster, renderSystemNamespace(ns, privileged, ctx.spec.guardrails.config.protectedLabel), cluster);
  for (const o of renderPlatformNetworkPolicies(ns, [])) ctx.add(cluster, o as KubeObject, cluster);
  for (const agent of agents.keys()) {
    for (const a of agentAllowances(agent)) ctx.add(cluster, renderPlatformAllowance(ns, a) as KubeObject, agent.construct);
    for (const o of renderAgentIdentity(agent, ns)) ctx.add(cluster, o, agent.construct);
  }
  // anything the platform team added to the cluster chart by hand
  renderHandAdded(ctx.spec.guardrails.config.protectedLabel, cluster, (o, c) => ctx.add(cluster, o, c));
}

/**
 * The objects a platform engineer added to the cluster by hand, each rendered
 * once; a hand-added Namespace holding hand-added workloads or DaemonSets
 * carries the guardrails' protection label, as the namespaces the layers
 * render do.
 */
function renderHandAdded(protectedLabel: string, cluster: Cluster, add: (o: KubeObject, c: ApiObject) => void): void {
  const objects = cluster.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map(c => ({ c, o: c.toJson() as KubeObject }));
  const busy = new Set<string>();
  for (const { o } of objects) {
    if (o.metadata.namespace && workloadKindOf(o)) busy.add(o.metadata.namespace);
  }
  for (const { c, o } of objects) {
    if (o.kind === 'Namespace' && groupOf(o.apiVersion) === '' && busy.has(o.metadata.name)) {
      o.metadata.labels = { ...(o.metadata.labels ?? {}), [protectedLabel]: 'true' };
    }
    add(o, c);
  }
}

/** The clusters layer. @internal */
export const clustersLayer: Layer<MachinesStack, ClustersSlots> = {
  name: 'clusters',
  resolve,
  validate,
  plan,
  render(ctx) {
    const hub = ctx.spec.clusters.hub.construct;
    const byName = new Map(ctx.spec.clusters.clusters.map(c => [c.name, c.construct]));
    return name => {
      const cluster = byName.get(name)!;
      if (cluster === hub) {
        // the hub records every cluster's pools
        for (const crd of poolCrds()) ctx.add(hub, crd as KubeObject, hub);
        for (const c of ctx.spec.clusters.clusters) {
          for (const pp of ctx.plan.clusters.poolsOf(c.construct)) {
            ctx.add(hub, renderComputeBrokerPool(pp), pp.pool);
            ctx.add(hub, renderKubernetesPool(pp), pp.pool);
          }
        }
      }
      renderCluster(ctx, cluster, ctx.plan.clusters.poolsOf(cluster));
    };
  },
};
