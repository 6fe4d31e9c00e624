/**
 * kube-apiserver: its flags derived from the cluster's settings, the static
 * Pod manifest (the form kubeadm uses), the audit policy, the encryption
 * configuration and the admission configuration.
 */
import { k8s } from 'cdk8s-plus-28';
import { FlagSet, flagArgs, formatKeyValues } from './apiserver-flags';
import { ApiserverPaths, CONTROL_PLANE_TLS_CIPHER_SUITES, Pki } from './pki';
import { ControlPlaneSettings, EtcdClusterSettings, REQUIRED_RUNTIME_CONFIG } from './settings';
import { staticControlPlanePod } from './static-pod';
import { KUBE_APISERVER_PORT } from '../core/network';
import { formatCpu, formatMemory } from '../core/resources';
import { KubeObject } from '../synth/context';

/** The apiserver's secure port. @internal */
export const APISERVER_PORT = KUBE_APISERVER_PORT;
/** etcd's client port. @internal */
export const ETCD_CLIENT_PORT = 2379;

/** The client URLs of an etcd cluster. @internal */
export function etcdClientUrls(c: EtcdClusterSettings): string[] {
  return c.members.map(m => `https://${m.host}:${ETCD_CLIENT_PORT}`);
}

/** Admission plugins enabled on top of the apiserver's defaults. @internal */
export function admissionPlugins(s: ControlPlaneSettings): string[] {
  const u = s.apiserver.unsafe;
  const plugins = ['NamespaceLifecycle', 'ServiceAccount', 'NodeRestriction', 'PodSecurity', 'ResourceQuota', 'LimitRanger'];
  if (!u.withoutAlwaysPullImages) plugins.push('AlwaysPullImages');
  if (!u.withoutEventRateLimit) plugins.push('EventRateLimit');
  if (!u.withoutDenyServiceExternalIPs) plugins.push('DenyServiceExternalIPs');
  return plugins;
}

/** The kube-apiserver flags of a cluster (name → value). @internal */
export function apiserverFlags(s: ControlPlaneSettings): FlagSet {
  const a = s.apiserver;
  const f = new Map<string, string>();
  // authentication and authorization (CIS 1.2.1, 1.2.6–1.2.8, 1.2.22–1.2.23, 1.2.26)
  f.set('anonymous-auth', String(a.unsafe.anonymousAuth));
  f.set('authorization-mode', 'Node,RBAC');
  f.set('client-ca-file', Pki.CA);
  f.set('enable-bootstrap-token-auth', 'true');
  f.set('service-account-issuer', `https://api.${s.domain}`);
  f.set('service-account-key-file', Pki.SA_PUBLIC_KEY);
  f.set('service-account-signing-key-file', Pki.SA_PRIVATE_KEY);
  f.set('service-account-lookup', 'true');
  f.set('requestheader-client-ca-file', Pki.FRONT_PROXY_CA);
  f.set('requestheader-allowed-names', 'front-proxy-client');
  f.set('requestheader-extra-headers-prefix', 'X-Remote-Extra-');
  f.set('requestheader-group-headers', 'X-Remote-Group');
  f.set('requestheader-username-headers', 'X-Remote-User');
  f.set('proxy-client-cert-file', Pki.FRONT_PROXY_CLIENT_CERT);
  f.set('proxy-client-key-file', Pki.FRONT_PROXY_CLIENT_KEY);
  // admission (CIS 1.2.3, 1.2.9–1.2.15)
  f.set('enable-admission-plugins', admissionPlugins(s).join(','));
  f.set('admission-control-config-file', ApiserverPaths.ADMISSION_CONFIG);
  f.set('allow-privileged', 'true');
  // kubelets (CIS 1.2.4, 1.2.5)
  f.set('kubelet-client-certificate', Pki.KUBELET_CLIENT_CERT);
  f.set('kubelet-client-key', Pki.KUBELET_CLIENT_KEY);
  f.set('kubelet-certificate-authority', Pki.CA);
  f.set('kubelet-preferred-address-types', 'InternalIP,Hostname');
  // serving (CIS 1.2.25, 1.2.30)
  f.set('bind-address', '0.0.0.0');
  f.set('secure-port', String(APISERVER_PORT));
  f.set('tls-cert-file', Pki.APISERVER_CERT);
  f.set('tls-private-key-file', Pki.APISERVER_KEY);
  f.set('tls-min-version', 'VersionTLS12');
  f.set('tls-cipher-suites', CONTROL_PLANE_TLS_CIPHER_SUITES.join(','));
  f.set('profiling', String(a.unsafe.profiling));
  // audit (CIS 1.2.17–1.2.20)
  f.set('audit-policy-file', ApiserverPaths.AUDIT_POLICY);
  f.set('audit-log-path', ApiserverPaths.AUDIT_LOG);
  f.set('audit-log-maxage', String(a.audit.maxAgeDays));
  f.set('audit-log-maxbackup', String(a.audit.maxBackups));
  f.set('audit-log-maxsize', String(a.audit.maxSizeMiB));
  // etcd (CIS 1.2.24, 1.2.27–1.2.29)
  f.set('etcd-servers', etcdClientUrls(s.etcd.main).join(','));
  if (s.etcd.events) f.set('etcd-servers-overrides', `/events#${etcdClientUrls(s.etcd.events).join(';')}`);
  f.set('etcd-cafile', Pki.ETCD_CA);
  f.set('etcd-certfile', Pki.ETCD_CLIENT_CERT);
  f.set('etcd-keyfile', Pki.ETCD_CLIENT_KEY);
  f.set('etcd-compaction-interval', '5m0s');
  f.set('encryption-provider-config', ApiserverPaths.ENCRYPTION_CONFIG);
  f.set('encryption-provider-config-automatic-reload', 'true');
  // load and fairness
  f.set('enable-priority-and-fairness', 'true');
  f.set('max-requests-inflight', String(a.inflight.readOnly));
  f.set('max-mutating-requests-inflight', String(a.inflight.mutating));
  if (a.goawayChance > 0) f.set('goaway-chance', String(a.goawayChance));
  f.set('request-timeout', '1m0s');
  f.set('event-ttl', '1h0m0s');
  // features the fleet uses
  f.set('feature-gates', formatKeyValues(a.featureGates));
  f.set('runtime-config', REQUIRED_RUNTIME_CONFIG.map(r => `${r}=true`).join(','));
  f.set('service-cluster-ip-range', a.serviceClusterIpRange);
  return f;
}

interface HostMount {
  readonly name: string;
  readonly path: string;
  readonly readOnly: boolean;
  readonly type: 'Directory' | 'DirectoryOrCreate';
}

const MOUNTS: readonly HostMount[] = [
  { name: 'pki', path: Pki.DIR, readOnly: true, type: 'Directory' },
  { name: 'audit-policy', path: '/etc/kubernetes/audit', readOnly: true, type: 'Directory' },
  { name: 'audit-log', path: '/var/log/kubernetes/audit', readOnly: false, type: 'DirectoryOrCreate' },
  { name: 'encryption', path: '/etc/kubernetes/encryption', readOnly: true, type: 'Directory' },
  { name: 'admission', path: '/etc/kubernetes/admission', readOnly: true, type: 'Directory' },
  { name: 'kms-plugin', path: '/var/run/kms-plugin', readOnly: false, type: 'Directory' },
];

/**
 * Probes connect over TCP: with anonymous auth off (CIS 1.2.1) the kubelet's
 * unauthenticated HTTPS probes of /livez and /readyz would get 401 and fail.
 */
function probe(failureThreshold: number, initialDelaySeconds?: number): k8s.Probe {
  return {
    tcpSocket: { host: '127.0.0.1', port: k8s.IntOrString.fromNumber(APISERVER_PORT) },
    periodSeconds: 10,
    timeoutSeconds: 15,
    failureThreshold,
    initialDelaySeconds,
  };
}

/** The kube-apiserver static Pod for one control-plane host. @internal */
export function renderApiserverPod(s: ControlPlaneSettings, host: string, flags: FlagSet): KubeObject {
  const r = s.apiserver.resources;
  return staticControlPlanePod(s, host, {
    name: 'kube-apiserver',
    image: s.apiserver.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['kube-apiserver', ...flagArgs(flags)],
    resources: {
      requests: { cpu: k8s.Quantity.fromString(formatCpu(r.cpuMillis)), memory: k8s.Quantity.fromString(formatMemory(r.memoryMiB)) },
      limits: { memory: k8s.Quantity.fromString(formatMemory(r.memoryMiB * 2)) },
    },
    startupProbe: probe(24, 10),
    livenessProbe: probe(8, 10),
    readinessProbe: probe(3),
    volumeMounts: MOUNTS.map(m => ({ name: m.name, mountPath: m.path, readOnly: m.readOnly })),
  }, MOUNTS.map(m => ({ name: m.name, hostPath: { path: m.path, type: m.type } })));
}

/**
 * The audit policy: metadata for reads and for anything touching secrets or
 * tokens (never their bodies), request bodies for writes, and nothing for
 * health checks and events (the volume would drown the rest).
 * @internal
 */
export function renderAuditPolicy(): Record<string, unknown> {
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version', '/metrics'] },
      { level: 'None', resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }] },
      { level: 'None', users: ['system:apiserver'], verbs: ['get', 'list', 'watch'] },
      { level: 'None', userGroups: ['system:nodes'], verbs: ['get', 'list', 'watch'] },
      {
        level: 'Metadata',
        resources: [
          { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
          { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
          { group: 'authorization.k8s.io', resources: ['subjectaccessreviews', 'selfsubjectaccessreviews'] },
        ],
      },
      { level: 'Metadata', verbs: ['get', 'list', 'watch'] },
      { level: 'Request', verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'] },
      { level: 'Metadata' },
    ],
  };
}

/**
 * EncryptionConfiguration: Secrets (and any extra resources) written through
 * a KMS v2 plugin; `identity` last so data written before encryption stays
 * readable until it is rewritten. No key material is generated.
 * @internal
 */
export function renderEncryptionConfig(s: ControlPlaneSettings): Record<string, unknown> {
  const e = s.apiserver.encryption;
  return {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [{
      resources: [...e.resources],
      providers: [
        { kms: { apiVersion: 'v2', name: e.kmsName, endpoint: e.kmsEndpoint, timeout: '3s' } },
        { identity: {} },
      ],
    }],
  };
}

/** The admission configuration (EventRateLimit's limits, CIS 1.2.9). @internal */
export function renderAdmissionConfig(s: ControlPlaneSettings): Record<string, unknown> {
  const plugins = s.apiserver.unsafe.withoutEventRateLimit ? [] : [{
    name: 'EventRateLimit',
    path: ApiserverPaths.EVENT_RATE_LIMIT_CONFIG,
  }];
  return { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AdmissionConfiguration', plugins };
}

/** EventRateLimit's configuration: bounded event writes per server, namespace and user. @internal */
export function renderEventRateLimitConfig(): Record<string, unknown> {
  return {
    apiVersion: 'eventratelimit.admission.k8s.io/v1alpha1',
    kind: 'Configuration',
    limits: [
      { type: 'Server', qps: 5000, burst: 20000 },
      { type: 'Namespace', qps: 100, burst: 500, cacheSize: 10000 },
      { type: 'User', qps: 50, burst: 250, cacheSize: 10000 },
    ],
  };
}
