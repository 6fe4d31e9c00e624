/**
 * KubeletConfiguration (kubelet.config.k8s.io/v1beta1) of a node profile.
 *
 * Secure defaults follow the CIS Kubernetes Benchmark's kubelet section:
 * anonymous auth off, webhook authentication and authorization, no read-only
 * port, kernel defaults protected, certificate rotation on.
 */
import { NodeProfileSpec } from './slots';
import { formatCpu, formatMemory } from '../core/resources';
import { STRONG_TLS_CIPHER_SUITES } from '../core/tls';

/** Strong TLS cipher suites for the kubelet's server (CIS 4.2.13): the platform's one list. @internal */
export const KUBELET_TLS_CIPHER_SUITES: string[] = [...STRONG_TLS_CIPHER_SUITES];

/** The KubeletConfiguration document of a node profile, as a plain object. @internal */
export function renderKubeletConfiguration(profile: NodeProfileSpec): Record<string, unknown> {
  const k = profile.kubelet;
  const kube = profile.kubeReserved;
  const sys = profile.systemReserved;
  const out: Record<string, unknown> = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true, cacheTTL: '2m0s' },
      x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' },
    },
    authorization: { mode: 'Webhook' },
    readOnlyPort: 0,
    protectKernelDefaults: true,
    makeIPTablesUtilChains: true,
    streamingConnectionIdleTimeout: '5m0s',
    eventRecordQPS: 5,
    tlsCipherSuites: KUBELET_TLS_CIPHER_SUITES,
    tlsMinVersion: 'VersionTLS12',
    rotateCertificates: k.rotateCertificates,
    serverTLSBootstrap: k.serverTLSBootstrap,
    cgroupDriver: 'systemd',
    maxPods: profile.maxPods,
    kubeReserved: { cpu: formatCpu(kube.cpuMillis), memory: formatMemory(kube.memoryMiB) },
    systemReserved: { cpu: formatCpu(sys.cpuMillis), memory: formatMemory(sys.memoryMiB) },
    evictionHard: {
      'memory.available': formatMemory(profile.evictionHardMemoryMiB),
      'nodefs.available': `${k.nodefsAvailablePercent}%`,
      'imagefs.available': `${k.imagefsAvailablePercent}%`,
      'nodefs.inodesFree': `${k.nodefsInodesFreePercent}%`,
    },
    cpuManagerPolicy: k.cpuManagerPolicy,
    topologyManagerPolicy: k.topologyManagerPolicy,
  };
  if (Object.keys(k.featureGates).length > 0) {
    out.featureGates = sortedRecord({ ...k.featureGates });
  }
  return out;
}

function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
