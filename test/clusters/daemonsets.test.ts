import { Cpu, Labels, NodeProfile, RequiredDaemonSet, Size } from '../../src';
import { smallFleet } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

function setup() {
  const s = smallFleet();
  const gpu = new NodeProfile(s.fleet, 'gpu', {
    machine: { cpuCores: 96, memory: Size.gibibytes(768), gpus: 8 },
    taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }],
  });
  const exporter = new RequiredDaemonSet(s.fleet, 'dcgm-exporter', {
    image: 'registry.internal/dcgm-exporter:3.3.5',
    resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(256), cpuLimit: Cpu.millis(500) },
    maxUnavailable: 2,
  });
  s.cluster.addPool('gpu', {
    nodeProfile: gpu,
    capacity: 20,
    requiredDaemonSets: [s.logs, exporter],
    taints: [{ key: 'dedicated', value: 'ml', effect: 'NoExecute' }],
  });
  const result = s.fleet.synthesize();
  const ds = (name: string) => result.objects.find(o => o.object.kind === 'DaemonSet' && o.object.metadata.name === name)!.object as any;
  return { ...s, result, ds };
}

describe('required DaemonSets', () => {
  test('one DaemonSet per (pool, agent), selecting exactly the pool\'s nodes', () => {
    const { result, ds } = setup();
    const names = result.objects.filter(o => o.object.kind === 'DaemonSet').map(o => o.object.metadata.name).sort();
    expect(names).toEqual(['dcgm-exporter-gpu', 'kube-proxy', 'log-shipper-general', 'log-shipper-gpu']);
    expect(ds('log-shipper-gpu').spec.template.spec.nodeSelector).toEqual({ [Labels.POOL]: 'gpu' });
    expect(ds('log-shipper-general').spec.template.spec.nodeSelector).toEqual({ [Labels.POOL]: 'general' });
  });

  test('tolerates exactly the pool\'s taints (profile and pool)', () => {
    const { ds } = setup();
    expect(ds('log-shipper-gpu').spec.template.spec.tolerations).toEqual([
      { key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoExecute' },
    ]);
    expect(ds('log-shipper-general').spec.template.spec.tolerations).toBeUndefined();
  });

  test('node-critical priority, requests and limits, bounded rolling update, restricted security context', () => {
    const { ds } = setup();
    const d = ds('dcgm-exporter-gpu');
    const pod = d.spec.template.spec;
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(d.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, maxSurge: 0 } });
    expect(ds('log-shipper-gpu').spec.updateStrategy.rollingUpdate.maxUnavailable).toBe('10%');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('the KubernetesPool record lists the required DaemonSets by name', () => {
    const { result } = setup();
    const pool = result.objects.find(o => o.object.kind === 'KubernetesPool' && o.object.metadata.name === 'prod-1-gpu')!.object as any;
    expect(pool.spec.poolTemplate.requiredDaemonSets).toEqual(['log-shipper', 'dcgm-exporter']);
    expect(pool.spec.poolTemplate.taints).toEqual([
      { key: 'gpu', value: 'true', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'ml', effect: 'NoExecute' },
    ]);
  });

  test('the platform namespace is restricted unless an agent needs host access, and then says why', () => {
    const { result } = setup();
    const ns = result.objects.find(o => o.object.kind === 'Namespace' && o.object.metadata.name === 'fleet-system')!.object;
    expect(ns.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');

    const s = smallFleet();
    const agent = new RequiredDaemonSet(s.fleet, 'logs-host', {
      image: 'r/logs:1.0.0',
      resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) },
      hostPaths: [{ name: 'logs', hostPath: '/var/log', mountPath: '/var/log' }],
    });
    s.cluster.addPool('other', { nodeProfile: s.general, capacity: 20, requiredDaemonSets: [agent] });
    const ns2 = s.fleet.synthesize().objects.find(o => o.cluster === s.cluster.clusterName && o.object.kind === 'Namespace' && o.object.metadata.name === 'fleet-system')!.object;
    expect(ns2.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns2.metadata.annotations!['fleet.cdk8s.io/pod-security-exception']).toMatch(/host paths/);
  });

  test('an empty pool gets no DaemonSets but keeps its inventory record', () => {
    const s = smallFleet();
    s.cluster.addPool('drained', { nodeProfile: s.general, capacity: 0, requiredDaemonSets: [s.logs] });
    const r = s.fleet.synthesize();
    expect(r.objects.some(o => o.object.metadata.name === 'log-shipper-drained')).toBe(false);
    expect(r.objects.some(o => o.object.kind === 'KubernetesPool' && o.object.metadata.name === 'prod-1-drained')).toBe(true);
  });
});

describeWithSchemas('required DaemonSets are schema-valid', () => {
  test('strict v1.28.0', () => {
    expect(validateAll(setup().result.objects)).toEqual([]);
  });
});
