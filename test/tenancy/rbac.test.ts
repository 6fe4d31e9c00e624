import { TestWorkload, twoClusterFleet } from './support';
import { AppNamespace, AppRole, APP_ROLES } from '../../src';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

function synth() {
  const { fleet, general, a, b } = twoClusterFleet();
  const feed = new AppNamespace(fleet, 'feed', {
    app: 'feed',
    tenant: 'stateless',
    nodeProfile: general,
    cluster: a,
    authorization: [
      { role: 'viewer', groups: ['engineering', 'feed-oncall'] },
      { role: 'deployer', groups: ['feed-team'], serviceAccounts: [{ name: 'deploy-bot', namespace: 'ci' }] },
      { role: 'admin', users: ['alice@example.com'] },
      { role: 'viewer', groups: ['engineering'], users: ['bob@example.com'] },
    ],
  });
  new TestWorkload(feed, 'web', { replicas: 2, cpuMillis: 100, memoryMiB: 128 });
  new AppNamespace(fleet, 'ads', { app: 'ads', tenant: 'stateless', nodeProfile: general, cluster: b, authorization: [{ role: 'viewer', groups: ['ads'] }] });
  return fleet.synthesize();
}

const result = synth();

/** The effective rules of an aggregated ClusterRole, resolved the way the aggregation controller does. */
function effectiveRules(cluster: string, role: AppRole): Map<string, Set<string>> {
  const roles = result.objects.filter(o => o.cluster === cluster && o.object.kind === 'ClusterRole').map(o => o.object as any);
  const aggregated = roles.find(r => r.metadata.name === `fleet-app-${role}`);
  expect(aggregated.rules ?? []).toEqual([]);
  const selectors: Record<string, string>[] = aggregated.aggregationRule.clusterRoleSelectors.map((s: any) => s.matchLabels);
  const out = new Map<string, Set<string>>();
  for (const r of roles) {
    const labels = r.metadata.labels ?? {};
    if (!selectors.some(sel => Object.entries(sel).every(([k, v]) => labels[k] === v))) continue;
    for (const rule of (r.rules ?? []) as Rule[]) {
      for (const g of rule.apiGroups) {
        for (const res of rule.resources) {
          const key = `${g === '' ? 'core' : g}/${res}`;
          const verbs = out.get(key) ?? new Set<string>();
          rule.verbs.forEach(v => verbs.add(v));
          out.set(key, verbs);
        }
      }
    }
  }
  return out;
}

const R = ['get', 'list', 'watch'];
const W = ['create', 'delete', 'patch', 'update'];
const VIEWER: Record<string, string[]> = {
  'core/configmaps': R,
  'core/endpoints': R,
  'core/events': R,
  'core/limitranges': R,
  'core/persistentvolumeclaims': R,
  'core/pods': R,
  'core/pods/log': R,
  'core/resourcequotas': R,
  'core/serviceaccounts': R,
  'core/services': R,
  'apps/controllerrevisions': R,
  'apps/deployments': R,
  'apps/replicasets': R,
  'apps/statefulsets': R,
  'autoscaling/horizontalpodautoscalers': R,
  'batch/cronjobs': R,
  'batch/jobs': R,
  'discovery.k8s.io/endpointslices': R,
  'networking.k8s.io/ingresses': R,
  'networking.k8s.io/networkpolicies': R,
  'policy/poddisruptionbudgets': R,
};
const DEPLOYER: Record<string, string[]> = {
  ...VIEWER,
  'core/configmaps': [...R, ...W],
  'core/persistentvolumeclaims': [...R, ...W],
  'core/services': [...R, ...W],
  'core/pods': [...R, 'delete'],
  'apps/deployments': [...R, ...W],
  'apps/statefulsets': [...R, ...W],
  'apps/deployments/scale': ['get', 'patch', 'update'],
  'apps/statefulsets/scale': ['get', 'patch', 'update'],
  'autoscaling/horizontalpodautoscalers': [...R, ...W],
  'batch/cronjobs': [...R, ...W],
  'batch/jobs': [...R, ...W],
  'policy/poddisruptionbudgets': [...R, ...W],
};
const ADMIN: Record<string, string[]> = {
  ...DEPLOYER,
  'core/secrets': [...R, ...W],
  'core/pods/attach': ['create', 'get'],
  'core/pods/exec': ['create', 'get'],
  'core/pods/portforward': ['create', 'get'],
};
const KRUISE_VIEWER = { 'apps.kruise.io/clonesets': R, 'apps.kruise.io/statefulsets': R };
const KRUISE_DEPLOYER = {
  'apps.kruise.io/clonesets': [...R, ...W],
  'apps.kruise.io/statefulsets': [...R, ...W],
  'apps.kruise.io/clonesets/scale': ['get', 'patch', 'update'],
  'apps.kruise.io/statefulsets/scale': ['get', 'patch', 'update'],
};

function asSorted(m: Map<string, Set<string>>): Record<string, string[]> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]));
}
function sortedExpect(m: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]));
}

describe('app roles grant exactly the intended verbs', () => {
  test('viewer (cluster without OpenKruise)', () => {
    expect(asSorted(effectiveRules('east-1', 'viewer'))).toEqual(sortedExpect(VIEWER));
  });
  test('deployer (cluster without OpenKruise)', () => {
    expect(asSorted(effectiveRules('east-1', 'deployer'))).toEqual(sortedExpect(DEPLOYER));
  });
  test('admin (cluster without OpenKruise)', () => {
    expect(asSorted(effectiveRules('east-1', 'admin'))).toEqual(sortedExpect(ADMIN));
  });
  test('OpenKruise clusters add CloneSet and Advanced StatefulSet rules', () => {
    expect(asSorted(effectiveRules('west-1', 'viewer'))).toEqual(sortedExpect({ ...VIEWER, ...KRUISE_VIEWER }));
    expect(asSorted(effectiveRules('west-1', 'deployer'))).toEqual(sortedExpect({ ...DEPLOYER, ...KRUISE_VIEWER, ...KRUISE_DEPLOYER }));
    expect(asSorted(effectiveRules('west-1', 'admin'))).toEqual(sortedExpect({ ...ADMIN, ...KRUISE_VIEWER, ...KRUISE_DEPLOYER }));
  });
});

describe('least privilege', () => {
  const rbac = result.objects.filter(o => ['ClusterRole', 'Role', 'RoleBinding', 'ClusterRoleBinding'].includes(o.object.kind));

  test('no wildcards anywhere and never cluster-admin', () => {
    for (const o of result.objects.filter(x => ['ClusterRole', 'Role'].includes(x.object.kind))) {
      for (const rule of ((o.object as any).rules ?? []) as Rule[]) {
        expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain('*');
      }
    }
    for (const o of result.objects.filter(x => ['RoleBinding', 'ClusterRoleBinding'].includes(x.object.kind))) {
      expect((o.object as any).roleRef.name).not.toBe('cluster-admin');
    }
    expect(rbac.length).toBeGreaterThan(0);
  });

  test('viewers and deployers cannot exec into pods or read secrets; nobody may change RBAC', () => {
    for (const role of ['viewer', 'deployer'] as AppRole[]) {
      const rules = effectiveRules('east-1', role);
      expect(rules.has('core/pods/exec')).toBe(false);
      expect(rules.has('core/pods/attach')).toBe(false);
      expect(rules.has('core/secrets')).toBe(false);
    }
    for (const role of APP_ROLES) {
      expect([...effectiveRules('east-1', role).keys()].filter(k => k.startsWith('rbac.authorization.k8s.io'))).toEqual([]);
    }
  });

  test('the shared ClusterRoles exist once per cluster hosting apps, not per namespace', () => {
    for (const c of ['east-1', 'west-1']) {
      const names = result.objects.filter(o => o.cluster === c && o.object.kind === 'ClusterRole' && o.object.metadata.name.startsWith('fleet-app-')).map(o => o.object.metadata.name);
      expect(names.sort()).toEqual(['fleet-app-admin', 'fleet-app-admin-rules', 'fleet-app-deployer', 'fleet-app-deployer-rules', 'fleet-app-viewer', 'fleet-app-viewer-rules']);
    }
  });
});

describe('role bindings from authorization rules', () => {
  const bindings = result.objects.filter(o => o.object.kind === 'RoleBinding' && o.object.metadata.namespace === 'feed').map(o => o.object as any);

  test('one RoleBinding per role, in the app namespace, to the shared ClusterRole', () => {
    expect(bindings.map(b => b.metadata.name).sort()).toEqual(['fleet-app-admin', 'fleet-app-deployer', 'fleet-app-viewer']);
    for (const b of bindings) expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.metadata.name });
  });

  test('subjects are merged across rules, deduplicated and sorted', () => {
    const viewer = bindings.find(b => b.metadata.name === 'fleet-app-viewer');
    expect(viewer.subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'engineering' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'feed-oncall' },
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob@example.com' },
    ]);
    const deployer = bindings.find(b => b.metadata.name === 'fleet-app-deployer');
    expect(deployer.subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'feed-team' },
      { kind: 'ServiceAccount', namespace: 'ci', name: 'deploy-bot' },
    ]);
  });
});
