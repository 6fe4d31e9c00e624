/**
 * The tenancy layer: app namespaces, their routing to a workload cluster (kept
 * stable by the placement lock), and their objects: Namespace, ResourceQuota,
 * LimitRange, RBAC, NetworkPolicies, and the hub's routing records.
 */
import * as fs from 'fs';
import { join as joinPath } from 'path';
import { TenancyPoolFacts, ClusterCapacityReport, candidateClusters, capacityReport, largestPodPerProfile } from './accounting';
import { APP_ROLES, AppNamespace } from './app-namespace';
import { namespacePlacementCrd } from './crd';
import { DEFAULT_QUOTA_HEADROOM_PERCENT, namespaceDemand } from './demand';
import { LockedPlacement, PLACEMENT_RECORD_FILE, PlacementLock, parsePlacementLock, serializePlacementLock } from './lock';
import { APP_LABEL, TENANT_LABEL, renderAppLimitRange, renderAppNamespace, renderAppResourceQuota } from './namespace';
import { isCidr, isWholeInternet, renderAppNetworkPolicies } from './network';
import { Capacity, PlacementRequest, describePlacementProblem, formatCapacity, moveOverride, placeNamespaces } from './placement';
import { FORBIDDEN_SUBJECTS, renderAppClusterRoles, renderAppRoleBindings } from './rbac';
import { NamespacePlan, TenancyPlan, TenancySlots } from './slots';
import { Cluster, HubCluster } from '../clusters/cluster';
import { renderTenantFlowSchema } from '../control-plane/priority-and-fairness';
import { ControlPlaneStack } from '../control-plane/slots';
import { PropShape, describeValue, isRecord, shapeProblems } from '../core/checks';
import { Violations } from '../core/errors';
import { Labels, RESERVED_NAMESPACES, dns1123LabelFix, isDns1123Label } from '../core/names';
import { ZERO, cpuToMillis, fitsIn, formatCpu, formatMemory, memoryToMiB, shortfalls } from '../core/resources';
import { TENANT_CLASSES, TENANT_CLASS_NAMES, TenantClass, isTenantClass } from '../core/tenant-classes';
import { FLEET_API_VERSION } from '../crds/pools';
import { FleetModel, pathOf } from '../model';
import { KubeObject, RenderContext } from '../synth/context';
import { carryOverride } from '../synth/inputs';
import { Layer } from '../synth/layer';

/** How many items a message lists before it says how many more there are. */
const LISTED_IN_MESSAGES = 10;

/** `a, b, c` — or the first few and `… and N more`, so a fleet-sized list stays readable. */
function listSome(items: readonly string[]): string {
  if (items.length <= LISTED_IN_MESSAGES) return items.join(', ');
  return `${items.slice(0, LISTED_IN_MESSAGES).join(', ')}, … and ${items.length - LISTED_IN_MESSAGES} more (see <outdir>/${PLACEMENT_RECORD_FILE})`;
}


function reserveOf(ns: AppNamespace): Capacity | undefined {
  const r = ns.props.reserve;
  if (!r) return undefined;
  return {
    resources: { cpuMillis: r.cpu ? cpuToMillis(r.cpu) : 0, memoryMiB: r.memory ? memoryToMiB(r.memory) : 0, gpus: r.gpus ?? 0 },
    pods: r.pods ?? 0,
  };
}

/** What a namespace reserves: its workloads' peaks, its reserve and its headroom. @internal */
export function demandOf(ns: AppNamespace): Capacity {
  return namespaceDemand(ns.workloads.map(w => w.workloadDemand), reserveOf(ns), ns.props.quotaHeadroomPercent ?? DEFAULT_QUOTA_HEADROOM_PERCENT);
}

function isNonNegativeInteger(n: number | undefined): boolean {
  return n === undefined || (Number.isInteger(n) && n >= 0);
}

const NAMESPACE_SHAPE: PropShape = {
  app: 'string',
  tenant: 'string',
  namespace: 'string?',
  cluster: 'object?',
  owners: 'strings?',
  authorization: 'list?',
  network: 'object?',
  podSecurity: 'string?',
  podSecurityReason: 'string?',
  reserve: 'object?',
  quotaHeadroomPercent: 'number?',
};
const RULE_SHAPE: PropShape = { role: 'string', groups: 'strings?', users: 'strings?', serviceAccounts: 'list?' };
const SERVICE_ACCOUNT_SHAPE: PropShape = { name: 'string', namespace: 'string?' };
const NETWORK_SHAPE: PropShape = { ingress: 'list?', egress: 'list?', allowWithinNamespace: 'boolean?', allowDns: 'boolean?' };
const ALLOWANCE_SHAPE: PropShape = { apps: 'strings?', namespaces: 'strings?', cidrs: 'strings?', ports: 'list?' };
const NETWORK_PORT_SHAPE: PropShape = { port: 'number', protocol: 'string?' };
const RESERVE_SHAPE: PropShape = { cpu: 'object?', memory: 'object?', gpus: 'number?', pods: 'number?' };

/** Type problems of a namespace's props (a JavaScript caller may pass anything); the other checks need the types right. */
function namespaceShapeProblems(ns: AppNamespace): string[] {
  const out = shapeProblems(ns.props, NAMESPACE_SHAPE);
  if (out.length > 0) return out;
  const p = ns.props;
  // the props' rules and allowances, then those of grant(), allowFrom() and allowTo()
  for (const { at, rule, problems } of ns.declaredAuthorization) {
    out.push(...problems);
    const ruleProblems = shapeProblems(rule, RULE_SHAPE, `${at}.`);
    out.push(...ruleProblems);
    if (ruleProblems.length === 0) (rule.serviceAccounts ?? []).forEach((sa, j) => out.push(...shapeProblems(sa, SERVICE_ACCOUNT_SHAPE, `${at}.serviceAccounts[${j}].`)));
  }
  const netProblems = p.network !== undefined ? shapeProblems(p.network, NETWORK_SHAPE, 'network.') : [];
  out.push(...netProblems);
  if (netProblems.length === 0) {
    for (const { at, allowance, problems } of ns.declaredNetwork) {
      out.push(...problems);
      const aProblems = shapeProblems(allowance, ALLOWANCE_SHAPE, `${at}.`);
      out.push(...aProblems);
      if (aProblems.length === 0) (allowance.ports ?? []).forEach((port, j) => out.push(...shapeProblems(port, NETWORK_PORT_SHAPE, `${at}.ports[${j}].`)));
    }
  }
  if (p.reserve !== undefined) out.push(...shapeProblems(p.reserve, RESERVE_SHAPE, 'reserve.'));
  return out;
}

function validateNamespace(
  model: FleetModel, ns: AppNamespace, apps: ReadonlyMap<string, AppNamespace>, members: ReadonlySet<AppNamespace>, v: Violations,
): void {
  const path = pathOf(ns);
  const p = ns.props;
  const shape = namespaceShapeProblems(ns);
  for (const problem of shape) v.error(path, 'tenancy.props.type', problem, 'give each prop the type its documentation states');
  if (shape.length > 0) return;
  if (!isDns1123Label(ns.appName)) v.error(path, 'tenancy.app.name', `app name '${ns.appName}' is not a DNS-1123 label`, dns1123LabelFix(ns.appName));
  if (!isDns1123Label(ns.namespaceName)) v.error(path, 'tenancy.namespace.name', `namespace '${ns.namespaceName}' is not a DNS-1123 label`, dns1123LabelFix(ns.namespaceName));
  if (RESERVED_NAMESPACES.includes(ns.namespaceName) || ns.namespaceName === model.fleet.systemNamespace) {
    v.error(path, 'tenancy.namespace.reserved', `namespace '${ns.namespaceName}' is reserved for the cluster or the platform`, 'give the app a namespace of its own');
  }
  if (!model.profile(ns.nodeProfileName)) {
    const known = model.nodeProfiles.map(n => n.profileName).sort().join(', ') || '(none)';
    v.error(path, 'tenancy.node-profile.known', `node profile '${ns.nodeProfileName}' is not declared in this fleet`, `use one of: ${known}`);
  }
  const policy = isTenantClass(p.tenant) ? TENANT_CLASSES[p.tenant] : undefined;
  if (!policy) {
    v.error(path, 'tenancy.tenant.known', `tenant class '${p.tenant}' is unknown`, `use one of: ${TENANT_CLASS_NAMES.join(', ')}`);
  }
  const level = ns.podSecurity;
  if (level !== 'restricted' && level !== 'baseline') {
    v.error(path, 'tenancy.pod-security.level', `Pod Security level '${level}' is not allowed for app namespaces`, "use 'restricted' (or 'baseline' where the tenant class allows it)");
  } else if (level === 'baseline') {
    if (policy && !policy.baselineAllowed) {
      v.error(path, 'tenancy.pod-security.allowed', `tenant class '${p.tenant}' must run Pod Security 'restricted'`,
        `make the app's pods restricted-compliant; only tenant classes ${TENANT_CLASS_NAMES.filter(t => TENANT_CLASSES[t].baselineAllowed).join(', ')} may run 'baseline'`);
    }
    if (!p.podSecurityReason || p.podSecurityReason.trim() === '') {
      v.error(path, 'tenancy.pod-security.reason', "the namespace lowers Pod Security to 'baseline' without a reason", 'set podSecurityReason to say why the app cannot run restricted');
    }
  }
  if (p.cluster !== undefined && (!(p.cluster instanceof Cluster) || !model.clusters.includes(p.cluster))) {
    v.error(path, 'tenancy.routing.pinned-unknown', `the namespace is pinned to ${p.cluster instanceof Cluster ? `cluster '${p.cluster.clusterName}' of another fleet` : describeValue(p.cluster)}, not a workload cluster of this fleet`,
      'pin the app to one of the fleet\'s workload clusters, or let the hub route it');
  } else if (p.cluster instanceof HubCluster) {
    v.error(path, 'tenancy.routing.pinned-hub', `app namespaces cannot be pinned to the hub cluster '${p.cluster.clusterName}'`, 'pin the app to a workload cluster, or let the hub route it');
  }
  for (const o of p.owners ?? []) {
    if (typeof o !== 'string' || o.trim() === '') v.error(path, 'tenancy.owners', 'an owner is empty', 'name each owner (a team or a person)');
  }

  // authorization rules
  for (const { at, rule } of ns.declaredAuthorization) {
    if (!(APP_ROLES as readonly string[]).includes(rule.role)) {
      v.error(path, 'tenancy.rbac.role.known', `${at} names unknown role '${rule.role}'`, `use one of the app roles: ${APP_ROLES.join(', ')}`);
    }
    const subjects = [...(rule.groups ?? []), ...(rule.users ?? [])];
    if (subjects.length + (rule.serviceAccounts ?? []).length === 0) {
      v.error(path, 'tenancy.rbac.subjects', `${at} grants '${rule.role}' to nobody`, 'list groups, users or serviceAccounts');
    }
    for (const s of subjects) {
      if (s.trim() === '' || s !== s.trim()) v.error(path, 'tenancy.rbac.subject.name', `${at} has an empty or padded subject '${s}'`, 'name each subject exactly');
      if (FORBIDDEN_SUBJECTS.includes(s) || s.startsWith('system:serviceaccounts')) {
        v.error(path, 'tenancy.rbac.subject.too-broad', `${at} grants '${rule.role}' to '${s}'`, 'grant app roles to named groups, users or service accounts only');
      }
    }
    for (const sa of rule.serviceAccounts ?? []) {
      if (!isDns1123Label(sa.name) && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(sa.name)) v.error(path, 'tenancy.rbac.service-account', `${at}: service account '${sa.name}' is not a valid name`, dns1123LabelFix(sa.name));
      if (sa.namespace !== undefined && !isDns1123Label(sa.namespace)) v.error(path, 'tenancy.rbac.service-account', `${at}: namespace '${sa.namespace}' is not a DNS-1123 label`, dns1123LabelFix(sa.namespace));
    }
  }

  // network allowances
  for (const { at, direction: dir, allowance: a, peer } of ns.declaredNetwork) {
    if (peer && !members.has(peer)) {
      v.error(path, 'tenancy.network.app.known', `${at} names the namespace of app '${peer.appName}' at ${pathOf(peer)}, which is not part of this fleet`, 'allow traffic from and to app namespaces of the same fleet');
    } else {
      if ((a.apps ?? []).length + (a.namespaces ?? []).length + (a.cidrs ?? []).length === 0) {
        v.error(path, 'tenancy.network.peer', `${at} names no apps, namespaces or CIDRs`, 'list who may talk to (or be reached by) the app; an allowance cannot be open-ended');
      }
      for (const app of a.apps ?? []) {
        if (!apps.has(app)) v.error(path, 'tenancy.network.app.known', `${at} names app '${app}', which is not onboarded`, `onboard '${app}' or use one of: ${[...apps.keys()].sort().join(', ')}`);
      }
      for (const n of a.namespaces ?? []) if (!isDns1123Label(n)) v.error(path, 'tenancy.network.namespace', `${at}: '${n}' is not a namespace name`, dns1123LabelFix(n));
      for (const c of a.cidrs ?? []) {
        if (!isCidr(c)) v.error(path, 'tenancy.network.cidr', `${at}: '${c}' is not a CIDR block`, "use CIDR notation, e.g. '10.20.0.0/16'");
        else if (isWholeInternet(c)) v.warning(path, 'tenancy.network.open', `${at} allows ${dir} ${dir === 'ingress' ? 'from' : 'to'} every address (${c})`, 'narrow the CIDR to the networks the app really talks to');
      }
      for (const port of a.ports ?? []) {
        if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535) v.error(path, 'tenancy.network.port', `${at}: port ${port.port} is not between 1 and 65535`, 'use a port number between 1 and 65535');
      }
    }
  }

  // reservation
  const r = p.reserve;
  if (r) {
    if (!isNonNegativeInteger(r.gpus) || !isNonNegativeInteger(r.pods)) v.error(path, 'tenancy.reserve.whole', 'reserve.gpus and reserve.pods must be whole numbers, 0 or more', 'use whole GPUs and pods');
    try {
      reserveOf(ns);
    } catch (e) {
      v.error(path, 'tenancy.reserve.parse', (e as Error).message, 'use Cpu.millis(…) and Size.gibibytes(…)');
    }
  }
  const h = p.quotaHeadroomPercent;
  if (h !== undefined && !(Number.isFinite(h) && h >= 0 && h <= 500)) {
    v.error(path, 'tenancy.quota.headroom', `quotaHeadroomPercent is ${h}`, 'use a percentage between 0 and 500');
  }
}

function validate(model: FleetModel, _spec: unknown, v: Violations): void {
  const all = model.ofType(AppNamespace);
  const apps = new Map<string, AppNamespace>();
  const namespaces = new Map<string, string>();
  for (const ns of all) {
    const path = pathOf(ns);
    const otherApp = apps.get(ns.appName);
    if (otherApp) v.error(path, 'tenancy.app.unique', `app '${ns.appName}' is also onboarded at ${pathOf(otherApp)}`, 'onboard each app once');
    else apps.set(ns.appName, ns);
    const otherNs = namespaces.get(ns.namespaceName);
    if (otherNs) v.error(path, 'tenancy.namespace.unique', `namespace '${ns.namespaceName}' is also used by ${otherNs}`, 'give each app its own namespace');
    else namespaces.set(ns.namespaceName, path);
  }
  const members = new Set(all);
  for (const ns of all) validateNamespace(model, ns, apps, members, v);
  const locks = model.ofType(PlacementLock);
  for (const extra of locks.slice(1)) {
    v.error(pathOf(extra), 'tenancy.lock.unique', `the fleet already has a placement lock at ${pathOf(locks[0])}`, 'declare one PlacementLock per fleet');
  }
  for (const lock of locks) validateLockProps(lock, v);
}

/** The lock's own props: a file name, and inline placements of the same form as the lock file's. */
function validateLockProps(lock: PlacementLock, v: Violations): void {
  const path = pathOf(lock);
  const p: unknown = lock.props;
  const shape = shapeProblems(p, { file: 'string?', placements: 'object?' });
  for (const problem of shape) v.error(path, 'tenancy.lock.props', problem, 'give file as a path and placements as an object keyed by app name');
  if (shape.length > 0) return;
  if (lock.props.file !== undefined && (lock.props.file.trim() === '' || lock.props.file.includes('\0'))) {
    v.error(path, 'tenancy.lock.file', `file ${describeValue(lock.props.file)} is not a file name`, 'name the lock file committed with the fleet program, e.g. fleet.lock.json');
  }
  for (const [app, placement] of Object.entries(lock.props.placements ?? {})) {
    const problem = !isDns1123Label(app) ? `app name ${describeValue(app)} is not a DNS-1123 label`
      : !isRecord(placement) ? `the placement of '${app}' is ${describeValue(placement)}`
        : (['cluster', 'namespace', 'nodeProfile'] as const).filter(k => !isDns1123Label(placement[k])).map(k => `the placement of '${app}' has ${k} ${describeValue(placement[k])}, not a DNS-1123 label`)[0];
    if (problem) v.error(path, 'tenancy.lock.placement', problem, 'give each placement as { cluster, namespace, nodeProfile }, as the lock file records them');
  }
}

/** Reads the lock file, inline placements and the previous output's record, merged. */
function readLock(model: FleetModel, v: Violations): { placements: Map<string, LockedPlacement>; source: string } {
  const out = new Map<string, LockedPlacement>();
  const origin = new Map<string, string>();
  const lock = model.ofType(PlacementLock)[0];
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
  };
  if (lock) {
    const at = pathOf(lock);
    merge(new Map(Object.entries(lock.props.placements ?? {})), 'the PlacementLock props', at);
    if (lock.props.file !== undefined) readFile(lock.filePath!, lock.props.file, at, true);
  }
  const previous = model.options.previousOutdir;
  if (previous) readFile(joinPath(previous, PLACEMENT_RECORD_FILE), `the previous output (${PLACEMENT_RECORD_FILE})`, lock ? pathOf(lock) : '<fleet>', false);
  return { placements: out, source: lock?.props.file ?? PLACEMENT_RECORD_FILE };
}

function poolFacts(model: FleetModel, fleetPlan: ControlPlaneStack['plan']): TenancyPoolFacts[] {
  const out: TenancyPoolFacts[] = [];
  for (const cluster of model.workloadClusters) {
    for (const pp of fleetPlan.clusters.poolsOf(cluster)) {
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

function plan(model: FleetModel, _spec: unknown, fleetPlan: ControlPlaneStack['plan'], v: Violations): TenancySlots['plan'] {
  const all = model.ofType(AppNamespace);
  const lock = readLock(model, v);
  const facts = poolFacts(model, fleetPlan);
  const clusterNames = model.workloadClusters.map(c => c.clusterName);
  const clustersByName = new Map(model.workloadClusters.map(c => [c.clusterName, c]));
  const overrides = new Set(model.options.overrides ?? []);

  const demands = new Map<AppNamespace, Capacity>();
  const requests: PlacementRequest[] = [];
  const byApp = new Map<string, AppNamespace>();
  for (const ns of all) {
    byApp.set(ns.appName, ns);
    const demand = demandOf(ns);
    demands.set(ns, demand);
    if (demand.pods === 0) {
      v.warning(pathOf(ns), 'tenancy.quota.empty', 'the namespace declares no workloads and no reserve: its quota admits no pods',
        'add the app\'s workloads to the namespace, or set reserve (pods, cpu, memory)');
    }
    const locked = lock.placements.get(ns.appName);
    const approved = overrides.has(moveOverride(ns.namespaceName));
    if (locked && locked.namespace !== ns.namespaceName && !approved) {
      v.error(pathOf(ns), 'tenancy.lock.namespace-renamed', `the app's namespace is recorded as '${locked.namespace}' on '${locked.cluster}' but is now '${ns.namespaceName}': renaming recreates it (an outage)`,
        `keep namespace '${locked.namespace}', or approve the change with the override ${carryOverride(moveOverride(ns.namespaceName))}`);
      continue;
    }
    if (locked && locked.namespace !== ns.namespaceName) {
      v.warning(pathOf(ns), 'tenancy.lock.namespace-renamed', `the app's namespace is renamed from '${locked.namespace}' to '${ns.namespaceName}' on '${locked.cluster}' (approved by the override '${moveOverride(ns.namespaceName)}' this change carries)`,
        'migrate the app\'s state before the old namespace is pruned; remove the override once the change is applied');
    }
    requests.push({
      key: ns.appName,
      nodeProfile: ns.nodeProfileName,
      demand,
      ...(ns.props.cluster ? { pinned: ns.props.cluster.clusterName } : {}),
      ...(locked ? { locked: locked.cluster } : {}),
      moveApproved: approved,
    });
  }

  const result = placeNamespaces(candidateClusters(clusterNames, facts), requests);
  for (const problem of result.problems) {
    const d = describePlacementProblem(problem, byApp.get(problem.key)!.namespaceName);
    v.error(pathOf(byApp.get(problem.key)!), d.rule, d.message, d.fix);
  }

  const largest = largestPodPerProfile(facts);
  const namespaces = new Map<AppNamespace, NamespacePlan>();
  const placement = new Map<AppNamespace, Cluster>();
  const record = new Map<string, LockedPlacement>();
  const namespacesByCluster = new Map<string, string[]>();
  for (const decision of result.decisions.values()) {
    const ns = byApp.get(decision.key)!;
    const cluster = clustersByName.get(decision.cluster)!;
    const profile = model.profile(ns.nodeProfileName)!;
    const largestPod = largest.get(`${decision.cluster}/${ns.nodeProfileName}`) ?? ZERO;
    placement.set(ns, cluster);
    namespaces.set(ns, { ns, cluster, decision, demand: demands.get(ns)!, largestPod, gpuResourceName: profile.gpuResourceName });
    record.set(ns.appName, { cluster: decision.cluster, namespace: ns.namespaceName, nodeProfile: ns.nodeProfileName });
    const onCluster = namespacesByCluster.get(decision.cluster);
    if (onCluster) onCluster.push(ns.namespaceName);
    else namespacesByCluster.set(decision.cluster, [ns.namespaceName]);
    if (decision.movedFrom) {
      v.warning(pathOf(ns), 'tenancy.routing.move', `the namespace moves from '${decision.movedFrom}' to '${decision.cluster}' (approved by the override '${moveOverride(ns.namespaceName)}' this change carries)`,
        'migrate the app\'s state and traffic before the old namespace is pruned');
    }
    for (const w of ns.workloads) {
      const pod = w.workloadDemand.podRequests;
      if (!fitsIn(pod, largestPod)) {
        v.error(pathOf(w), 'tenancy.workload.fits-node', `one pod requests more than a '${ns.nodeProfileName}' node of '${decision.cluster}' has room for next to its node agents: ${shortfalls(pod, largestPod).join(', ')}`,
          'lower the pod\'s requests or onboard the app on a larger node profile');
      }
    }
  }

  // network allowances only work within one cluster
  for (const ns of namespaces.keys()) {
    const here = placement.get(ns);
    const net = ns.networkPolicy;
    for (const a of [...(net.ingress ?? []), ...(net.egress ?? [])]) {
      for (const app of a.apps ?? []) {
        const other = byApp.get(app);
        const there = other ? placement.get(other) : undefined;
        if (there && here && there !== here) {
          v.warning(pathOf(ns), 'tenancy.network.cross-cluster', `network allowance for app '${app}' has no effect: '${app}' lives on '${there.clusterName}', '${ns.appName}' on '${here.clusterName}'`,
            `reach '${app}' through its service endpoint (CIDR or ingress), or pin both apps to one cluster`);
        }
      }
    }
  }

  const added = [...record.entries()].filter(([app, p]) => {
    const before = lock.placements.get(app);
    return !before || before.cluster !== p.cluster || before.namespace !== p.namespace;
  });
  const lockConstruct = model.ofType(PlacementLock)[0];
  if (added.length > 0 && all.length > 0) {
    v.warning(lockConstruct ? pathOf(lockConstruct) : '<fleet>', 'tenancy.lock.changed',
      `${added.length} namespace placement(s) are new or changed: ${listSome(added.map(([app, p]) => `${app}→${p.cluster}`))}`,
      lockConstruct
        ? `commit ${lock.source} (fleet.synth() and cdk8s-fleet synth update it; with synthesize(), call updatePlacementLock) so later synths keep them in place`
        : `commit <outdir>/${PLACEMENT_RECORD_FILE} with the output (the next synth into that directory reads it), or declare a PlacementLock with a file committed with the fleet program, so later synths keep them in place`);
  }

  const tenancy: TenancyPlan = {
    namespaces,
    placement,
    record,
    capacity: capacityReport(clusterNames, facts, result.used, namespacesByCluster),
    ...(lockConstruct?.filePath !== undefined ? { lockFile: lockConstruct.filePath } : {}),
  };
  return { tenancy };
}

/** The hub's routing record of a placed namespace. @internal */
export function renderNamespacePlacement(p: NamespacePlan): KubeObject {
  const ns = p.ns;
  const owners = [...new Set(ns.props.owners ?? [])].sort();
  return {
    apiVersion: FLEET_API_VERSION,
    kind: 'NamespacePlacement',
    metadata: {
      name: ns.appName,
      labels: {
        [APP_LABEL]: ns.appName,
        [TENANT_LABEL]: ns.props.tenant,
        [Labels.CLUSTER]: p.cluster.clusterName,
        [Labels.NODE_PROFILE]: ns.nodeProfileName,
      },
    },
    spec: {
      app: ns.appName,
      namespace: ns.namespaceName,
      tenant: ns.props.tenant,
      nodeProfile: ns.nodeProfileName,
      cluster: p.cluster.clusterName,
      // how the cluster was chosen, a stable fact: a routed namespace kept by the lock stays 'routed',
      // so the record does not change on the synth after the one that placed it
      reason: p.decision.reason === 'pinned' ? 'pinned' : 'routed',
      ...(p.decision.movedFrom ? { movedFrom: p.decision.movedFrom } : {}),
      owners,
      podSecurity: ns.podSecurity,
      ...(ns.podSecurity !== 'restricted' && ns.props.podSecurityReason ? { podSecurityReason: ns.props.podSecurityReason } : {}),
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

function render(ctx: TenancyContext): void {
  const tp = ctx.plan.tenancy;
  const all = ctx.model.ofType(AppNamespace);
  const lock = ctx.model.ofType(PlacementLock)[0];
  if (all.length === 0 && !lock) return;
  const hub = ctx.model.fleet.hub;
  ctx.add(hub, namespacePlacementCrd() as KubeObject, hub);
  const namespaceOfApp = new Map(all.map(n => [n.appName, n.namespaceName]));
  const withRoles = new Set<Cluster>();
  for (const p of tp.namespaces.values()) {
    const { ns, cluster } = p;
    if (!withRoles.has(cluster)) {
      withRoles.add(cluster);
      for (const role of renderAppClusterRoles(cluster.props.openKruise === true)) ctx.add(cluster, role, cluster);
    }
    ctx.add(hub, renderNamespacePlacement(p), ns);
    ctx.add(cluster, renderAppNamespace(ns, ctx.spec.guardrails.config.protectedLabel), ns);
    ctx.add(cluster, renderAppResourceQuota(ns, p.demand, p.gpuResourceName), ns);
    ctx.add(cluster, renderAppLimitRange(ns, p.largestPod), ns);
    for (const o of renderAppRoleBindings(ns)) ctx.add(cluster, o, ns);
    for (const o of renderAppNetworkPolicies(ns, app => namespaceOfApp.get(app))) ctx.add(cluster, o, ns);
  }
  ctx.addFile(PLACEMENT_RECORD_FILE, serializePlacementLock(tp.record), lock ?? ctx.model.fleet);
  renderTenantFlowSchemas(ctx, tp);
}

/**
 * API Priority and Fairness for tenants: on each cluster, one FlowSchema per
 * tenant class puts the service accounts of the class's namespaces there into
 * the class's priority level (which the control plane renders).
 */
function renderTenantFlowSchemas(ctx: TenancyContext, tp: TenancyPlan): void {
  const byCluster = new Map<Cluster, Map<TenantClass, string[]>>();
  for (const { ns, cluster } of tp.namespaces.values()) {
    const byClass = byCluster.get(cluster) ?? new Map<TenantClass, string[]>();
    byClass.set(ns.props.tenant, [...(byClass.get(ns.props.tenant) ?? []), ns.namespaceName]);
    byCluster.set(cluster, byClass);
  }
  for (const cluster of ctx.model.clusters) {
    const byClass = byCluster.get(cluster);
    if (!byClass || !ctx.plan.controlPlane.byCluster.has(cluster)) continue;
    for (const cls of TENANT_CLASS_NAMES) {
      const schema = renderTenantFlowSchema(cls, byClass.get(cls) ?? []);
      if (schema) ctx.add(cluster, schema, cluster);
    }
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
  validate,
  plan,
  render,
};
