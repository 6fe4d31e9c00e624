/**
 * The cluster-level parts of the KubeletConfiguration: the node profile's
 * configuration (from the machines layer) completed with what depends on the
 * cluster — DNS, certificate rotation and serving-certificate bootstrap (the
 * apiserver verifies kubelets against the cluster CA), soft eviction, and
 * graceful node shutdown.
 */
import { ControlPlaneSettings } from './settings';
import { formatMemory } from '../core/resources';
import { renderKubeletConfiguration } from '../machines/kubelet-config';
import { NodeProfileSpec } from '../machines/slots';

function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}

/** The KubeletConfiguration of a profile's nodes in one cluster. @internal */
export function renderClusterKubeletConfiguration(profile: NodeProfileSpec, s: ControlPlaneSettings): Record<string, unknown> {
  const base = renderKubeletConfiguration(profile);
  const k = s.kubelet;
  const featureGates = { ...profile.kubelet.featureGates, RotateKubeletServerCertificate: true };
  return {
    ...base,
    clusterDomain: k.clusterDomain,
    clusterDNS: [k.clusterDns],
    rotateCertificates: true,
    serverTLSBootstrap: true,
    evictionSoft: {
      'memory.available': formatMemory(2 * profile.evictionHardMemoryMiB),
      'nodefs.available': `${profile.kubelet.nodefsAvailablePercent + 5}%`,
      'imagefs.available': `${profile.kubelet.imagefsAvailablePercent + 5}%`,
    },
    evictionSoftGracePeriod: { 'memory.available': '1m30s', 'nodefs.available': '2m0s', 'imagefs.available': '2m0s' },
    evictionMaxPodGracePeriod: 60,
    evictionPressureTransitionPeriod: '5m0s',
    shutdownGracePeriod: duration(k.shutdownGracePeriodSeconds),
    shutdownGracePeriodCriticalPods: duration(k.shutdownGracePeriodCriticalPodsSeconds),
    featureGates: Object.fromEntries(Object.entries(featureGates).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}
