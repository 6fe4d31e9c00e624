/**
 * RBAC of app namespaces: the standard app roles (viewer, deployer, admin) as
 * aggregated ClusterRoles defined once per cluster, and one RoleBinding per
 * (namespace, role) generated from the app's authorization rules.
 *
 * Least privilege: explicit API groups, resources and verbs, never a wildcard,
 * never `cluster-admin`, no RBAC objects (bindings come from code), no Secrets
 * and no `pods/exec` for viewers and deployers.
 */
import { k8s } from 'cdk8s-plus-28';
import { AppRole, APP_ROLES } from './app-namespace';
import { AuthorizationSpec, NamespaceSpec } from './slots';
import { LABEL_PREFIX } from '../core/names';
import { OPENKRUISE_GROUP } from '../core/workload-kinds';
import { KubeObject } from '../synth/context';

/** An RBAC policy rule, without wildcards. */
export interface AppPolicyRule {
  /** API groups (`''` is the core group). */
  readonly apiGroups: readonly string[];
  /** Resources (and subresources such as `pods/log`). */
  readonly resources: readonly string[];
  /** Verbs. */
  readonly verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/**
 * The rules each role adds on top of the roles below it (viewer ⊂ deployer ⊂
 * admin). `kruise` rules apply only in clusters that run OpenKruise.
 */
export const APP_ROLE_RULES: Readonly<Record<AppRole, { readonly rules: readonly AppPolicyRule[]; readonly kruise: readonly AppPolicyRule[] }>> = {
  viewer: {
    rules: [
      { apiGroups: [''], resources: ['configmaps', 'endpoints', 'events', 'limitranges', 'persistentvolumeclaims', 'pods', 'pods/log', 'resourcequotas', 'serviceaccounts', 'services'], verbs: READ },
      { apiGroups: ['apps'], resources: ['controllerrevisions', 'deployments', 'replicasets', 'statefulsets'], verbs: READ },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
      { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
    ],
    kruise: [
      { apiGroups: [OPENKRUISE_GROUP], resources: ['clonesets', 'statefulsets'], verbs: READ },
    ],
  },
  deployer: {
    rules: [
      { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'services'], verbs: WRITE },
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE },
      { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'patch', 'update'] },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
      { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
    ],
    kruise: [
      { apiGroups: [OPENKRUISE_GROUP], resources: ['clonesets', 'statefulsets'], verbs: WRITE },
      { apiGroups: [OPENKRUISE_GROUP], resources: ['clonesets/scale', 'statefulsets/scale'], verbs: ['get', 'patch', 'update'] },
    ],
  },
  admin: {
    rules: [
      { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] },
      { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward'], verbs: ['create', 'get'] },
    ],
    kruise: [],
  },
};

/** Name of the aggregated ClusterRole of an app role: `fleet-app-viewer`... @internal */
export function appClusterRoleName(role: AppRole): string {
  return `fleet-app-${role}`;
}

/** Label that aggregates a ClusterRole's rules into an app role. @internal */
export function aggregationLabel(role: AppRole): string {
  return `rbac.${LABEL_PREFIX}/aggregate-to-app-${role}`;
}

const COMPONENT = { 'app.kubernetes.io/component': 'app-rbac' };

/**
 * The shared ClusterRoles of one cluster: one aggregated ClusterRole per app
 * role, and one rules ClusterRole per role that aggregates into its own role
 * and every role above it.
 * @internal
 */
export function renderAppClusterRoles(openKruise: boolean): KubeObject[] {
  const out: KubeObject[] = [];
  APP_ROLES.forEach((role, i) => {
    out.push(k8s.KubeClusterRole.manifest({
      metadata: { name: appClusterRoleName(role), labels: { ...COMPONENT } },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregationLabel(role)]: 'true' } }] },
    }) as KubeObject);
    const grants = APP_ROLE_RULES[role];
    const rules = [...grants.rules, ...(openKruise ? grants.kruise : [])];
    const labels: Record<string, string> = { ...COMPONENT };
    for (const above of APP_ROLES.slice(i)) labels[aggregationLabel(above)] = 'true';
    out.push(k8s.KubeClusterRole.manifest({
      metadata: { name: `${appClusterRoleName(role)}-rules`, labels },
      rules: rules.map(r => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    }) as KubeObject);
  });
  return out;
}

/** Subjects that would grant the role to everybody or to cluster operators' own group. @internal */
export const FORBIDDEN_SUBJECTS: readonly string[] = ['system:authenticated', 'system:unauthenticated', 'system:anonymous', 'system:masters'];

function uniqueSorted(items: readonly string[]): string[] {
  return [...new Set(items)].sort();
}

/** One RoleBinding per role named in the app's authorization rules (subjects merged, sorted, deduplicated). @internal */
export function renderAppRoleBindings(ns: NamespaceSpec): KubeObject[] {
  const byRole = new Map<AppRole, AuthorizationSpec[]>();
  for (const r of ns.authorization) {
    const list = byRole.get(r.role);
    if (list) list.push(r);
    else byRole.set(r.role, [r]);
  }
  const out: KubeObject[] = [];
  for (const role of APP_ROLES) {
    const rules = byRole.get(role);
    if (!rules) continue;
    const groups = uniqueSorted(rules.flatMap(r => r.groups));
    const users = uniqueSorted(rules.flatMap(r => r.users));
    const sas = uniqueSorted(rules.flatMap(r => r.serviceAccounts.map(s => `${s.namespace}/${s.name}`)));
    const subjects: k8s.Subject[] = [
      ...groups.map(name => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name })),
      ...users.map(name => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name })),
      ...sas.map(s => ({ kind: 'ServiceAccount', namespace: s.split('/')[0], name: s.split('/')[1] })),
    ];
    out.push(k8s.KubeRoleBinding.manifest({
      metadata: {
        name: appClusterRoleName(role),
        namespace: ns.namespace,
        labels: { ...COMPONENT, [`${LABEL_PREFIX}/app`]: ns.app },
      },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: appClusterRoleName(role) },
      subjects,
    }) as KubeObject);
  }
  return out;
}
