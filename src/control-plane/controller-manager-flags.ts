/**
 * kube-controller-manager flags: the names the 1.28 controller manager
 * accepts, so every generated flag and every `controllerManager.extraFlags`
 * entry is checked on every synth, like the apiserver's and the scheduler's.
 */

/**
 * Every flag name kube-controller-manager v1.28 accepts (without the leading `--`).
 *
 * Written from the `kube-controller-manager` reference for Kubernetes v1.28
 * (https://v1-28.docs.kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/),
 * grouped as `kube-controller-manager --help` groups them, as known to the
 * authors (not generated from the binary). Flags removed before 1.28
 * (`--port`, `--address`, `--pod-eviction-timeout`, `--enable-taint-manager`,
 * `--deleting-pods-qps`...) are not listed. @internal
 */
export const KUBE_CONTROLLER_MANAGER_1_28_FLAGS: ReadonlySet<string> = new Set([
  // generic
  'allocate-node-cidrs', 'cidr-allocator-type', 'cloud-config', 'cloud-provider', 'cloud-provider-gce-l7lb-src-cidrs',
  'cloud-provider-gce-lb-src-cidrs', 'cluster-cidr', 'cluster-name', 'configure-cloud-routes', 'controller-start-interval',
  'controllers', 'external-cloud-volume-plugin', 'feature-gates', 'kube-api-burst', 'kube-api-content-type', 'kube-api-qps',
  'leader-elect', 'leader-elect-lease-duration', 'leader-elect-renew-deadline', 'leader-elect-resource-lock',
  'leader-elect-resource-name', 'leader-elect-resource-namespace', 'leader-elect-retry-period', 'min-resync-period',
  'node-monitor-period', 'route-reconciliation-period', 'use-service-account-credentials',
  // service controller
  'concurrent-service-syncs',
  // secure serving
  'bind-address', 'cert-dir', 'http2-max-streams-per-connection', 'permit-address-sharing', 'permit-port-sharing',
  'secure-port', 'tls-cert-file', 'tls-cipher-suites', 'tls-min-version', 'tls-private-key-file', 'tls-sni-cert-key',
  // authentication
  'authentication-kubeconfig', 'authentication-skip-lookup', 'authentication-token-webhook-cache-ttl',
  'authentication-tolerate-lookup-failure', 'client-ca-file', 'requestheader-allowed-names', 'requestheader-client-ca-file',
  'requestheader-extra-headers-prefix', 'requestheader-group-headers', 'requestheader-username-headers',
  // authorization
  'authorization-always-allow-paths', 'authorization-kubeconfig', 'authorization-webhook-cache-authorized-ttl',
  'authorization-webhook-cache-unauthorized-ttl',
  // attach/detach controller
  'attach-detach-reconcile-sync-period', 'disable-attach-detach-reconcile-sync',
  // CSR signing controller
  'cluster-signing-cert-file', 'cluster-signing-duration', 'cluster-signing-key-file',
  'cluster-signing-kube-apiserver-client-cert-file', 'cluster-signing-kube-apiserver-client-key-file',
  'cluster-signing-kubelet-client-cert-file', 'cluster-signing-kubelet-client-key-file',
  'cluster-signing-kubelet-serving-cert-file', 'cluster-signing-kubelet-serving-key-file',
  'cluster-signing-legacy-unknown-cert-file', 'cluster-signing-legacy-unknown-key-file',
  // workload controllers
  'concurrent-cron-job-syncs', 'concurrent-daemonset-syncs', 'concurrent-deployment-syncs', 'concurrent-job-syncs',
  'concurrent-rc-syncs', 'concurrent-replicaset-syncs', 'concurrent-statefulset-syncs', 'concurrent-ttl-after-finished-syncs',
  // endpoint, endpoint slice and mirroring controllers
  'concurrent-endpoint-syncs', 'endpoint-updates-batch-period', 'concurrent-service-endpoint-syncs', 'max-endpoints-per-slice',
  'endpointslice-updates-batch-period', 'mirroring-concurrent-service-endpoint-syncs',
  'mirroring-endpointslice-updates-batch-period', 'mirroring-max-endpoints-per-subset',
  // ephemeral volume, garbage collector, namespace, resource quota, service account controllers
  'concurrent-ephemeralvolume-syncs', 'concurrent-gc-syncs', 'enable-garbage-collector', 'concurrent-namespace-syncs',
  'namespace-sync-period', 'concurrent-resource-quota-syncs', 'resource-quota-sync-period',
  'concurrent-serviceaccount-token-syncs', 'root-ca-file', 'service-account-private-key-file',
  'legacy-service-account-token-clean-up-period', 'concurrent-validating-admission-policy-status-syncs',
  // horizontal pod autoscaler
  'concurrent-horizontal-pod-autoscaler-syncs', 'horizontal-pod-autoscaler-cpu-initialization-period',
  'horizontal-pod-autoscaler-downscale-stabilization', 'horizontal-pod-autoscaler-initial-readiness-delay',
  'horizontal-pod-autoscaler-sync-period', 'horizontal-pod-autoscaler-tolerance',
  // node IPAM and node lifecycle
  'node-cidr-mask-size', 'node-cidr-mask-size-ipv4', 'node-cidr-mask-size-ipv6', 'service-cluster-ip-range',
  'large-cluster-size-threshold', 'node-eviction-rate', 'node-monitor-grace-period', 'node-startup-grace-period',
  'secondary-node-eviction-rate', 'unhealthy-zone-threshold',
  // persistent volume binder
  'enable-dynamic-provisioning', 'enable-hostpath-provisioner', 'flex-volume-plugin-dir', 'pv-recycler-increment-timeout-nfs',
  'pv-recycler-minimum-timeout-hostpath', 'pv-recycler-minimum-timeout-nfs', 'pv-recycler-pod-template-filepath-hostpath',
  'pv-recycler-pod-template-filepath-nfs', 'pv-recycler-timeout-increment-hostpath', 'pvclaimbinder-sync-period',
  'volume-host-allow-local-loopback', 'volume-host-cidr-denylist',
  // pod garbage collector
  'terminated-pod-gc-threshold',
  // leader migration
  'enable-leader-migration', 'leader-migration-config',
  // misc
  'contention-profiling', 'kubeconfig', 'master', 'profiling',
  // metrics, logs
  'allow-metric-labels', 'allow-metric-labels-manifest', 'disabled-metrics', 'show-hidden-metrics-for-version',
  'log-flush-frequency', 'log-json-info-buffer-size', 'log-json-split-stream', 'logging-format', 'v', 'vmodule',
  'version', 'help',
]);
