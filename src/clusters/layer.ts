/**
 * The clusters layer: clusters, pools striped over maintenance zones, required
 * DaemonSets, and the hub's inventory.
 */
import { ApiObject } from 'cdk8s';
import { clusterCapacity } from './capacity';
import { Cluster } from './cluster';
import { renderAgentDaemonSet, renderAgentIdentity, renderSystemNamespace } from './daemonsets';
import { renderComputeBrokerPool, renderKubernetesPool } from './inventory';
import { KubernetesPool } from './kubernetes-pool';
import { MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT, RequiredDaemonSet } from './required-daemonset';
import { Violations } from '../core/errors';
import { Labels, dns1123LabelFix, isDns1123Label } from '../core/names';
import { addResources, fitsIn, shortfalls } from '../core/resources';
import { imagePinProblem, kubeletSkewProblem, parseKubeVersion } from '../core/versions';
import { poolCrds } from '../crds/pools';
import { stripePools, stripingProblem } from '../machines/maintenance-zones';
import { FleetModel, pathOf } from '../model';
import { FleetPlan, PoolPlan } from '../plan';
import { KubeObject, RenderContext } from '../synth/context';
import { Layer } from '../synth/layer';
import { RESERVED_CLUSTER_NAMES } from '../synth/layout';

const RESERVED_NODE_LABELS: readonly string[] = [Labels.POOL, Labels.NODE_PROFILE, Labels.MAINTENANCE_ZONE];

function validateClusters(model: FleetModel, v: Violations): void {
  const names = new Map<string, string>();
  for (const c of model.clusters) {
    const path = pathOf(c);
    const name = c.clusterName;
    if (!isDns1123Label(name)) v.error(path, 'cluster.name', `cluster name '${name}' is not a DNS-1123 label`, dns1123LabelFix(name));
    if (RESERVED_CLUSTER_NAMES.includes(name)) v.error(path, 'cluster.name.reserved', `'${name}' is reserved for the output layout`, 'choose another cluster name');
    const other = names.get(name);
    if (other) v.error(path, 'cluster.unique-name', `cluster '${name}' is also declared at ${other}`, 'give each cluster a unique name');
    else names.set(name, path);
    if (!c.props.region || c.props.region.trim() === '') v.error(path, 'cluster.region', 'the cluster has no region', "set region, e.g. 'lva1'");
    const version = model.versionOf(c);
    if (!parseKubeVersion(version)) v.error(path, 'cluster.kubernetes-version', `'${version}' is not a Kubernetes version`, "use a version like '1.28.9'");
  }
}

function validatePool(model: FleetModel, pool: KubernetesPool, daemonSets: ReadonlySet<RequiredDaemonSet>, v: Violations): void {
  const path = pathOf(pool);
  const cluster = model.clusterOf(pool);
  const p = pool.props;
  if (!isDns1123Label(pool.poolName)) v.error(path, 'pool.name', `pool name '${pool.poolName}' is not a DNS-1123 label`, dns1123LabelFix(pool.poolName));
  const inventoryName = `${cluster.clusterName}-${pool.poolName}`;
  if (inventoryName.length > 253) v.error(path, 'pool.name.length', `'${inventoryName}' is too long for the hub record`, 'shorten the cluster or pool name');

  const capacityOk = Number.isInteger(p.capacity) && p.capacity >= 0;
  if (!capacityOk) {
    v.error(path, 'pool.capacity.non-negative-integer', `capacity is ${p.capacity} nodes`, 'set capacity to a whole number of nodes, 0 or more');
  }

  const profile = model.profileOf(pool);
  if (!profile) {
    const known = model.nodeProfiles.map(n => n.profileName).sort().join(', ') || '(none)';
    v.error(path, 'pool.node-profile.known', `node profile '${pool.nodeProfileName}' is not declared in this fleet`,
      `use one of the fleet's node profiles: ${known}; or declare a NodeProfile named '${pool.nodeProfileName}'`);
  }

  const fleetZones = new Set(model.fleet.maintenanceZones);
  const zones = model.zonesOf(pool);
  if (zones.length === 0) v.error(path, 'pool.zones.non-empty', 'the pool lists no maintenance zones', 'omit maintenanceZones to use every zone, or list at least one');
  const unknownZones = zones.filter(z => !fleetZones.has(z));
  if (unknownZones.length > 0) {
    v.error(path, 'pool.zones.known', `unknown maintenance zone(s): ${unknownZones.join(', ')}`, `use zones of the fleet: ${model.fleet.maintenanceZones.join(', ')}`);
  }
  if (new Set(zones).size !== zones.length) v.error(path, 'pool.zones.unique', 'a maintenance zone is listed twice', 'list each zone once');
  const minPerZone = p.minNodesPerZone ?? 1;
  if (!Number.isInteger(minPerZone) || minPerZone < 0) {
    v.error(path, 'pool.zones.min-nodes', `minNodesPerZone is ${minPerZone}`, 'set minNodesPerZone to a whole number, 0 or more');
  } else if (capacityOk && zones.length > 0) {
    const problem = stripingProblem(p.capacity, zones.length, minPerZone);
    if (problem) {
      v.error(path, 'pool.capacity.stripable', problem,
        `raise capacity to at least ${zones.length * minPerZone}, restrict maintenanceZones to at most ${Math.floor(p.capacity / Math.max(1, minPerZone))} zones, or lower minNodesPerZone`);
    }
  }

  for (const key of Object.keys(p.nodeLabels ?? {})) {
    if (RESERVED_NODE_LABELS.includes(key)) v.error(path, 'pool.node-labels.reserved', `node label '${key}' is set by the library`, `remove '${key}' from nodeLabels`);
  }

  if (profile) {
    const kubelet = parseKubeVersion(model.kubeletVersionOf(profile, cluster));
    const apiserver = parseKubeVersion(model.versionOf(cluster));
    if (!kubelet) {
      v.error(pathOf(profile), 'node-profile.kubelet-version', `'${model.kubeletVersionOf(profile, cluster)}' is not a Kubernetes version`, "use a version like '1.28.9'");
    } else if (apiserver) {
      const problem = kubeletSkewProblem(kubelet, apiserver);
      if (problem) {
        v.error(path, 'pool.kubelet-version-skew', `${problem}: kubelet ${model.kubeletVersionOf(profile, cluster)}, cluster ${model.versionOf(cluster)}`,
          'align the node profile\'s kubeletVersion with the cluster: not newer, at most three minor versions older');
      }
    }
  }

  // required DaemonSets: known, and together within one node's allocatable
  const agents = pool.requiredDaemonSets;
  const seen = new Set<string>();
  for (const agent of agents) {
    if (!daemonSets.has(agent)) {
      v.error(path, 'pool.daemonsets.known', `required DaemonSet '${agent.daemonSetName}' is not part of this fleet`, 'declare the RequiredDaemonSet in the same Fleet');
    }
    if (seen.has(agent.daemonSetName)) v.error(path, 'pool.daemonsets.unique', `required DaemonSet '${agent.daemonSetName}' is listed twice`, 'list each DaemonSet once');
    seen.add(agent.daemonSetName);
    const dsName = `${agent.daemonSetName}-${pool.poolName}`;
    if (dsName.length > 63) v.error(path, 'pool.daemonsets.name-length', `DaemonSet name '${dsName}' is longer than 63 characters`, 'shorten the pool or DaemonSet name');
  }
  if (profile && agents.length > 0) {
    const alloc = profile.allocatable;
    for (const agent of agents) {
      if (!fitsIn(agent.requests, alloc)) {
        v.error(path, 'pool.daemonsets.fit', `required DaemonSet '${agent.daemonSetName}' requests more than a '${profile.profileName}' node allocates: ${shortfalls(agent.requests, alloc).join(', ')}`,
          `lower the DaemonSet's requests or use a larger node profile for pool '${pool.poolName}'`);
      }
    }
    const total = addResources(...agents.map(a => a.requests));
    if (agents.length > 1 && !fitsIn(total, alloc)) {
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
  if (imageProblem) v.error(path, 'daemonset.image.pinned', `image '${p.image}': ${imageProblem}`, 'pin the image to a version tag or digest, e.g. registry/agent:1.4.2');
  let req;
  try {
    req = agent.requests;
  } catch (e) {
    v.error(path, 'daemonset.resources.parse', (e as Error).message, 'use Cpu.millis(…) and Size.mebibytes(…)');
    return;
  }
  if (req.cpuMillis <= 0 || req.memoryMiB <= 0) {
    v.error(path, 'daemonset.resources.positive', 'CPU and memory requests must be positive', 'request CPU and memory, e.g. Cpu.millis(100) and Size.mebibytes(128)');
  }
  const mu = p.maxUnavailable;
  if (mu !== undefined) {
    if (typeof mu === 'number') {
      if (!Number.isInteger(mu) || mu < 1) v.error(path, 'daemonset.max-unavailable', `maxUnavailable is ${mu}`, 'use a whole number of at least 1, or a percentage');
    } else {
      const m = /^([0-9]+)%$/.exec(mu);
      const pct = m ? Number(m[1]) : NaN;
      if (!(pct >= 1 && pct <= MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT)) {
        v.error(path, 'daemonset.max-unavailable', `maxUnavailable '${mu}' is not a percentage between 1% and ${MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT}%`,
          `use a bounded rollout, e.g. '10%' (at most ${MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT}%)`);
      }
    }
  }
  for (const rule of p.clusterRules ?? []) {
    if ([...rule.apiGroups, ...rule.resources, ...rule.verbs].includes(WILDCARD)) {
      v.error(path, 'daemonset.rbac.no-wildcards', "a cluster rule uses '*'", 'list the exact API groups, resources and verbs the agent needs');
    }
  }
  const vols = new Set<string>();
  for (const h of p.hostPaths ?? []) {
    if (!isDns1123Label(h.name)) v.error(path, 'daemonset.host-path.name', `volume name '${h.name}' is not a DNS-1123 label`, dns1123LabelFix(h.name));
    if (vols.has(h.name)) v.error(path, 'daemonset.host-path.unique', `volume '${h.name}' is declared twice`, 'give each host path a unique name');
    vols.add(h.name);
    if (!h.hostPath.startsWith('/') || !h.mountPath.startsWith('/')) v.error(path, 'daemonset.host-path.absolute', `host path '${h.name}' must use absolute paths`, 'use absolute hostPath and mountPath');
  }
}

function validate(model: FleetModel, v: Violations): void {
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

function plan(model: FleetModel, fleetPlan: FleetPlan): void {
  for (const cluster of model.clusters) {
    const pools = cluster.pools;
    const shares = stripePools(pools.map(p => ({ capacity: p.props.capacity, zones: model.zonesOf(p) })));
    pools.forEach((pool, i) => {
      fleetPlan.pools.set(pool, { pool, cluster, profile: model.profileOf(pool)!, zones: shares[i] });
    });
    fleetPlan.capacity.set(cluster, clusterCapacity(fleetPlan.poolsOf(cluster).map(pp => ({
      pool: pp.pool.poolName,
      nodeProfile: pp.profile.profileName,
      allocatablePerNode: pp.profile.allocatable,
      maxPodsPerNode: pp.profile.maxPods,
      zones: pp.zones,
    }))));
  }
}

function renderCluster(ctx: RenderContext, cluster: Cluster, pools: readonly PoolPlan[]): void {
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
    ctx.add(cluster, renderSystemNamespace(ns, privileged), cluster);
    for (const agent of agents.keys()) {
      for (const o of renderAgentIdentity(agent, ns)) ctx.add(cluster, o, agent);
    }
  }
  // anything the platform team added to the cluster chart by hand
  for (const c of cluster.node.findAll()) {
    if (c instanceof ApiObject) ctx.add(cluster, c.toJson() as KubeObject, c);
  }
}

/** The clusters layer. */
export const clustersLayer: Layer = {
  name: 'clusters',
  validate,
  plan,
  render(ctx) {
    const hub = ctx.model.fleet.hub;
    for (const crd of poolCrds()) ctx.add(hub, crd as KubeObject, hub);
    for (const cluster of ctx.model.clusters) {
      const pools = ctx.plan.poolsOf(cluster);
      for (const pp of pools) {
        ctx.add(hub, renderComputeBrokerPool(pp), pp.pool);
        ctx.add(hub, renderKubernetesPool(pp, ctx.model), pp.pool);
      }
      renderCluster(ctx, cluster, pools);
    }
  },
};
