/**
 * kube-proxy of a cluster: its props, their resolution into a
 * {@link KubeProxySpec}, and the rendering of its `KubeProxyConfiguration` (kubeproxy.config.k8s.io/v1alpha1),
 * ConfigMap, ServiceAccount, RBAC and DaemonSet in kube-system.
 *
 * kube-proxy programs the node's packet filter (IPVS, nftables or iptables):
 * it runs with the host's network namespace and the NET_ADMIN capability.
 * That exemption from the restricted Pod Security profile is stated here
 * ({@link KUBE_PROXY_POD_SECURITY_EXEMPTION}) and recorded on the DaemonSet.
 */
import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { describeValue, isRecord, wholeNumberProblem } from '../core/checks';
import { Violations } from '../core/errors';
import { LABEL_PREFIX } from '../core/names';
import { ResourceAmounts, amountsIfValid, cpuProblem, cpuToMillis, formatCpu, formatMemory, memoryProblem, memoryToMiB } from '../core/resources';
import { parseKubeVersion } from '../core/versions';
import { DEFAULT_CONNTRACK_MAX_PER_CORE, DEFAULT_CONNTRACK_MIN, KubeProxyMode } from '../machines/sysctls';
import { KubeObject } from '../synth/context';
import { toYaml } from '../synth/emit';

/** IPVS schedulers kube-proxy accepts. */
export type IpvsScheduler = 'rr' | 'wrr' | 'lc' | 'wlc' | 'lblc' | 'lblcr' | 'sh' | 'dh' | 'sed' | 'nq';

/** Connection tracking settings of kube-proxy. */
export interface KubeProxyConntrack {
  /** Conntrack entries per CPU core (kube-proxy sets nf_conntrack_max to max(min, maxPerCore × cores)): 1–1,048,576. @default 32768 */
  readonly maxPerCore?: number;
  /** Conntrack entries at least, whatever the core count: 1–67,108,864. @default 131072 */
  readonly min?: number;
  /** How long an idle established TCP connection stays tracked, in seconds (1–604,800). @default 86400 (24h) */
  readonly tcpEstablishedTimeoutSeconds?: number;
  /** How long a TCP connection in CLOSE_WAIT stays tracked, in seconds (1–86,400). @default 3600 (1h) */
  readonly tcpCloseWaitTimeoutSeconds?: number;
}

/** IPVS settings of kube-proxy (used in `ipvs` mode only). */
export interface KubeProxyIpvs {
  /** IPVS scheduler. @default 'rr' (round robin: no state per backend, even spread) */
  readonly scheduler?: IpvsScheduler;
  /** Idle timeout of IPVS TCP sessions, in seconds (1–86,400). @default 900 (the kernel's own 15 minutes, stated) */
  readonly tcpTimeoutSeconds?: number;
  /** Timeout of IPVS TCP sessions after a FIN, in seconds (1–3,600). @default 30 (a closed connection's slot is freed soon) */
  readonly tcpFinTimeoutSeconds?: number;
  /** Timeout of IPVS UDP sessions, in seconds (1–3,600). @default 300 */
  readonly udpTimeoutSeconds?: number;
}

/** Props of a cluster's kube-proxy (`ClusterProps.kubeProxy`). */
export interface KubeProxyProps {
  /** Proxy mode. @default 'ipvs' (see {@link KubeProxyMode} for why) */
  readonly mode?: KubeProxyMode;
  /** Connection tracking. @default - see {@link KubeProxyConntrack} */
  readonly conntrack?: KubeProxyConntrack;
  /** IPVS settings; only allowed with mode `ipvs`. @default - see {@link KubeProxyIpvs} */
  readonly ipvs?: KubeProxyIpvs;
  /** Address and port of the metrics endpoint (`host:port`). @default '127.0.0.1:10249' (not reachable from other hosts) */
  readonly metricsBindAddress?: string;
  /** Address and port of the health endpoint (`host:port`); load balancers probe it for `externalTrafficPolicy: Local`. @default '0.0.0.0:10256' */
  readonly healthzBindAddress?: string;
  /** CPU request (and limit) of one kube-proxy pod. @default 200m */
  readonly cpu?: Cpu;
  /** Memory request (and limit) of one kube-proxy pod. @default 256Mi */
  readonly memory?: Size;
}

/** kube-proxy of a cluster, resolved. @internal */
export interface KubeProxySpec {
  /** False when one of its props was reported. */
  readonly valid: boolean;
  /** Proxy mode. Default `'ipvs'`. */
  readonly mode: KubeProxyMode;
  /** Conntrack entries per core. Default 32768. */
  readonly conntrackMaxPerCore: number;
  /** Conntrack entries at least. Default 131072. */
  readonly conntrackMin: number;
  /** Idle established TCP tracking, in seconds. Default 86400. */
  readonly tcpEstablishedTimeoutSeconds: number;
  /** CLOSE_WAIT tracking, in seconds. Default 3600. */
  readonly tcpCloseWaitTimeoutSeconds: number;
  /** IPVS scheduler. Default `'rr'`. */
  readonly ipvsScheduler: IpvsScheduler;
  /** IPVS TCP timeout, in seconds. Default 900. */
  readonly ipvsTcpTimeoutSeconds: number;
  /** IPVS TCP FIN timeout, in seconds. Default 30. */
  readonly ipvsTcpFinTimeoutSeconds: number;
  /** IPVS UDP timeout, in seconds. Default 300. */
  readonly ipvsUdpTimeoutSeconds: number;
  /** Metrics endpoint. Default `'127.0.0.1:10249'`. */
  readonly metricsBindAddress: string;
  /** Health endpoint. Default `'0.0.0.0:10256'`. */
  readonly healthzBindAddress: string;
  /** What one kube-proxy pod requests (and is limited to: Guaranteed QoS). Default 200m, 256Mi. */
  readonly requests: ResourceAmounts;
}

export type { KubeProxyMode };

/** Default proxy mode (see {@link KubeProxyMode}). @internal */
export const DEFAULT_KUBE_PROXY_MODE: KubeProxyMode = 'ipvs';
/** Default CPU request of kube-proxy, in millicores. @internal */
export const DEFAULT_KUBE_PROXY_CPU_MILLIS = 200;
/** Default memory request of kube-proxy, in MiB (IPVS with thousands of Services keeps its tables in memory). @internal */
export const DEFAULT_KUBE_PROXY_MEMORY_MIB = 256;
/** Minor version from which the `nftables` mode is allowed (beta, on by default). */
export const KUBE_PROXY_NFTABLES_MIN_MINOR = 31;

const MODES: readonly string[] = ['ipvs', 'nftables', 'iptables'];
const SCHEDULERS: readonly string[] = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'sh', 'dh', 'sed', 'nq'];
const BIND_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5}$/;

/**
 * Why kube-proxy is exempt from the restricted Pod Security profile: it
 * programs the node's packet filter and Service addresses in the host's
 * network namespace. Recorded on its DaemonSet; kube-system, where it runs, is
 * Kubernetes' own namespace and carries no restricted enforcement.
 * @internal
 */
export const KUBE_PROXY_POD_SECURITY_EXEMPTION =
  'kube-proxy programs the node\'s IPVS/nftables/iptables rules: it needs hostNetwork, NET_ADMIN (and NET_RAW for conntrack) and the host\'s /lib/modules and xtables lock';

/** The annotation that records the exemption on kube-proxy's DaemonSet. @internal */
export const POD_SECURITY_EXCEPTION_ANNOTATION = `${LABEL_PREFIX}/pod-security-exception`;

/**
 * The capabilities kube-proxy's container adds (everything else dropped): what
 * the exemption covers, in code where a reader sees it.
 * @internal
 */
export const KUBE_PROXY_CAPABILITIES: readonly string[] = ['NET_ADMIN', 'NET_RAW'];

/** kube-proxy's namespace: Kubernetes' own. @internal */
export const KUBE_PROXY_NAMESPACE = 'kube-system';

/** The conntrack table size kube-proxy sets on a node of `cores` cores: max(min, maxPerCore × cores). @internal */
export function conntrackMaxFor(spec: KubeProxySpec, cores: number): number {
  return Math.max(spec.conntrackMin, spec.conntrackMaxPerCore * cores);
}

/**
 * Resolves a cluster's kube-proxy props: reports each bad prop at `path` and
 * returns the spec, defaults applied.
 * @internal
 */
export function resolveKubeProxy(raw: unknown, path: string, kubernetesVersion: string, v: Violations): KubeProxySpec {
  const before = v.errorCount;
  if (raw !== undefined && !isRecord(raw)) {
    v.error(path, 'cluster.kube-proxy', `kubeProxy is ${describeValue(raw)}, not an object`, 'omit kubeProxy or give { mode, conntrack, ipvs, ... }');
  }
  const p = (isRecord(raw) ? raw : {}) as KubeProxyProps;
  const mode = (p.mode ?? DEFAULT_KUBE_PROXY_MODE) as KubeProxyMode;
  if (!MODES.includes(mode)) {
    v.error(path, 'cluster.kube-proxy.mode', `kubeProxy.mode ${describeValue(p.mode)} is unknown`, `use one of ${MODES.join(', ')} (default ${DEFAULT_KUBE_PROXY_MODE})`);
  } else if (mode === 'nftables') {
    const version = amountsIfValid(() => parseKubeVersion(kubernetesVersion));
    if (version && version.minor < KUBE_PROXY_NFTABLES_MIN_MINOR) {
      v.error(path, 'cluster.kube-proxy.mode', `kube-proxy's nftables mode is alpha before Kubernetes 1.${KUBE_PROXY_NFTABLES_MIN_MINOR} (the cluster runs ${kubernetesVersion})`,
        `use mode 'ipvs', or run the cluster on 1.${KUBE_PROXY_NFTABLES_MIN_MINOR} or later`);
    }
  }
  const whole = (value: unknown, what: string, fallback: number, max: number): number => {
    if (value === undefined) return fallback;
    const problem = wholeNumberProblem(value, what, 1, max);
    if (problem) {
      v.error(path, 'cluster.kube-proxy.bounds', problem, `set ${what} to a whole number from 1 to ${max}, or omit it (default ${fallback})`);
      return fallback;
    }
    return value as number;
  };
  const ct = (isRecord(p.conntrack) ? p.conntrack : {}) as KubeProxyConntrack;
  if (p.conntrack !== undefined && !isRecord(p.conntrack)) v.error(path, 'cluster.kube-proxy', `kubeProxy.conntrack is ${describeValue(p.conntrack)}`, 'omit conntrack or give an object');
  const ipvs = (isRecord(p.ipvs) ? p.ipvs : {}) as KubeProxyIpvs;
  if (p.ipvs !== undefined && !isRecord(p.ipvs)) v.error(path, 'cluster.kube-proxy', `kubeProxy.ipvs is ${describeValue(p.ipvs)}`, 'omit ipvs or give an object');
  if (p.ipvs !== undefined && mode !== 'ipvs') {
    v.error(path, 'cluster.kube-proxy.ipvs', `kubeProxy.ipvs is set but the mode is ${describeValue(mode)}`, "remove ipvs, or set mode to 'ipvs'");
  }
  const scheduler = ipvs.scheduler ?? 'rr';
  if (!SCHEDULERS.includes(scheduler)) {
    v.error(path, 'cluster.kube-proxy.ipvs', `kubeProxy.ipvs.scheduler ${describeValue(ipvs.scheduler)} is unknown`, `use one of ${SCHEDULERS.join(', ')} (default rr)`);
  }
  const address = (value: unknown, what: string, fallback: string): string => {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !BIND_ADDRESS.test(value) || Number(value.slice(value.lastIndexOf(':') + 1)) > 65535) {
      v.error(path, 'cluster.kube-proxy.bind-address', `kubeProxy.${what} ${describeValue(value)} is not an IP address and port`, `use host:port, e.g. '${fallback}' (the default)`);
      return fallback;
    }
    return value;
  };
  let requests: ResourceAmounts = { cpuMillis: DEFAULT_KUBE_PROXY_CPU_MILLIS, memoryMiB: DEFAULT_KUBE_PROXY_MEMORY_MIB, gpus: 0 };
  const cpu = p.cpu === undefined ? undefined : cpuProblem(p.cpu);
  const memory = p.memory === undefined ? undefined : memoryProblem(p.memory);
  if (cpu || memory) {
    v.error(path, 'cluster.kube-proxy.resources', `kubeProxy.${cpu ? `cpu: ${cpu}` : `memory: ${memory}`}`, 'use Cpu.millis(…) and Size.mebibytes(…) above zero, or omit them (default 200m, 256Mi)');
  } else {
    const cpuMillis = p.cpu === undefined ? DEFAULT_KUBE_PROXY_CPU_MILLIS : cpuToMillis(p.cpu);
    const memoryMiB = p.memory === undefined ? DEFAULT_KUBE_PROXY_MEMORY_MIB : memoryToMiB(p.memory);
    if (!(cpuMillis > 0) || !(memoryMiB > 0)) {
      v.error(path, 'cluster.kube-proxy.resources', 'kube-proxy\'s CPU and memory requests must be positive', 'request CPU and memory, or omit them (default 200m, 256Mi)');
    } else {
      requests = { cpuMillis, memoryMiB, gpus: 0 };
    }
  }
  return {
    valid: v.errorCount === before,
    mode: MODES.includes(mode) ? mode : DEFAULT_KUBE_PROXY_MODE,
    conntrackMaxPerCore: whole(ct.maxPerCore, 'kubeProxy.conntrack.maxPerCore', DEFAULT_CONNTRACK_MAX_PER_CORE, 1_048_576),
    conntrackMin: whole(ct.min, 'kubeProxy.conntrack.min', DEFAULT_CONNTRACK_MIN, 67_108_864),
    tcpEstablishedTimeoutSeconds: whole(ct.tcpEstablishedTimeoutSeconds, 'kubeProxy.conntrack.tcpEstablishedTimeoutSeconds', 86400, 604_800),
    tcpCloseWaitTimeoutSeconds: whole(ct.tcpCloseWaitTimeoutSeconds, 'kubeProxy.conntrack.tcpCloseWaitTimeoutSeconds', 3600, 86_400),
    ipvsScheduler: SCHEDULERS.includes(scheduler) ? scheduler : 'rr',
    ipvsTcpTimeoutSeconds: whole(ipvs.tcpTimeoutSeconds, 'kubeProxy.ipvs.tcpTimeoutSeconds', 900, 86_400),
    ipvsTcpFinTimeoutSeconds: whole(ipvs.tcpFinTimeoutSeconds, 'kubeProxy.ipvs.tcpFinTimeoutSeconds', 30, 3600),
    ipvsUdpTimeoutSeconds: whole(ipvs.udpTimeoutSeconds, 'kubeProxy.ipvs.udpTimeoutSeconds', 300, 3600),
    metricsBindAddress: address(p.metricsBindAddress, 'metricsBindAddress', '127.0.0.1:10249'),
    healthzBindAddress: address(p.healthzBindAddress, 'healthzBindAddress', '0.0.0.0:10256'),
    requests,
  };
}

/** Seconds as a Go duration (`1h0m0s`, `30s`), as the component's config decoder prints it. @internal */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** The KubeProxyConfiguration document of a cluster, as a plain object. @internal */
export function renderKubeProxyConfiguration(spec: KubeProxySpec): Record<string, unknown> {
  return {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: '/var/lib/kube-proxy/kubeconfig.conf', qps: 5, burst: 10 },
    bindAddress: '0.0.0.0',
    healthzBindAddress: spec.healthzBindAddress,
    metricsBindAddress: spec.metricsBindAddress,
    bindAddressHardFail: true,
    enableProfiling: false,
    mode: spec.mode,
    ...(spec.mode === 'ipvs' ? {
      ipvs: {
        scheduler: spec.ipvsScheduler,
        strictARP: true,
        syncPeriod: '30s',
        minSyncPeriod: '1s',
        tcpTimeout: goDuration(spec.ipvsTcpTimeoutSeconds),
        tcpFinTimeout: goDuration(spec.ipvsTcpFinTimeoutSeconds),
        udpTimeout: goDuration(spec.ipvsUdpTimeoutSeconds),
      },
    } : {}),
    ...(spec.mode === 'iptables' ? { iptables: { masqueradeAll: false, syncPeriod: '30s', minSyncPeriod: '1s', localhostNodePorts: false } } : {}),
    ...(spec.mode === 'nftables' ? { nftables: { masqueradeAll: false, syncPeriod: '30s', minSyncPeriod: '1s' } } : {}),
    conntrack: {
      maxPerCore: spec.conntrackMaxPerCore,
      min: spec.conntrackMin,
      tcpEstablishedTimeout: goDuration(spec.tcpEstablishedTimeoutSeconds),
      tcpCloseWaitTimeout: goDuration(spec.tcpCloseWaitTimeoutSeconds),
    },
    configSyncPeriod: '15m0s',
    oomScoreAdj: -999,
  };
}

const LABELS = { 'app.kubernetes.io/name': 'kube-proxy', 'app.kubernetes.io/component': 'node-proxy', 'k8s-app': 'kube-proxy' };
const NAME = 'kube-proxy';
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** kube-proxy's image, pinned to the cluster's Kubernetes version. @internal */
export function kubeProxyImage(kubernetesVersion: string): string {
  return `registry.k8s.io/kube-proxy:v${kubernetesVersion}`;
}

/**
 * kube-proxy's objects in one cluster: the ConfigMap with its configuration,
 * and kubeconfig (the apiserver at `apiserverUrl`, the pod's ServiceAccount token),
 * the ServiceAccount, the binding to the built-in least-privilege role
 * `system:node-proxier` (read Services, EndpointSlices and Nodes, write
 * Events), and the DaemonSet on every node.
 * @internal
 */
export function renderKubeProxy(spec: KubeProxySpec, kubernetesVersion: string, apiserverUrl: string): KubeObject[] {
  const ns = KUBE_PROXY_NAMESPACE;
  // kube-proxy cannot reach the apiserver through the kubernetes Service it programs: it names the endpoint itself
  const kubeconfig = {
    'apiVersion': 'v1',
    'kind': 'Config',
    'clusters': [{ name: 'default', cluster: { 'certificate-authority': `${SA_DIR}/ca.crt`, 'server': apiserverUrl } }],
    'contexts': [{ name: 'default', context: { cluster: 'default', namespace: 'default', user: 'default' } }],
    'current-context': 'default',
    'users': [{ name: 'default', user: { tokenFile: `${SA_DIR}/token` } }],
  };
  const configMap = k8s.KubeConfigMap.manifest({
    metadata: { name: NAME, namespace: ns, labels: LABELS },
    data: { 'config.conf': toYaml(renderKubeProxyConfiguration(spec)), 'kubeconfig.conf': toYaml(kubeconfig) },
  }) as KubeObject;
  const serviceAccount = k8s.KubeServiceAccount.manifest({
    metadata: { name: NAME, namespace: ns, labels: LABELS },
    automountServiceAccountToken: false,
  }) as KubeObject;
  const binding = k8s.KubeClusterRoleBinding.manifest({
    metadata: { name: 'fleet-kube-proxy', labels: LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node-proxier' },
    subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ns }],
  }) as KubeObject;
  const cpu = k8s.Quantity.fromString(formatCpu(spec.requests.cpuMillis));
  const memory = k8s.Quantity.fromString(formatMemory(spec.requests.memoryMiB));
  const healthPort = Number(spec.healthzBindAddress.slice(spec.healthzBindAddress.lastIndexOf(':') + 1));
  const daemonSet = k8s.KubeDaemonSet.manifest({
    metadata: { name: NAME, namespace: ns, labels: LABELS, annotations: { [POD_SECURITY_EXCEPTION_ANNOTATION]: KUBE_PROXY_POD_SECURITY_EXEMPTION } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      revisionHistoryLimit: 5,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%'), maxSurge: k8s.IntOrString.fromNumber(0) } },
      template: {
        metadata: { labels: LABELS, annotations: { [POD_SECURITY_EXCEPTION_ANNOTATION]: KUBE_PROXY_POD_SECURITY_EXEMPTION } },
        spec: {
          serviceAccountName: NAME,
          automountServiceAccountToken: true,
          priorityClassName: 'system-node-critical',
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          // every node, whatever its taints: Services must work on all of them
          tolerations: [{ operator: 'Exists' }],
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          terminationGracePeriodSeconds: 30,
          containers: [{
            name: NAME,
            image: kubeProxyImage(kubernetesVersion),
            imagePullPolicy: 'IfNotPresent',
            command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
            env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
            resources: { requests: { cpu, memory }, limits: { cpu, memory } },
            securityContext: {
              // the exemption: root in the host's network namespace with NET_ADMIN and NET_RAW, nothing else
              runAsUser: 0,
              runAsNonRoot: false,
              privileged: false,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'], add: [...KUBE_PROXY_CAPABILITIES] },
            },
            livenessProbe: {
              httpGet: { host: '127.0.0.1', path: '/healthz', port: k8s.IntOrString.fromNumber(healthPort) },
              initialDelaySeconds: 15,
              periodSeconds: 10,
              failureThreshold: 3,
            },
            volumeMounts: [
              { name: 'kube-proxy', mountPath: '/var/lib/kube-proxy/config.conf', subPath: 'config.conf', readOnly: true },
              { name: 'kube-proxy', mountPath: '/var/lib/kube-proxy/kubeconfig.conf', subPath: 'kubeconfig.conf', readOnly: true },
              { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
              { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
            ],
            terminationMessagePolicy: 'FallbackToLogsOnError',
          }],
          volumes: [
            { name: 'kube-proxy', configMap: { name: NAME } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            { name: 'lib-modules', hostPath: { path: '/lib/modules', type: 'Directory' } },
          ],
        },
      },
    },
  }) as KubeObject;
  return [configMap, serviceAccount, binding, daemonSet];
}
