import { poolCrds } from '../../src';
import { describeWithSchemas, validateAll, validator } from '../support/schemas';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'feed', namespace: 'feed' },
  spec: {
    selector: { matchLabels: { app: 'feed' } },
    template: { metadata: { labels: { app: 'feed' } }, spec: { containers: [{ name: 'feed', image: 'feed:1.0.0' }] } },
  },
};

describeWithSchemas('schema validator (strict)', () => {
  test('accepts a valid Deployment', () => {
    expect(validator().validate(deployment)).toEqual([]);
  });

  test('rejects an unknown field, naming it', () => {
    const bad = { ...deployment, spec: { ...deployment.spec, replica: 3 } };
    expect(validator().validate(bad).join('\n')).toMatch(/must NOT have additional properties 'replica'/);
  });

  test('rejects a wrong type', () => {
    const bad = { ...deployment, spec: { ...deployment.spec, replicas: 'three' } };
    expect(validator().validate(bad).join('\n')).toMatch(/replicas: must be integer/);
  });

  test('reports kinds it has no schema for', () => {
    expect(validator().validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(['no schema for example.com/v1 Widget']);
  });

  test('knows the OpenKruise CRDs', () => {
    expect(validator().knows('apps.kruise.io/v1alpha1', 'CloneSet')).toBe(true);
    expect(validator().knows('apps.kruise.io/v1beta1', 'StatefulSet')).toBe(true);
  });

  test('validates custom resources against generated CRDs, CEL rules included', () => {
    const pool = {
      apiVersion: 'fleet.cdk8s.io/v1alpha1',
      kind: 'ComputeBrokerPool',
      metadata: { name: 'p' },
      spec: {
        capacity: 3,
        nodeProfile: 'general',
        machine: { sku: 'x', cpuCores: 8, memory: '32Gi' },
        maintenanceZones: [{ zone: 'mz-01', capacity: 3, nodeLabels: {} }],
      },
    };
    expect(validateAll([...poolCrds() as any[], pool])).toEqual([]);
    const unknownField = { ...pool, spec: { ...pool.spec, colour: 'blue' } };
    expect(validateAll([...poolCrds() as any[], unknownField]).join('\n')).toMatch(/additional properties 'colour'/);
    const kpool = {
      apiVersion: 'fleet.cdk8s.io/v1alpha1',
      kind: 'KubernetesPool',
      metadata: { name: 'k' },
      spec: {
        cluster: 'c',
        poolTemplate: {
          capacity: 5,
          nodeProfile: 'general',
          nodeConfig: { kubeletVersion: '1.28.9', maxPods: 110, kubeReserved: {}, systemReserved: {}, evictionHard: {}, configFile: 'x' },
          nodeLabels: {},
        },
        maintenanceZones: [{ zone: 'mz-01', capacity: 2, nodeLabels: {} }, { zone: 'mz-02', capacity: 2, nodeLabels: {} }],
      },
    };
    expect(validateAll([...poolCrds() as any[], kpool]).join('\n')).toMatch(/maintenance zone capacities must add up to poolTemplate.capacity/);
  });
});
