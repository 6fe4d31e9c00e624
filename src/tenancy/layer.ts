/**
 * The tenancy layer: app namespaces, their routing to a workload cluster (kept
 * stable by the placement lock), and their objects: Namespace, ResourceQuota,
 * LimitRange, RBAC, NetworkPolicies, and the hub's routing records.
 */
import * as fs from 'fs';
import { join as joinPath } from 'path';
import { TenancyPoolFacts, ClusterCapacityReport, candidateClusters, capacityReport, largestPodPerProfile } from './accounting';
import { AppNamespace } from './app-namespace';
import { namespacePlacementCrd } from './crd';
import { namespaceDemand } from './demand';
import { LockedPlacement, PLACEMENTS_SECTION, PLACEMENT_RECORD_FILE, PlacementLock, parsePlacementLock, placementsSection } from './lock';
import { APP_LABEL, TENANT_LABEL, renderAppLimitRange, renderAppNamespace, renderAppResourceQuota } from './namespace';
import { renderAppNetworkPolicies } from './network';
import { Capacity, PlacementRequest, describePlacementProblem, formatCapacity, moveOverride, placeNamespaces } from './placement';
import { renderAppClusterRoles, renderAppRoleBindings } from './rbac';
import { declaredNamespace, resolveNamespace, resolvePlacementLock } from './resolve';
import { LockRecordRead, NamespacePlan, NamespaceSpec, TenancyPlan, TenancySlots, TenancySpec } from './slots';
import { Cluster } from '../clusters/cluster';
import { renderTenantFlowSchema } from '../control-plane/priority-and-fairness';
import { ControlPlaneStack } from '../control-plane/slots';
import { Violations } from '../core/errors';
import { FleetModel, pathOf } from '../core/model';
import { Labels } from '../core/names';
import { ZERO, fitsIn, formatCpu, formatMemory, shortfalls } from '../core/resources';
import { TENANT_CLASS_NAMES, TenantClass } from '../core/tenant-classes';
import { FLEET_API_VERSION } from '../crds/pools';
import { KubeObject, RenderContext } from '../synth/context';
import { carryOverride } from '../synth/inputs';
import { ClusterRender, Layer } from '../synth/layer';

/** How many items a message lists before it says how many more there are. */
const LISTED_IN_MESSAGES = 10;

/** `a, b, c` — or the first few and `… and N more`, so a fleet-sized list stays readable. */
function listSome(items: readonly string[]): string {
  if (items.length <= LISTED_IN_MESSAGES) return items.join(', ');
  return `${items.slice(0, LISTED_IN_MESSAGES).join(', ')}, … and ${items.length - LISTED_IN_MESSAGES} more (see <outdir>/${PLACEMENT_RECORD_FILE})`;
}


/** What a namespace reserves: its workloads' peaks, its reserve and its headroom. @internal */
export function demandOf(ns: NamespaceSpec): Capacity {
  return namespaceDemand(ns.workloads.map(w => w.workloadDemand), ns.reserve, ns.quotaHeadroomPercent);
}

function resolve(model: FleetModel, below: ControlPlaneStack['spec'], v: Violations): TenancySlots['spec'] {
  const all = model.ofType(AppNamespace);
  const facts = { machines: below.machines, clusters: below.clusters };
  const byConstruct = new Map<AppNamespace, NamespaceSpec>();
  for (const ns of all) {
    const spec = resolveNamespace(ns, facts, v);
    if (spec) byConstruct.set(ns, spec);
  }
  const locks = model.ofType(PlacementLock);
  const lock = locks[0] ? resolvePlacementLock(locks[0], v) : undefined;
  for (const extra of locks.slice(1)) resolvePlacementLock(extra, v);
  const tenancy: TenancySpec = {
    namespaces: [...byConstruct.values()],
    declared: all.map(declaredNamespace),
    ...(lock ? { lock } : {}),
    hasLock: locks.length > 0,
    namespace: ns => byConstruct.get(ns),
  };
  return { tenancy };
}

/** Checks across namespaces: unique apps and namespaces, allowances naming onboarded apps, one lock. */
function validate(model: FleetModel, spec: ControlPlaneStack['spec'] & TenancySlots['spec'], v: Violations): void {
  const all = spec.tenancy.declared;
  const apps = new Map<string, string>();
  const namespaces = new Map<string, string>();
  for (const ns of all) {
    const otherApp = apps.get(ns.app);
    if (otherApp) v.error(ns.path, 'tenancy.app.unique', `app '${ns.app}' is also onboarded at ${otherApp}`, 'onboard each app once');
    else apps.set(ns.app, ns.path);
    const otherNs = namespaces.get(ns.namespace);
    if (otherNs) v.error(ns.path, 'tenancy.namespace.unique', `namespace '${ns.namespace}' is also used by ${otherNs}`, 'give each app its own namespace');
    else namespaces.set(ns.namespace, ns.path);
  }
  const members = new Set(all.map(ns => ns.construct));
  for (const ns of all) {
    for (const { at, app, peer } of ns.appReferences) {
      if (peer && !members.has(peer)) {
        v.error(ns.path, 'tenancy.network.app.known', `${at} names the namespace of app '${app}' at ${pathOf(peer)}, which is not part of this fleet`, 'allow traffic from and to app namespaces of the same fleet');
      } else if (!apps.has(app)) {
        v.error(ns.path, 'tenancy.network.app.known', `${at} names app '${app}', which is not onboarded`, `onboard '${app}' or use one of: ${[...apps.keys()].sort().join(', ')}`);
      }
    }
  }
  const locks = model.ofType(PlacementLock);
  for (const extra of locks.slice(1)) {
    v.error(pathOf(extra), 'tenancy.lock.unique', `the fleet already has a placement lock at ${pathOf(locks[0])}`, 'declare one PlacementLock per fleet');
  }
}

/**
 * Reads the lock file, inline placements and the previous output's record,
 * merged; keeps every record read (its sections) for the layers above.
 */
function readLock(model: FleetModel, tenancy: TenancySpec, v: Violations):
{ placements: Map<string, LockedPlacement>; source: string; records: LockRecordRead[] } {
  const out = new Map<string, LockedPlacement>();
  const records: LockRecordRead[] = [];
  const origin = new Map<string, string>();
  const lock = tenancy.lock;
  const merge = (from: ReadonlyMap<string, LockedPlacement>, where: string, at: string) => {
    for (const [app, p] of from) {
      const prev = out.get(app);
      if (prev && (prev.cluster !== p.cluster || prev.namespace !== p.namespace)) {
        v.error(at, 'tenancy.lock.conflict', `the placement of '${app}' is ${prev.namespace}@${prev.cluster} in ${origin.get(app)} but ${p.namespace}@${p.cluster} in ${where}`,
          'make the records agree: the previous output is what is deployed; update the lock file from it');
        continue;
      }
      if (!prev) {
        out.set(app, p);
        origin.set(app, where);
      }
    }
  };
  const readFile = (file: string, where: string, at: string, missingIsWarning: boolean) => {
    if (!fs.existsSync(file)) {
      if (missingIsWarning) v.warning(at, 'tenancy.lock.missing', `placement lock file ${where} does not exist; every namespace is routed afresh`, 'commit the lock file that this synth writes (fleet.synth() and cdk8s-fleet synth write it; with synthesize(), call updatePlacementLock)');
      return;
    }
    const parsed = parsePlacementLock(fs.readFileSync(file, 'utf8'));
    if ('error' in parsed) {
      v.error(at, 'tenancy.lock.parse', `placement lock ${where}: ${parsed.error}`, `restore the file from version control or from <outdir>/${PLACEMENT_RECORD_FILE}`);
      return;
    }
    merge(parsed.placements, where, at);
    records.push({ where, at, sections: parsed.sections });
  };
  if (lock) {
    merge(lock.placements, 'the PlacementLock props', lock.path);
    if (lock.file !== undefined) readFile(lock.filePath!, lock.file, lock.path, true);
  }
  const previous = model.options.previousOutdir;
  if (previous) readFile(joinPath(previous, PLACEMENT_RECORD_FILE), `the previous output (${PLACEMENT_RECORD_FILE})`, lock ? lock.path : '<fleet>', false);
  return { placements: out, source: lock?.file ?? PLACEMENT_RECORD_FILE, records };
}

function poolFacts(spec: ControlPlaneStack['spec'], fleetPlan: ControlPlaneStack['plan']): TenancyPoolFacts[] {
  const out: TenancyPoolFacts[] = [];
  for (const cluster of spec.clusters.workloadClusters) {
    for (const pp of fleetPlan.clusters.poolsOf(cluster.construct)) {
      out.push({
        cluster: pp.spec.clusterName,
        pool: pp.spec.name,
        nodeProfile: pp.profileSpec.name,
        allocatablePerNode: pp.profileSpec.allocatable,
        maxPodsPerNode: pp.profileSpec.maxPods,
        daemonSetRequestsPerNode: pp.agentRequestsPerNode,
        daemonSetPodsPerNode: pp.agentPodsPerNode,
        zones: pp.zones,
      });
    }
  }
  return out;
}

function plan(model: FleetModel, spec: ControlPlaneStack['spec'] & TenancySlots['spec'], fleetPlan: ControlPlaneStack['plan'], v: Violations): TenancySlots['plan'] {
  const all = spec.tenancy.namespaces;
  const lock = readLock(model, spec.tenancy, v);
  const facts = poolFacts(spec, fleetPlan);
  const clusterNames = spec.clusters.workloadClusters.map(c => c.name);
  const clustersByName = new Map(spec.clusters.workloadClusters.map(c => [c.name, c.construct]));
  const overrides = new Set(model.options.overrides ?? []);

  const demands = new Map<NamespaceSpec, Capacity>();
  const requests: PlacementRequest[] = [];
  const byApp = new Map<string, NamespaceSpec>();
  for (const ns of all) {
    byApp.set(ns.app, ns);
    const demand = demandOf(ns);
    demands.set(ns, demand);
    if (demand.pods === 0) {
      v.warning(ns.path, 'tenancy.quota.empty', 'the namespace declares no workloads and no reserve: its quota admits no pods',
        'add the app\'s workloads to the namespace, or set reserve (pods, cpu, memory)');
    }
    const locked = lock.placements.get(ns.app);
    const approved = overrides.has(moveOverride(ns.namespace));
    if (locked && locked.namespace !== ns.namespace && !approved) {
      v.error(ns.path, 'tenancy.lock.namespace-renamed', `the app's namespace is recorded as '${locked.namespace}' on '${locked.cluster}' but is now '${ns.namespace}': renaming recreates it (an outage)`,
        `keep namespace '${locked.namespace}', or approve the change with the override ${carryOverride(moveOverride(ns.namespace))}`);
      continue;
    }
    if (locked && locked.namespace !== ns.namespace) {
      v.warning(ns.path, 'tenancy.lock.namespace-renamed', `the app's namespace is renamed from '${locked.namespace}' to '${ns.namespace}' on '${locked.cluster}' (approved by the override '${moveOverride(ns.namespace)}' this change carries)`,
        'migrate the app\'s state before the old namespace is pruned; remove the override once the change is applied');
    }
    requests.push({
      key: ns.app,
      nodeProfile: ns.nodeProfile.name,
      demand,
      ...(ns.cluster ? { pinned: ns.cluster.name } : {}),
      ...(locked ? { locked: locked.cluster } : {}),
      moveApproved: approved,
    });
  }

  const result = placeNamespaces(candidateClusters(clusterNames, facts), requests);
  for (const problem of result.problems) {
    const ns = byApp.get(problem.key)!;
    const d = describePlacementProblem(problem, ns.namespace);
    v.error(ns.path, d.rule, d.message, d.fix);
  }

  const largest = largestPodPerProfile(facts);
  const namespaces = new Map<AppNamespace, NamespacePlan>();
  const placement = new Map<AppNamespace, Cluster>();
  const record = new Map<string, LockedPlacement>();
  const namespacesByCluster = new Map<string, string[]>();
  for (const decision of result.decisions.values()) {
    const ns = byApp.get(decision.key)!;
    const cluster = clustersByName.get(decision.cluster)!;
    const profile = ns.nodeProfile;
    const largestPod = largest.get(`${decision.cluster}/${profile.name}`) ?? ZERO;
    placement.set(ns.construct, cluster);
    const demand = demands.get(ns)!;
    namespaces.set(ns.construct, { ns: ns.construct, spec: ns, cluster, decision, demand, largestPod, gpuResourceName: profile.gpuResourceName });
    record.set(ns.app, { cluster: decision.cluster, namespace: ns.namespace, nodeProfile: profile.name });
    const onCluster = namespacesByCluster.get(decision.cluster);
    if (onCluster) onCluster.push(ns.namespace);
    else namespacesByCluster.set(decision.cluster, [ns.namespace]);
    if (decision.movedFrom) {
      v.warning(ns.path, 'tenancy.routing.move', `the namespace moves from '${decision.movedFrom}' to '${decision.cluster}' (approved by the override '${moveOverride(ns.namespace)}' this change carries)`,
        'migrate the app\'s state and traffic before the old namespace is pruned');
    }
    for (const w of ns.workloads) {
      const pod = w.workloadDemand.podRequests;
      if (!fitsIn(pod, largestPod)) {
        v.error(pathOf(w), 'tenancy.workload.fits-node', `one pod requests more than a '${profile.name}' node of '${decision.cluster}' has room for next to its node agents: ${shortfalls(pod, largestPod).join(', ')}`,
          'lower the pod\'s requests or onboard the app on a larger node profile');
      }
    }
  }

  // network allowances only work within one cluster
  for (const { spec: ns, cluster: here } of namespaces.values()) {
    for (const a of [...ns.network.ingress, ...ns.network.egress]) {
      for (const app of a.apps) {
        const other = byApp.get(app);
        const there = other ? placement.get(other.construct) : undefined;
        if (there && there !== here) {
          v.warning(ns.path, 'tenancy.network.cross-cluster', `network allowance for app '${app}' has no effect: '${app}' lives on '${there.clusterName}', '${ns.app}' on '${here.clusterName}'`,
            `reach '${app}' through its service endpoint (CIDR or ingress), or pin both apps to one cluster`);
        }
      }
    }
  }

  const added = [...record.entries()].filter(([app, p]) => {
    const before = lock.placements.get(app);
    return !before || before.cluster !== p.cluster || before.namespace !== p.namespace;
  });
  const lockSpec = spec.tenancy.lock;
  if (added.length > 0 && all.length > 0) {
    v.warning(lockSpec ? lockSpec.path : '<fleet>', 'tenancy.lock.changed',
      `${added.length} namespace placement(s) are new or changed: ${listSome(added.map(([app, p]) => `${app}→${p.cluster}`))}`,
      lockSpec
        ? `commit ${lock.source} (fleet.synth() and cdk8s-fleet synth update it; with synthesize(), call updatePlacementLock) so later synths keep them in place`
        : `commit <outdir>/${PLACEMENT_RECORD_FILE} with the output (the next synth into that directory reads it), or declare a PlacementLock with a file committed with the fleet program, so later synths keep them in place`);
  }

  const tenancy: TenancyPlan = {
    namespaces,
    placement,
    record,
    capacity: capacityReport(clusterNames, facts, result.used, namespacesByCluster),
    lockRecords: lock.records,
    ...(lockSpec?.filePath !== undefined ? { lockFile: lockSpec.filePath } : {}),
  };
  return { tenancy };
}

/** The hub's routing record of a placed namespace. @internal */
export function renderNamespacePlacement(p: NamespacePlan, region: string): KubeObject {
  const ns = p.spec;
  return {
    apiVersion: FLEET_API_VERSION,
    kind: 'NamespacePlacement',
    metadata: {
      name: ns.app,
      labels: {
        [APP_LABEL]: ns.app,
        [TENANT_LABEL]: ns.tenant,
        [Labels.CLUSTER]: p.cluster.clusterName,
        [Labels.NODE_PROFILE]: ns.nodeProfile.name,
      },
    },
    spec: {
      app: ns.app,
      namespace: ns.namespace,
      tenant: ns.tenant,
      nodeProfile: ns.nodeProfile.name,
      cluster: p.cluster.clusterName,
      region,
      // how the cluster was chosen, a stable fact: a routed namespace kept by the lock stays 'routed',
      // so the record does not change on the synth after the one that placed it
      reason: p.decision.reason === 'pinned' ? 'pinned' : 'routed',
      ...(p.decision.movedFrom ? { movedFrom: p.decision.movedFrom } : {}),
      owners: [...ns.owners],
      podSecurity: ns.podSecurity,
      ...(ns.podSecurityReason !== undefined ? { podSecurityReason: ns.podSecurityReason } : {}),
      reservation: {
        cpu: formatCpu(p.demand.resources.cpuMillis),
        memory: formatMemory(p.demand.resources.memoryMiB),
        gpus: p.demand.resources.gpus,
        pods: p.demand.pods,
      },
    },
  };
}

type TenancyContext = RenderContext<ControlPlaneStack['spec'] & TenancySlots['spec'], ControlPlaneStack['plan'] & TenancySlots['plan']>;

function render(ctx: TenancyContext): ClusterRender | void {
  const tp = ctx.plan.tenancy;
  const tenancy = ctx.spec.tenancy;
  if (tenancy.namespaces.length === 0 && !tenancy.hasLock) return;
  ctx.addLockSection(PLACEMENTS_SECTION, placementsSection(tp.record), tenancy.lock?.construct ?? ctx.model.fleet);
  const hub = ctx.spec.clusters.hub.construct;
  const namespaceOfApp = new Map(tenancy.namespaces.map(n => [n.app, n.namespace]));
  // the namespaces placed on each cluster, in the plan's order
  const placed = new Map<string, NamespacePlan[]>();
  for (const p of tp.namespaces.values()) {
    const list = placed.get(p.cluster.clusterName) ?? [];
    list.push(p);
    placed.set(p.cluster.clusterName, list);
  }
  const flowSchemas = tenantFlowSchemaInputs(tp);
  const byName = new Map(ctx.spec.clusters.clusters.map(c => [c.name, c.construct]));
  return name => {
    const cluster = byName.get(name)!;
    if (cluster === hub) {
      // the hub records where every namespace went
      ctx.add(hub, namespacePlacementCrd() as KubeObject, hub);
      for (const p of tp.namespaces.values()) ctx.add(hub, renderNamespacePlacement(p, ctx.spec.clusters.cluster(p.cluster).region), p.ns);
    }
    const here = placed.get(name) ?? [];
    if (here.length > 0) {
      for (const role of renderAppClusterRoles(ctx.spec.clusters.cluster(cluster).openKruise)) ctx.add(cluster, role, cluster);
    }
    for (const p of here) {
      const { ns, spec } = p;
      ctx.add(cluster, renderAppNamespace(spec, ctx.spec.guardrails.config.protectedLabel), ns);
      ctx.add(cluster, renderAppResourceQuota(spec, p.demand, p.gpuResourceName), ns);
      ctx.add(cluster, renderAppLimitRange(spec, p.largestPod), ns);
      for (const o of renderAppRoleBindings(spec)) ctx.add(cluster, o, ns);
      for (const o of renderAppNetworkPolicies(spec, app => namespaceOfApp.get(app))) ctx.add(cluster, o, ns);
    }
    renderTenantFlowSchemas(ctx, cluster, flowSchemas.get(cluster));
  };
}

/** The namespaces of each tenant class, per cluster. */
function tenantFlowSchemaInputs(tp: TenancyPlan): Map<Cluster, Map<TenantClass, string[]>> {
  const byCluster = new Map<Cluster, Map<TenantClass, string[]>>();
  for (const { spec, cluster } of tp.namespaces.values()) {
    const byClass = byCluster.get(cluster) ?? new Map<TenantClass, string[]>();
    const list = byClass.get(spec.tenant) ?? [];
    list.push(spec.namespace);
    byClass.set(spec.tenant, list);
    byCluster.set(cluster, byClass);
  }
  return byCluster;
}

/**
 * API Priority and Fairness for tenants: on a cluster, one FlowSchema per
 * tenant class puts the service accounts of the class's namespaces there into
 * the class's priority level (which the control plane renders).
 */
function renderTenantFlowSchemas(ctx: TenancyContext, cluster: Cluster, byClass: ReadonlyMap<TenantClass, readonly string[]> | undefined): void {
  if (!byClass || !ctx.plan.controlPlane.byCluster.has(cluster)) return;
  for (const cls of TENANT_CLASS_NAMES) {
    const schema = renderTenantFlowSchema(cls, byClass.get(cls) ?? []);
    if (schema) ctx.add(cluster, schema, cluster);
  }
}

/** The capacity report of a synth (per cluster, node profile, pool and zone), for callers and the CLI. */
export function fleetCapacityReport(fleetPlan: { readonly tenancy: TenancyPlan }): readonly ClusterCapacityReport[] {
  return fleetPlan.tenancy.capacity;
}

/** Formats the capacity report as text lines (one per cluster and node profile). */
export function formatCapacityReport(report: readonly ClusterCapacityReport[]): string[] {
  const out: string[] = [];
  for (const c of report) {
    for (const [profile, l] of c.byProfile) {
      out.push(`${c.cluster} ${profile}: ${l.nodes} nodes; namespaces ${formatCapacity(l.namespaces)}; free ${formatCapacity(l.free)}`);
    }
  }
  return out;
}

/** The tenancy layer. @internal */
export const tenancyLayer: Layer<ControlPlaneStack, TenancySlots> = {
  name: 'tenancy',
  resolve,
  validate,
  plan,
  render,
};
