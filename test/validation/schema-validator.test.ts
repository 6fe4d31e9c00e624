import { poolCrds } from '../../src/crds/pools';
import { SchemaValidator } from '../../src/validation/schema-validator';
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

/** A CRD of one kind whose spec has the given string properties, each with its pattern. */
function patternCrd(kind: string, patterns: Record<string, string>) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.example.com` },
    spec: {
      group: 'example.com',
      names: { kind, plural: `${kind.toLowerCase()}s`, singular: kind.toLowerCase() },
      scope: 'Cluster',
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                properties: Object.fromEntries(Object.entries(patterns).map(([k, pattern]) => [k, { type: 'string', pattern }])),
              },
            },
          },
        },
      }],
    },
  };
}

// the smallest definitions a CRD's schema refers to (its metadata is an ObjectMeta)
const emptyDefinitions = { definitions: { 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { type: 'object' } } };

describe('CRD patterns are RE2, as the API server evaluates them', () => {
  test("Go syntax such as Kueue's '^(?i)[a-z]([-a-z0-9]*[a-z0-9])?$' compiles and is case-insensitive", () => {
    const v = new SchemaValidator(emptyDefinitions);
    expect(v.addCrd(patternCrd('Check', { kind: '^(?i)[a-z]([-a-z0-9]*[a-z0-9])?$' }))).toEqual([]);
    const obj = (kind: string) => ({ apiVersion: 'example.com/v1', kind: 'Check', metadata: { name: 'c' }, spec: { kind } });
    expect(v.validate(obj('ProvisioningRequestConfig'))).toEqual([]);
    expect(v.validate(obj('1-bad')).join('\n')).toMatch(/\/spec\/kind: must match pattern/);
  });

  test('two different patterns each check their own field (compiled patterns are not confused)', () => {
    const v = new SchemaValidator(emptyDefinitions);
    v.addCrd(patternCrd('Pair', { digits: '^[0-9]+$', letters: '^[a-z]+$' }));
    const obj = (spec: object) => ({ apiVersion: 'example.com/v1', kind: 'Pair', metadata: { name: 'p' }, spec });
    expect(v.validate(obj({ digits: '123', letters: 'abc' }))).toEqual([]);
    const problems = v.validate(obj({ digits: 'abc', letters: '123' }));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\/spec\/digits: must match pattern "\^\[0-9\]\+\$"/),
      expect.stringMatching(/^\/spec\/letters: must match pattern "\^\[a-z\]\+\$"/),
    ]));
    expect(problems).toHaveLength(2);
  });

  test('a pattern matches anywhere unless anchored, as Go regexp.MatchString does', () => {
    const v = new SchemaValidator(emptyDefinitions);
    v.addCrd(patternCrd('Loose', { s: 'b+' }));
    const obj = (s: string) => ({ apiVersion: 'example.com/v1', kind: 'Loose', metadata: { name: 'l' }, spec: { s } });
    expect(v.validate(obj('abbbc'))).toEqual([]);
    expect(v.validate(obj('ac'))).toHaveLength(1);
  });

  test('a CRD whose pattern is not RE2 fails only its own kind, naming the CRD and the pattern', () => {
    const v = new SchemaValidator(emptyDefinitions);
    const problems = v.addCrd(patternCrd('Lookbehind', { s: '(?<=a)b' }));
    expect(problems).toEqual([expect.stringMatching(/^the schema of CRD example\.com\/v1 Lookbehind cannot be compiled: pattern '\(\?<=a\)b' is not a valid RE2 expression/)]);
    v.addCrd(patternCrd('Fine', { s: '^[a-z]+$' }));
    expect(v.validate({ apiVersion: 'example.com/v1', kind: 'Lookbehind', metadata: { name: 'x' }, spec: { s: 'b' } })).toEqual(problems);
    expect(v.validate({ apiVersion: 'example.com/v1', kind: 'Fine', metadata: { name: 'x' }, spec: { s: 'ok' } })).toEqual([]);
  });
});

describeWithSchemas('schema directory with ecosystem CRDs', () => {
  test('Kueue and Volcano CRDs load; a Kueue AdmissionCheck validates with its (?i) pattern', () => {
    const v = validator();
    expect(v.problems).toEqual([]);
    expect(v.knows('kueue.x-k8s.io/v1beta1', 'AdmissionCheck')).toBe(true);
    const check = (kind: string) => ({
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'AdmissionCheck',
      metadata: { name: 'prov' },
      spec: { controllerName: 'kueue.x-k8s.io/provisioning-request', parameters: { apiGroup: 'kueue.x-k8s.io', kind, name: 'cfg' } },
    });
    expect(v.validate(check('ProvisioningRequestConfig'))).toEqual([]);
    expect(v.validate(check('-bad')).join('\n')).toMatch(/\/spec\/parameters\/kind: must match pattern/);
    // a plain built-in object is unaffected by the CRDs beside it
    expect(v.validate(deployment)).toEqual([]);
  });
});
