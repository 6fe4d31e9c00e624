/**
 * kube-apiserver flags: the names the 1.28 apiserver accepts, and typed
 * rendering of a flag set into its command line.
 *
 * Source of the table: the `kube-apiserver` reference for Kubernetes v1.28
 * (https://v1-28.docs.kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/),
 * generated from `kube-apiserver --help` of that release. Deprecated flags that
 * are still accepted are listed; flags removed before 1.28 (`--insecure-port`,
 * `--kubelet-https`, `--target-ram-mb`...) are not.
 */

/** Every flag name kube-apiserver v1.28 accepts (without the leading `--`). @internal */
export const KUBE_APISERVER_1_28_FLAGS: ReadonlySet<string> = new Set([
  // generic
  'advertise-address', 'cloud-provider-gce-l7lb-src-cidrs', 'cloud-provider-gce-lb-src-cidrs', 'cors-allowed-origins',
  'default-not-ready-toleration-seconds', 'default-unreachable-toleration-seconds', 'enable-priority-and-fairness',
  'external-hostname', 'feature-gates', 'goaway-chance', 'livez-grace-period', 'max-mutating-requests-inflight',
  'max-requests-inflight', 'min-request-timeout', 'request-timeout', 'shutdown-delay-duration',
  'shutdown-send-retry-after', 'shutdown-watch-termination-grace-period', 'storage-initialization-timeout',
  // etcd
  'delete-collection-workers', 'enable-garbage-collector', 'encryption-provider-config',
  'encryption-provider-config-automatic-reload', 'etcd-cafile', 'etcd-certfile', 'etcd-compaction-interval',
  'etcd-count-metric-poll-period', 'etcd-db-metric-poll-interval', 'etcd-healthcheck-timeout', 'etcd-keyfile',
  'etcd-prefix', 'etcd-readycheck-timeout', 'etcd-servers', 'etcd-servers-overrides', 'lease-reuse-duration-seconds',
  'storage-backend', 'storage-media-type', 'watch-cache', 'watch-cache-sizes', 'default-watch-cache-size',
  // secure serving
  'bind-address', 'cert-dir', 'http2-max-streams-per-connection', 'permit-address-sharing', 'permit-port-sharing',
  'secure-port', 'tls-cert-file', 'tls-cipher-suites', 'tls-min-version', 'tls-private-key-file', 'tls-sni-cert-key',
  // auditing
  'audit-log-batch-buffer-size', 'audit-log-batch-max-size', 'audit-log-batch-max-wait', 'audit-log-batch-throttle-burst',
  'audit-log-batch-throttle-enable', 'audit-log-batch-throttle-qps', 'audit-log-compress', 'audit-log-format',
  'audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize', 'audit-log-mode', 'audit-log-path',
  'audit-log-truncate-enabled', 'audit-log-truncate-max-batch-size', 'audit-log-truncate-max-event-size',
  'audit-log-version', 'audit-policy-file', 'audit-webhook-batch-buffer-size', 'audit-webhook-batch-max-size',
  'audit-webhook-batch-max-wait', 'audit-webhook-batch-throttle-burst', 'audit-webhook-batch-throttle-enable',
  'audit-webhook-batch-throttle-qps', 'audit-webhook-config-file', 'audit-webhook-initial-backoff', 'audit-webhook-mode',
  'audit-webhook-truncate-enabled', 'audit-webhook-truncate-max-batch-size', 'audit-webhook-truncate-max-event-size',
  'audit-webhook-version',
  // features
  'contention-profiling', 'debug-socket-path', 'profiling',
  // authentication
  'anonymous-auth', 'api-audiences', 'authentication-token-webhook-cache-ttl', 'authentication-token-webhook-config-file',
  'authentication-token-webhook-version', 'client-ca-file', 'enable-bootstrap-token-auth', 'oidc-ca-file', 'oidc-client-id',
  'oidc-groups-claim', 'oidc-groups-prefix', 'oidc-issuer-url', 'oidc-required-claim', 'oidc-signing-algs',
  'oidc-username-claim', 'oidc-username-prefix', 'requestheader-allowed-names', 'requestheader-client-ca-file',
  'requestheader-extra-headers-prefix', 'requestheader-group-headers', 'requestheader-username-headers',
  'service-account-extend-token-expiration', 'service-account-issuer', 'service-account-jwks-uri',
  'service-account-key-file', 'service-account-lookup', 'service-account-max-token-expiration', 'token-auth-file',
  // authorization
  'authorization-mode', 'authorization-policy-file', 'authorization-webhook-cache-authorized-ttl',
  'authorization-webhook-cache-unauthorized-ttl', 'authorization-webhook-config-file', 'authorization-webhook-version',
  // API enablement
  'runtime-config',
  // admission
  'admission-control', 'admission-control-config-file', 'disable-admission-plugins', 'enable-admission-plugins',
  // metrics, logs, traces
  'allow-metric-labels', 'allow-metric-labels-manifest', 'disabled-metrics', 'show-hidden-metrics-for-version',
  'log-flush-frequency', 'log-json-info-buffer-size', 'log-json-split-stream', 'logging-format', 'v', 'vmodule',
  'tracing-config-file',
  // misc
  'aggregator-reject-forwarding-redirect', 'allow-privileged', 'enable-aggregator-routing', 'endpoint-reconciler-type',
  'event-ttl', 'kubelet-certificate-authority', 'kubelet-client-certificate', 'kubelet-client-key',
  'kubelet-port', 'kubelet-preferred-address-types', 'kubelet-read-only-port', 'kubelet-timeout',
  'kubernetes-service-node-port', 'max-connection-bytes-per-sec',
  'peer-advertise-ip', 'peer-advertise-port', 'peer-ca-file', 'proxy-client-cert-file', 'proxy-client-key-file',
  'service-account-signing-key-file', 'service-cluster-ip-range', 'service-node-port-range',
  'enable-logs-handler', 'egress-selector-config-file', 'apiserver-count', 'identity-lease-duration-seconds',
  'identity-lease-renew-interval-seconds', 'master-service-namespace',
]);

/** A kube-apiserver flag set: name (without `--`) → value. @internal */
export type FlagSet = ReadonlyMap<string, string>;

/** The command line of a flag set: `--name=value`, sorted by name (deterministic). @internal */
export function flagArgs(flags: FlagSet): string[] {
  return [...flags.keys()].sort().map(k => `--${k}=${flags.get(k)}`);
}

/** Parses `--name=value` arguments back into a flag set (for checks over a rendered command line). @internal */
export function parseFlagArgs(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of args) {
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(a);
    if (m) out.set(m[1], m[2] ?? 'true');
  }
  return out;
}

/** The flags of a set that a component's flag table does not have, sorted. @internal */
export function flagsNotIn(table: ReadonlySet<string>, flags: Iterable<string>): string[] {
  return [...flags].filter(f => !table.has(f)).sort();
}

/** Formats `a=true,b=false` from a map of booleans, sorted by key. @internal */
export function formatKeyValues(m: Readonly<Record<string, boolean | string>>): string {
  return Object.keys(m).sort().map(k => `${k}=${m[k]}`).join(',');
}
