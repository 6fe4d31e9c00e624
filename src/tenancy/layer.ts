/**
 * The tenancy layer: app namespaces, their routing to a workload cluster (kept
 * stable by the placement lock), and their objects: Namespace, ResourceQuota,
 * LimitRange, RBAC, NetworkPolicies, and the hub's routing records.
 */
import * as fs from 'fs';
import { join as joinPath } from 'path';
import { TenancyPoolFacts, ClusterCapacityReport, candidateClusters, capacityReport, largestPodPerProfile } from './accounting';
import { AppNamespace } from './app-namespace';
import { Capacity, NO_CAPACITY, addCapacity, formatCapacity, subtractCapacity } from './capacity';
import { CLUSTER_LOSS_FILE, FederatedAppRecord, checkClusterLosses, LossApp, LossCluster, LossWorkload, serializeClusterLoss } from './cluster-loss';
import { namespacePlacementCrd } from './crd';
import { namespaceDemand } from './demand';
import { LockedPlacement, PLACEMENTS_SECTION, PLACEMENT_RECORD_FILE, PlacementLock, copyPlacement, parsePlacementLock, placementsSection } from './lock';
import { APP_LABEL, TENANT_LABEL, renderAppLimitRange, renderAppNamespace, renderAppResourceQuota } from './namespace';
import { renderAppNetworkPolicies } from './network';
import { CandidateCluster, FederationRequest, PlacementRequest, describePlacementProblem, moveOverride, placeNamespaces } from './placement';
import { renderAppClusterRoles, renderAppRoleBindings } from './rbac';
import { declaredNamespace, resolveNamespace, resolvePlacementLock } from './resolve';
import { ShareWorkload, survivalMinimum } from './shares';
import { LockRecordRead, NamespacePlan, NamespaceSpec, TenancyPlan, TenancySlots, TenancySpec } from './slots';
import { Cluster } from '../clusters/cluster';
import { renderTenantFlowSchema } from '../control-plane/priority-and-fairness';
import { ControlPlaneStack } from '../control-plane/slots';
import { Violations } from '../core/errors';
import { FleetModel, pathOf } from '../core/model';
import { Labels } from '../core/names';
import { ZERO, fitsIn, formatCpu, formatMemory, shortfalls } from '../core/resources';
import { TENANT_CLASS_NAMES, TenantClass } from '../core/tenant-classes';
import { INamespacedWorkload } from '../core/workload';
import { FLEET_API_VERSION } from '../crds/pools';
import { GuardrailConfig, overrideName, scaleDownAllowed } from '../guardrails/rules';
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

/** What a federated namespace asks of placement: its workloads' divisions, its reserve, and the lock's record. */
function federationRequest(ns: NamespaceSpec, locked: LockedPlacement | undefined): FederationRequest {
  const f = ns.federation!;
  const divisible = ns.workloads.filter(w => w.workloadDivision !== undefined);
  const workloads: ShareWorkload[] = divisible.map(w => {
    const division = w.workloadDivision!;
    return { key: division.name, division, minimum: f.survive === 'none' ? 0 : survivalMinimum(division.replicas, f.minAvailablePercent) };
  }).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const recorded = locked?.shares ? sharesOf(locked) : undefined;
  return {
    clusters: f.clusters,
    ...(locked ? { locked: locked.clusters ?? [locked.cluster] } : {}),
    shares: {
      workloads,
      whole: ns.workloads.filter(w => w.workloadDivision === undefined).map(w => w.workloadDemand),
      ...(ns.reserve ? { reserve: ns.reserve } : {}),
      headroomPercent: ns.quotaHeadroomPercent,
      ...(recorded ? { recorded } : {}),
    },
  };
}

/** A federated placement's shares: workload → cluster → replicas (empty for an app of one cluster). */
function sharesOf(p: LockedPlacement): Map<string, Map<string, number>> {
  return new Map(Object.entries(p.shares ?? {}).map(([w, byCluster]) => [w, new Map(Object.entries(byCluster))]));
}

/**
 * A federated workload's share in a cluster that drops by more than the
 * guardrails' scale-down bound, against the lock's record, is a scale-down:
 * an error unless the change carries the scale-down override of that
 * cluster's workload (the override the guardrails' in-output check accepts),
 * then a warning. A cluster the namespace leaves drops to 0.
 */
function checkShareDrops(
  ns: NamespaceSpec, before: LockedPlacement | undefined, after: LockedPlacement,
  config: GuardrailConfig, overrides: ReadonlySet<string>, v: Violations,
): void {
  if (!before?.shares || before.namespace !== ns.namespace) return;
  const was = sharesOf(before);
  const now = sharesOf(after);
  const replicasNow = new Map(ns.workloads.filter(w => w.workloadDivision).map(w => [w.workloadDivision!.name, w.workloadDivision!.replicas]));
  for (const [workload, byCluster] of [...was].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!replicasNow.has(workload)) continue; // a removed workload is the guardrails' scale-down of the previous output
    for (const cluster of before.clusters ?? [before.cluster]) {
      const from = byCluster.get(cluster) ?? 0;
      // a namespace that is no longer federated runs every replica in its one cluster
      const to = after.shares ? (now.get(workload)?.get(cluster) ?? 0) : (cluster === after.cluster ? replicasNow.get(workload)! : 0);
      if (scaleDownAllowed(from, to, config)) continue;
      const target = `${cluster}/${ns.namespace}/${workload}`;
      // a recorded exemption of the guardrails' scale-down rule for the target covers the share too
      if (config.exemptions.some(e => e.rule === 'scale-down' && e.target === target)) continue;
      const override = overrideName('scale-down', target);
      const message = `the share of '${workload}' in cluster '${cluster}' drops from ${from} to ${to} replica(s) in one step; at most ${Math.round(config.maxScaleDownFraction * 1000) / 10}% may go at once`;
      if (overrides.has(override)) {
        v.warning(ns.path, 'tenancy.federation.share-drop', `${message} — allowed by the override '${override}' this change carries`, 'remove the override once the change is applied');
      } else {
        const fix = `change the shares in steps (to at least ${Math.ceil(from - from * config.maxScaleDownFraction)} now), or carry the override ${carryOverride(override)}`;
        // with the severity the guardrails' configuration gives the scale-down rule
        if (config.severities['scale-down'] === 'warning') v.warning(ns.path, 'tenancy.federation.share-drop', message, fix);
        else v.error(ns.path, 'tenancy.federation.share-drop', message, fix);
      }
    }
  }
}

/** The clusters as the cluster-loss check sees them: free capacity per node profile after placement. */
function lossClusters(candidates: readonly CandidateCluster[], used: ReadonlyMap<string, ReadonlyMap<string, Capacity>>): LossCluster[] {
  return candidates.map(c => ({
    name: c.name,
    region: c.region,
    free: new Map([...c.capacity].map(([profile, total]) => [profile, subtractCapacity(total, used.get(c.name)?.get(profile) ?? NO_CAPACITY)])),
  }));
}

/** A placed namespace as the cluster-loss check sees it. */
function lossApp(p: NamespacePlan): LossApp {
  const ns = p.spec;
  const workloads: LossWorkload[] = ns.workloads.filter(w => w.workloadDivision).map(w => {
    const d = w.workloadDivision!;
    return { name: d.name, shares: p.shares.get(w) ?? [d.replicas], minimum: p.minimums.get(w) ?? 0 };
  }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // by name: the report does not depend on declaration order
  return {
    app: ns.app,
    nodeProfile: ns.nodeProfile.name,
    ...(ns.regions ? { regions: ns.regions } : {}),
    clusters: p.clusters.map(c => c.clusterName),
    demands: p.clusters.map(c => p.clusterDemands.get(c)!),
    workloads,
    survivalTarget: ns.federation !== undefined && ns.federation.survive !== 'none',
  };
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
    const federation = ns.federation ? federationRequest(ns, locked) : undefined;
    requests.push({
      key: ns.app,
      nodeProfile: ns.nodeProfile.name,
      demand,
      ...(ns.cluster ? { pinned: ns.cluster.name } : {}),
      ...(locked ? { locked: locked.cluster } : {}),
      moveApproved: approved,
      ...(ns.regions ? { regions: ns.regions } : {}),
      ...(federation ? { federation } : {}),
    });
  }

  const candidates = candidateClusters(spec.clusters.workloadClusters.map(c => ({ name: c.name, region: c.region })), facts);
  const result = placeNamespaces(candidates, requests);
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
  const guardrails = spec.guardrails.config;
  for (const decision of result.decisions.values()) {
    const ns = byApp.get(decision.key)!;
    const clusters = decision.clusters.map(c => clustersByName.get(c)!);
    const cluster = clusters[0];
    const profile = ns.nodeProfile;
    const largestPodIn = new Map(clusters.map(c => [c, largest.get(`${c.clusterName}/${profile.name}`) ?? ZERO]));
    const largestPod = largestPodIn.get(cluster)!;
    placement.set(ns.construct, cluster);
    const demand = demands.get(ns)!;
    const clusterDemands = new Map(clusters.map((c, i) => [c, decision.clusterDemands?.[i] ?? demand]));
    const totalDemand = decision.clusterDemands ? decision.clusterDemands.reduce(addCapacity, NO_CAPACITY) : demand;
    const shares = new Map<INamespacedWorkload, readonly number[]>();
    const minimums = new Map<INamespacedWorkload, number>();
    if (decision.shares) {
      for (const w of ns.workloads) {
        const split = w.workloadDivision ? decision.shares.get(w.workloadDivision.name) : undefined;
        if (split) {
          shares.set(w, split);
          minimums.set(w, ns.federation!.survive === 'none' ? 0 : survivalMinimum(w.workloadDivision!.replicas, ns.federation!.minAvailablePercent));
        }
      }
    }
    namespaces.set(ns.construct, {
      ns: ns.construct,
      spec: ns,
      cluster,
      clusters,
      decision,
      demand: totalDemand,
      clusterDemands,
      shares,
      minimums,
      largestPod,
      largestPodIn,
      gpuResourceName: profile.gpuResourceName,
    });
    record.set(ns.app, decision.shares ? {
      cluster: decision.cluster,
      namespace: ns.namespace,
      nodeProfile: profile.name,
      clusters: [...decision.clusters],
      shares: Object.fromEntries([...decision.shares].map(([w, split]) => [w, Object.fromEntries(decision.clusters.map((c, i) => [c, split[i]]))])),
    } : { cluster: decision.cluster, namespace: ns.namespace, nodeProfile: profile.name });
    for (const c of decision.clusters) {
      const onCluster = namespacesByCluster.get(c);
      if (onCluster) onCluster.push(ns.namespace);
      else namespacesByCluster.set(c, [ns.namespace]);
    }
    if (decision.movedFrom) {
      v.warning(ns.path, 'tenancy.routing.move', `the namespace moves from '${decision.movedFrom}' to '${decision.cluster}' (approved by the override '${moveOverride(ns.namespace)}' this change carries)`,
        'migrate the app\'s state and traffic before the old namespace is pruned');
    }
    for (const w of ns.workloads) {
      const pod = w.workloadDemand.podRequests;
      for (const c of clusters) {
        const room = largestPodIn.get(c)!;
        if (!fitsIn(pod, room)) {
          v.error(pathOf(w), 'tenancy.workload.fits-node', `one pod requests more than a '${profile.name}' node of '${c.clusterName}' has room for next to its node agents: ${shortfalls(pod, room).join(', ')}`,
            'lower the pod\'s requests or onboard the app on a larger node profile');
          break;
        }
      }
    }
    checkShareDrops(ns, lock.placements.get(ns.app), record.get(ns.app)!, guardrails, overrides, v);
  }

  const clusterLoss = checkClusterLosses(lossClusters(candidates, result.used), [...namespaces.values()].map(lossApp));
  for (const loss of clusterLoss) {
    for (const f of loss.belowMinimum) {
      if (!f.targetMissed) continue;
      const ns = byApp.get(f.app)!;
      v.error(ns.path, 'tenancy.federation.survival',
        `the loss of cluster '${loss.cluster}' leaves '${f.workload}' with ${f.remaining} replica(s) in the namespace's other clusters, below its minimum of ${f.minimum} (${ns.federation!.minAvailablePercent}% of its replicas): the survival target one-cluster-loss is not met`,
        `raise the replicas of '${f.workload}', span more clusters, lower federation.minAvailablePercent, or grow the '${ns.nodeProfile.name}' pools that limit the shares`);
    }
  }

  // network allowances only work within one cluster
  for (const { spec: ns, clusters: here } of namespaces.values()) {
    for (const a of [...ns.network.ingress, ...ns.network.egress]) {
      for (const app of a.apps) {
        const other = byApp.get(app);
        const there = other ? namespaces.get(other.construct)?.clusters : undefined;
        const without = there ? here.filter(c => !there.includes(c)) : [];
        if (there && without.length > 0) {
          v.warning(ns.path, 'tenancy.network.cross-cluster', `network allowance for app '${app}' has no effect${without.length < here.length ? ` in ${without.map(c => `'${c.clusterName}'`).join(', ')}` : ''}: '${app}' lives on ${there.map(c => `'${c.clusterName}'`).join(', ')}, '${ns.app}' on ${here.map(c => `'${c.clusterName}'`).join(', ')}`,
            `reach '${app}' through its service endpoint (CIDR or ingress), or pin both apps to one cluster`);
        }
      }
    }
  }

  const added = [...record.entries()].filter(([app, p]) => {
    const before = lock.placements.get(app);
    return !before || JSON.stringify(copyPlacement(before)) !== JSON.stringify(copyPlacement(p));
  });
  const lockSpec = spec.tenancy.lock;
  if (added.length > 0 && all.length > 0) {
    v.warning(lockSpec ? lockSpec.path : '<fleet>', 'tenancy.lock.changed',
      `${added.length} namespace placement(s) are new or changed: ${listSome(added.map(([app, p]) => `${app}→${(p.clusters ?? [p.cluster]).join('+')}`))}`,
      lockSpec
        ? `commit ${lock.source} (fleet.synth() and cdk8s-fleet synth update it; with synthesize(), call updatePlacementLock) so later synths keep them in place`
        : `commit <outdir>/${PLACEMENT_RECORD_FILE} with the output (the next synth into that directory reads it), or declare a PlacementLock with a file committed with the fleet program, so later synths keep them in place`);
  }

  const tenancy: TenancyPlan = {
    namespaces,
    placement,
    record,
    capacity: capacityReport(clusterNames, facts, result.used, namespacesByCluster),
    clusterLoss,
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
      reservation: reservationOf(p.demand),
      ...(ns.federation ? { federation: federationRecord(p) } : {}),
    },
  };
}

function reservationOf(d: Capacity): { cpu: string; memory: string; gpus: number; pods: number } {
  return { cpu: formatCpu(d.resources.cpuMillis), memory: formatMemory(d.resources.memoryMiB), gpus: d.resources.gpus, pods: d.pods };
}

/** A federated app as the cluster-loss report lists it. */
function federatedAppRecord(p: NamespacePlan, region: string): FederatedAppRecord {
  const f = p.spec.federation!;
  return {
    app: p.spec.app,
    namespace: p.spec.namespace,
    region,
    survive: f.survive,
    minAvailablePercent: f.minAvailablePercent,
    minimums: Object.fromEntries([...p.minimums].map(([w, n]) => [w.workloadDivision!.name, n])),
    clusters: p.clusters.map((c, i) => ({
      cluster: c.clusterName,
      canary: i === 0,
      shares: Object.fromEntries([...p.shares].map(([w, split]) => [w.workloadDivision!.name, split[i]])),
    })),
  };
}

/** A federated namespace's part of its hub record: its survival target, and every cluster with its reservation and shares. */
function federationRecord(p: NamespacePlan): Record<string, unknown> {
  const f = p.spec.federation!;
  const divided = [...p.shares].map(([w, split]) => ({ workload: w.workloadDivision!.name, split }))
    .sort((a, b) => (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : 0));
  return {
    survive: f.survive,
    minAvailablePercent: f.minAvailablePercent,
    clusters: p.clusters.map((c, i) => ({
      cluster: c.clusterName,
      // the first cluster runs the canaries; the others follow once it is healthy
      canary: i === 0,
      reservation: reservationOf(p.clusterDemands.get(c)!),
      shares: divided.map(d => ({ workload: d.workload, replicas: d.split[i] })),
    })),
  };
}

type TenancyContext = RenderContext<ControlPlaneStack['spec'] & TenancySlots['spec'], ControlPlaneStack['plan'] & TenancySlots['plan']>;

function render(ctx: TenancyContext): ClusterRender | void {
  const tp = ctx.plan.tenancy;
  const tenancy = ctx.spec.tenancy;
  if (tenancy.namespaces.length === 0 && !tenancy.hasLock) return;
  ctx.addLockSection(PLACEMENTS_SECTION, placementsSection(tp.record), tenancy.lock?.construct ?? ctx.model.fleet);
  if (tenancy.namespaces.length > 0) {
    const regions = new Map(ctx.spec.clusters.workloadClusters.map(c => [c.name, c.region]));
    const federated = [...tp.namespaces.values()].filter(p => p.spec.federation).map(p => federatedAppRecord(p, regions.get(p.cluster.clusterName)!));
    ctx.addFile(CLUSTER_LOSS_FILE, serializeClusterLoss(tp.clusterLoss, regions, federated), ctx.model.fleet);
  }
  const hub = ctx.spec.clusters.hub.construct;
  const namespaceOfApp = new Map(tenancy.namespaces.map(n => [n.app, n.namespace]));
  // the namespaces placed on each cluster, in the plan's order
  const placed = new Map<string, NamespacePlan[]>();
  for (const p of tp.namespaces.values()) {
    for (const c of p.clusters) {
      const list = placed.get(c.clusterName) ?? [];
      list.push(p);
      placed.set(c.clusterName, list);
    }
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
      ctx.add(cluster, renderAppResourceQuota(spec, p.clusterDemands.get(cluster)!, p.gpuResourceName), ns);
      ctx.add(cluster, renderAppLimitRange(spec, p.largestPodIn.get(cluster)!), ns);
      for (const o of renderAppRoleBindings(spec)) ctx.add(cluster, o, ns);
      for (const o of renderAppNetworkPolicies(spec, app => namespaceOfApp.get(app))) ctx.add(cluster, o, ns);
    }
    renderTenantFlowSchemas(ctx, cluster, flowSchemas.get(cluster));
  };
}

/** The namespaces of each tenant class, per cluster. */
function tenantFlowSchemaInputs(tp: TenancyPlan): Map<Cluster, Map<TenantClass, string[]>> {
  const byCluster = new Map<Cluster, Map<TenantClass, string[]>>();
  for (const { spec, clusters } of tp.namespaces.values()) {
    for (const cluster of clusters) {
      const byClass = byCluster.get(cluster) ?? new Map<TenantClass, string[]>();
      const list = byClass.get(spec.tenant) ?? [];
      list.push(spec.namespace);
      byClass.set(spec.tenant, list);
      byCluster.set(cluster, byClass);
    }
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
