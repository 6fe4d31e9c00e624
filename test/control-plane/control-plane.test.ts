import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { parse } from 'yaml';
import { Cluster, ControlPlane, GIB_BYTES, NodeProfile, Size } from '../../src';
import { KUBE_APISERVER_1_28_FLAGS, parseFlagArgs } from '../../src/control-plane/apiserver-flags';
import { CIS_ITEMS } from '../../src/control-plane/cis';
import { renderApiPriority, renderTenantFlowSchema } from '../../src/control-plane/priority-and-fairness';
import { smallFleet, synthErrors } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

function files(result: { files: ReadonlyMap<string, string> }, prefix: string): string[] {
  return [...result.files.keys()].filter(f => f.startsWith(prefix));
}

function apiserverArgs(result: { files: ReadonlyMap<string, string> }, cluster = 'prod-1', host = 'apiserver-1'): Map<string, string> {
  const pod = parse(result.files.get(`${cluster}/control-plane/static-pods/${host}/kube-apiserver.yaml`)!);
  return parseFlagArgs(pod.spec.containers[0].command.slice(1));
}

describe('a cluster without a ControlPlane gets one derived from its capacity', () => {
  const { fleet } = smallFleet();
  const result = fleet.synthesize();

  test('a complete control-plane directory: static pods per apiserver replica, audit, encryption, admission, etcd members, kubelet configs', () => {
    expect(files(result, 'prod-1/control-plane/')).toEqual([
      'prod-1/control-plane/apiserver/admission-config.yaml',
      'prod-1/control-plane/apiserver/audit-policy.yaml',
      'prod-1/control-plane/apiserver/encryption-config.yaml',
      'prod-1/control-plane/apiserver/event-rate-limit.yaml',
      'prod-1/control-plane/etcd/etcd-1.yaml',
      'prod-1/control-plane/etcd/etcd-2.yaml',
      'prod-1/control-plane/etcd/etcd-3.yaml',
      'prod-1/control-plane/kubelet/general.yaml',
      'prod-1/control-plane/restore/etcd-restore.sh',
      'prod-1/control-plane/scheduler/kube-scheduler-config.yaml',
      'prod-1/control-plane/sizing.yaml',
      'prod-1/control-plane/static-pods/apiserver-1/kube-apiserver.yaml',
      'prod-1/control-plane/static-pods/apiserver-1/kube-controller-manager.yaml',
      'prod-1/control-plane/static-pods/apiserver-1/kube-scheduler.yaml',
      'prod-1/control-plane/static-pods/apiserver-2/kube-apiserver.yaml',
      'prod-1/control-plane/static-pods/apiserver-2/kube-controller-manager.yaml',
      'prod-1/control-plane/static-pods/apiserver-2/kube-scheduler.yaml',
      'prod-1/control-plane/static-pods/apiserver-3/kube-apiserver.yaml',
      'prod-1/control-plane/static-pods/apiserver-3/kube-controller-manager.yaml',
      'prod-1/control-plane/static-pods/apiserver-3/kube-scheduler.yaml',
    ]);
    // the hub has no pools of its own in this fleet, but still a control plane
    expect(files(result, 'hub/control-plane/static-pods/apiserver-1/')).toHaveLength(3);
  });

  test('a 40-node cluster: default in-flight limits, goaway with three replicas, no events split', () => {
    const f = apiserverArgs(result);
    expect(f.get('max-requests-inflight')).toBe('400');
    expect(f.get('max-mutating-requests-inflight')).toBe('200');
    expect(f.get('goaway-chance')).toBe('0.001');
    expect(f.has('etcd-servers-overrides')).toBe(false);
    expect(f.get('etcd-servers')!.split(',')).toHaveLength(3);
    expect(f.get('feature-gates')).toBe('ValidatingAdmissionPolicy=true');
    expect(f.get('runtime-config')).toBe('admissionregistration.k8s.io/v1beta1=true');
  });

  test('every apiserver flag is one kube-apiserver 1.28 accepts', () => {
    for (const flag of apiserverArgs(result).keys()) expect(KUBE_APISERVER_1_28_FLAGS.has(flag) ? flag : `unknown --${flag}`).toBe(flag);
  });

  test('control-plane node files are not in the kustomization (not applied)', () => {
    const k = parse(result.files.get('prod-1/kustomization.yaml')!);
    expect(k.resources.some((r: string) => r.startsWith('control-plane/'))).toBe(false);
  });

  test('the cluster kubelet config keeps the profile config and adds the cluster parts', () => {
    const base = parse(result.files.get('node-profiles/general/kubelet-config.yaml')!);
    const cfg = parse(result.files.get('prod-1/control-plane/kubelet/general.yaml')!);
    expect(cfg.maxPods).toBe(base.maxPods);
    expect(cfg.kubeReserved).toEqual(base.kubeReserved);
    expect(cfg).toMatchObject({
      rotateCertificates: true,
      serverTLSBootstrap: true,
      clusterDNS: ['10.96.0.10'],
      clusterDomain: 'cluster.local',
      shutdownGracePeriod: '1m0s',
      shutdownGracePeriodCriticalPods: '20s',
      evictionSoft: { 'memory.available': '1000Mi' },
      featureGates: { RotateKubeletServerCertificate: true },
    });
  });

  test('kubelet certificates are signed for 7 days by default (kube-controller-manager --cluster-signing-duration)', () => {
    const pod = parse(result.files.get('prod-1/control-plane/static-pods/apiserver-1/kube-controller-manager.yaml')!);
    const f = parseFlagArgs(pod.spec.containers[0].command.slice(1));
    expect(f.get('cluster-signing-duration')).toBe('168h0m0s');
    expect(f.get('use-service-account-credentials')).toBe('true');
    expect(f.get('profiling')).toBe('false');
    expect(f.get('bind-address')).toBe('127.0.0.1');
  });

  test('the output is deterministic', () => {
    const again = smallFleet().fleet.synthesize();
    for (const f of files(result, 'prod-1/control-plane/')) expect(again.files.get(f)).toBe(result.files.get(f));
  });
});

describeWithSchemas('control-plane objects are schema-valid', () => {
  const { fleet } = smallFleet();
  const result = fleet.synthesize();

  test('the kube-apiserver, kube-controller-manager and kube-scheduler static pods validate strictly as v1 Pods', () => {
    const pods = files(result, 'prod-1/control-plane/static-pods/').map(f => ({ object: parse(result.files.get(f)!), file: f }));
    expect(pods).toHaveLength(9);
    expect(validateAll(pods)).toEqual([]);
  });

  test('every applied object (APF, backups) validates strictly against v1.28.0', () => {
    expect(validateAll(result.objects)).toEqual([]);
  });

  test('APF: a bounded level for platform controllers and one level per tenant class', () => {
    const byKind = (k: string) => result.objects.filter(o => o.cluster === 'prod-1' && o.object.kind === k).map(o => o.object as any);
    const levels = byKind('PriorityLevelConfiguration');
    expect(levels.map(l => l.metadata.name).sort()).toEqual(['fleet-platform-controllers', 'fleet-tenant-batch', 'fleet-tenant-stateful', 'fleet-tenant-stateless']);
    expect(levels.every(l => l.apiVersion === 'flowcontrol.apiserver.k8s.io/v1beta3')).toBe(true);
    const platform = levels.find(l => l.metadata.name === 'fleet-platform-controllers');
    expect(platform.spec.limited.borrowingLimitPercent).toBe(0);
    expect(platform.spec.limited.lendablePercent).toBe(0);
    const controllers = byKind('FlowSchema').find(s => s.metadata.name === 'fleet-platform-controllers');
    expect(controllers.spec.distinguisherMethod.type).toBe('ByUser');
    expect(controllers.spec.rules[0].subjects).toEqual([{ kind: 'ServiceAccount', serviceAccount: { namespace: 'fleet-system', name: '*' } }]);
  });

  test('APF: tenant namespaces are matched into their class, flows distinguished by namespace, after platform controllers', () => {
    const objs = [
      ...renderApiPriority({
        systemNamespace: 'fleet-system',
        platformControllers: [{ namespace: 'argocd', name: 'argocd-application-controller' }],
        platformControllerShares: 20,
      }),
      renderTenantFlowSchema('stateless', ['search', 'feed'])!,
      renderTenantFlowSchema('batch', ['jobs'])!,
    ] as any[];
    expect(renderTenantFlowSchema('stateful', [])).toBeUndefined();
    expect(validateAll(objs)).toEqual([]);
    const schemas = objs.filter(o => o.kind === 'FlowSchema');
    expect(schemas.map(s => s.metadata.name)).toEqual(['fleet-platform-controllers', 'fleet-tenant-stateless', 'fleet-tenant-batch']);
    const stateless = schemas[1];
    expect(stateless.spec.distinguisherMethod.type).toBe('ByNamespace');
    expect(stateless.spec.rules[0].subjects.map((x: any) => x.serviceAccount.namespace)).toEqual(['feed', 'search']);
    expect(schemas[0].spec.matchingPrecedence).toBeLessThan(stateless.spec.matchingPrecedence);
    expect(schemas[0].spec.rules[0].subjects[1]).toEqual({ kind: 'ServiceAccount', serviceAccount: { namespace: 'argocd', name: 'argocd-application-controller' } });
  });

  test('without a declared object store there are no backup objects, and the synth warns', () => {
    expect(result.objects.filter(o => o.object.metadata.namespace === 'etcd-backup')).toEqual([]);
    expect(result.warnings.filter(w => w.rule === 'control-plane.backup.none').map(w => w.path).sort()).toEqual(['hub', 'prod-1']);
  });
});

describeWithSchemas('etcd backups shipped to an object store', () => {
  const { fleet, cluster } = smallFleet();
  new ControlPlane(cluster, 'control-plane', {
    backup: {
      objectStore: { endpoint: 'https://s3.example.net:9000', bucket: 'etcd-backups', prefix: 'dr/prod-1', cidrs: ['198.51.100.0/24'], credentialsSecret: 'offsite-creds' },
      retention: Duration.days(10),
    },
  });
  const result = fleet.synthesize();
  const objs = result.objects.filter(o => o.cluster === 'prod-1' && (o.object.metadata.namespace === 'etcd-backup' || o.object.metadata.name === 'etcd-backup')).map(o => o.object as any);
  const crons = objs.filter(o => o.kind === 'CronJob');

  test('every object validates strictly against v1.28.0', () => {
    expect(validateAll(result.objects.filter(o => o.cluster === 'prod-1'))).toEqual([]);
    expect(objs.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'CronJob/etcd-snapshot-etcd-1', 'CronJob/etcd-snapshot-etcd-2', 'CronJob/etcd-snapshot-etcd-3',
      'Namespace/etcd-backup',
      'NetworkPolicy/allow-dns', 'NetworkPolicy/allow-etcd-client', 'NetworkPolicy/allow-object-store', 'NetworkPolicy/default-deny',
      'ResourceQuota/etcd-backup',
    ]);
  });

  test('one CronJob per member: snapshot, verify, upload in order, then prune; no shell, no volume of the cluster', () => {
    for (const [i, cron] of crons.entries()) {
      const member = `etcd-${i + 1}`;
      const pod = cron.spec.jobTemplate.spec.template.spec;
      expect(cron.spec.concurrencyPolicy).toBe('Forbid');
      const [snapshot, verify, upload] = pod.initContainers;
      const [prune] = pod.containers;
      expect(snapshot.image).toBe('registry.k8s.io/etcd:3.5.9-0');
      expect(snapshot.command).toEqual(['/usr/local/bin/etcdctl', `--endpoints=https://${member}.prod-1.lva1.k8s.internal:2379`,
        '--cacert=/tls/ca.crt', '--cert=/tls/tls.crt', '--key=/tls/tls.key', '--dial-timeout=10s', 'snapshot', 'save', '/snapshots/etcd.db']);
      expect(verify.command).toEqual(['/usr/local/bin/etcdctl', 'snapshot', 'status', '/snapshots/etcd.db', '--write-out=table']);
      expect(upload.image).toBe('rclone/rclone:1.68.2');
      expect(upload.command.slice(0, 4)).toEqual(['rclone', 'copyto', '/snapshots/etcd.db', `offsite:etcd-backups/dr/prod-1/${member}/$(JOB_NAME).db`]);
      expect(upload.command).toContain('--immutable');
      expect(upload.env.find((e: any) => e.name === 'JOB_NAME').valueFrom.fieldRef.fieldPath).toBe("metadata.labels['batch.kubernetes.io/job-name']");
      expect(prune.command).toEqual(['rclone', 'delete', `offsite:etcd-backups/dr/prod-1/${member}`, '--min-age=10d', '--include=*.db', '--retries=3', '-v']);
      for (const c of [...pod.initContainers, ...pod.containers]) {
        expect(c.command.join(' ')).not.toMatch(/\b(sh|bash)\b/);
        expect(c.args).toBeUndefined();
        expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      }
      // credentials only referenced
      const creds = upload.env.filter((e: any) => e.name.startsWith('AWS_'));
      expect(creds).toEqual([
        { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'offsite-creds', key: 'AWS_ACCESS_KEY_ID' } } },
        { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'offsite-creds', key: 'AWS_SECRET_ACCESS_KEY' } } },
      ]);
      expect(upload.env.find((e: any) => e.name === 'RCLONE_CONFIG_OFFSITE_ENDPOINT').value).toBe('https://s3.example.net:9000');
      expect(pod.volumes.map((v: any) => Object.keys(v).filter(k => k !== 'name')[0])).toEqual(['secret', 'emptyDir', 'emptyDir']);
      expect(pod.volumes[1].emptyDir.sizeLimit).toBe('9Gi');
      expect(pod.automountServiceAccountToken).toBe(false);
      // a full cluster preempts app and batch pods for a backup, as for the CSR approver
      expect(pod.priorityClassName).toBe('system-cluster-critical');
    }
    expect(objs.some(o => o.kind === 'PersistentVolumeClaim')).toBe(false);
  });

  test('the namespace is the platform\'s: restricted, default-deny, egress only to DNS, etcd and the object store', () => {
    const ns = objs.find(o => o.kind === 'Namespace');
    expect(ns.metadata.labels).toMatchObject({ 'fleet.cdk8s.io/platform-namespace': 'true', 'app.kubernetes.io/managed-by': 'cdk8s-fleet', 'pod-security.kubernetes.io/enforce': 'restricted' });
    const np = (n: string) => objs.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === n).spec;
    expect(np('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(np('allow-etcd-client')).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'etcd-snapshot' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 2379, protocol: 'TCP' }] }] });
    expect(np('allow-object-store')).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'etcd-snapshot' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 9000, protocol: 'TCP' }] }],
    });
    expect(objs.filter(o => o.kind === 'NetworkPolicy').every(o => !o.spec.ingress)).toBe(true);
    const quota = objs.find(o => o.kind === 'ResourceQuota').spec.hard;
    expect(quota).toMatchObject({ 'pods': 6, 'persistentvolumeclaims': 0, 'services': 0, 'requests.ephemeral-storage': '54Gi' });
  });

  test('the restore script restores each member with its config\'s name, URLs, member list and token', () => {
    const script = result.files.get('prod-1/control-plane/restore/etcd-restore.sh')!;
    const config = parse(result.files.get('prod-1/control-plane/etcd/etcd-2.yaml')!);
    const line = script.split('\n').find(l => l.trim().startsWith('etcd-2)'))!;
    expect(line).toContain(`--initial-cluster=${config['initial-cluster']}`);
    expect(line).toContain(`--initial-cluster-token=${config['initial-cluster-token']}`);
    expect(line).toContain(`--initial-advertise-peer-urls=${config['initial-advertise-peer-urls']}`);
    expect(line).toContain(`--data-dir=${config['data-dir']}.restored`);
    expect(script).toContain('offsite:etcd-backups/dr/prod-1/');
  });

  test('bad backup props: every violation at once, with rule and fix', () => {
    const bad = smallFleet();
    new ControlPlane(bad.cluster, 'control-plane', {
      backup: {
        objectStore: { endpoint: 'http://s3.example.net/path', bucket: 'Bad_Bucket', prefix: '/x/../y', region: 'EU West', provider: 'x y', credentialsSecret: 'Not A Name', cidrs: ['10.0.0.0/33'] },
        retentionDays: 0,
        uploaderImage: 'rclone/rclone',
        scratchGiB: 0,
      },
    });
    const error: any = synthErrors(bad.fleet);
    const rules = error.violations.map((v: any) => v.rule).sort();
    expect(rules).toEqual(expect.arrayContaining([
      'control-plane.backup.image', 'control-plane.backup.object-store.bucket', 'control-plane.backup.object-store.cidrs',
      'control-plane.backup.object-store.credentials', 'control-plane.backup.object-store.endpoint', 'control-plane.backup.object-store.prefix',
      'control-plane.backup.object-store.provider', 'control-plane.backup.object-store.region', 'control-plane.backup.retention', 'control-plane.backup.scratch',
    ]));
    expect(error.violations.filter((v: any) => v.rule.startsWith('control-plane.backup.') && v.rule !== 'control-plane.backup.none').every((v: any) => String(v.path).endsWith('control-plane') && v.fix)).toBe(true);
  });

  test('kubelet certificate rotation: 7-day signing, rotation and serving bootstrap on, a serving-CSR approver with least-privilege RBAC', () => {
    const cm = parse(result.files.get(files(result, 'prod-1/control-plane/static-pods/').find(f => f.endsWith('kube-controller-manager.yaml'))!)!);
    expect(cm.spec.containers[0].command).toContain('--cluster-signing-duration=168h0m0s');
    const kubelet = parse(result.files.get(files(result, 'prod-1/control-plane/kubelet/')[0])!);
    expect([kubelet.rotateCertificates, kubelet.serverTLSBootstrap]).toEqual([true, true]);
    const approver = result.objects.filter(o => o.cluster === 'prod-1' && o.object.metadata.name === 'kubelet-serving-csr-approver').map(o => o.object as any);
    expect(approver.map(o => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Deployment', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'ServiceAccount']);
    const byKind = (k: string) => approver.find(o => o.kind === k);
    // drains take the two replicas down one at a time
    expect(byKind('PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1, selector: byKind('Deployment').spec.selector, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    // restricted Pod Security: nothing of the host, no volumes
    const spec = byKind('Deployment').spec.template.spec;
    for (const k of ['hostNetwork', 'hostPID', 'hostIPC', 'volumes']) expect(spec[k]).toBeUndefined();
    expect(spec.containers[0].ports.every((p: any) => p.hostPort === undefined)).toBe(true);
    expect(byKind('ClusterRole').rules).toEqual([
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/kubelet-serving'], verbs: ['approve'] },
    ]);
    expect(byKind('Role').metadata.namespace).toBe('fleet-system');
    expect(byKind('Role').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
    ]);
    // least privilege: no wildcard anywhere, nothing beyond the one signer
    for (const rule of [...byKind('ClusterRole').rules, ...byKind('Role').rules]) {
      for (const k of ['apiGroups', 'resources', 'verbs', 'resourceNames']) expect(rule[k] ?? []).not.toContain('*');
    }
    expect(byKind('ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'kubelet-serving-csr-approver', namespace: 'fleet-system' }]);
    const pod = byKind('Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toMatch(/^ghcr\.io\/postfinance\/kubelet-csr-approver:v\d+\.\d+\.\d+$/);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    // the approver serves /healthz only (no readiness check registered): both probes ask it
    expect([c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path]).toEqual(['/healthz', '/healthz']);
    expect(c.env.find((e: any) => e.name === 'LEADER_ELECTION').value).toBe('true');
    // the approver refuses a request for a longer lifetime than the cluster signs
    expect(c.env.find((e: any) => e.name === 'MAX_EXPIRATION_SEC').value).toBe(String(168 * 3600));
  });

  test('kubelet certificates above 367 days: the approver is told its own maximum, above which it would not start', () => {
    const long = smallFleet();
    new ControlPlane(long.cluster, 'control-plane', { kubelet: { certificateLifetimeHours: 400 * 24 } });
    const out = long.fleet.synthesize();
    const d = out.objects.find(o => o.cluster === 'prod-1' && o.object.kind === 'Deployment' && o.object.metadata.name === 'kubelet-serving-csr-approver')!.object as any;
    expect(d.spec.template.spec.containers[0].env.find((e: any) => e.name === 'MAX_EXPIRATION_SEC').value).toBe(String(367 * 24 * 3600));
    expect(out.warnings.map(w => w.rule)).toContain('control-plane.kubelet.certificate-lifetime.long');
  });
});

describe('explicit settings', () => {
  test('a split events etcd with a 16 GiB quota, acknowledged: overrides flag, events members, warning surfaced', () => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', { etcd: { splitEvents: true, quotaBackendBytes: 16 * GIB_BYTES, acknowledgeQuotaAbove8GiB: true } });
    const result = fleet.synthesize();
    const f = apiserverArgs(result);
    expect(f.get('etcd-servers-overrides')).toBe('/events#' + [1, 2, 3].map(i => `https://etcd-events-${i}.prod-1.lva1.k8s.internal:2379`).join(';'));
    const member = parse(result.files.get('prod-1/control-plane/etcd/etcd-1.yaml')!);
    expect(member['quota-backend-bytes']).toBe(16 * GIB_BYTES);
    expect(member['initial-cluster']).toBe([1, 2, 3].map(i => `etcd-${i}=https://etcd-${i}.prod-1.lva1.k8s.internal:2380`).join(','));
    const events = parse(result.files.get('prod-1/control-plane/etcd-events/etcd-events-2.yaml')!);
    expect(events['quota-backend-bytes']).toBe(8 * GIB_BYTES);
    expect(events['data-dir']).toBe('/var/lib/etcd/events');
    expect(result.warnings.map(w => w.rule)).toContain('control-plane.etcd.quota.above-8gib');
  });

  test('a quota above 8 GiB without acknowledgement, an even member count and a single-apiserver goaway are errors', () => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', {
      etcd: { members: 4, quotaBackendBytes: 16 * GIB_BYTES },
      apiserver: { replicas: 1, goawayChance: 0.01 },
    });
    const err = synthErrors(fleet);
    const rules = err.errors.map(e => `${e.path} ${e.rule}`);
    expect(rules).toEqual(expect.arrayContaining([
      'prod-1/control-plane control-plane.etcd.quota.above-8gib',
      'prod-1/control-plane control-plane.etcd.members',
      'prod-1/control-plane control-plane.apiserver.goaway-chance',
    ]));
  });

  test('explicit raft timing below 10 x RTT is rejected with the derived values as the fix', () => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', { etcd: { roundTripMillis: 200, electionMillis: 1000 } });
    const e = synthErrors(fleet).errors.find(x => x.rule === 'control-plane.etcd.timing')!;
    expect(e.message).toMatch(/below 10 × the 200 ms round trip/);
    expect(e.fix).toMatch(/200\/2000 ms/);
  });

  test('two ControlPlanes on one cluster are an error', () => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'a');
    new ControlPlane(cluster, 'b');
    expect(synthErrors(fleet).errors.map(e => e.rule)).toContain('control-plane.unique');
  });

  test('a profile that turns serverTLSBootstrap off cannot join a cluster whose apiserver verifies kubelets', () => {
    const { fleet, cluster } = smallFleet();
    const p = new NodeProfile(fleet, 'legacy', { machine: { cpuCores: 16, memory: Size.gibibytes(64) }, nodeConfig: { serverTLSBootstrap: false } });
    cluster.addPool('legacy', { nodeProfile: p, capacity: 20 });
    expect(synthErrors(fleet).errors.map(e => `${e.path} ${e.rule}`)).toContain('legacy control-plane.kubelet.server-tls-bootstrap');
  });
});

describe('scalability thresholds at synth time', () => {
  function bigFleet(capacity: number, ack?: number) {
    const { fleet, general } = smallFleet();
    const big = new Cluster(fleet, 'big-1', { region: 'lva1' });
    big.addPool('general', { nodeProfile: general, capacity });
    if (ack !== undefined) new ControlPlane(big, 'control-plane', { acknowledgeNodesAbove5000: ack });
    return fleet;
  }

  test('more than 5,000 nodes fails with the threshold named', () => {
    const e = synthErrors(bigFleet(5200)).errors.find(x => x.rule === 'control-plane.threshold.nodes')!;
    expect(e.path).toBe('big-1');
    expect(e.message).toMatch(/5200 nodes, above the 5000-node SIG Scalability threshold/);
  });

  test('acknowledged, it is a warning; and a 5,200-node cluster is sized at the top tier with events split', () => {
    const result = bigFleet(5200, 6000).synthesize();
    expect(result.warnings.map(w => `${w.path} ${w.rule}`)).toContain('big-1 control-plane.threshold.nodes.acknowledged');
    const f = apiserverArgs(result, 'big-1');
    expect(f.get('max-requests-inflight')).toBe('3000');
    expect(f.get('max-mutating-requests-inflight')).toBe('1000');
    expect(f.has('etcd-servers-overrides')).toBe(true);
    expect(files(result, 'big-1/control-plane/static-pods/apiserver-5/')).toHaveLength(3);
    const scheduler = parse(result.files.get('big-1/control-plane/scheduler/kube-scheduler-config.yaml')!);
    expect(scheduler.percentageOfNodesToScore).toBe(10);
    expect(scheduler.clientConnection).toMatchObject({ qps: 200, burst: 400 });
    expect(files(result, 'big-1/control-plane/etcd/etcd-5.yaml')).toHaveLength(1);
  });

  test('pods counted over the rendered objects: above 150,000 is an error, from 90% a warning', () => {
    const deployment = (replicas: number) => {
      const { fleet, cluster } = smallFleet();
      new k8s.KubeDeployment(cluster, 'web', {
        metadata: { name: 'web', namespace: 'web' },
        spec: {
          replicas,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.internal/web:1.0.0' }] } },
        },
      });
      return fleet;
    };
    // 40 nodes x (1 log shipper + kube-proxy) = 80 DaemonSet pods and 2 serving-CSR approver pods on top of the replicas
    const e = synthErrors(deployment(150_000)).errors.find(x => x.rule === 'control-plane.threshold.pods')!;
    expect(e.path).toBe('prod-1');
    expect(e.message).toMatch(/150082 pods/);
    expect(deployment(140_000).synthesize().warnings.map(w => w.rule)).toContain('control-plane.threshold.pods.near');
  });

  test('a profile allowing more pods than min(110, 10 x cores) is a warning', () => {
    const { fleet, cluster } = smallFleet();
    const p = new NodeProfile(fleet, 'dense', { machine: { cpuCores: 8, memory: Size.gibibytes(64) }, nodeConfig: { maxPods: 100 } });
    cluster.addPool('dense', { nodeProfile: p, capacity: 20 });
    const result = fleet.synthesize();
    expect(result.warnings.map(w => `${w.path} ${w.rule}`)).toContain('dense control-plane.threshold.pods-per-node');
  });
});

describe('CIS Kubernetes Benchmark v1.8, sections 1.2, 1.3, 1.4 and 2', () => {
  const result = smallFleet().fleet.synthesize();
  const subject = {
    apiserverFlags: apiserverArgs(result),
    controllerManagerFlags: parseFlagArgs(parse(result.files.get('prod-1/control-plane/static-pods/apiserver-1/kube-controller-manager.yaml')!).spec.containers[0].command.slice(1)),
    schedulerFlags: parseFlagArgs(parse(result.files.get('prod-1/control-plane/static-pods/apiserver-1/kube-scheduler.yaml')!).spec.containers[0].command.slice(1)),
    schedulerConfig: parse(result.files.get('prod-1/control-plane/scheduler/kube-scheduler-config.yaml')!),
    encryptionConfig: parse(result.files.get('prod-1/control-plane/apiserver/encryption-config.yaml')!),
    etcdConfigs: files(result, 'prod-1/control-plane/etcd/').map(f => parse(result.files.get(f)!)),
  };

  test('the table covers every decidable item of 1.2 (1.2.1–1.2.30), 1.3 (1.3.1–1.3.7), 1.4 (1.4.1–1.4.2) and 2 (2.1–2.7)', () => {
    expect(CIS_ITEMS.map(i => i.id)).toEqual([
      ...Array.from({ length: 30 }, (_, i) => `1.2.${i + 1}`),
      ...Array.from({ length: 7 }, (_, i) => `1.3.${i + 1}`),
      '1.4.1', '1.4.2',
      ...Array.from({ length: 7 }, (_, i) => `2.${i + 1}`),
    ]);
  });

  test.each(CIS_ITEMS.map(i => [i.id, i.title, i] as const))('CIS %s passes: %s', (_id, _title, item) => {
    expect(item.check(subject)).toBe(true);
  });

  test('unsafe choices are explicit, change the flags, fail their CIS item, and are reported as warnings', () => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', { apiserver: { unsafe: { profiling: true, withoutAlwaysPullImages: true } } });
    const r = fleet.synthesize();
    const f = apiserverArgs(r);
    expect(f.get('profiling')).toBe('true');
    expect(f.get('enable-admission-plugins')).not.toContain('AlwaysPullImages');
    const failed = CIS_ITEMS.filter(i => !i.check({ ...subject, apiserverFlags: f })).map(i => i.id);
    expect(failed).toEqual(['1.2.11', '1.2.16']);
    expect(r.warnings.filter(w => w.rule.startsWith('control-plane.unsafe.')).map(w => w.rule)).toEqual([
      'control-plane.unsafe.profiling', 'control-plane.unsafe.withoutAlwaysPullImages',
    ]);
  });

  test('etcd uses its own CA, distinct from the cluster CA (2.7), and both sides require client certificates', () => {
    for (const c of subject.etcdConfigs) {
      expect(c['client-transport-security']['trusted-ca-file']).not.toBe(subject.apiserverFlags.get('client-ca-file'));
      expect(c['peer-transport-security']['client-cert-auth']).toBe(true);
    }
  });
});

describe('the platform\'s own pods need a pool that does not taint them away', () => {
  const gpuTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' as const };

  test('a cluster whose every pool with nodes is NoSchedule/NoExecute-tainted fails, naming each pool and taint', () => {
    const { fleet, cluster } = smallFleet();
    cluster.node.tryRemoveChild('general');
    const gpu = new NodeProfile(fleet, 'gpu', { machine: { cpuCores: 32, memory: Size.gibibytes(128) }, taints: [gpuTaint] });
    cluster.addPool('gpu-a', { nodeProfile: gpu, capacity: 20 });
    cluster.addPool('drained', { nodeProfile: gpu, capacity: 20, taints: [{ key: 'dedicated', value: 'ml', effect: 'NoExecute' }, { key: 'soft', effect: 'PreferNoSchedule' }] });
    cluster.addPool('empty', { nodeProfile: gpu, capacity: 0 });
    const err = synthErrors(fleet);
    const v = err.violations.filter(x => x.rule === 'control-plane.platform-pods.unschedulable');
    expect(v).toHaveLength(1);
    expect(v[0].path).toBe('prod-1');
    expect(v[0].message).toContain('gpu-a (nvidia.com/gpu=true:NoSchedule)');
    expect(v[0].message).toContain('drained (nvidia.com/gpu=true:NoSchedule, dedicated=ml:NoExecute)');
    expect(v[0].message).not.toContain('empty');
    expect(v[0].fix).toContain('add a pool without NoSchedule or NoExecute taints');
  });

  test('one pool without such a taint (PreferNoSchedule only discourages) is enough; a cluster without nodes has nothing to check', () => {
    const { fleet, cluster } = smallFleet();
    const gpu = new NodeProfile(fleet, 'gpu', { machine: { cpuCores: 32, memory: Size.gibibytes(128) }, taints: [gpuTaint] });
    cluster.addPool('gpu-a', { nodeProfile: gpu, capacity: 20 });
    const soft = smallFleet();
    soft.cluster.node.tryRemoveChild('general');
    soft.cluster.addPool('soft', { nodeProfile: soft.general, capacity: 40, taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] });
    const none = smallFleet();
    none.cluster.node.tryRemoveChild('general');
    for (const f of [fleet, soft.fleet, none.fleet]) {
      expect(() => f.synthesize()).not.toThrow();
    }
  });
});
