/**
 * The resolve stage of the tenancy layer: every AppNamespace resolved once
 * into a readonly, defaults-applied spec (owners, authorization rules, network
 * policy, Pod Security, reserve, quota headroom, pinned cluster), and the
 * PlacementLock's props checked once. Each bad prop is reported here, once; a
 * namespace with a bad prop gets no spec, so the later stages, which read only
 * specs, skip it.
 *
 * Each list a namespace declares (its authorization rules, its network
 * allowances) is read in exactly one place: {@link declaredAuthorization} and
 * {@link declaredAllowances}.
 */
import { APP_ROLES, DEFAULT_FEDERATION_SURVIVAL, MAX_FEDERATION_CLUSTERS, defaultMinAvailablePercent, AppNamespace, AppPodSecurity, AppRole, DeclaredAllowance, DeclaredAuthorization, podSecurityOf } from './app-namespace';
import { Capacity } from './capacity';
import { DEFAULT_QUOTA_HEADROOM_PERCENT } from './demand';
import { PlacementLock, copyPlacement, federationRecordProblem } from './lock';
import { isCidr, isWholeInternet } from './network';
import { FORBIDDEN_SUBJECTS } from './rbac';
import { AllowanceSpec, AuthorizationSpec, DeclaredNamespace, FederationSpec, NamespaceSpec, PlacementLockSpec } from './slots';
import { Cluster, HubCluster } from '../clusters/cluster';
import { ClustersSpec } from '../clusters/slots';
import { PropShape, describeValue, isRecord, shapeProblems, wholeNumberProblem } from '../core/checks';
import { Violations } from '../core/errors';
import { pathOf } from '../core/model';
import { RESERVED_NAMESPACES, dns1123LabelFix, isDns1123Label } from '../core/names';
import { cpuToMillis, memoryToMiB } from '../core/resources';
import { TENANT_CLASSES, TENANT_CLASS_NAMES, TenantClass, isTenantClass } from '../core/tenant-classes';
import { MachinesSpec } from '../machines/slots';

/** What resolving a namespace reads of the layers below. @internal */
export interface TenancyFacts {
  /** The machines layer's specs (node profiles). */
  readonly machines: MachinesSpec;
  /** The clusters layer's specs (clusters, the platform's namespace). */
  readonly clusters: ClustersSpec;
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
  regions: 'strings?',
  federation: 'object?',
};
const FEDERATION_SHAPE: PropShape = { clusters: 'number', survive: 'string?', minAvailablePercent: 'number?' };
const RULE_SHAPE: PropShape = { role: 'string', groups: 'strings?', users: 'strings?', serviceAccounts: 'list?' };
const SERVICE_ACCOUNT_SHAPE: PropShape = { name: 'string', namespace: 'string?' };
const NETWORK_SHAPE: PropShape = { ingress: 'list?', egress: 'list?', allowWithinNamespace: 'boolean?', allowDns: 'boolean?' };
const ALLOWANCE_SHAPE: PropShape = { apps: 'strings?', namespaces: 'strings?', cidrs: 'strings?', ports: 'list?' };
const NETWORK_PORT_SHAPE: PropShape = { port: 'number', protocol: 'string?' };
const RESERVE_SHAPE: PropShape = { cpu: 'object?', memory: 'object?', gpus: 'number?', pods: 'number?' };

/**
 * Every authorization rule of a namespace (its `authorization` prop, then its
 * grants), in declaration order, with the type problems of each: the one place
 * the list is read.
 * @internal
 */
export function declaredAuthorization(ns: AppNamespace): readonly DeclaredAuthorization[] {
  return ns.declaredAuthorization.map(d => {
    const problems = [...d.problems, ...shapeProblems(d.rule, RULE_SHAPE, `${d.at}.`)];
    if (problems.length === 0) (d.rule.serviceAccounts ?? []).forEach((sa, j) => problems.push(...shapeProblems(sa, SERVICE_ACCOUNT_SHAPE, `${d.at}.serviceAccounts[${j}].`)));
    return { ...d, problems };
  });
}

/**
 * Every network allowance of a namespace (its `network` prop's, then those of
 * `allowFrom` and `allowTo`), ingress first, in declaration order, with the type
 * problems of each: the one place the lists are read.
 * @internal
 */
export function declaredAllowances(ns: AppNamespace): readonly DeclaredAllowance[] {
  return ns.declaredNetwork.map(d => {
    const problems = [...d.problems];
    if (problems.length === 0) problems.push(...shapeProblems(d.allowance, ALLOWANCE_SHAPE, `${d.at}.`));
    if (problems.length === 0) (d.allowance.ports ?? []).forEach((port, j) => problems.push(...shapeProblems(port, NETWORK_PORT_SHAPE, `${d.at}.ports[${j}].`)));
    return { ...d, problems };
  });
}

/** Type problems of a namespace's props (a JavaScript caller may pass anything), and its lists. */
interface NamespaceShape {
  readonly problems: readonly string[];
  readonly authorization: readonly DeclaredAuthorization[];
  readonly allowances: readonly DeclaredAllowance[];
}

/** Type problems of a namespace's props, and its lists when the types are right. */
function namespaceShape(ns: AppNamespace): NamespaceShape {
  const p = ns.props;
  const top = shapeProblems(p, NAMESPACE_SHAPE);
  if (top.length > 0) return { problems: top, authorization: [], allowances: [] };
  const authorization = declaredAuthorization(ns);
  const net = p.network !== undefined ? shapeProblems(p.network, NETWORK_SHAPE, 'network.') : [];
  const allowances = net.length === 0 ? declaredAllowances(ns) : [];
  const reserve = p.reserve !== undefined ? shapeProblems(p.reserve, RESERVE_SHAPE, 'reserve.') : [];
  const federation = p.federation !== undefined ? shapeProblems(p.federation, FEDERATION_SHAPE, 'federation.') : [];
  const problems = [...authorization.flatMap(d => d.problems), ...net, ...allowances.flatMap(d => d.problems), ...reserve, ...federation];
  return { problems, authorization, allowances };
}

/** What the cross-namespace checks read of a namespace, its props valid or not. @internal */
export function declaredNamespace(ns: AppNamespace): DeclaredNamespace {
  const { problems, allowances } = namespaceShape(ns);
  return {
    path: pathOf(ns),
    app: ns.appName,
    namespace: ns.namespaceName,
    construct: ns,
    appReferences: problems.length > 0 ? [] : allowances.flatMap(d =>
      (d.allowance.apps ?? []).map(app => ({ at: d.at, app, ...(d.peer ? { peer: d.peer } : {}) }))),
  };
}

function isNonNegativeInteger(n: number | undefined): boolean {
  return n === undefined || (Number.isInteger(n) && n >= 0);
}

function uniqueSorted(items: readonly string[]): string[] {
  return [...new Set(items)].sort();
}

/**
 * Resolves an app namespace into its spec, reporting each bad prop (with its
 * path, rule and fix) to `v`. Returns undefined when a prop is bad: the
 * namespace is reported once and skipped by the later stages.
 * @internal
 */
export function resolveNamespace(ns: AppNamespace, facts: TenancyFacts, v: Violations): NamespaceSpec | undefined {
  const path = pathOf(ns);
  const p = ns.props;
  let bad = false;
  const error: Violations['error'] = (...args) => {
    bad = true;
    v.error(...args);
  };

  // shapes first: the other checks need the types right
  const { problems: shape, authorization, allowances } = namespaceShape(ns);
  for (const problem of shape) error(path, 'tenancy.props.type', problem, 'give each prop the type its documentation states');
  if (shape.length > 0) return undefined;

  const app = ns.appName;
  const namespace = ns.namespaceName;
  if (!isDns1123Label(app)) error(path, 'tenancy.app.name', `app name '${app}' is not a DNS-1123 label`, dns1123LabelFix(app));
  if (!isDns1123Label(namespace)) error(path, 'tenancy.namespace.name', `namespace '${namespace}' is not a DNS-1123 label`, dns1123LabelFix(namespace));
  if (RESERVED_NAMESPACES.includes(namespace) || namespace === facts.clusters.systemNamespace) {
    error(path, 'tenancy.namespace.reserved', `namespace '${namespace}' is reserved for the cluster or the platform`, 'give the app a namespace of its own');
  }
  const nodeProfile = facts.machines.profile(ns.nodeProfileName);
  if (!nodeProfile) {
    const known = facts.machines.profiles.map(n => n.name).sort().join(', ') || '(none)';
    error(path, 'tenancy.node-profile.known', `node profile '${ns.nodeProfileName}' is not declared in this fleet`, `use one of: ${known}`);
  }
  const tenant = resolveTenant(p.tenant, path, error);
  const podSecurity = resolvePodSecurity(p.podSecurity, p.podSecurityReason, tenant, path, error);
  const cluster = resolvePinnedCluster(p.cluster, facts.clusters, path, error);
  const owners = resolveOwners(p.owners, path, error);
  const rules = authorization.map(d => resolveAuthorizationRule(d, namespace, path, error));
  const resolvedAllowances = allowances.map(d => resolveAllowance(d, path, v, error));
  const reserve = resolveReserve(p.reserve, path, error);
  const quotaHeadroomPercent = resolveHeadroom(p.quotaHeadroomPercent, path, error);
  const regions = resolveRegions(p.regions, facts.clusters, path, error);
  if (cluster && regions && !regions.includes(cluster.region)) {
    error(path, 'tenancy.region.pinned', `the namespace is pinned to cluster '${cluster.name}' of region '${cluster.region}', which is not one of its regions (${regions.join(', ')})`,
      `pin the app to a cluster of ${regions.join(' or ')}, or add '${cluster.region}' to its regions`);
  }
  const federation = resolveFederation(p.federation, tenant, cluster, path, error);
  if (bad || !nodeProfile || !tenant) return undefined;

  return {
    construct: ns,
    path,
    app,
    namespace,
    tenant,
    nodeProfile,
    owners,
    authorization: rules,
    network: {
      allowWithinNamespace: p.network?.allowWithinNamespace ?? true,
      allowDns: p.network?.allowDns ?? true,
      ingress: resolvedAllowances.filter(a => a.direction === 'ingress'),
      egress: resolvedAllowances.filter(a => a.direction === 'egress'),
    },
    podSecurity,
    ...(podSecurity !== 'restricted' && p.podSecurityReason ? { podSecurityReason: p.podSecurityReason } : {}),
    ...(reserve ? { reserve } : {}),
    quotaHeadroomPercent,
    ...(cluster ? { cluster } : {}),
    ...(regions ? { regions } : {}),
    ...(federation ? { federation } : {}),
    workloads: ns.workloads,
  };
}

function resolveRegions(regions: readonly string[] | undefined, clusters: ClustersSpec, path: string, error: Violations['error']): readonly string[] | undefined {
  if (regions === undefined) return undefined;
  const known = [...new Set(clusters.workloadClusters.map(c => c.region))].sort();
  if (regions.length === 0 || regions.some(r => !isDns1123Label(r)) || new Set(regions).size !== regions.length) {
    error(path, 'tenancy.region.list', `regions ${regions.length === 0 ? 'is an empty list' : `[${regions.map(r => describeValue(r)).join(', ')}] are not distinct region names`}`,
      `list the regions the app runs in, each once (the fleet's: ${known.join(', ') || 'none'}), or omit regions to run in any`);
    return undefined;
  }
  for (const r of regions) {
    if (!known.includes(r)) error(path, 'tenancy.region.unknown', `region '${r}' has no workload cluster in this fleet`, `use regions of the fleet's workload clusters (${known.join(', ') || 'none'}), or add a cluster in '${r}'`);
  }
  return [...regions].sort();
}

function resolveFederation(f: AppNamespace['props']['federation'], tenant: TenantClass | undefined, pinned: NamespaceSpec['cluster'], path: string, error: Violations['error']): FederationSpec | undefined {
  if (f === undefined) return undefined;
  let ok = true;
  const clustersProblem = wholeNumberProblem(f.clusters, 'federation.clusters', 2, MAX_FEDERATION_CLUSTERS);
  if (clustersProblem) {
    ok = false;
    error(path, 'tenancy.federation.props', clustersProblem, `span 2 to ${MAX_FEDERATION_CLUSTERS} clusters, e.g. { clusters: 2 }`);
  }
  const survive = f.survive ?? DEFAULT_FEDERATION_SURVIVAL;
  if (survive !== 'one-cluster-loss' && survive !== 'none') {
    ok = false;
    error(path, 'tenancy.federation.props', `federation.survive is ${describeValue(survive)}`, "use survive: 'one-cluster-loss' (the default) or 'none'");
  }
  const percentProblem = f.minAvailablePercent === undefined ? undefined : wholeNumberProblem(f.minAvailablePercent, 'federation.minAvailablePercent', 1, 100);
  if (percentProblem) {
    ok = false;
    error(path, 'tenancy.federation.props', percentProblem, 'use a whole percentage from 1 to 100, or omit it for the share of N-1 of N clusters');
  }
  if (pinned) {
    ok = false;
    error(path, 'tenancy.federation.pinned', `the federated namespace is pinned to cluster '${pinned.name}': a federation is routed to ${f.clusters} clusters of a region`, 'remove the cluster pin, or the federation');
  }
  if (tenant === 'batch') {
    ok = false;
    error(path, 'tenancy.federation.tenant', 'a batch namespace cannot be federated: the jobs platform splits its queue quota per region and cluster itself', 'remove the federation, or federate a stateless or stateful app');
  }
  if (!ok) return undefined;
  return { clusters: f.clusters, survive, minAvailablePercent: f.minAvailablePercent ?? defaultMinAvailablePercent(f.clusters) };
}

function resolveTenant(tenant: string, path: string, error: Violations['error']): TenantClass | undefined {
  if (isTenantClass(tenant)) return tenant;
  error(path, 'tenancy.tenant.known', `tenant class '${tenant}' is unknown`, `use one of: ${TENANT_CLASS_NAMES.join(', ')}`);
  return undefined;
}

function resolvePodSecurity(given: AppPodSecurity | undefined, reason: string | undefined, tenant: TenantClass | undefined, path: string, error: Violations['error']): AppPodSecurity {
  const level = podSecurityOf({ podSecurity: given });
  if (level !== 'restricted' && level !== 'baseline') {
    error(path, 'tenancy.pod-security.level', `Pod Security level '${level}' is not allowed for app namespaces`, "use 'restricted' (or 'baseline' where the tenant class allows it)");
  } else if (level === 'baseline') {
    if (tenant && !TENANT_CLASSES[tenant].baselineAllowed) {
      error(path, 'tenancy.pod-security.allowed', `tenant class '${tenant}' must run Pod Security 'restricted'`,
        `make the app's pods restricted-compliant; only tenant classes ${TENANT_CLASS_NAMES.filter(t => TENANT_CLASSES[t].baselineAllowed).join(', ')} may run 'baseline'`);
    }
    if (!reason || reason.trim() === '') {
      error(path, 'tenancy.pod-security.reason', "the namespace lowers Pod Security to 'baseline' without a reason", 'set podSecurityReason to say why the app cannot run restricted');
    }
  }
  return level;
}

function resolvePinnedCluster(pinned: Cluster | undefined, clusters: ClustersSpec, path: string, error: Violations['error']): NamespaceSpec['cluster'] {
  if (pinned === undefined) return undefined;
  const spec = pinned instanceof Cluster ? clusters.clusters.find(c => c.construct === pinned) : undefined;
  if (!spec) {
    error(path, 'tenancy.routing.pinned-unknown', `the namespace is pinned to ${pinned instanceof Cluster ? `cluster '${pinned.clusterName}' of another fleet` : describeValue(pinned)}, not a workload cluster of this fleet`,
      'pin the app to one of the fleet\'s workload clusters, or let the hub route it');
    return undefined;
  }
  if (pinned instanceof HubCluster) {
    error(path, 'tenancy.routing.pinned-hub', `app namespaces cannot be pinned to the hub cluster '${pinned.clusterName}'`, 'pin the app to a workload cluster, or let the hub route it');
    return undefined;
  }
  return spec;
}

function resolveOwners(owners: readonly string[] | undefined, path: string, error: Violations['error']): readonly string[] {
  for (const o of owners ?? []) {
    if (typeof o !== 'string' || o.trim() === '') error(path, 'tenancy.owners', 'an owner is empty', 'name each owner (a team or a person)');
  }
  return uniqueSorted(owners ?? []);
}

function resolveAuthorizationRule(d: DeclaredAuthorization, namespace: string, path: string, error: Violations['error']): AuthorizationSpec {
  const { at, rule } = d;
  if (!(APP_ROLES as readonly string[]).includes(rule.role)) {
    error(path, 'tenancy.rbac.role.known', `${at} names unknown role '${rule.role}'`, `use one of the app roles: ${APP_ROLES.join(', ')}`);
  }
  const groups = rule.groups ?? [];
  const users = rule.users ?? [];
  const serviceAccounts = rule.serviceAccounts ?? [];
  const subjects = [...groups, ...users];
  if (subjects.length + serviceAccounts.length === 0) {
    error(path, 'tenancy.rbac.subjects', `${at} grants '${rule.role}' to nobody`, 'list groups, users or serviceAccounts');
  }
  for (const s of subjects) {
    if (s.trim() === '' || s !== s.trim()) error(path, 'tenancy.rbac.subject.name', `${at} has an empty or padded subject '${s}'`, 'name each subject exactly');
    if (FORBIDDEN_SUBJECTS.includes(s) || s.startsWith('system:serviceaccounts')) {
      error(path, 'tenancy.rbac.subject.too-broad', `${at} grants '${rule.role}' to '${s}'`, 'grant app roles to named groups, users or service accounts only');
    }
  }
  for (const sa of serviceAccounts) {
    if (!isDns1123Label(sa.name) && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(sa.name)) error(path, 'tenancy.rbac.service-account', `${at}: service account '${sa.name}' is not a valid name`, dns1123LabelFix(sa.name));
    if (sa.namespace !== undefined && !isDns1123Label(sa.namespace)) error(path, 'tenancy.rbac.service-account', `${at}: namespace '${sa.namespace}' is not a DNS-1123 label`, dns1123LabelFix(sa.namespace));
  }
  return {
    at,
    role: rule.role as AppRole,
    groups: [...groups],
    users: [...users],
    serviceAccounts: serviceAccounts.map(sa => ({ name: sa.name, namespace: sa.namespace ?? namespace })),
  };
}

function resolveAllowance(d: DeclaredAllowance, path: string, v: Violations, error: Violations['error']): AllowanceSpec {
  const { at, direction, allowance: a } = d;
  const apps = a.apps ?? [];
  const namespaces = a.namespaces ?? [];
  const cidrs = a.cidrs ?? [];
  if (apps.length + namespaces.length + cidrs.length === 0) {
    error(path, 'tenancy.network.peer', `${at} names no apps, namespaces or CIDRs`, 'list who may talk to (or be reached by) the app; an allowance cannot be open-ended');
  }
  for (const n of namespaces) if (!isDns1123Label(n)) error(path, 'tenancy.network.namespace', `${at}: '${n}' is not a namespace name`, dns1123LabelFix(n));
  for (const c of cidrs) {
    if (!isCidr(c)) error(path, 'tenancy.network.cidr', `${at}: '${c}' is not a CIDR block`, "use CIDR notation, e.g. '10.20.0.0/16'");
    else if (isWholeInternet(c)) v.warning(path, 'tenancy.network.open', `${at} allows ${direction} ${direction === 'ingress' ? 'from' : 'to'} every address (${c})`, 'narrow the CIDR to the networks the app really talks to');
  }
  for (const port of a.ports ?? []) {
    if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535) error(path, 'tenancy.network.port', `${at}: port ${port.port} is not between 1 and 65535`, 'use a port number between 1 and 65535');
  }
  return {
    at,
    direction,
    apps: [...apps],
    namespaces: [...namespaces],
    cidrs: [...cidrs],
    ...(a.ports && a.ports.length > 0 ? { ports: a.ports.map(port => ({ port: port.port, protocol: port.protocol ?? 'TCP' })) } : {}),
  };
}

function resolveReserve(r: AppNamespace['props']['reserve'], path: string, error: Violations['error']): Capacity | undefined {
  if (!r) return undefined;
  if (!isNonNegativeInteger(r.gpus) || !isNonNegativeInteger(r.pods)) error(path, 'tenancy.reserve.whole', 'reserve.gpus and reserve.pods must be whole numbers, 0 or more', 'use whole GPUs and pods');
  try {
    return {
      resources: { cpuMillis: r.cpu ? cpuToMillis(r.cpu) : 0, memoryMiB: r.memory ? memoryToMiB(r.memory) : 0, gpus: r.gpus ?? 0 },
      pods: r.pods ?? 0,
    };
  } catch (e) {
    error(path, 'tenancy.reserve.parse', (e as Error).message, 'use Cpu.millis(…) and Size.gibibytes(…)');
    return undefined;
  }
}

function resolveHeadroom(h: number | undefined, path: string, error: Violations['error']): number {
  if (h !== undefined && !(Number.isFinite(h) && h >= 0 && h <= 500)) {
    error(path, 'tenancy.quota.headroom', `quotaHeadroomPercent is ${h}`, 'use a percentage between 0 and 500');
  }
  return h ?? DEFAULT_QUOTA_HEADROOM_PERCENT;
}

/**
 * Resolves the fleet's placement lock: checks its own props (a file name, and
 * inline placements of the same form as the lock file's). Returns undefined
 * when a prop is bad.
 * @internal
 */
export function resolvePlacementLock(lock: PlacementLock, v: Violations): PlacementLockSpec | undefined {
  const path = pathOf(lock);
  const p: unknown = lock.props;
  const shape = shapeProblems(p, { file: 'string?', placements: 'object?' });
  for (const problem of shape) v.error(path, 'tenancy.lock.props', problem, 'give file as a path and placements as an object keyed by app name');
  if (shape.length > 0) return undefined;
  let bad = false;
  const file = lock.props.file;
  if (file !== undefined && (file.trim() === '' || file.includes('\0'))) {
    bad = true;
    v.error(path, 'tenancy.lock.file', `file ${describeValue(file)} is not a file name`, 'name the lock file committed with the fleet program, e.g. fleet.lock.json');
  }
  const placements = Object.entries(lock.props.placements ?? {});
  for (const [app, placement] of placements) {
    const problem = !isDns1123Label(app) ? `app name ${describeValue(app)} is not a DNS-1123 label`
      : !isRecord(placement) ? `the placement of '${app}' is ${describeValue(placement)}`
        : (['cluster', 'namespace', 'nodeProfile'] as const).filter(k => !isDns1123Label(placement[k])).map(k => `the placement of '${app}' has ${k} ${describeValue(placement[k])}, not a DNS-1123 label`)[0]
          ?? federationProblemOf(app, placement);
    if (problem) {
      bad = true;
      v.error(path, 'tenancy.lock.placement', problem, 'give each placement as { cluster, namespace, nodeProfile }, as the lock file records them');
    }
  }
  if (bad) return undefined;
  return {
    construct: lock,
    path,
    ...(file !== undefined ? { file, filePath: lock.filePath! } : {}),
    placements: new Map(placements.map(([app, pl]) => [app, copyPlacement(pl)])),
  };
}

function federationProblemOf(app: string, placement: Record<string, unknown>): string | undefined {
  const problem = federationRecordProblem(placement as { cluster: unknown });
  return problem ? `the placement of '${app}': ${problem}` : undefined;
}
