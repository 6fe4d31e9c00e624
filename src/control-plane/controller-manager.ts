/**
 * kube-controller-manager: rendered because it signs the kubelets'
 * certificates, so the cluster-level certificate lifetime (rotate often: a
 * yearly rotation is a time bomb nobody has practised) is its
 * `--cluster-signing-duration`. Secure defaults follow CIS section 1.3.
 */
import { k8s } from 'cdk8s-plus-28';
import { FlagSet, flagArgs } from './apiserver-flags';
import { Pki } from './pki';
import { ControlPlaneSettings } from './settings';
import { staticControlPlanePod } from './static-pod';
import { KubeObject } from '../synth/context';

/** kube-controller-manager's secure port. @internal */
export const CONTROLLER_MANAGER_PORT = 10257;
const KUBECONFIG = '/etc/kubernetes/controller-manager.conf';

/** The kube-controller-manager flags of a cluster. @internal */
export function controllerManagerFlags(s: ControlPlaneSettings): FlagSet {
  return new Map([
    ['authentication-kubeconfig', KUBECONFIG],
    ['authorization-kubeconfig', KUBECONFIG],
    ['bind-address', '127.0.0.1'],
    ['client-ca-file', Pki.CA],
    ['cluster-name', s.cluster.clusterName],
    ['cluster-signing-cert-file', Pki.CA],
    ['cluster-signing-key-file', '/etc/kubernetes/pki/ca.key'],
    ['cluster-signing-duration', `${s.kubelet.certificateLifetimeHours}h0m0s`],
    ['controllers', '*,bootstrapsigner,tokencleaner'],
    ['feature-gates', 'RotateKubeletServerCertificate=true'],
    ['kubeconfig', KUBECONFIG],
    ['leader-elect', 'true'],
    ['profiling', 'false'],
    ['requestheader-client-ca-file', Pki.FRONT_PROXY_CA],
    ['root-ca-file', Pki.CA],
    ['service-account-private-key-file', Pki.SA_PRIVATE_KEY],
    ['service-cluster-ip-range', s.apiserver.serviceClusterIpRange],
    ['terminated-pod-gc-threshold', '12500'],
    ['use-service-account-credentials', 'true'],
  ]);
}

/** The kube-controller-manager static Pod of one control-plane host. @internal */
export function renderControllerManagerPod(s: ControlPlaneSettings, host: string): KubeObject {
  const probe: k8s.Probe = {
    httpGet: { host: '127.0.0.1', path: '/healthz', port: k8s.IntOrString.fromNumber(CONTROLLER_MANAGER_PORT), scheme: 'HTTPS' },
    periodSeconds: 10,
    timeoutSeconds: 15,
    failureThreshold: 8,
    initialDelaySeconds: 10,
  };
  return staticControlPlanePod(s, host, {
    name: 'kube-controller-manager',
    image: s.apiserver.image.replace('kube-apiserver', 'kube-controller-manager'),
    imagePullPolicy: 'IfNotPresent',
    command: ['kube-controller-manager', ...flagArgs(controllerManagerFlags(s))],
    resources: { requests: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('512Mi') } },
    startupProbe: { ...probe, failureThreshold: 24 },
    livenessProbe: probe,
    volumeMounts: [
      { name: 'pki', mountPath: Pki.DIR, readOnly: true },
      { name: 'kubeconfig', mountPath: KUBECONFIG, readOnly: true },
    ],
  }, [
    { name: 'pki', hostPath: { path: Pki.DIR, type: 'Directory' } },
    { name: 'kubeconfig', hostPath: { path: KUBECONFIG, type: 'FileOrCreate' } },
  ]);
}
