/**
 * The tenant-class table: its names, and every layer that reads it through
 * what it produces (tenancy's Pod Security decision and routing record, the
 * control plane's API Priority and Fairness objects).
 */
import { AppNamespace, TenantClass } from '../../src';
import { TENANT_CLASSES, TENANT_CLASS_NAMES, isTenantClass } from '../../src/core/tenant-classes';
import { synthErrors } from '../support/fleet';
import { TestWorkload, twoClusterFleet } from '../tenancy/support';

/** One namespace per tenant class (two of each), all pinned to one cluster. */
function fleetWithEveryClass() {
  const f = twoClusterFleet();
  for (const cls of TENANT_CLASS_NAMES) {
    for (const n of [1, 2]) {
      const ns = new AppNamespace(f.fleet, `${cls}-${n}`, { app: `${cls}-${n}`, tenant: cls, nodeProfile: f.general, cluster: f.a });
      new TestWorkload(ns, 'app', { replicas: 1, cpuMillis: 100, memoryMiB: 128 });
    }
  }
  return f;
}

describe('the tenant-class table', () => {
  test('the classes, in their fixed order, and nothing else names a class', () => {
    const names: TenantClass[] = ['stateless', 'stateful', 'batch'];
    expect(TENANT_CLASS_NAMES).toEqual(names);
    for (const cls of TENANT_CLASS_NAMES) expect(isTenantClass(cls)).toBe(true);
    for (const other of ['Stateless', 'constructor', '__proto__', 'toString', '', 1, undefined]) expect(isTenantClass(other)).toBe(false);
  });
});

describe('the control plane reads the table: one API Priority and Fairness level per class', () => {
  const result = fleetWithEveryClass().fleet.synthesize();
  const on = (cluster: string, kind: string, name: string) =>
    result.objects.find(o => o.cluster === cluster && o.object.kind === kind && o.object.metadata.name === name)?.object as any;

  test.each(TENANT_CLASS_NAMES.map(c => [c]))('%s: shares, lending and precedence from the table; the FlowSchema matches the class\'s namespaces', (cls) => {
    const { apiPriority } = TENANT_CLASSES[cls];
    const level = on('east-1', 'PriorityLevelConfiguration', `fleet-tenant-${cls}`);
    expect(level.spec.limited).toMatchObject({ nominalConcurrencyShares: apiPriority.shares, lendablePercent: apiPriority.lendablePercent });
    const schema = on('east-1', 'FlowSchema', `fleet-tenant-${cls}`);
    expect(schema.spec.matchingPrecedence).toBe(apiPriority.precedence);
    expect(schema.spec.rules[0].subjects.map((s: any) => s.serviceAccount.namespace)).toEqual([`${cls}-1`, `${cls}-2`]);
    // the other cluster hosts no tenant: its levels exist, its tenant FlowSchemas do not
    expect(on('west-1', 'PriorityLevelConfiguration', `fleet-tenant-${cls}`)).toBeDefined();
    expect(on('west-1', 'FlowSchema', `fleet-tenant-${cls}`)).toBeUndefined();
  });
});

describe('tenancy reads the table', () => {
  test('the routing record\'s tenant field admits exactly the classes', () => {
    const result = fleetWithEveryClass().fleet.synthesize();
    const crd = result.objects.find(o => o.object.kind === 'CustomResourceDefinition' && o.object.metadata.name === 'namespaceplacements.fleet.cdk8s.io')!.object as any;
    expect(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.tenant.enum).toEqual(TENANT_CLASS_NAMES);
  });

  test('Pod Security baseline is allowed exactly for the classes the table allows it', () => {
    const f = twoClusterFleet();
    for (const cls of TENANT_CLASS_NAMES) {
      new AppNamespace(f.fleet, cls, { app: cls, tenant: cls, nodeProfile: f.general, podSecurity: 'baseline', podSecurityReason: 'legacy image', reserve: { pods: 1 } });
    }
    const refused = synthErrors(f.fleet).errors.filter(e => e.rule === 'tenancy.pod-security.allowed');
    expect(refused.map(e => e.path)).toEqual(TENANT_CLASS_NAMES.filter(c => !TENANT_CLASSES[c].baselineAllowed));
    const allowed = TENANT_CLASS_NAMES.filter(c => TENANT_CLASSES[c].baselineAllowed).join(', ');
    for (const e of refused) expect(e.fix).toContain(`only tenant classes ${allowed} may run 'baseline'`);
  });

  test('a class outside the table is unknown, even a name every object has (constructor)', () => {
    const f = twoClusterFleet();
    new AppNamespace(f.fleet, 'odd', { app: 'odd', tenant: 'constructor' as TenantClass, nodeProfile: f.general, reserve: { pods: 1 } });
    const e = synthErrors(f.fleet).errors.find(x => x.rule === 'tenancy.tenant.known');
    expect(e).toMatchObject({ path: 'odd', fix: `use one of: ${TENANT_CLASS_NAMES.join(', ')}` });
  });
});
