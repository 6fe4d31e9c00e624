/**
 * CIS Kubernetes Benchmark v1.8 (for Kubernetes 1.28): the items of section
 * 1.2 (API server), 1.3 (controller manager), 1.4 (scheduler) and section 2 (etcd) that can be decided from the generated
 * configuration, each as a check. Items that need the running system (file
 * ownership, manual reviews of certificate contents) are not here.
 */
import { FlagSet } from './apiserver-flags';

/** What a CIS check reads. @internal */
export interface CisSubject {
  /** kube-apiserver flags. */
  readonly apiserverFlags: FlagSet;
  /** kube-controller-manager flags. */
  readonly controllerManagerFlags: FlagSet;
  /** kube-scheduler flags. */
  readonly schedulerFlags: FlagSet;
  /** The KubeSchedulerConfiguration document. */
  readonly schedulerConfig: Record<string, unknown>;
  /** The EncryptionConfiguration document. */
  readonly encryptionConfig: Record<string, unknown>;
  /** The config files of every etcd member (main and events). */
  readonly etcdConfigs: readonly Record<string, unknown>[];
}

/** One benchmark item. @internal */
export interface CisItem {
  /** Item id, e.g. `1.2.1`. */
  readonly id: string;
  /** The recommendation's title. */
  readonly title: string;
  /** True when the configuration passes. */
  readonly check: (s: CisSubject) => boolean;
}

const set = (f: FlagSet, k: string) => (f.get(k) ?? '') !== '';
const list = (f: FlagSet, k: string) => (f.get(k) ?? '').split(',').filter(x => x !== '');
const num = (f: FlagSet, k: string) => Number(f.get(k) ?? NaN);
const plugins = (f: FlagSet) => list(f, 'enable-admission-plugins');
const disabled = (f: FlagSet) => list(f, 'disable-admission-plugins');
const etcd = (s: CisSubject, pred: (c: Record<string, unknown>) => boolean) => s.etcdConfigs.length > 0 && s.etcdConfigs.every(pred);
const tls = (c: Record<string, unknown>, side: 'client' | 'peer') => (c[`${side}-transport-security`] ?? {}) as Record<string, unknown>;

/** Ciphers the benchmark accepts as strong (1.2.30). */
const STRONG_CIPHERS = new Set([
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
]);

/** The decidable items of sections 1.2, 1.3, 1.4 and 2. @internal */
export const CIS_ITEMS: readonly CisItem[] = [
  { id: '1.2.1', title: 'Ensure that the --anonymous-auth argument is set to false', check: s => s.apiserverFlags.get('anonymous-auth') === 'false' },
  { id: '1.2.2', title: 'Ensure that the --token-auth-file parameter is not set', check: s => !s.apiserverFlags.has('token-auth-file') },
  { id: '1.2.3', title: 'Ensure that the DenyServiceExternalIPs admission controller is set', check: s => plugins(s.apiserverFlags).includes('DenyServiceExternalIPs') },
  { id: '1.2.4', title: 'Ensure that the --kubelet-client-certificate and --kubelet-client-key arguments are set', check: s => set(s.apiserverFlags, 'kubelet-client-certificate') && set(s.apiserverFlags, 'kubelet-client-key') },
  { id: '1.2.5', title: 'Ensure that the --kubelet-certificate-authority argument is set', check: s => set(s.apiserverFlags, 'kubelet-certificate-authority') },
  { id: '1.2.6', title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow', check: s => set(s.apiserverFlags, 'authorization-mode') && !list(s.apiserverFlags, 'authorization-mode').includes('AlwaysAllow') },
  { id: '1.2.7', title: 'Ensure that the --authorization-mode argument includes Node', check: s => list(s.apiserverFlags, 'authorization-mode').includes('Node') },
  { id: '1.2.8', title: 'Ensure that the --authorization-mode argument includes RBAC', check: s => list(s.apiserverFlags, 'authorization-mode').includes('RBAC') },
  { id: '1.2.9', title: 'Ensure that the admission control plugin EventRateLimit is set', check: s => plugins(s.apiserverFlags).includes('EventRateLimit') && set(s.apiserverFlags, 'admission-control-config-file') },
  { id: '1.2.10', title: 'Ensure that the admission control plugin AlwaysAdmit is not set', check: s => !plugins(s.apiserverFlags).includes('AlwaysAdmit') },
  { id: '1.2.11', title: 'Ensure that the admission control plugin AlwaysPullImages is set', check: s => plugins(s.apiserverFlags).includes('AlwaysPullImages') },
  { id: '1.2.12', title: 'Ensure that the admission control plugin SecurityContextDeny is set if PodSecurityPolicy is not used (PodSecurity admission is used instead)', check: s => plugins(s.apiserverFlags).includes('PodSecurity') || plugins(s.apiserverFlags).includes('SecurityContextDeny') },
  { id: '1.2.13', title: 'Ensure that the admission control plugin ServiceAccount is set', check: s => !disabled(s.apiserverFlags).includes('ServiceAccount') },
  { id: '1.2.14', title: 'Ensure that the admission control plugin NamespaceLifecycle is set', check: s => !disabled(s.apiserverFlags).includes('NamespaceLifecycle') },
  { id: '1.2.15', title: 'Ensure that the admission control plugin NodeRestriction is set', check: s => plugins(s.apiserverFlags).includes('NodeRestriction') },
  { id: '1.2.16', title: 'Ensure that the --profiling argument is set to false', check: s => s.apiserverFlags.get('profiling') === 'false' },
  { id: '1.2.17', title: 'Ensure that the --audit-log-path argument is set', check: s => set(s.apiserverFlags, 'audit-log-path') },
  { id: '1.2.18', title: 'Ensure that the --audit-log-maxage argument is set to 30 or as appropriate', check: s => num(s.apiserverFlags, 'audit-log-maxage') >= 30 },
  { id: '1.2.19', title: 'Ensure that the --audit-log-maxbackup argument is set to 10 or as appropriate', check: s => num(s.apiserverFlags, 'audit-log-maxbackup') >= 10 },
  { id: '1.2.20', title: 'Ensure that the --audit-log-maxsize argument is set to 100 or as appropriate', check: s => num(s.apiserverFlags, 'audit-log-maxsize') >= 100 },
  { id: '1.2.21', title: 'Ensure that the --request-timeout argument is set as appropriate', check: s => !s.apiserverFlags.has('request-timeout') || /^[0-9]+m[0-9]+s$|^[0-9]+s$/.test(s.apiserverFlags.get('request-timeout')!) },
  { id: '1.2.22', title: 'Ensure that the --service-account-lookup argument is set to true', check: s => (s.apiserverFlags.get('service-account-lookup') ?? 'true') === 'true' },
  { id: '1.2.23', title: 'Ensure that the --service-account-key-file argument is set as appropriate', check: s => set(s.apiserverFlags, 'service-account-key-file') },
  { id: '1.2.24', title: 'Ensure that the --etcd-certfile and --etcd-keyfile arguments are set as appropriate', check: s => set(s.apiserverFlags, 'etcd-certfile') && set(s.apiserverFlags, 'etcd-keyfile') },
  { id: '1.2.25', title: 'Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate', check: s => set(s.apiserverFlags, 'tls-cert-file') && set(s.apiserverFlags, 'tls-private-key-file') },
  { id: '1.2.26', title: 'Ensure that the --client-ca-file argument is set as appropriate', check: s => set(s.apiserverFlags, 'client-ca-file') },
  { id: '1.2.27', title: 'Ensure that the --etcd-cafile argument is set as appropriate', check: s => set(s.apiserverFlags, 'etcd-cafile') },
  { id: '1.2.28', title: 'Ensure that the --encryption-provider-config argument is set as appropriate', check: s => set(s.apiserverFlags, 'encryption-provider-config') },
  {
    id: '1.2.29',
    title: 'Ensure that encryption providers are appropriately configured',
    check: s => {
      const resources = (s.encryptionConfig.resources ?? []) as Array<{ resources: string[]; providers: Array<Record<string, unknown>> }>;
      const forSecrets = resources.find(r => r.resources.includes('secrets'));
      const first = forSecrets?.providers[0] ?? {};
      return ['kms', 'aescbc', 'aesgcm', 'secretbox'].some(p => p in first);
    },
  },
  {
    id: '1.2.30',
    title: 'Ensure that the API Server only makes use of Strong Cryptographic Ciphers',
    check: s => list(s.apiserverFlags, 'tls-cipher-suites').length > 0 && list(s.apiserverFlags, 'tls-cipher-suites').every(c => STRONG_CIPHERS.has(c)),
  },
  { id: '1.3.1', title: 'Ensure that the --terminated-pod-gc-threshold argument is set as appropriate', check: s => num(s.controllerManagerFlags, 'terminated-pod-gc-threshold') > 0 },
  { id: '1.3.2', title: 'Ensure that the --profiling argument is set to false (controller manager)', check: s => s.controllerManagerFlags.get('profiling') === 'false' },
  { id: '1.3.3', title: 'Ensure that the --use-service-account-credentials argument is set to true', check: s => s.controllerManagerFlags.get('use-service-account-credentials') === 'true' },
  { id: '1.3.4', title: 'Ensure that the --service-account-private-key-file argument is set as appropriate', check: s => set(s.controllerManagerFlags, 'service-account-private-key-file') },
  { id: '1.3.5', title: 'Ensure that the --root-ca-file argument is set as appropriate', check: s => set(s.controllerManagerFlags, 'root-ca-file') },
  {
    id: '1.3.6',
    title: 'Ensure that the RotateKubeletServerCertificate argument is set to true',
    check: s => list(s.controllerManagerFlags, 'feature-gates').includes('RotateKubeletServerCertificate=true'),
  },
  { id: '1.3.7', title: 'Ensure that the --bind-address argument is set to 127.0.0.1 (controller manager)', check: s => s.controllerManagerFlags.get('bind-address') === '127.0.0.1' },
  {
    id: '1.4.1',
    title: 'Ensure that the --profiling argument is set to false (scheduler)',
    check: s => s.schedulerFlags.get('profiling') === 'false' && s.schedulerConfig.enableProfiling === false,
  },
  {
    id: '1.4.2',
    title: 'Ensure that the --bind-address argument is set to 127.0.0.1 (scheduler)',
    check: s => s.schedulerFlags.get('bind-address') === '127.0.0.1',
  },
  { id: '2.1', title: 'Ensure that the --cert-file and --key-file arguments are set as appropriate', check: s => etcd(s, c => !!tls(c, 'client')['cert-file'] && !!tls(c, 'client')['key-file']) },
  { id: '2.2', title: 'Ensure that the --client-cert-auth argument is set to true', check: s => etcd(s, c => tls(c, 'client')['client-cert-auth'] === true) },
  { id: '2.3', title: 'Ensure that the --auto-tls argument is not set to true', check: s => etcd(s, c => tls(c, 'client')['auto-tls'] !== true) },
  { id: '2.4', title: 'Ensure that the --peer-cert-file and --peer-key-file arguments are set as appropriate', check: s => etcd(s, c => !!tls(c, 'peer')['cert-file'] && !!tls(c, 'peer')['key-file']) },
  { id: '2.5', title: 'Ensure that the --peer-client-cert-auth argument is set to true', check: s => etcd(s, c => tls(c, 'peer')['client-cert-auth'] === true) },
  { id: '2.6', title: 'Ensure that the --peer-auto-tls argument is not set to true', check: s => etcd(s, c => tls(c, 'peer')['auto-tls'] !== true) },
  {
    id: '2.7',
    title: 'Ensure that a unique Certificate Authority is used for etcd',
    check: s => etcd(s, c => !!tls(c, 'client')['trusted-ca-file'] && tls(c, 'client')['trusted-ca-file'] !== s.apiserverFlags.get('client-ca-file')),
  },
];

/** The items a configuration fails. @internal */
export function failedCisItems(subject: CisSubject): CisItem[] {
  return CIS_ITEMS.filter(i => !i.check(subject));
}
