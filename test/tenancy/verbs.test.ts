/**
 * The verbs of AppNamespace: grant(role, ...subjects), allowFrom(namespace) and
 * allowTo(namespace) declare the same rules as the `authorization` and
 * `network` props, so their output is the props' output, and their mistakes
 * are validation violations like the props'.
 */
import { TestWorkload, twoClusterFleet } from './support';
import { AppNamespace, Fleet, Subject } from '../../src';
import { synthErrors } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

type Obj = { kind: string; metadata: { name: string; namespace?: string }; subjects?: unknown[]; spec?: any };

function objectsOf(fleet: Fleet) {
  return fleet.synthesize().objects.map(o => o.object as unknown as Obj);
}

function find(objects: readonly Obj[], kind: string, namespace: string, name: string): Obj {
  const o = objects.find(x => x.kind === kind && x.metadata.namespace === namespace && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${namespace}/${name}`);
  return o;
}

/** Two apps on one cluster: `feed` (namespace `feed-ns`) and `web`. */
function twoApps() {
  const f = twoClusterFleet();
  const feed = new AppNamespace(f.fleet, 'feed', {
    app: 'feed',
    tenant: 'stateless',
    nodeProfile: f.general,
    namespace: 'feed-ns',
    cluster: f.a,
    authorization: [{ role: 'viewer', groups: ['engineering'] }],
  });
  const web = new AppNamespace(f.fleet, 'web', { app: 'web', tenant: 'stateless', nodeProfile: f.general, cluster: f.a });
  new TestWorkload(feed, 'api', { replicas: 2, cpuMillis: 100, memoryMiB: 128 });
  new TestWorkload(web, 'ui', { replicas: 2, cpuMillis: 100, memoryMiB: 128 });
  return { ...f, feed, web };
}

describe('AppNamespace.grant', () => {
  test('binds the role to typed subjects, merged with the authorization prop', () => {
    const { fleet, feed, web } = twoApps();
    feed.grant('viewer', Subject.group('sre'));
    feed.grant('deployer', Subject.group('feed-team'), Subject.user('alice@example.com'), Subject.serviceAccount('continuous-delivery', 'deployer'));
    feed.grant('admin', Subject.serviceAccount(web, 'janitor'), Subject.serviceAccount(feed, 'operator'));
    const objects = objectsOf(fleet);
    expect(find(objects, 'RoleBinding', 'feed-ns', 'fleet-app-viewer').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'engineering' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'sre' },
    ]);
    expect(find(objects, 'RoleBinding', 'feed-ns', 'fleet-app-deployer').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'feed-team' },
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice@example.com' },
      { kind: 'ServiceAccount', namespace: 'continuous-delivery', name: 'deployer' },
    ]);
    // a service account of an AppNamespace lives in that namespace, whatever its name
    expect(find(objects, 'RoleBinding', 'feed-ns', 'fleet-app-admin').subjects).toEqual([
      { kind: 'ServiceAccount', namespace: 'feed-ns', name: 'operator' },
      { kind: 'ServiceAccount', namespace: 'web', name: 'janitor' },
    ]);
  });

  test('writes exactly what the same rules as props write', () => {
    const verbs = twoApps();
    verbs.feed.grant('deployer', Subject.group('feed-team'), Subject.serviceAccount('ci', 'deploy-bot'));
    const props = twoClusterFleet();
    const feed = new AppNamespace(props.fleet, 'feed', {
      app: 'feed',
      tenant: 'stateless',
      nodeProfile: props.general,
      namespace: 'feed-ns',
      cluster: props.a,
      authorization: [{ role: 'viewer', groups: ['engineering'] }, { role: 'deployer', groups: ['feed-team'], serviceAccounts: [{ namespace: 'ci', name: 'deploy-bot' }] }],
    });
    const web = new AppNamespace(props.fleet, 'web', { app: 'web', tenant: 'stateless', nodeProfile: props.general, cluster: props.a });
    new TestWorkload(feed, 'api', { replicas: 2, cpuMillis: 100, memoryMiB: 128 });
    new TestWorkload(web, 'ui', { replicas: 2, cpuMillis: 100, memoryMiB: 128 });
    expect(verbs.fleet.synthesize().files).toEqual(props.fleet.synthesize().files);
  });

  test('authorizationRules reads the props and the grants in one list', () => {
    const { feed } = twoApps();
    feed.grant('admin', Subject.user('bob@example.com'));
    expect(feed.authorizationRules).toEqual([
      { role: 'viewer', groups: ['engineering'] },
      { role: 'admin', groups: [], users: ['bob@example.com'], serviceAccounts: [] },
    ]);
  });

  test('mistakes are violations of the synth, with the grant named; nothing throws before', () => {
    const { fleet, feed, web } = twoApps();
    expect(() => {
      feed.grant('deployer');
      feed.grant('owner' as any, Subject.group('feed-team'));
      feed.grant('viewer', Subject.group('system:authenticated'), Subject.user(' padded'));
      web.grant('viewer', 'feed-team' as any);
    }).not.toThrow();
    const e = synthErrors(fleet);
    expect(e.errors.map(x => `${x.path} ${x.rule}`)).toEqual([
      'feed tenancy.rbac.role.known',
      'feed tenancy.rbac.subject.name',
      'feed tenancy.rbac.subject.too-broad',
      'feed tenancy.rbac.subjects',
      'web tenancy.props.type',
    ]);
    const message = (rule: string) => e.errors.find(x => x.rule === rule)!;
    expect(message('tenancy.rbac.subjects').message).toBe("grant #1 grants 'deployer' to nobody");
    expect(message('tenancy.rbac.role.known').message).toBe("grant #2 names unknown role 'owner'");
    expect(message('tenancy.props.type').message).toBe("grant #1: subject 1 is 'feed-team', not a Subject");
  });
});

describe('AppNamespace.allowFrom and allowTo', () => {
  test('allow traffic between two app namespaces by reference', () => {
    const { fleet, feed, web } = twoApps();
    feed.allowFrom(web, { ports: [{ port: 8443 }] });
    web.allowTo(feed);
    const objects = objectsOf(fleet);
    expect(find(objects, 'NetworkPolicy', 'feed-ns', 'allow-declared-ingress').spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } } }], ports: [{ port: 8443, protocol: 'TCP' }] },
    ]);
    expect(find(objects, 'NetworkPolicy', 'web', 'allow-declared-egress').spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'feed-ns' } } }] },
    ]);
  });

  test('write exactly what the same allowances as props write, after the props\' own', () => {
    const verbs = twoApps();
    const extra = new AppNamespace(verbs.fleet, 'ads', {
      app: 'ads',
      tenant: 'stateless',
      nodeProfile: verbs.general,
      cluster: verbs.a,
      network: { ingress: [{ namespaces: ['ingress-gateway'] }] },
    });
    extra.allowFrom(verbs.feed);
    extra.allowTo(verbs.web, { ports: [{ port: 53, protocol: 'UDP' }] });
    const props = twoApps();
    new AppNamespace(props.fleet, 'ads', {
      app: 'ads',
      tenant: 'stateless',
      nodeProfile: props.general,
      cluster: props.a,
      network: { ingress: [{ namespaces: ['ingress-gateway'] }, { apps: ['feed'] }], egress: [{ apps: ['web'], ports: [{ port: 53, protocol: 'UDP' }] }] },
    });
    expect(verbs.fleet.synthesize().files).toEqual(props.fleet.synthesize().files);
    expect(extra.networkPolicy).toEqual({ ingress: [{ namespaces: ['ingress-gateway'] }, { apps: ['feed'] }], egress: [{ apps: ['web'], ports: [{ port: 53, protocol: 'UDP' }] }] });
  });

  test('a namespace on another cluster is a warning: the allowance has no effect there', () => {
    const f = twoClusterFleet();
    const feed = new AppNamespace(f.fleet, 'feed', { app: 'feed', tenant: 'stateless', nodeProfile: f.general, cluster: f.a });
    const ads = new AppNamespace(f.fleet, 'ads', { app: 'ads', tenant: 'stateless', nodeProfile: f.general, cluster: f.b });
    feed.allowFrom(ads);
    const warnings = f.fleet.synthesize().warnings.filter(w => w.rule === 'tenancy.network.cross-cluster');
    expect(warnings.map(w => `${w.path}: ${w.message}`)).toEqual(["feed: network allowance for app 'ads' has no effect: 'ads' lives on 'west-1', 'feed' on 'east-1'"]);
  });

  test('mistakes are violations of the synth, with the verb named', () => {
    const { fleet, feed, web } = twoApps();
    const stranger = twoClusterFleet();
    const elsewhere = new AppNamespace(stranger.fleet, 'feed', { app: 'feed', tenant: 'stateless', nodeProfile: stranger.general });
    expect(() => {
      feed.allowFrom(elsewhere);
      feed.allowTo(web, { ports: [{ port: 70000 }] });
      web.allowFrom('feed' as any);
    }).not.toThrow();
    const e = synthErrors(fleet);
    expect(e.errors.map(x => `${x.path} ${x.rule}: ${x.message}`)).toEqual([
      "feed tenancy.network.app.known: allowFrom #1 names the namespace of app 'feed' at feed, which is not part of this fleet",
      'feed tenancy.network.port: allowTo #1: port 70000 is not between 1 and 65535',
      "web tenancy.props.type: allowFrom #1: the peer is 'feed', not an AppNamespace",
    ]);
  });
});

describeWithSchemas('verb output is schema-valid', () => {
  test('RoleBindings and NetworkPolicies of grants and allowances validate strictly', () => {
    const { fleet, feed, web } = twoApps();
    feed.grant('deployer', Subject.group('feed-team'), Subject.user('alice@example.com'), Subject.serviceAccount(web, 'janitor'));
    feed.allowFrom(web, { ports: [{ port: 8443 }] });
    web.allowTo(feed);
    expect(validateAll(fleet.synthesize().objects)).toEqual([]);
  });
});
