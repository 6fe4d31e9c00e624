/**
 * ControlPlane: the per-cluster settings of kube-apiserver, etcd, API Priority
 * and Fairness and the cluster-level kubelet configuration. Optional: a cluster
 * without one gets a control plane derived from its capacity.
 *
 * ```ts
 * new ControlPlane(cluster, 'control-plane', { etcd: { quotaBackendBytes: 16 * GIB_BYTES, acknowledgeQuotaAbove8GiB: true } });
 * ```
 */
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ServiceAccountRef } from './priority-and-fairness';
import { Cluster } from '../clusters/cluster';

/** CIS Kubernetes Benchmark items whose unsafe choice the library lets a cluster make, explicitly. */
export interface UnsafeApiserverSettings {
  /** Allow anonymous requests (CIS 1.2.1), e.g. for load balancer health checks that cannot authenticate. @default false */
  readonly anonymousAuth?: boolean;
  /** Serve /debug/pprof (CIS 1.2.16). @default false */
  readonly profiling?: boolean;
  /** Leave out the AlwaysPullImages admission plugin (CIS 1.2.11), e.g. when the registry cannot take the pull load. @default false */
  readonly withoutAlwaysPullImages?: boolean;
  /** Leave out the EventRateLimit admission plugin (CIS 1.2.9). @default false */
  readonly withoutEventRateLimit?: boolean;
  /** Leave out the DenyServiceExternalIPs admission plugin (CIS 1.2.3), for clusters that use Service externalIPs. @default false */
  readonly withoutDenyServiceExternalIPs?: boolean;
}

/** Audit log rotation of the apiserver. */
export interface AuditLogOptions {
  /** Days to keep rotated audit logs, a whole number (CIS 1.2.18 asks for 30 or more); or give `maxAge`. @default 30 */
  readonly maxAgeDays?: number;
  /** How long to keep rotated audit logs: whole days (CIS 1.2.18 asks for 30 or more); or give `maxAgeDays`. @default Duration.days(30) */
  readonly maxAge?: Duration;
  /** Rotated audit log files to keep (CIS 1.2.19 asks for 10 or more). @default 10 */
  readonly maxBackups?: number;
  /** Size at which the audit log is rotated, in MiB (CIS 1.2.20 asks for 100 or more). @default 100 */
  readonly maxSizeMiB?: number;
}

/** Encryption of Secrets at rest, through a KMS v2 plugin on every control-plane host (no key material in the output). */
export interface EncryptionAtRestOptions {
  /** Name of the KMS provider (recorded with every encrypted object). @default 'fleet-kms' */
  readonly kmsName?: string;
  /** The KMS plugin's gRPC endpoint on the control-plane host. @default 'unix:///var/run/kms-plugin/socket.sock' */
  readonly kmsEndpoint?: string;
  /** Resources encrypted besides `secrets`. @default [] */
  readonly extraResources?: readonly string[];
}

/** kube-apiserver settings. */
export interface ApiserverOptions {
  /**
   * kube-apiserver replicas (static pods, one per control-plane host, behind a
   * load balancer): a whole number from 1 to `MAX_APISERVER_REPLICAS` (9).
   * @default 3, or 5 above 3,000 nodes
   */
  readonly replicas?: number;
  /** kube-apiserver image. @default 'registry.k8s.io/kube-apiserver:v<cluster version>' */
  readonly image?: string;
  /** `--max-requests-inflight` (whole, 1–100,000). @default - by cluster size: 400, 1500 above 500 nodes, 3000 above 3,000 nodes */
  readonly maxRequestsInflight?: number;
  /** `--max-mutating-requests-inflight` (whole, 1–100,000). @default - by cluster size: 200, 500 above 500 nodes, 1000 above 3,000 nodes */
  readonly maxMutatingRequestsInflight?: number;
  /** `--goaway-chance` (0–0.02; only with more than one replica). @default 0.001 with more than one replica, else 0 */
  readonly goawayChance?: number;
  /** Service cluster IP range. @default '10.96.0.0/12' */
  readonly serviceClusterIpRange?: string;
  /** Audit log rotation. @default - see {@link AuditLogOptions} */
  readonly auditLog?: AuditLogOptions;
  /** Encryption at rest. @default - see {@link EncryptionAtRestOptions} */
  readonly encryption?: EncryptionAtRestOptions;
  /** Extra feature gates (merged over the ones the fleet needs). @default {} */
  readonly featureGates?: Readonly<Record<string, boolean>>;
  /** Unsafe choices, each reported as a warning on every synth. @default - none */
  readonly unsafe?: UnsafeApiserverSettings;
}

/** Settings of one etcd cluster. */
export interface EtcdClusterOptions {
  /** Members: odd, 1, 3, 5 or 7 (etcd recommends at most 7). @default 3 (main: 5 above 1,000 nodes) */
  readonly members?: number;
  /** Backend quota in bytes (whole, at most 64 GiB; above 8 GiB needs `acknowledgeQuotaAbove8GiB`). @default 8 GiB */
  readonly quotaBackendBytes?: number;
  /** Accept a quota above 8 GiB (etcd warns at start-up and recovery takes longer); a warning is reported on every synth. @default false */
  readonly acknowledgeQuotaAbove8GiB?: boolean;
  /** `snapshot-count`: committed transactions between snapshots to disk. @default 10000 */
  readonly snapshotCount?: number;
  /** `auto-compaction-retention` (periodic), in whole hours; the apiserver also compacts every 5 minutes. Or give `autoCompactionRetention`. @default 1 */
  readonly autoCompactionRetentionHours?: number;
  /** `auto-compaction-retention` (periodic): whole hours; the apiserver also compacts every 5 minutes. Or give `autoCompactionRetentionHours`. @default Duration.hours(1) */
  readonly autoCompactionRetention?: Duration;
}

/** etcd settings of a cluster. */
export interface EtcdOptions extends EtcdClusterOptions {
  /** Largest round-trip time between members, in ms (above 0, at most 5000); heartbeat and election timeout are derived from it. Or give `roundTrip`. @default 10 */
  readonly roundTripMillis?: number;
  /** Largest round-trip time between members (above 0, at most 5 seconds); or give `roundTripMillis`. @default Duration.millis(10) */
  readonly roundTrip?: Duration;
  /** Explicit `heartbeat-interval` in whole ms; or give `heartbeatInterval`. @default - max(100, round trip) */
  readonly heartbeatMillis?: number;
  /** Explicit `heartbeat-interval`: whole milliseconds; or give `heartbeatMillis`. @default - max(100 ms, round trip) */
  readonly heartbeatInterval?: Duration;
  /** Explicit `election-timeout` in whole ms (≥ 10 × round trip, ≥ 5 × heartbeat); or give `electionTimeout`. @default - max(1000, 10 × round trip, 5 × heartbeat) */
  readonly electionMillis?: number;
  /** Explicit `election-timeout`: whole milliseconds (≥ 10 × round trip, ≥ 5 × heartbeat); or give `electionMillis`. @default - max(1 s, 10 × round trip, 5 × heartbeat) */
  readonly electionTimeout?: Duration;
  /** Store events in a separate etcd cluster (`--etcd-servers-overrides=/events#...`). @default - true above 1,000 nodes */
  readonly splitEvents?: boolean;
  /** The events etcd cluster, when split. @default - 3 members, 8 GiB */
  readonly events?: EtcdClusterOptions;
}

/**
 * The S3-compatible object store etcd snapshots are shipped to, off the
 * cluster they protect. Credentials are only referenced: the Secret is
 * provisioned out of band in the `etcd-backup` namespace and never written
 * to the output.
 */
export interface BackupObjectStore {
  /** S3 endpoint URL, `https://` only (e.g. `'https://s3.eu-west-1.amazonaws.com'`). */
  readonly endpoint: string;
  /** Bucket name (3–63 characters: lowercase letters, digits, dots and hyphens). */
  readonly bucket: string;
  /** Key prefix inside the bucket; snapshots go to `<prefix>/<member>/`. @default - the cluster's name */
  readonly prefix?: string;
  /** Region of the bucket. @default 'us-east-1' */
  readonly region?: string;
  /** rclone's S3 provider name (`AWS`, `Minio`, `Ceph`, `GCS`, `Other`...). @default 'Other' */
  readonly provider?: string;
  /**
   * Name of the Secret in the `etcd-backup` namespace with the keys
   * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`; it needs only put, list and
   * delete on the prefix. @default 'etcd-backup-object-store'
   */
  readonly credentialsSecret?: string;
  /**
   * Address blocks (CIDR) of the object store, the only destinations the
   * backup job may reach on the endpoint's port. A NetworkPolicy cannot name
   * a host, so without them the port is open towards any address.
   * @default - any address, on the endpoint's port only
   */
  readonly cidrs?: readonly string[];
}

/**
 * Scheduled etcd snapshots, shipped off the cluster. Each member of the main
 * etcd cluster gets a CronJob of its own (etcdctl takes a snapshot from exactly
 * one endpoint, and the job runs no shell to loop over them), so a member that
 * is down fails its own job and no other.
 */
export interface EtcdBackupOptions {
  /** Where snapshots go. Required: a backup that stays inside the cluster it protects is no disaster recovery. */
  readonly objectStore: BackupObjectStore;
  /** Cron schedule of snapshots (UTC). @default '17 * * * *' (hourly) */
  readonly schedule?: string;
  /**
   * Days a snapshot is kept in the object store: after each successful upload
   * the job deletes that member's snapshots older than this. Or give
   * `retention`. @default 14
   */
  readonly retentionDays?: number;
  /** How long a snapshot is kept in the object store: whole days; or give `retentionDays`. @default Duration.days(14) */
  readonly retention?: Duration;
  /**
   * Image with `etcdctl` v3.5 (`snapshot save`, `snapshot status`), run without a shell.
   * @default 'registry.k8s.io/etcd:3.5.9-0'
   */
  readonly image?: string;
  /** Image of the uploader: rclone, run without a shell. @default 'rclone/rclone:1.68.2' */
  readonly uploaderImage?: string;
  /** Scratch space (an emptyDir) for one snapshot, in GiB. @default - the main etcd quota plus 1 GiB, rounded up */
  readonly scratchGiB?: number;
}

/** Cluster-level parts of every node's KubeletConfiguration. */
export interface ClusterKubeletOptions {
  /** Lifetime of kubelet certificates signed by the cluster, in whole hours; the kubelet rotates at 70–90% of it. Or give `certificateLifetime`. @default 168 (7 days) */
  readonly certificateLifetimeHours?: number;
  /** Lifetime of kubelet certificates signed by the cluster: whole hours, at least a day; or give `certificateLifetimeHours`. @default Duration.days(7) */
  readonly certificateLifetime?: Duration;
  /** Graceful node shutdown: time the node delays shutdown for pods, in whole seconds; or give `shutdownGracePeriod`. @default 60 */
  readonly shutdownGracePeriodSeconds?: number;
  /** Graceful node shutdown: how long the node delays shutdown for pods, whole seconds; or give `shutdownGracePeriodSeconds`. @default Duration.seconds(60) */
  readonly shutdownGracePeriod?: Duration;
  /** Part of the shutdown grace period reserved for critical pods, in whole seconds; or give `shutdownGracePeriodCriticalPods`. @default 20 */
  readonly shutdownGracePeriodCriticalPodsSeconds?: number;
  /** Part of the shutdown grace period reserved for critical pods: whole seconds; or give `shutdownGracePeriodCriticalPodsSeconds`. @default Duration.seconds(20) */
  readonly shutdownGracePeriodCriticalPods?: Duration;
  /** Cluster DNS service IP. @default '10.96.0.10' */
  readonly clusterDns?: string;
  /** Cluster DNS domain. @default 'cluster.local' */
  readonly clusterDomain?: string;
}

/** API Priority and Fairness settings. */
export interface ApiPriorityOptions {
  /** Service accounts of platform controllers (besides every service account of the fleet's system namespace), put into their own bounded priority level. @default [] */
  readonly platformControllers?: readonly ServiceAccountRef[];
  /** Concurrency shares of the platform controllers' level; it never borrows beyond them. @default 20 */
  readonly platformControllerShares?: number;
}

/** kube-controller-manager settings. */
export interface ControllerManagerOptions {
  /**
   * Extra kube-controller-manager flags, name (without `--`) to value, e.g.
   * `{ 'concurrent-gc-syncs': '30' }`. Each must be a flag kube-controller-manager
   * 1.28 accepts, and may not be one the fleet sets itself (signing, serving,
   * client rate, leader election...: those follow from the typed props).
   * @default {}
   */
  readonly extraFlags?: Readonly<Record<string, string>>;
}

/** Props of {@link ControlPlane}. */
export interface ControlPlaneProps {
  /** DNS domain of the control-plane hosts (`apiserver-1.<domain>`, `etcd-1.<domain>`...). @default '<cluster>.<region>.k8s.internal' */
  readonly domain?: string;
  /** kube-apiserver. @default - derived from the cluster's capacity */
  readonly apiserver?: ApiserverOptions;
  /** kube-controller-manager. @default - derived from the cluster's capacity */
  readonly controllerManager?: ControllerManagerOptions;
  /** etcd. @default - derived from the cluster's capacity */
  readonly etcd?: EtcdOptions;
  /** etcd snapshots, shipped to an object store. @default - no backups, reported as the warning `control-plane.backup.none` */
  readonly backup?: EtcdBackupOptions;
  /** Cluster-level kubelet settings. @default - see {@link ClusterKubeletOptions} */
  readonly kubelet?: ClusterKubeletOptions;
  /** API Priority and Fairness. @default - see {@link ApiPriorityOptions} */
  readonly apiPriority?: ApiPriorityOptions;
  /**
   * Accept more than 5,000 nodes, up to this count (the SIG Scalability
   * threshold); reported as a warning on every synth. @default - more than 5,000 nodes is an error
   */
  readonly acknowledgeNodesAbove5000?: number;
}

/**
 * The control plane of the cluster it is added to. At most one per cluster.
 * Every prop is checked in the validate stage, bounded by `MAX_APISERVER_REPLICAS`
 * and `CONTROL_PLANE_LIMITS`.
 */
export class ControlPlane extends Construct {
  /** The cluster. */
  public readonly cluster: Cluster;
  /** The props as given. */
  public readonly props: ControlPlaneProps;

  constructor(scope: Cluster, id: string, props: ControlPlaneProps = {}) {
    super(scope, id);
    this.cluster = scope;
    this.props = props;
  }
}
