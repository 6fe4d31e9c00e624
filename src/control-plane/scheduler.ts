/**
 * kube-scheduler: one static Pod per control-plane host and the
 * `KubeSchedulerConfiguration` (kubescheduler.config.k8s.io/v1) it reads.
 * Sized for the cluster (percentage of nodes scored, client QPS/burst);
 * secure defaults follow CIS section 1.4 (profiling off, serving bound to
 * localhost).
 */
import { k8s } from 'cdk8s-plus-28';
import { FlagSet, flagArgs } from './apiserver-flags';
import { Pki } from './pki';
import { ControlPlaneSettings } from './settings';
import { staticControlPlanePod } from './static-pod';
import { KubeObject } from '../synth/context';

/** kube-scheduler's secure port. @internal */
export const SCHEDULER_PORT = 10259;
const KUBECONFIG = '/etc/kubernetes/scheduler.conf';
/** Where the scheduler's configuration file is mounted on the host and in the Pod. @internal */
export const SCHEDULER_CONFIG = '/etc/kubernetes/kube-scheduler-config.yaml';

/**
 * Every flag name kube-scheduler v1.28 accepts (without the leading `--`).
 *
 * Written from the `kube-scheduler` reference for Kubernetes v1.28
 * (https://v1-28.docs.kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/)
 * as known to the authors, not generated from `kube-scheduler --help`.
 * Deprecated flags still accepted in 1.28 are listed. @internal
 */
export const KUBE_SCHEDULER_1_28_FLAGS: ReadonlySet<string> = new Set([
  // misc
  'config', 'master', 'write-config-to',
  // secure serving
  'bind-address', 'cert-dir', 'http2-max-streams-per-connection', 'permit-address-sharing', 'permit-port-sharing',
  'secure-port', 'tls-cert-file', 'tls-cipher-suites', 'tls-min-version', 'tls-private-key-file', 'tls-sni-cert-key',
  // authentication / authorization
  'authentication-kubeconfig', 'authentication-skip-lookup', 'authentication-token-webhook-cache-ttl',
  'authentication-tolerate-lookup-failure', 'client-ca-file', 'requestheader-allowed-names',
  'requestheader-client-ca-file', 'requestheader-extra-headers-prefix', 'requestheader-group-headers',
  'requestheader-username-headers', 'authorization-always-allow-paths', 'authorization-kubeconfig',
  'authorization-webhook-cache-authorized-ttl', 'authorization-webhook-cache-unauthorized-ttl',
  // deprecated (superseded by the configuration file)
  'contention-profiling', 'kube-api-burst', 'kube-api-content-type', 'kube-api-qps', 'kubeconfig', 'lock-object-name',
  'lock-object-namespace', 'pod-max-in-unschedulable-pods-duration', 'profiling',
  // leader election
  'leader-elect', 'leader-elect-lease-duration', 'leader-elect-renew-deadline', 'leader-elect-resource-lock',
  'leader-elect-resource-name', 'leader-elect-resource-namespace', 'leader-elect-retry-period',
  // feature gates, metrics, logs
  'feature-gates', 'allow-metric-labels', 'allow-metric-labels-manifest', 'disabled-metrics', 'show-hidden-metrics-for-version',
  'log-flush-frequency', 'log-json-info-buffer-size', 'log-json-split-stream', 'logging-format', 'v', 'vmodule',
  'version', 'help',
]);

/** Client QPS/burst of the scheduler towards the apiserver, and why. @internal */
export interface SchedulerSizing {
  /** Sustained requests per second. */
  readonly qps: number;
  /** Burst of requests. */
  readonly burst: number;
  /** Percentage of feasible nodes scored per pod (1-100). */
  readonly percentageOfNodesToScore: number;
  /** Memory request, in MiB. */
  readonly memoryRequestMiB: number;
  /** Memory limit, in MiB. */
  readonly memoryLimitMiB: number;
  /** The reason, for the sizing record. */
  readonly why: string;
}

/**
 * Sizes the scheduler for a cluster of `nodes` nodes: each binding is one
 * write, so the client rate bounds the scheduling throughput (the 1.28 default
 * of 50/100 suits a few hundred nodes); scoring every node stops paying above
 * a hundred nodes, so the scored share falls with size like upstream's
 * adaptive default (50 − nodes/125 %), kept at 10 % or more so placement
 * quality holds on the largest clusters. Memory: its cache holds every node
 * and pod (about 0.25 MiB per node at 30 pods per node), so 256 MiB plus 0.25
 * MiB per node requested and twice that as the limit (a relist after a leader
 * change briefly holds two copies).
 * @internal
 */
export function schedulerSizing(nodes: number): SchedulerSizing {
  const [qps, burst] = nodes <= 500 ? [50, 100] : nodes <= 2000 ? [100, 200] : [200, 400];
  const percentageOfNodesToScore = nodes <= 100 ? 100 : Math.max(10, Math.floor(50 - nodes / 125));
  const rate = nodes <= 500 ? `${nodes} nodes ≤ 500: the default client rate 50/100`
    : nodes <= 2000 ? `${nodes} nodes in 501–2000: client rate 100/200 so bindings keep up with churn`
      : `${nodes} nodes > 2000: client rate 200/400 so bindings keep up with churn`;
  const score = nodes <= 100 ? 'score every node (≤ 100 nodes)' : `score ${percentageOfNodesToScore}% of feasible nodes (max(10, 50 − nodes/125))`;
  const memoryRequestMiB = 256 + Math.ceil(nodes / 4);
  return {
    qps,
    burst,
    percentageOfNodesToScore,
    memoryRequestMiB,
    memoryLimitMiB: 2 * memoryRequestMiB,
    why: `${rate}; ${score}; memory 256 MiB + 0.25 MiB per node requested, twice that as the limit (a relist holds two copies of the cache)`,
  };
}

/** The kube-scheduler flags of a cluster (the rest is in its configuration file). @internal */
export function schedulerFlags(_s: ControlPlaneSettings): FlagSet {
  return new Map([
    ['authentication-kubeconfig', KUBECONFIG],
    ['authorization-kubeconfig', KUBECONFIG],
    ['bind-address', '127.0.0.1'],
    ['client-ca-file', Pki.CA],
    ['config', SCHEDULER_CONFIG],
    ['profiling', 'false'],
    ['requestheader-client-ca-file', Pki.FRONT_PROXY_CA],
  ]);
}

/** The KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) of a cluster. @internal */
export function renderSchedulerConfiguration(s: ControlPlaneSettings): Record<string, unknown> {
  const z = schedulerSizing(s.nodes);
  return {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    clientConnection: { kubeconfig: KUBECONFIG, qps: z.qps, burst: z.burst, contentType: 'application/vnd.kubernetes.protobuf' },
    enableProfiling: false,
    enableContentionProfiling: false,
    leaderElection: {
      leaderElect: true,
      leaseDuration: '15s',
      renewDeadline: '10s',
      retryPeriod: '2s',
      resourceLock: 'leases',
      resourceName: 'kube-scheduler',
      resourceNamespace: 'kube-system',
    },
    parallelism: 16,
    percentageOfNodesToScore: z.percentageOfNodesToScore,
    profiles: [{ schedulerName: 'default-scheduler' }],
  };
}

/** The kube-scheduler static Pod of one control-plane host. @internal */
export function renderSchedulerPod(s: ControlPlaneSettings, host: string): KubeObject {
  const sizing = schedulerSizing(s.nodes);
  const probe: k8s.Probe = {
    httpGet: { host: '127.0.0.1', path: '/healthz', port: k8s.IntOrString.fromNumber(SCHEDULER_PORT), scheme: 'HTTPS' },
    periodSeconds: 10,
    timeoutSeconds: 15,
    failureThreshold: 8,
    initialDelaySeconds: 10,
  };
  return staticControlPlanePod(s, host, {
    name: 'kube-scheduler',
    image: s.apiserver.image.replace('kube-apiserver', 'kube-scheduler'),
    imagePullPolicy: 'IfNotPresent',
    command: ['kube-scheduler', ...flagArgs(schedulerFlags(s))],
    resources: {
      requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString(`${sizing.memoryRequestMiB}Mi`) },
      limits: { memory: k8s.Quantity.fromString(`${sizing.memoryLimitMiB}Mi`) },
    },
    startupProbe: { ...probe, failureThreshold: 24 },
    livenessProbe: probe,
    readinessProbe: { ...probe, httpGet: { ...probe.httpGet!, path: '/readyz' } },
    volumeMounts: [
      { name: 'pki', mountPath: Pki.DIR, readOnly: true },
      { name: 'kubeconfig', mountPath: KUBECONFIG, readOnly: true },
      { name: 'config', mountPath: SCHEDULER_CONFIG, readOnly: true },
    ],
  }, [
    { name: 'pki', hostPath: { path: Pki.DIR, type: 'Directory' } },
    { name: 'kubeconfig', hostPath: { path: KUBECONFIG, type: 'FileOrCreate' } },
    { name: 'config', hostPath: { path: SCHEDULER_CONFIG, type: 'FileOrCreate' } },
  ]);
}
