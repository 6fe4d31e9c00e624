import { all, find, workloadFleet } from './support';
import { AppNamespace, Cpu, LiStatefulSet, LiStatefulSetProps, Labels, Size } from '../../src';
import { DISRUPTION_POLICY_ANNOTATION, PDB_ANNOTATION } from '../../src/workloads/render';
import { describeWithSchemas, validateAll } from '../support/schemas';

const KAFKA: LiStatefulSetProps = {
  application: 'kafka-tracking',
  version: { app: '3.7.1-li.4' },
  replicas: 6,
  resources: { cpu: Cpu.units(8), memory: Size.gibibytes(48) },
  storage: Size.tebibytes(3),
  acmEndpoint: 'https://acm.internal/clusters/kafka-tracking',
  ports: [{ name: 'kafka', port: 9092 }, { name: 'http', port: 8080 }],
  probes: { readiness: { port: 'http' }, liveness: { port: 'http' }, startup: { port: 'http' } },
};

function synthKafka(props: Partial<LiStatefulSetProps> = {}, options: { openKruise?: boolean } = {}) {
  const f = workloadFleet(options);
  const ns = new AppNamespace(f.fleet, 'kafka', { app: 'kafka-tracking', tenant: 'stateful', nodeProfile: f.ssd });
  const s = new LiStatefulSet(ns, 'kafka', { ...KAFKA, ...props });
  return { ...f, s, result: f.fleet.synthesize() };
}

describeWithSchemas('LiStatefulSet output is schema-valid', () => {
  test('plain StatefulSet and its CRD/CR validate strictly', () => {
    expect(validateAll(synthKafka().result.objects)).toEqual([]);
  });

  test('OpenKruise Advanced StatefulSet validates against its CRD; its pod and claim templates against v1.28.0', () => {
    const { result } = synthKafka({}, { openKruise: true });
    expect(validateAll(result.objects)).toEqual([]);
    const asts = find(result.objects, 'StatefulSet', 'kafka-tracking');
    expect(asts.apiVersion).toBe('apps.kruise.io/v1beta1');
    expect(validateAll([
      { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'kafka', namespace: 'kafka-tracking' }, template: asts.spec.template },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...asts.spec.volumeClaimTemplates[0] },
    ])).toEqual([]);
  });
});

describe('LiStatefulSet', () => {
  const { result, s } = synthKafka();
  const sts = find(result.objects, 'StatefulSet', 'kafka-tracking');
  const spec = sts.spec.template.spec;

  test('runs on the local-SSD profile, tolerating its taint, one shard per host and spread over zones', () => {
    expect(spec.nodeSelector).toEqual({ [Labels.NODE_PROFILE]: 'local-ssd' });
    expect(spec.tolerations).toEqual([{ key: 'fleet.cdk8s.io/local-ssd', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    const byKey = Object.fromEntries(spec.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable]));
    expect(byKey).toEqual({ [Labels.MAINTENANCE_ZONE]: 'DoNotSchedule', 'kubernetes.io/hostname': 'DoNotSchedule' });
    expect(spec.priorityClassName).toBe('fleet-stateful');
  });

  test('local storage through a claim template on the local storage class, mounted at /data', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([expect.objectContaining({
      metadata: expect.objectContaining({ name: 'data' }),
      spec: expect.objectContaining({ accessModes: ['ReadWriteOnce'], storageClassName: 'local-ssd', resources: { requests: { storage: '3Ti' } } }),
    })]);
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    const sc = find(result.objects, 'StorageClass', 'local-ssd');
    expect(sc).toMatchObject({ provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Retain' });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  test('a headless Service that publishes not-ready pods', () => {
    const svc = find(result.objects, 'Service', 'kafka-tracking');
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.publishNotReadyAddresses).toBe(true);
    expect(sts.spec.serviceName).toBe('kafka-tracking');
    expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
  });

  test('a PodDisruptionBudget that allows no voluntary eviction: drains wait for the operator, and the output says so', () => {
    const pdbs = all(result.objects, 'PodDisruptionBudget').filter(p => p.metadata.namespace === 'kafka-tracking');
    expect(pdbs.map(p => p.metadata.name)).toEqual(['kafka-tracking']);
    expect(pdbs[0].spec).toEqual({
      maxUnavailable: 0,
      selector: { matchLabels: sts.spec.selector.matchLabels },
      unhealthyPodEvictionPolicy: 'IfHealthyBudget',
    });
    expect(pdbs[0].metadata.annotations[PDB_ANNOTATION]).toMatch(/stateful operator/);
    expect(sts.metadata.annotations[DISRUPTION_POLICY_ANNOTATION]).toBe('ShardManagerCoordinated');
    expect(sts.metadata.annotations[PDB_ANNOTATION]).toMatch(/maxUnavailable 0.*stateful operator/);
    expect(sts.spec.template.metadata.annotations[DISRUPTION_POLICY_ANNOTATION]).toBe('ShardManagerCoordinated');
    expect(sts.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    const cr = find(result.objects, 'LiStatefulSet', 'kafka-tracking');
    expect(cr.spec).toMatchObject({
      acmEndpoint: KAFKA.acmEndpoint,
      replicas: 6,
      disruption: { policy: 'ShardManagerCoordinated', podDisruptionBudget: true, maxUnavailable: 0 },
      workload: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'kafka-tracking' },
      storage: { size: '3Ti', storageClassName: 'local-ssd', mountPath: '/data' },
    });
    expect(find(result.objects, 'CustomResourceDefinition', 'listatefulsets.fleet.cdk8s.io').spec.scope).toBe('Namespaced');
  });

  test('the restricted pod defaults hold for stateful pods too', () => {
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    for (const c of spec.containers) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.resources.limits.memory).toBe(c.resources.requests.memory);
    }
    expect(spec.containers[0].readinessProbe.httpGet.port).toBe('http');
  });

  test('workload demand: replicas, the whole pod budget, no surge', () => {
    const pod = { cpuMillis: 8000, memoryMiB: 48 * 1024, gpus: 0 };
    expect(s.workloadDemand).toEqual({ pods: 6, podRequests: pod, podLimits: pod, surgePods: 0 });
  });
});
