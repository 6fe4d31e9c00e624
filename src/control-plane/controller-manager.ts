/**
 * kube-controller-manager: rendered because it signs the kubelets'
 * certificates, so the cluster-level certificate lifetime (rotate often: a
 * yearly rotation is a time bomb nobody has practised) is its
 * `--cluster-signing-duration`. Secure defaults follow CIS section 1.3; the
 * client rate and memory are sized from the cluster, and every flag is checked
 * against `KUBE_CONTROLLER_MANAGER_1_28_FLAGS`.
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

/** Client rate and memory of the kube-controller-manager for a cluster size. @internal */
export interface ControllerManagerSizing {
  /** `--kube-api-qps`. */
  readonly qps: number;
  /** `--kube-api-burst`. */
  readonly burst: number;
  /** Memory request, in MiB. */
  readonly memoryRequestMiB: number;
  /** Memory limit, in MiB. */
  readonly memoryLimitMiB: number;
  /** Why these numbers. */
  readonly why: string;
}

/**
 * Controller-manager sizing. The client rate: the 1.28 default 20/30 is
 * enough for small clusters; node lifecycle, endpoint slices, garbage
 * collection and the replica controllers write in proportion to nodes and
 * pods, and all share this one client limiter, so 100/200 above 500 nodes and
 * 300/500 above 3,000 nodes, at the same steps as the apiserver's in-flight
 * limits (an engineering choice, not a measured optimum: API Priority and
 * Fairness still bounds what the controllers take). Memory: its informers cache every
 * pod, node and endpoint slice, roughly 0.5 MiB per node at 30 pods per node,
 * so 512 MiB plus 0.5 MiB per node requested and twice that as the limit (a
 * relist after a leader change briefly holds two copies).
 * @internal
 */
export function controllerManagerSizing(nodes: number): ControllerManagerSizing {
  const [qps, burst] = nodes > 3000 ? [300, 500] : nodes > 500 ? [100, 200] : [20, 30];
  const memoryRequestMiB = 512 + Math.ceil(nodes / 2);
  const rate = nodes > 3000 ? `${nodes} nodes > 3,000: client rate 300/500`
    : nodes > 500 ? `${nodes} nodes > 500: client rate 100/200` : `${nodes} nodes ≤ 500: the default client rate 20/30`;
  return {
    qps,
    burst,
    memoryRequestMiB,
    memoryLimitMiB: 2 * memoryRequestMiB,
    why: `${rate}; memory 512 MiB + 0.5 MiB per node requested, twice that as the limit (a relist holds two copies of the caches)`,
  };
}

/** The kube-controller-manager flags the fleet sets itself, from the typed settings. @internal */
export function generatedControllerManagerFlags(s: ControlPlaneSettings): FlagSet {
  const sizing = controllerManagerSizing(s.nodes);
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
    ['kube-api-burst', String(sizing.burst)],
    ['kube-api-qps', String(sizing.qps)],
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

/** `controllerManager.extraFlags` entries that would replace a flag the fleet sets, sorted. @internal */
export function overriddenControllerManagerFlags(s: ControlPlaneSettings): string[] {
  const generated = generatedControllerManagerFlags(s);
  return Object.keys(s.controllerManager.extraFlags).filter(k => generated.has(k)).sort();
}

/**
 * The kube-controller-manager flags of a cluster: the generated ones and the
 * extra flags that do not replace one of them (those are reported). @internal
 */
export function controllerManagerFlags(s: ControlPlaneSettings): FlagSet {
  const out = new Map(generatedControllerManagerFlags(s));
  for (const [k, val] of Object.entries(s.controllerManager.extraFlags)) if (!out.has(k)) out.set(k, val);
  return out;
}

/** The kube-controller-manager static Pod of one control-plane host. @internal */
export function renderControllerManagerPod(s: ControlPlaneSettings, host: string): KubeObject {
  const sizing = controllerManagerSizing(s.nodes);
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
    resources: {
      requests: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString(`${sizing.memoryRequestMiB}Mi`) },
      limits: { memory: k8s.Quantity.fromString(`${sizing.memoryLimitMiB}Mi`) },
    },
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
