/**
 * The control plane's rules: ControlPlane props, the CIS checks, the kubelet
 * settings of node profiles in use and the SIG Scalability thresholds. Each id
 * here is a rule `Violations` accepts (see `src/core/rules.ts` for how the ids
 * reach it); the rule table in docs/control-plane.md is generated from this
 * catalogue.
 *
 * Two families of ids are built at run time: `control-plane.unsafe.<setting>`
 * (one per key of `UnsafeApiserverSettings`) and
 * `control-plane.threshold.<kind>[.near]` (one per `CountedKind`). Their
 * template strings are typed by the keys they are built from, so a new key is
 * a compile error until its ids are catalogued here.
 */
import { PLATFORM_PODS_FIX } from './platform-pods';
import { CONTROL_PLANE_LIMITS, MAX_APISERVER_REPLICAS } from './settings';
import { SCALABILITY_THRESHOLDS } from './thresholds';
import { RuleIdsOf, groupDigits, ruleCatalogue } from '../core/rules';

const UNSAFE_FIX = 'remove the setting from apiserver.unsafe when it is no longer needed';

/** The control plane's rules. @internal */
export const CONTROL_PLANE_RULES = ruleCatalogue('control-plane', {
  'control-plane.scope': {
    summary: 'a ControlPlane is a child of the Cluster it configures',
    fix: 'create it as new ControlPlane(cluster, id, props)',
    severity: 'error',
  },
  'control-plane.unique': {
    summary: 'a cluster has at most one ControlPlane',
    fix: 'declare one ControlPlane per cluster',
    severity: 'error',
  },
  'control-plane.domain': {
    summary: 'the control-plane domain is a DNS subdomain of at most 200 characters (it names every control-plane host and certificate)',
    fix: 'use a domain like lva1-prod-1.lva1.k8s.internal',
    severity: 'error',
  },
  'control-plane.apiserver.replicas': {
    summary: `the cluster runs 1 to ${MAX_APISERVER_REPLICAS} apiservers, one per control-plane host`,
    fix: `run a whole number of apiservers from 1 to ${MAX_APISERVER_REPLICAS} (3 for high availability, 5 above 3,000 nodes)`,
    severity: 'error',
  },
  'control-plane.apiserver.single': {
    summary: 'a single apiserver makes every restart an outage of the API',
    fix: 'run 3 apiserver replicas',
    severity: 'warning',
  },
  'control-plane.apiserver.image': {
    summary: 'the apiserver image is pinned to a version tag or digest',
    fix: 'pin the image to a version tag or digest',
    severity: 'error',
  },
  'control-plane.apiserver.inflight': {
    summary: `the in-flight request limits are positive whole numbers of at most ${groupDigits(CONTROL_PLANE_LIMITS.inflight)}`,
    fix: 'omit maxRequestsInflight/maxMutatingRequestsInflight to size them by cluster',
    severity: 'error',
  },
  'control-plane.apiserver.inflight.small': {
    summary: 'explicit in-flight limits below what suits the cluster\'s node count throttle the API',
    fix: 'omit maxRequestsInflight/maxMutatingRequestsInflight to size by cluster',
    severity: 'warning',
  },
  'control-plane.apiserver.goaway-chance': {
    summary: 'goawayChance is 0–0.02, and unset with one apiserver (there is no other to move clients to)',
    fix: 'omit goawayChance (0.001 with several replicas, off with one) or use 0–0.02',
    severity: 'error',
  },
  'control-plane.apiserver.service-cidr': {
    summary: 'the Service cluster IP range is an IPv4 CIDR',
    fix: "use a range like '10.96.0.0/12'",
    severity: 'error',
  },
  'control-plane.apiserver.audit-log': {
    summary: 'the audit log rotation settings are positive whole numbers within their bounds',
    fix: 'use a positive whole number within the bound of CONTROL_PLANE_LIMITS',
    severity: 'error',
  },
  'control-plane.apiserver.kms-name': {
    summary: 'the KMS provider name is a DNS subdomain',
    fix: "use a name like 'fleet-kms'",
    severity: 'error',
  },
  'control-plane.apiserver.encryption-resources': {
    summary: 'the extra resources encrypted at rest are a list of resource names',
    fix: "list resources like 'configmaps' or 'widgets.example.com'",
    severity: 'error',
  },
  'control-plane.apiserver.kms-endpoint': {
    summary: 'the KMS plugin endpoint is a unix socket on the control-plane host',
    fix: "use 'unix:///path/to/socket.sock'",
    severity: 'error',
  },
  'control-plane.apiserver.feature-gates': {
    summary: 'apiserver feature gates are gate names mapped to true or false',
    fix: "use gate names like 'APIListChunking' with true or false",
    severity: 'error',
  },
  'control-plane.apiserver.feature-gate.required': {
    summary: 'no feature gate turns off what the fleet needs (ValidatingAdmissionPolicy for the guardrails)',
    fix: 'remove the gate from featureGates',
    severity: 'error',
  },
  'control-plane.apiserver.unknown-flag': {
    summary: 'the apiserver is given only flags kube-apiserver accepts, so it starts',
    fix: 'remove the flags',
    severity: 'error',
  },
  'control-plane.scheduler.unknown-flag': {
    summary: 'the scheduler is given only flags kube-scheduler accepts, so it starts',
    fix: 'remove the flags',
    severity: 'error',
  },
  'control-plane.controller-manager.unknown-flag': {
    summary: 'the controller manager is given only flags kube-controller-manager accepts, so it starts',
    fix: 'remove the flags',
    severity: 'error',
  },
  'control-plane.controller-manager.extra-flags': {
    summary: 'controllerManager.extraFlags maps flag names (without --) to one-line string values',
    fix: "use e.g. { 'concurrent-gc-syncs': '30' }",
    severity: 'error',
  },
  'control-plane.controller-manager.flag-override': {
    summary: 'controllerManager.extraFlags does not replace a flag the fleet sets (signing, serving, client rate, leader election...)',
    fix: 'remove them from controllerManager.extraFlags (the fleet derives them from the cluster and the typed props)',
    severity: 'error',
  },
  'control-plane.cis': {
    summary: 'every CIS 1.2 / 1.3 / 1.4 / 2 item passes unless an apiserver.unsafe setting accepts its failure explicitly',
    fix: 'restore the secure setting',
    severity: 'error',
  },
  'control-plane.unsafe.type': {
    summary: 'apiserver.unsafe maps settings to true or false',
    fix: 'set each unsafe choice to true, or omit it',
    severity: 'error',
  },
  'control-plane.unsafe.anonymousAuth': {
    summary: 'an explicit unsafe choice: anonymous requests are allowed (CIS 1.2.1)',
    fix: UNSAFE_FIX,
    severity: 'warning',
  },
  'control-plane.unsafe.profiling': {
    summary: 'an explicit unsafe choice: profiling is on (CIS 1.2.16)',
    fix: UNSAFE_FIX,
    severity: 'warning',
  },
  'control-plane.unsafe.withoutAlwaysPullImages': {
    summary: 'an explicit unsafe choice: AlwaysPullImages is off, so a pod can use images pulled for another tenant (CIS 1.2.11)',
    fix: UNSAFE_FIX,
    severity: 'warning',
  },
  'control-plane.unsafe.withoutEventRateLimit': {
    summary: 'an explicit unsafe choice: EventRateLimit is off, so one client can flood the events store (CIS 1.2.9)',
    fix: UNSAFE_FIX,
    severity: 'warning',
  },
  'control-plane.unsafe.withoutDenyServiceExternalIPs': {
    summary: 'an explicit unsafe choice: DenyServiceExternalIPs is off, so Service externalIPs can intercept traffic (CIS 1.2.3)',
    fix: UNSAFE_FIX,
    severity: 'warning',
  },
  'control-plane.etcd.round-trip': {
    summary: `the declared etcd round trip is positive and at most ${CONTROL_PLANE_LIMITS.roundTripMillis} ms (the election timeout derives from it)`,
    fix: `declare the largest round-trip time between etcd members, in ms (e.g. 10, at most ${CONTROL_PLANE_LIMITS.roundTripMillis})`,
    severity: 'error',
  },
  'control-plane.etcd.timing': {
    summary: 'explicit etcd heartbeat and election timeouts suit the round trip, as etcd\'s tuning guide asks',
    fix: 'omit heartbeatMillis/electionMillis to derive them from the round trip',
    severity: 'error',
  },
  'control-plane.etcd.members': {
    summary: 'an etcd cluster has an odd member count of 1, 3, 5 or 7, so it keeps quorum',
    fix: 'use an odd member count: 1, 3, 5 or 7 (3, or 5 for large clusters)',
    severity: 'error',
  },
  'control-plane.etcd.quota': {
    summary: `the etcd backend quota is a whole number of bytes, at most ${CONTROL_PLANE_LIMITS.quotaBackendBytes / 1024 ** 3} GiB`,
    fix: `use a whole number of bytes, at most ${CONTROL_PLANE_LIMITS.quotaBackendBytes / 1024 ** 3} GiB, e.g. 8 * GIB_BYTES`,
    severity: 'error',
  },
  'control-plane.etcd.quota.above-8gib': {
    summary: 'a backend quota above the 8 GiB etcd recommends is acknowledged (then a warning), since defragmentation and recovery take longer',
    fix: 'lower quotaBackendBytes to 8 GiB or less, or set acknowledgeQuotaAbove8GiB: true (then watch etcd_mvcc_db_total_size_in_bytes and defragment regularly)',
  },
  'control-plane.etcd.snapshot-count': {
    summary: `etcd's snapshotCount is a positive whole number of at most ${groupDigits(CONTROL_PLANE_LIMITS.snapshotCount)}`,
    fix: `use a positive whole number of at most ${CONTROL_PLANE_LIMITS.snapshotCount} (default 10000)`,
    severity: 'error',
  },
  'control-plane.etcd.compaction': {
    summary: `etcd's compaction retention is a positive whole number of hours, at most ${CONTROL_PLANE_LIMITS.autoCompactionRetentionHours}`,
    fix: `use a positive whole number of hours, at most ${CONTROL_PLANE_LIMITS.autoCompactionRetentionHours}`,
    severity: 'error',
  },
  'control-plane.etcd.split-events': {
    summary: 'splitEvents is true or false',
    fix: 'set splitEvents to true or false, or omit it',
    severity: 'error',
  },
  'control-plane.etcd.events': {
    summary: 'the events etcd settings are an object',
    fix: 'give etcd.events as an object, or omit it',
    severity: 'error',
  },
  'control-plane.etcd.events.unused': {
    summary: 'events etcd settings are given only where events are split off, so none are silently ignored',
    fix: 'set etcd.splitEvents: true or remove etcd.events',
    severity: 'error',
  },
  'control-plane.backup.schedule': {
    summary: 'the etcd backup schedule is a five-field cron schedule',
    fix: "use e.g. '17 * * * *' (hourly)",
    severity: 'error',
  },
  'control-plane.backup.retention': {
    summary: `snapshots are kept 1 to ${groupDigits(CONTROL_PLANE_LIMITS.backupRetentionDays)} whole days in the object store`,
    fix: `keep snapshots a whole number of days, 1 to ${CONTROL_PLANE_LIMITS.backupRetentionDays} (default 14)`,
    severity: 'error',
  },
  'control-plane.backup.image': {
    summary: 'the backup images (etcdctl and uploader) are pinned to a version tag or digest',
    fix: 'pin the image to a version tag or digest',
    severity: 'error',
  },
  'control-plane.backup.scratch': {
    summary: `the scratch space for one snapshot is a positive whole number of GiB, at most ${groupDigits(CONTROL_PLANE_LIMITS.backupScratchGiB)}`,
    fix: `use a positive whole number of GiB, at most ${CONTROL_PLANE_LIMITS.backupScratchGiB}, above the etcd quota`,
    severity: 'error',
  },
  'control-plane.platform-pods.unschedulable': {
    summary: 'a cluster with nodes has a pool without NoSchedule or NoExecute taints, where the kubelet-serving CSR approver and the etcd backups run',
    fix: PLATFORM_PODS_FIX,
    severity: 'error',
  },
  'control-plane.backup.none': {
    summary: 'every cluster backs its etcd up to an object store, off the cluster',
    fix: "add a ControlPlane with backup.objectStore { endpoint: 'https://...', bucket: '...' } outside the cluster",
    severity: 'warning',
  },
  'control-plane.backup.object-store': {
    summary: 'etcd snapshots are shipped to a declared object store, off the cluster they protect',
    fix: "declare backup.objectStore { endpoint: 'https://...', bucket: '...' } outside the cluster it protects",
    severity: 'error',
  },
  'control-plane.backup.object-store.endpoint': {
    summary: 'the object store endpoint is an https URL of a host and optional port',
    fix: "use e.g. 'https://s3.eu-west-1.amazonaws.com'",
    severity: 'error',
  },
  'control-plane.backup.object-store.bucket': {
    summary: 'the bucket is an S3 bucket name',
    fix: 'use 3-63 lower-case letters, digits, dots and hyphens',
    severity: 'error',
  },
  'control-plane.backup.object-store.prefix': {
    summary: 'the key prefix is plain: segments of letters, digits, dots, underscores and hyphens',
    fix: "use '/'-separated segments of letters, digits, '.', '_' and '-', no leading or trailing '/', at most 200 characters",
    severity: 'error',
  },
  'control-plane.backup.object-store.region': {
    summary: 'the object store region is a region name',
    fix: "use e.g. 'eu-west-1'",
    severity: 'error',
  },
  'control-plane.backup.object-store.provider': {
    summary: "the object store provider is one of rclone's S3 provider names",
    fix: "use e.g. 'AWS', 'Minio', 'Ceph' or 'Other'",
    severity: 'error',
  },
  'control-plane.backup.object-store.credentials': {
    summary: 'the credentials are referenced by a Secret name, never written',
    fix: "name the Secret, e.g. 'etcd-backup-object-store'",
    severity: 'error',
  },
  'control-plane.backup.object-store.cidrs': {
    summary: "the object store's address blocks are CIDR blocks",
    fix: "list the object store's address blocks, e.g. ['52.95.0.0/16']",
    severity: 'error',
  },
  'control-plane.kubelet.certificate-lifetime': {
    summary: 'kubelet certificates live at least 24 hours and at most ten years',
    fix: 'use at least 24 hours (default 168, 7 days)',
    severity: 'error',
  },
  'control-plane.kubelet.certificate-lifetime.long': {
    summary: 'kubelet certificates that live longer than 90 days rotate so rarely that a failing rotation goes unnoticed',
    fix: 'rotate at least every 90 days (default 7 days)',
    severity: 'warning',
  },
  'control-plane.kubelet.shutdown': {
    summary: 'the kubelet\'s graceful shutdown is whole seconds, the critical pods\' part smaller than the total',
    fix: 'use whole seconds, the critical pods\' part smaller than the total (default 60s / 20s)',
    severity: 'error',
  },
  'control-plane.time': {
    summary: 'a time prop is a Duration or its number prop (not both), a whole number of the unit the flag takes (the etcd round trip may be a fraction of a millisecond)',
    fix: 'give one of the two props, e.g. Duration.hours(24), in whole units of the number prop',
    severity: 'error',
  },
  'control-plane.kubelet.cluster-domain': {
    summary: 'the kubelet\'s cluster domain is a DNS subdomain',
    fix: "use the cluster's DNS domain, e.g. 'cluster.local'",
    severity: 'error',
  },
  'control-plane.kubelet.cluster-dns': {
    summary: 'the kubelet\'s cluster DNS is an IPv4 address',
    fix: "use the DNS Service's cluster IP, e.g. '10.96.0.10'",
    severity: 'error',
  },
  'control-plane.kubelet.rotate-certificates': {
    summary: 'a node profile in use keeps kubelet certificate rotation on, so nodes do not drop out when their certificate expires',
    fix: 'remove rotateCertificates: false',
    severity: 'error',
  },
  'control-plane.kubelet.server-tls-bootstrap': {
    summary: 'a node profile in use keeps serverTLSBootstrap on, so the apiserver can verify kubelet serving certificates (CIS 1.2.5)',
    fix: 'remove serverTLSBootstrap: false',
    severity: 'error',
  },
  'control-plane.api-priority.shares': {
    summary: `the platform controllers' API Priority and Fairness shares are a positive whole number of at most ${groupDigits(CONTROL_PLANE_LIMITS.platformControllerShares)}`,
    fix: `use a positive whole number of at most ${CONTROL_PLANE_LIMITS.platformControllerShares} (default 20)`,
    severity: 'error',
  },
  'control-plane.api-priority.controllers': {
    summary: 'the platform controllers are service accounts with valid namespace and name',
    fix: "list service accounts like { namespace: 'fleet-system', name: 'pool-controller' }",
    severity: 'error',
  },
  'control-plane.threshold.acknowledgement': {
    summary: `an acknowledged node count is above ${groupDigits(SCALABILITY_THRESHOLDS.nodesPerCluster)} and at most ${groupDigits(CONTROL_PLANE_LIMITS.acknowledgedNodes)}`,
    fix: `acknowledge a node count above 5000 and at most ${CONTROL_PLANE_LIMITS.acknowledgedNodes}, or remove the acknowledgement`,
    severity: 'error',
  },
  'control-plane.threshold.nodes': {
    summary: `a cluster has at most ${groupDigits(SCALABILITY_THRESHOLDS.nodesPerCluster)} nodes (SIG Scalability's threshold), or at most the count it acknowledges`,
    fix: 'split the pools over more clusters, or acknowledge the size explicitly with ControlPlane\'s acknowledgeNodesAbove5000',
    severity: 'error',
  },
  'control-plane.threshold.nodes.acknowledged': {
    summary: `a cluster above ${groupDigits(SCALABILITY_THRESHOLDS.nodesPerCluster)} nodes, within its acknowledgement, runs beyond what SIG Scalability tests`,
    fix: 'keep the control plane and etcd under close watch; this size is outside what SIG Scalability tests',
    severity: 'warning',
  },
  'control-plane.threshold.pods-per-node': {
    summary: 'a node profile in use allows more pods per node than min(110, 10 × cores), beyond the tested limit',
    fix: 'lower the profile\'s maxPods to the threshold or less, or accept running beyond the tested limit',
    severity: 'warning',
  },
  'control-plane.threshold.pods': {
    summary: `a cluster runs at most ${groupDigits(SCALABILITY_THRESHOLDS.podsPerCluster)} pods (workload replicas and DaemonSet pods)`,
    fix: 'move tenants to another cluster until the cluster is within the threshold',
    severity: 'error',
  },
  'control-plane.threshold.pods.near': {
    summary: 'a cluster runs 90% or more of the pods threshold',
    fix: 'plan new tenants onto another cluster before the cluster passes the threshold',
    severity: 'warning',
  },
  'control-plane.threshold.namespaces': {
    summary: `a cluster has at most ${groupDigits(SCALABILITY_THRESHOLDS.namespacesPerCluster)} namespaces`,
    fix: 'move tenants to another cluster until the cluster is within the threshold',
    severity: 'error',
  },
  'control-plane.threshold.namespaces.near': {
    summary: 'a cluster has 90% or more of the namespaces threshold',
    fix: 'plan new tenants onto another cluster before the cluster passes the threshold',
    severity: 'warning',
  },
  'control-plane.threshold.services': {
    summary: `a cluster has at most ${groupDigits(SCALABILITY_THRESHOLDS.servicesPerCluster)} Services`,
    fix: 'move tenants to another cluster until the cluster is within the threshold',
    severity: 'error',
  },
  'control-plane.threshold.services.near': {
    summary: 'a cluster has 90% or more of the Services threshold',
    fix: 'plan new tenants onto another cluster before the cluster passes the threshold',
    severity: 'warning',
  },
});

declare module '../core/rules' {
  interface RuleIds extends RuleIdsOf<typeof CONTROL_PLANE_RULES> {}
}
