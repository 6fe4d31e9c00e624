import { parse } from 'yaml';
import { buildExampleFleet } from '../../examples/fleet';
import { Labels } from '../../src';
import { tmpOutdir } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

const result = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();

describeWithSchemas('the example fleet is schema-valid', () => {
  test('every object validates strictly against Kubernetes v1.28.0 and the generated CRDs (CEL rules included)', () => {
    expect(result.objects.length).toBeGreaterThan(50);
    expect(validateAll(result.objects)).toEqual([]);
  });

  test('the hub records where and report read are among them: NamespacePlacement with its region, the GuardrailConfiguration CRD and record', () => {
    const hub = result.objects.filter(o => o.cluster === 'hub').map(o => o.object as any);
    const crd = hub.find(o => o.kind === 'CustomResourceDefinition' && o.spec.names.kind === 'GuardrailConfiguration');
    const record = hub.find(o => o.kind === 'GuardrailConfiguration');
    expect(crd).toBeDefined();
    expect(record.apiVersion).toBe(`${crd.spec.group}/${crd.spec.versions[0].name}`);
    expect(validateAll([crd, record])).toEqual([]);
    expect(validateAll([crd, { ...record, spec: { ...record.spec, colour: 'blue' } }]).join('\n')).toMatch(/additional properties 'colour'/);
    const placements = hub.filter(o => o.kind === 'NamespacePlacement');
    expect(placements.length).toBeGreaterThan(10);
    for (const p of placements) expect(p.spec.region).toMatch(/^[a-z0-9]+$/);
  });

  test('the YAML files parse back to the same objects', () => {
    for (const o of result.objects) {
      expect(parse(result.files.get(o.file)!)).toEqual(JSON.parse(JSON.stringify(o.object)));
    }
  });
});

describe('example fleet layout', () => {
  test('one directory per cluster, the hub included, each with a kustomization listing its objects', () => {
    const clusters = new Set([...result.files.keys()].filter(f => f.includes('/')).map(f => f.split('/')[0]));
    expect([...clusters].sort()).toEqual(['hub', 'ltx1-prod-1', 'lva1-prod-1', 'lva1-prod-2', 'node-profiles']);
    for (const c of ['hub', 'ltx1-prod-1', 'lva1-prod-1', 'lva1-prod-2']) {
      const k = parse(result.files.get(`${c}/kustomization.yaml`)!);
      const own = result.objects.filter(o => o.cluster === c).map(o => o.file.slice(c.length + 1)).sort();
      expect(k.resources).toEqual(own);
    }
  });

  test('four node profiles, each with a KubeletConfiguration, its sysctls and the kernel modules they need', () => {
    const files = [...result.files.keys()].filter(f => f.startsWith('node-profiles/'));
    expect(files).toEqual(['general', 'gpu', 'high-memory', 'local-ssd'].flatMap(p => [
      `node-profiles/${p}/90-fleet-node-modules.conf`,
      `node-profiles/${p}/90-fleet-node.conf`,
      `node-profiles/${p}/kubelet-config.yaml`,
    ]));
  });

  test('pools of 1,000+ nodes striped over 20 maintenance zones, zone recorded in node labels', () => {
    const pools = result.objects.filter(o => o.object.kind === 'KubernetesPool').map(o => o.object as any);
    expect(pools.length).toBe(13);
    expect(pools.some(p => p.spec.poolTemplate.capacity >= 1000)).toBe(true);
    for (const p of pools) {
      const caps = p.spec.maintenanceZones.map((z: any) => z.capacity);
      expect(caps.length).toBe(20);
      expect(Math.max(...caps) - Math.min(...caps)).toBeLessThanOrEqual(1);
      expect(caps.reduce((a: number, b: number) => a + b, 0)).toBe(p.spec.poolTemplate.capacity);
      for (const z of p.spec.maintenanceZones) expect(z.nodeLabels[Labels.MAINTENANCE_ZONE]).toBe(z.zone);
    }
  });

  test('the local-volume provisioner runs only on storage pools; log shipper and metrics on every pool', () => {
    const ds = result.objects.filter(o => o.object.kind === 'DaemonSet' && o.cluster === 'lva1-prod-1').map(o => o.object.metadata.name).sort();
    expect(ds).toEqual([
      'kube-proxy',
      'local-volume-provisioner-local-ssd',
      'log-shipper-general', 'log-shipper-gpu', 'log-shipper-high-memory', 'log-shipper-local-ssd',
      'node-metrics-general', 'node-metrics-gpu', 'node-metrics-high-memory', 'node-metrics-local-ssd',
    ]);
  });
});
