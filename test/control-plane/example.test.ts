import { parse } from 'yaml';
import { buildExampleFleet } from '../../examples/fleet';
import { GIB_BYTES } from '../../src';
import { parseFlagArgs } from '../../src/control-plane/apiserver-flags';
import { CIS_ITEMS } from '../../src/control-plane/cis';
import { tmpOutdir } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

const result = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();
const CLUSTERS = ['hub', 'ltx1-prod-1', 'lva1-prod-1', 'lva1-prod-2'];
const under = (prefix: string) => [...result.files.keys()].filter(f => f.startsWith(prefix));

describe('the example fleet: every cluster has a complete, CIS-clean control plane', () => {
  test.each(CLUSTERS)('%s: static pods, audit, encryption, admission, etcd members and kubelet configs', cluster => {
    const dir = `${cluster}/control-plane/`;
    const pods = under(`${dir}static-pods/`).filter(f => f.endsWith('/kube-apiserver.yaml'));
    expect(pods.length).toBeGreaterThanOrEqual(3);
    for (const f of ['apiserver/audit-policy.yaml', 'apiserver/encryption-config.yaml', 'apiserver/admission-config.yaml', 'apiserver/event-rate-limit.yaml']) {
      expect(result.files.has(dir + f)).toBe(true);
    }
    const members = under(`${dir}etcd/`);
    expect(members.length % 2).toBe(1);
    expect(under(`${dir}kubelet/`).length).toBeGreaterThan(0);

    const flags = parseFlagArgs(parse(result.files.get(pods[0])!).spec.containers[0].command.slice(1));
    const schedulerPods = under(`${dir}static-pods/`).filter(f => f.endsWith('/kube-scheduler.yaml'));
    expect(schedulerPods).toHaveLength(pods.length);
    const cmPods = under(`${dir}static-pods/`).filter(f => f.endsWith('/kube-controller-manager.yaml'));
    const subject = {
      apiserverFlags: flags,
      controllerManagerFlags: parseFlagArgs(parse(result.files.get(cmPods[0])!).spec.containers[0].command.slice(1)),
      schedulerFlags: parseFlagArgs(parse(result.files.get(schedulerPods[0])!).spec.containers[0].command.slice(1)),
      schedulerConfig: parse(result.files.get(`${dir}scheduler/kube-scheduler-config.yaml`)!),
      encryptionConfig: parse(result.files.get(`${dir}apiserver/encryption-config.yaml`)!),
      etcdConfigs: [...members, ...under(`${dir}etcd-events/`)].map(f => parse(result.files.get(f)!)),
    };
    expect(CIS_ITEMS.filter(i => !i.check(subject)).map(i => i.id)).toEqual([]);
  });

  test('the explicit cluster: 5 apiservers, 5 etcd members at 16 GiB, events split; the warning is surfaced', () => {
    expect(under('lva1-prod-1/control-plane/static-pods/').filter(f => f.endsWith('/kube-apiserver.yaml'))).toHaveLength(5);
    expect(under('lva1-prod-1/control-plane/etcd/')).toHaveLength(5);
    expect(under('lva1-prod-1/control-plane/etcd-events/')).toHaveLength(3);
    expect(parse(result.files.get('lva1-prod-1/control-plane/etcd/etcd-1.yaml')!)['quota-backend-bytes']).toBe(16 * GIB_BYTES);
    expect(result.warnings.map(w => `${w.path} ${w.rule}`)).toContain('lva1-prod-1/control-plane control-plane.etcd.quota.above-8gib');
  });

  test('clusters of ~4,600 nodes are sized at the top tier and split events by default', () => {
    const flags = parseFlagArgs(parse(result.files.get('ltx1-prod-1/control-plane/static-pods/apiserver-1/kube-apiserver.yaml')!).spec.containers[0].command.slice(1));
    expect(flags.get('max-requests-inflight')).toBe('3000');
    expect(flags.get('max-mutating-requests-inflight')).toBe('1000');
    expect(flags.get('etcd-servers-overrides')).toMatch(/^\/events#https:\/\/etcd-events-1\./);
  });
});

describeWithSchemas('the example fleet control-plane static pods are schema-valid', () => {
  test('every static pod validates strictly as a v1 Pod', () => {
    const pods = CLUSTERS.flatMap(c => under(`${c}/control-plane/static-pods/`)).map(f => ({ object: parse(result.files.get(f)!), file: f }));
    expect(validateAll(pods)).toEqual([]);
  });
});

describe('the control plane records its sizing and why', () => {
  test('every example cluster has a sizing record with the chosen numbers and their reasons', () => {
    const files = result.files;
    for (const cluster of ['lva1-prod-1', 'lva1-prod-2', 'ltx1-prod-1']) {
      const record = parse(files.get(`${cluster}/control-plane/sizing.yaml`)!);
      expect(record.kind).toBe('ControlPlaneSizing');
      expect(record.spec.cluster).toBe(cluster);
      expect(record.spec.nodes).toBe(4613);
      expect(record.spec.apiserver.maxRequestsInflight).toBe(3000);
      expect(record.spec.apiserver.maxMutatingRequestsInflight).toBe(1000);
      expect(record.spec.apiserver.inflightWhy).toBe('4613 nodes > 3,000: the large-cluster thresholds');
      expect(record.spec.etcd.eventsSplit).toBe(true);
    }
    const explicit = parse(files.get('lva1-prod-1/control-plane/sizing.yaml')!);
    expect(explicit.spec.etcd.quotaBackendBytes).toBe(16 * GIB_BYTES);
    expect(explicit.spec.apiserver.replicasWhy).toBe('set explicitly on the ControlPlane');
  });
});
