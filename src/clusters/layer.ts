/**
 * The clusters layer: clusters, pools striped over maintenance zones, required
 * DaemonSets, and the hub's inventory.
 */
import { ApiObject } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ClusterCapacity, clusterCapacity } from './capacity';
import { Cluster } from './cluster';
import { renderAgentDaemonSet, renderAgentIdentity, renderSystemNamespace } from './daemonsets';
import { renderComputeBrokerPool, renderKubernetesPool } from './inventory';
import { KubernetesPool, MAX_POOL_CAPACITY } from './kubernetes-pool';
import { AgentPolicyRule, DaemonSetPort, HostPathMount, MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT, RequiredDaemonSet } from './required-daemonset';
import { ClustersPlan, ClustersSlots, PoolPlan } from './slots';
import { describeValue, isRecord, isString, wholeNumberProblem } from '../core/checks';
import { Violations } from '../core/errors';
import { Labels, RESERVED_NAMESPACES, dns1123LabelFix, isDns1123Label, isDns1123Subdomain, labelsProblems } from '../core/names';
import { addResources, amountsIfValid, cpuProblem, cpuToMillis, fitsIn, formatCpu, memoryProblem, shortfalls } from '../core/resources';
import { imagePinProblem, kubeletSkewProblem, kubeletVersionProblem, kubernetesVersionProblem, parseKubeVersion, supportedKubernetesRange } from '../core/versions';
import { groupOf, workloadKindOf } from '../core/workload-kinds';
import { poolCrds } from '../crds/pools';
import { validateTaints } from '../machines/layer';
import { MAX_MAINTENANCE_ZONES, stripePools, stripingProblem } from '../machines/maintenance-zones';
import { MachinesStack } from '../machines/slots';
import { FleetModel, pathOf } from '../model';
import { KubeObject, RenderContext } from '../synth/context';
import { Layer } from '../synth/layer';
import { RESERVED_CLUSTER_NAMES } from '../synth/layout';

const RESERVED_NODE_LABELS: readonly string[] = [Labels.POOL, Labels.NODE_PROFILE, Labels.MAINTENANCE_ZONE];

function validateClusters(model: FleetModel, v: Violations): void {
  const fleetVersionProblem = kubernetesVersionProblem(model.fleet.kubernetesVersion);
  if (fleetVersionProblem) {
    v.error(pathOf(model.fleet), 'fleet.kubernetes-version', fleetVersionProblem, `use a supported version (${supportedKubernetesRange()}) like '1.28.9'`);
  }
  const ns: unknown = model.fleet.systemNamespace;
  if (!isDns1123Label(ns)) {
    v.error(pathOf(model.fleet), 'fleet.system-namespace', `systemNamespace ${describeValue(ns)} is not a DNS-1123 label`, dns1123LabelFix(String(ns)));
  } else if (RESERVED_NAMESPACES.includes(ns)) {
    v.error(pathOf(model.fleet), 'fleet.system-namespace', `systemNamespace '${ns}' belongs to Kubernetes`, "use a namespace of the platform's own, e.g. 'fleet-system'");
  }
  const names = new Map<string, string>();
  for (const c of model.clusters) {
    const path = pathOf(c);
    const name = c.clusterName;
    if (!isDns1123Label(name)) v.error(path, 'cluster.name', `cluster name '${name}' is not a DNS-1123 label`, dns1123LabelFix(name));
    if (RESERVED_CLUSTER_NAMES.includes(name)) v.error(path, 'cluster.name.reserved', `'${name}' is reserved for the output layout`, 'choose another cluster name');
    const other = names.get(name);
    if (other) v.error(path, 'cluster.unique-name', `cluster '${name}' is also declared at ${other}`, 'give each cluster a unique name');
    else names.set(name, path);
    const region: unknown = c.props.region;
    if (typeof region !== 'string' || region.trim() === '') {
      v.error(path, 'cluster.region', 'the cluster has no region', "set region, e.g. 'lva1'");
    } else if (!isDns1123Label(region)) {
      v.error(path, 'cluster.region', `region '${region}' is not a DNS-1123 label (it names the control-plane hosts' domain)`, dns1123LabelFix(region));
    }
    // a cluster that inherits a bad fleet version is covered by the fleet's violation
    const version = model.versionOf(c);
    const versionProblem = c.props.kubernetesVersion === undefined && fleetVersionProblem ? undefined : kubernetesVersionProblem(version);
    if (versionProblem) {
      v.error(path, 'cluster.kubernetes-version', versionProblem, `use a supported version (${supportedKubernetesRange()}) like '1.28.9'`);
    }
    if (c.props.openKruise !== undefined && typeof c.props.openKruise !== 'boolean') {
      v.error(path, 'cluster.open-kruise', `openKruise is ${describeValue(c.props.openKruise)}, not true or false`, 'set openKruise to true or false, or omit it');
    }
    for (const problem of labelsProblems(c.props.labels)) {
      v.error(path, 'cluster.labels', `labels: ${problem}`, 'use label keys and values as Kubernetes accepts them');
    }
  }
}

function validatePool(model: FleetModel, pool: KubernetesPool, daemonSets: ReadonlySet<RequiredDaemonSet>, v: Violations): void {
  const path = pathOf(pool);
  const cluster = model.clusterOf(pool);
  const p = pool.props;
  if (!isDns1123Label(pool.poolName)) v.error(path, 'pool.name', `pool name '${pool.poolName}' is not a DNS-1123 label`, dns1123LabelFix(pool.poolName));
  const inventoryName = `${cluster.clusterName}-${pool.poolName}`;
  if (inventoryName.length > 253) v.error(path, 'pool.name.length', `'${inventoryName}' is too long for the hub record`, 'shorten the cluster or pool name');

  const capacityProblem = wholeNumberProblem(p.capacity, 'capacity', 0, MAX_POOL_CAPACITY);
  const capacityOk = capacityProblem === undefined;
  if (!capacityOk) {
    v.error(path, 'pool.capacity.non-negative-integer', typeof p.capacity === 'number' && p.capacity < 0 ? `capacity is ${p.capacity} nodes` : `${capacityProblem} (nodes)`,
      `set capacity to a whole number of nodes, 0 or more, at most ${MAX_POOL_CAPACITY}`);
  }

  const profile = model.profileOf(pool);
  if (!profile) {
    const known = model.nodeProfiles.map(n => n.profileName).sort().join(', ') || '(none)';
    v.error(path, 'pool.node-profile.known', `node profile '${pool.nodeProfileName}' is not declared in this fleet`,
      `use one of the fleet's node profiles: ${known}; or declare a NodeProfile named '${pool.nodeProfileName}'`);
  }

  const fleetZones = new Set(model.fleet.maintenanceZones);
  const zonesProp: unknown = p.maintenanceZones;
  const zonesOk = zonesProp === undefined || (Array.isArray(zonesProp) && zonesProp.length <= MAX_MAINTENANCE_ZONES);
  if (!zonesOk) {
    v.error(path, 'pool.zones.list', Array.isArray(zonesProp) ? `the pool lists ${zonesProp.length} maintenance zones, more than the ${MAX_MAINTENANCE_ZONES} a fleet may have` : `maintenanceZones is ${describeValue(zonesProp)}, not a list`,
      'list zones of the fleet by name, or omit maintenanceZones to use every zone');
  }
  const zones = zonesOk ? model.zonesOf(pool) : [];
  if (zonesOk && zones.length === 0 && model.fleet.maintenanceZones.length > 0) v.error(path, 'pool.zones.non-empty', 'the pool lists no maintenance zones', 'omit maintenanceZones to use every zone, or list at least one');
  const unknownZones = zones.filter(z => !fleetZones.has(z));
  if (unknownZones.length > 0) {
    v.error(path, 'pool.zones.known', `unknown maintenance zone(s): ${unknownZones.map(String).join(', ')}`, `use zones of the fleet: ${model.fleet.maintenanceZones.join(', ')}`);
  }
  if (new Set(zones).size !== zones.length) v.error(path, 'pool.zones.unique', 'a maintenance zone is listed twice', 'list each zone once');
  const minPerZone = p.minNodesPerZone ?? 1;
  const minProblem = wholeNumberProblem(minPerZone, 'minNodesPerZone', 0, MAX_POOL_CAPACITY);
  if (minProblem) {
    v.error(path, 'pool.zones.min-nodes', minProblem, 'set minNodesPerZone to a whole number, 0 or more');
  } else if (capacityOk && zones.length > 0) {
    const problem = stripingProblem(p.capacity, zones.length, minPerZone);
    if (problem) {
      v.error(path, 'pool.capacity.stripable', problem,
        `raise capacity to at least ${zones.length * minPerZone}, restrict maintenanceZones to at most ${Math.floor(p.capacity / Math.max(1, minPerZone))} zones, or lower minNodesPerZone`);
    }
  }

  for (const problem of labelsProblems(p.nodeLabels)) {
    v.error(path, 'pool.node-labels', `nodeLabels: ${problem}`, 'use label keys and values as Kubernetes accepts them');
  }
  validateTaints(p.taints, path, 'pool.taints', v);
  for (const key of Object.keys(p.nodeLabels ?? {})) {
    if (RESERVED_NODE_LABELS.includes(key)) v.error(path, 'pool.node-labels.reserved', `node label '${key}' is set by the library`, `remove '${key}' from nodeLabels`);
  }

  if (profile) {
    // each version itself is checked with its construct; here only whether they fit together
    const kubeletVersion = model.kubeletVersionOf(profile, cluster);
    const kubelet = kubeletVersionProblem(kubeletVersion) ? undefined : parseKubeVersion(kubeletVersion);
    const apiserver = kubernetesVersionProblem(model.versionOf(cluster)) ? undefined : parseKubeVersion(model.versionOf(cluster));
    if (kubelet && apiserver) {
      const problem = kubeletSkewProblem(kubelet, apiserver);
      if (problem) {
        v.error(path, 'pool.kubelet-version-skew', `${problem}: kubelet ${model.kubeletVersionOf(profile, cluster)}, cluster ${model.versionOf(cluster)}`,
          'align the node profile\'s kubeletVersion with the cluster: not newer, at most three minor versions older');
      }
    }
  }

  // required DaemonSets: known, and together within one node's allocatable
  const agentsProp: unknown = p.requiredDaemonSets;
  if (agentsProp !== undefined && !Array.isArray(agentsProp)) {
    v.error(path, 'pool.daemonsets.list', `requiredDaemonSets is ${describeValue(agentsProp)}, not a list`, 'list the RequiredDaemonSet constructs the pool needs');
  }
  // the prop's agents, then those of addRequiredDaemonSet()
  const agents = pool.requiredDaemonSets;
  const seen = new Set<string>();
  for (const agent of agents) {
    if (!daemonSets.has(agent)) {
      v.error(path, 'pool.daemonsets.known', agent instanceof RequiredDaemonSet ? `required DaemonSet '${agent.daemonSetName}' is not part of this fleet` : `a required DaemonSet of the pool is ${describeValue(agent)}, not a RequiredDaemonSet`,
        'declare the RequiredDaemonSet in the same Fleet');
      continue;
    }
    if (seen.has(agent.daemonSetName)) v.error(path, 'pool.daemonsets.unique', `required DaemonSet '${agent.daemonSetName}' is listed twice`, 'list each DaemonSet once');
    seen.add(agent.daemonSetName);
    const dsName = `${agent.daemonSetName}-${pool.poolName}`;
    if (dsName.length > 63) v.error(path, 'pool.daemonsets.name-length', `DaemonSet name '${dsName}' is longer than 63 characters`, 'shorten the pool or DaemonSet name');
  }
  // agents and profiles with unusable quantities are reported with their own props
  const alloc = profile ? amountsIfValid(() => profile.allocatable) : undefined;
  const known = agents.filter(a => daemonSets.has(a));
  const requests = known.map(a => amountsIfValid(() => a.requests));
  if (profile && alloc && known.length > 0 && requests.every(r => r !== undefined)) {
    for (const agent of known) {
      if (!fitsIn(agent.requests, alloc)) {
        v.error(path, 'pool.daemonsets.fit', `required DaemonSet '${agent.daemonSetName}' requests more than a '${profile.profileName}' node allocates: ${shortfalls(agent.requests, alloc).join(', ')}`,
          `lower the DaemonSet's requests or use a larger node profile for pool '${pool.poolName}'`);
      }
    }
    const total = addResources(...known.map(a => a.requests));
    if (known.length > 1 && !fitsIn(total, alloc)) {
      v.error(path, 'pool.daemonsets.fit-together', `the pool's required DaemonSets together request more than a '${profile.profileName}' node allocates: ${shortfalls(total, alloc).join(', ')}`,
        'lower the DaemonSets\' requests, drop one, or use a larger node profile');
    }
  }
}

const WILDCARD = '*';

function validateDaemonSet(agent: RequiredDaemonSet, names: Map<string, string>, v: Violations): void {
  const path = pathOf(agent);
  const p = agent.props;
  const name = agent.daemonSetName;
  if (!isDns1123Label(name)) v.error(path, 'daemonset.name', `DaemonSet name '${name}' is not a DNS-1123 label`, dns1123LabelFix(name));
  const other = names.get(name);
  if (other) v.error(path, 'daemonset.unique-name', `required DaemonSet '${name}' is also declared at ${other}`, 'give each required DaemonSet a unique name');
  else names.set(name, path);
  const imageProblem = imagePinProblem(p.image);
  if (imageProblem) v.error(path, 'daemonset.image.pinned', `image ${describeValue(p.image)}: ${imageProblem}`, 'pin the image to a version tag or digest, e.g. registry/agent:1.4.2');
  const res: unknown = p.resources;
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
      const req = agent.requests;
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
        ?? (pt.hostPort === undefined ? undefined : wholeNumberProblem(pt.hostPort, `ports[${i}].hostPort`, 1, 65535));
    if (problem) v.error(path, 'daemonset.ports', problem, 'name each port and use port numbers from 1 to 65535');
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
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MOUNT_PROPAGATIONS: readonly string[] = ['None', 'HostToContainer', 'Bidirectional'];

function validate(model: FleetModel, _spec: unknown, v: Violations): void {
  validateClusters(model, v);
  const daemonSets = new Set(model.daemonSets);
  const dsNames = new Map<string, string>();
  for (const d of model.daemonSets) validateDaemonSet(d, dsNames, v);
  const poolNames = new Map<string, string>();
  for (const pool of model.pools) {
    const key = `${model.clusterOf(pool).clusterName}/${pool.poolName}`;
    const other = poolNames.get(key);
    if (other) v.error(pathOf(pool), 'pool.unique-name', `pool '${pool.poolName}' is also declared at ${other}`, 'give each pool of a cluster a unique name');
    else poolNames.set(key, pathOf(pool));
    validatePool(model, pool, daemonSets, v);
  }
}

function plan(model: FleetModel): ClustersSlots['plan'] {
  const byPool = new Map<KubernetesPool, PoolPlan>();
  const capacity = new Map<Cluster, ClusterCapacity>();
  const poolsOf = (cluster: Cluster): PoolPlan[] => cluster.pools.map(p => byPool.get(p)).filter((p): p is PoolPlan => p !== undefined);
  for (const cluster of model.clusters) {
    const pools = cluster.pools;
    const shares = stripePools(pools.map(p => ({ capacity: p.props.capacity, zones: model.zonesOf(p) })));
    pools.forEach((pool, i) => {
      byPool.set(pool, { pool, cluster, profile: model.profileOf(pool)!, zones: shares[i] });
    });
    capacity.set(cluster, clusterCapacity(poolsOf(cluster).map(pp => ({
      pool: pp.pool.poolName,
      nodeProfile: pp.profile.profileName,
      allocatablePerNode: pp.profile.allocatable,
      maxPodsPerNode: pp.profile.maxPods,
      zones: pp.zones,
    }))));
  }
  const clusters: ClustersPlan = { pools: byPool, capacity, poolsOf };
  return { clusters };
}

function renderCluster(ctx: RenderContext<MachinesStack['spec'], ClustersSlots['plan']>, cluster: Cluster, pools: readonly PoolPlan[]): void {
  const ns = ctx.model.fleet.systemNamespace;
  const agents = new Map<RequiredDaemonSet, true>();
  for (const pp of pools) {
    if (pp.pool.props.capacity === 0) continue;
    for (const agent of pp.pool.requiredDaemonSets) {
      agents.set(agent, true);
      ctx.add(cluster, renderAgentDaemonSet(agent, pp, ns), agent);
    }
  }
  if (agents.size > 0) {
    const privileged = [...agents.keys()].some(a => a.needsPrivilegedNamespace);
    // the namespace holds the node agents: it carries the guardrails' protection label
    ctx.add(cluster, renderSystemNamespace(ns, privileged, ctx.spec.guardrails.config.protectedLabel), cluster);
    for (const agent of agents.keys()) {
      for (const o of renderAgentIdentity(agent, ns)) ctx.add(cluster, o, agent);
    }
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
  validate,
  plan,
  render(ctx) {
    const hub = ctx.model.fleet.hub;
    for (const crd of poolCrds()) ctx.add(hub, crd as KubeObject, hub);
    for (const cluster of ctx.model.clusters) {
      const pools = ctx.plan.clusters.poolsOf(cluster);
      for (const pp of pools) {
        ctx.add(hub, renderComputeBrokerPool(pp), pp.pool);
        ctx.add(hub, renderKubernetesPool(pp, ctx.model), pp.pool);
      }
      renderCluster(ctx, cluster, pools);
    }
  },
};
