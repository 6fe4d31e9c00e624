/**
 * Resolves a cluster's control-plane settings from its ControlPlane props (if
 * any) and its capacity, reporting every bad input. Pure apart from reading
 * the construct's props.
 */
import { ApiPriorityOptions, ControlPlane, EtcdBackupOptions, EtcdClusterOptions, UnsafeApiserverSettings } from './control-plane';
import {
  DEFAULT_QUOTA_BACKEND_BYTES, ETCD_RECOMMENDED_MAX_QUOTA_BYTES, EtcdTiming, GIB_BYTES, InflightLimits, apiserverResources, ApiserverResources,
  defaultApiserverReplicas, defaultEtcdMembers, defaultGoawayChance, defaultSplitEvents, etcdMemberCountProblem, etcdTiming,
  etcdTimingProblem, goawayChanceProblem, inflightLimits,
} from './sizing';
import { Cluster } from '../clusters/cluster';
import { ClusterSpec } from '../clusters/slots';
import { describeValue, isRecord } from '../core/checks';
import { timeIn, timeProblems, timeProp } from '../core/durations';
import { Violations } from '../core/errors';
import { isDns1123Label, isDns1123Subdomain } from '../core/names';
import { isCidr } from '../core/network';
import { imagePinProblem, kubernetesVersionProblem } from '../core/versions';

/** Which etcd cluster. @internal */
export type EtcdRole = 'main' | 'events';

/** One etcd member. @internal */
export interface EtcdMember {
  /** Member name (`etcd-1`, `etcd-events-1`). */
  readonly name: string;
  /** Host name (`etcd-1.<domain>`). */
  readonly host: string;
}

/** Resolved settings of one etcd cluster. @internal */
export interface EtcdClusterSettings {
  /** Main or events. */
  readonly role: EtcdRole;
  /** Members, in order. */
  readonly members: readonly EtcdMember[];
  /** `quota-backend-bytes`. */
  readonly quotaBackendBytes: number;
  /** `snapshot-count`. */
  readonly snapshotCount: number;
  /** `auto-compaction-retention`, hours. */
  readonly autoCompactionRetentionHours: number;
  /** Raft timing. */
  readonly timing: EtcdTiming;
  /** `initial-cluster-token`. */
  readonly token: string;
}

/** Resolved object store of the backups. @internal */
export interface BackupObjectStoreSettings {
  /** `https://host[:port]`. */
  readonly endpoint: string;
  /** Host of the endpoint. */
  readonly host: string;
  /** TCP port of the endpoint. */
  readonly port: number;
  readonly bucket: string;
  /** Key prefix, no leading or trailing slash. */
  readonly prefix: string;
  readonly region: string;
  /** rclone's S3 provider. */
  readonly provider: string;
  /** Secret with `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`. */
  readonly credentialsSecret: string;
  /** Destinations the job may reach on `port`; empty: any address. */
  readonly cidrs: readonly string[];
}

/** Resolved backup settings. @internal */
export interface BackupSettings {
  readonly schedule: string;
  readonly retentionDays: number;
  /** Image with etcdctl. */
  readonly image: string;
  /** Image with rclone. */
  readonly uploaderImage: string;
  /** Scratch emptyDir for one snapshot, GiB. */
  readonly scratchGiB: number;
  readonly objectStore: BackupObjectStoreSettings;
}

/** Resolved settings of a cluster's control plane. @internal */
export interface ControlPlaneSettings {
  /** The cluster. */
  readonly cluster: Cluster;
  /** The construct carrying explicit settings, if any. */
  readonly construct?: ControlPlane;
  /** Kubernetes version of the control plane. */
  readonly version: string;
  /** DNS domain of the control-plane hosts. */
  readonly domain: string;
  /** Nodes of the cluster. */
  readonly nodes: number;
  /** kube-apiserver. */
  readonly apiserver: {
    readonly hosts: readonly string[];
    readonly image: string;
    readonly inflight: InflightLimits;
    readonly goawayChance: number;
    readonly serviceClusterIpRange: string;
    readonly audit: { readonly maxAgeDays: number; readonly maxBackups: number; readonly maxSizeMiB: number };
    readonly encryption: { readonly kmsName: string; readonly kmsEndpoint: string; readonly resources: readonly string[] };
    readonly featureGates: Readonly<Record<string, boolean>>;
    readonly unsafe: Readonly<Required<UnsafeApiserverSettings>>;
    readonly resources: ApiserverResources;
  };
  /** kube-controller-manager. */
  readonly controllerManager: {
    /** Extra flags as given (checked against the 1.28 flags and the generated ones in the layer). */
    readonly extraFlags: Readonly<Record<string, string>>;
  };
  /** etcd clusters: main, and events when split. */
  readonly etcd: { readonly main: EtcdClusterSettings; readonly events?: EtcdClusterSettings };
  /** Scheduled snapshots of the main etcd cluster, shipped off the cluster; undefined when no object store is declared (an error). */
  readonly backup?: BackupSettings;
  /** Cluster-level kubelet settings. */
  readonly kubelet: {
    readonly certificateLifetimeHours: number;
    readonly shutdownGracePeriodSeconds: number;
    readonly shutdownGracePeriodCriticalPodsSeconds: number;
    readonly clusterDns: string;
    readonly clusterDomain: string;
  };
  /** API Priority and Fairness. */
  readonly apiPriority: Required<ApiPriorityOptions>;
  /** Nodes accepted above 5,000, if acknowledged. */
  readonly acknowledgeNodesAbove5000?: number;
}

/** Feature gates the fleet needs on 1.28: ValidatingAdmissionPolicy is beta and off by default. @internal */
export const REQUIRED_FEATURE_GATES: Readonly<Record<string, boolean>> = { ValidatingAdmissionPolicy: true };
/** API versions the fleet needs served on 1.28 (`--runtime-config`). @internal */
export const REQUIRED_RUNTIME_CONFIG: readonly string[] = ['admissionregistration.k8s.io/v1beta1'];

/**
 * Default lifetime of the kubelet certificates the controller manager signs
 * (`--cluster-signing-duration`), in hours: 7 days. The kubelet renews at
 * 70–90% of the lifetime, so every node rotates both certificates every 5–6
 * days: a broken approver or signer shows within a week on every node, not
 * once a year, and a stolen kubelet key is useful for days, not a month. A
 * day's margin (the remaining 10–30%) covers an approver outage over a weekend.
 * @internal
 */
export const DEFAULT_KUBELET_CERTIFICATE_LIFETIME_HOURS = 168;

const CRON = /^(\S+\s+){4}\S+$/;
const CIDR = /^([0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,2}$/;
const IPV4 = /^([0-9]{1,3}\.){3}[0-9]{1,3}$/;
const FLAG_NAME = /^[a-z0-9][a-z0-9-]{0,99}$/;

function positiveInt(v: number): boolean {
  return Number.isInteger(v) && v > 0;
}

/**
 * Most kube-apiserver replicas a cluster may run. Each replica is a
 * control-plane host of its own (`apiserver-N.<domain>`) holding a watch cache
 * of the whole cluster and its own watches on etcd: beyond nine, another
 * replica adds etcd load and memory but no useful capacity (each apiserver is
 * sized by the cluster instead).
 */
export const MAX_APISERVER_REPLICAS = 9;

/** Upper bounds of the control plane's other numeric props: far above any sensible value, below what would overflow a flag or a config. */
export const CONTROL_PLANE_LIMITS = {
  /** `--max-requests-inflight` and `--max-mutating-requests-inflight`. */
  inflight: 100_000,
  /** Audit log: days kept (ten years). */
  auditMaxAgeDays: 3650,
  /** Audit log: rotated files kept. */
  auditMaxBackups: 1000,
  /** Audit log: rotation size, MiB. */
  auditMaxSizeMiB: 100_000,
  /** etcd backend quota, bytes (64 GiB; above 8 GiB needs an acknowledgement). */
  quotaBackendBytes: 64 * 1024 * 1024 * 1024,
  /** etcd `snapshot-count`. */
  snapshotCount: 10_000_000,
  /** etcd `auto-compaction-retention`, hours (one year). */
  autoCompactionRetentionHours: 8760,
  /** Round trip between etcd members, ms (the election timeout, 10 × it, may not pass etcd's 50 s). */
  roundTripMillis: 5000,
  /** Days an etcd snapshot is kept in the object store (ten years). */
  backupRetentionDays: 3650,
  /** Scratch space of the backup job for one snapshot, GiB. */
  backupScratchGiB: 65_536,
  /** Kubelet certificate lifetime, hours (ten years). */
  certificateLifetimeHours: 87_600,
  /** Graceful node shutdown, seconds (one day). */
  shutdownGracePeriodSeconds: 86_400,
  /** Concurrency shares of the platform controllers' priority level. */
  platformControllerShares: 10_000,
  /** Nodes a cluster may run with an acknowledgement above 5,000. */
  acknowledgedNodes: 100_000,
} as const;

function boundedInt(v: unknown, max: number): boolean {
  return typeof v === 'number' && positiveInt(v) && v <= max;
}

const HTTPS_ENDPOINT = /^https:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)(:([0-9]{1,5}))?$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REGION = /^[a-z0-9][a-z0-9-]{0,39}$/;
const PROVIDER = /^[A-Za-z][A-Za-z0-9]{0,31}$/;

/** True when every `/`-separated segment of a key prefix is plain (no `..`, no empty segment). @internal */
export function isObjectKeyPrefix(prefix: unknown): prefix is string {
  return typeof prefix === 'string' && prefix.length > 0 && prefix.length <= 200
    && prefix.split('/').every(seg => PREFIX_SEGMENT.test(seg) && seg !== '..' && seg !== '.');
}

/** The backup settings, or undefined (reported) when no object store is declared. */
function resolveBackup(
  b: EtcdBackupOptions | undefined, clusterName: string, quotaBytes: number, path: string, v: Violations,
): BackupSettings | undefined {
  const o = isRecord(b) ? b : {} as Partial<EtcdBackupOptions>;
  const schedule = o.schedule ?? '17 * * * *';
  if (typeof schedule !== 'string' || schedule.length > 200 || !CRON.test(schedule)) v.error(path, 'control-plane.backup.schedule', `'${schedule}' is not a five-field cron schedule`, "use e.g. '17 * * * *' (hourly)");
  const retentionDays = timeIn('days', o.retention, o.retentionDays) ?? 14;
  if (!boundedInt(retentionDays, CONTROL_PLANE_LIMITS.backupRetentionDays)) {
    v.error(path, 'control-plane.backup.retention', `snapshots are kept ${describeValue(retentionDays)} days`, `keep snapshots a whole number of days, 1 to ${CONTROL_PLANE_LIMITS.backupRetentionDays} (default 14)`);
  }
  const image = o.image ?? 'registry.k8s.io/etcd:3.5.9-0';
  const imageProblem = imagePinProblem(image);
  if (imageProblem) v.error(path, 'control-plane.backup.image', `image ${describeValue(image)}: ${imageProblem}`, 'pin the image to a version tag or digest');
  const uploaderImage = o.uploaderImage ?? 'rclone/rclone:1.68.2';
  const uploaderProblem = imagePinProblem(uploaderImage);
  if (uploaderProblem) v.error(path, 'control-plane.backup.image', `uploaderImage ${describeValue(uploaderImage)}: ${uploaderProblem}`, 'pin the image to a version tag or digest');
  const scratchGiB = o.scratchGiB ?? Math.ceil(quotaBytes / GIB_BYTES) + 1;
  if (!boundedInt(scratchGiB, CONTROL_PLANE_LIMITS.backupScratchGiB)) {
    v.error(path, 'control-plane.backup.scratch', `scratchGiB is ${describeValue(scratchGiB)}`, `use a positive whole number of GiB, at most ${CONTROL_PLANE_LIMITS.backupScratchGiB}, above the etcd quota`);
  }

  if (b === undefined) {
    v.warning(path, 'control-plane.backup.none', 'etcd is not backed up: no object store is declared for its snapshots',
      "add a ControlPlane with backup.objectStore { endpoint: 'https://...', bucket: '...' } outside the cluster");
    return undefined;
  }
  const s = o.objectStore;
  if (!isRecord(s)) {
    v.error(path, 'control-plane.backup.object-store', `backup.objectStore is ${describeValue(s)}`,
      "declare backup.objectStore { endpoint: 'https://...', bucket: '...' } outside the cluster it protects");
    return undefined;
  }
  const m = typeof s.endpoint === 'string' ? HTTPS_ENDPOINT.exec(s.endpoint) : null;
  const port = m ? (m[6] !== undefined ? Number(m[6]) : 443) : 0;
  if (!m || s.endpoint.length > 253 || port < 1 || port > 65535) {
    v.error(path, 'control-plane.backup.object-store.endpoint', `endpoint ${describeValue(s.endpoint)} is not an https URL of a host (and port)`, "use e.g. 'https://s3.eu-west-1.amazonaws.com'");
  }
  if (typeof s.bucket !== 'string' || !BUCKET.test(s.bucket) || s.bucket.includes('..')) {
    v.error(path, 'control-plane.backup.object-store.bucket', `bucket ${describeValue(s.bucket)} is not an S3 bucket name`, 'use 3-63 lower-case letters, digits, dots and hyphens');
  }
  const prefix = s.prefix ?? clusterName;
  if (!isObjectKeyPrefix(prefix)) {
    v.error(path, 'control-plane.backup.object-store.prefix', `prefix ${describeValue(prefix)} is not a plain key prefix`, "use '/'-separated segments of letters, digits, '.', '_' and '-', no leading or trailing '/', at most 200 characters");
  }
  const region = s.region ?? 'us-east-1';
  if (typeof region !== 'string' || !REGION.test(region)) v.error(path, 'control-plane.backup.object-store.region', `region ${describeValue(region)} is not a region name`, "use e.g. 'eu-west-1'");
  const provider = s.provider ?? 'Other';
  if (typeof provider !== 'string' || !PROVIDER.test(provider)) v.error(path, 'control-plane.backup.object-store.provider', `provider ${describeValue(provider)} is not an rclone S3 provider name`, "use e.g. 'AWS', 'Minio', 'Ceph' or 'Other'");
  const credentialsSecret = s.credentialsSecret ?? 'etcd-backup-object-store';
  if (!isDns1123Subdomain(credentialsSecret)) {
    v.error(path, 'control-plane.backup.object-store.credentials', `credentialsSecret ${describeValue(credentialsSecret)} is not a Secret name`, "name the Secret, e.g. 'etcd-backup-object-store'");
  }
  const cidrs = s.cidrs ?? [];
  if (!Array.isArray(cidrs) || cidrs.some(c => typeof c !== 'string' || !isCidr(c))) {
    v.error(path, 'control-plane.backup.object-store.cidrs', `cidrs ${describeValue(cidrs)} is not a list of CIDR blocks`, "list the object store's address blocks, e.g. ['52.95.0.0/16']");
  }
  return {
    schedule,
    retentionDays,
    image,
    uploaderImage,
    scratchGiB,
    objectStore: {
      endpoint: s.endpoint,
      host: m ? m[1] : '',
      port,
      bucket: s.bucket,
      prefix,
      region,
      provider,
      credentialsSecret,
      cidrs: Array.isArray(cidrs) ? [...new Set(cidrs)].sort() : [],
    },
  };
}

/**
 * Resolves a cluster's settings from its spec (name, region, Kubernetes version)
 * and its ControlPlane's props, reporting bad props at the ControlPlane's (or
 * cluster's) path.
 * @internal
 */
export function resolveControlPlane(
  clusterSpec: ClusterSpec, construct: ControlPlane | undefined, nodes: number, path: string, v: Violations,
): ControlPlaneSettings {
  const cluster = clusterSpec.construct;
  const version = clusterSpec.kubernetesVersion;
  const p = construct?.props ?? {};
  // each time prop is a Duration or the number prop beside it, never both
  const times = timeProblems([
    timeProp('apiserver.auditLog.', p.apiserver?.auditLog, 'maxAge', 'maxAgeDays', 'days'),
    timeProp('etcd.', p.etcd, 'roundTrip', 'roundTripMillis', 'milliseconds', false),
    timeProp('etcd.', p.etcd, 'heartbeatInterval', 'heartbeatMillis', 'milliseconds'),
    timeProp('etcd.', p.etcd, 'electionTimeout', 'electionMillis', 'milliseconds'),
    timeProp('etcd.', p.etcd, 'autoCompactionRetention', 'autoCompactionRetentionHours', 'hours'),
    timeProp('etcd.events.', p.etcd?.events, 'autoCompactionRetention', 'autoCompactionRetentionHours', 'hours'),
    timeProp('backup.', p.backup, 'retention', 'retentionDays', 'days'),
    timeProp('kubelet.', p.kubelet, 'certificateLifetime', 'certificateLifetimeHours', 'hours'),
    timeProp('kubelet.', p.kubelet, 'shutdownGracePeriod', 'shutdownGracePeriodSeconds', 'seconds'),
    timeProp('kubelet.', p.kubelet, 'shutdownGracePeriodCriticalPods', 'shutdownGracePeriodCriticalPodsSeconds', 'seconds'),
  ]);
  for (const t of times) v.error(path, 'control-plane.time', t.message, t.fix);
  const domain = p.domain ?? `${clusterSpec.name}.${clusterSpec.region}.k8s.internal`;
  // the default domain is made of the cluster's name and region, which are checked with the cluster
  const domainChecked = p.domain !== undefined || (isDns1123Label(clusterSpec.name) && isDns1123Label(clusterSpec.region));
  if (domainChecked && (!isDns1123Subdomain(domain) || domain.length > 200)) v.error(path, 'control-plane.domain', `'${domain}' is not a DNS subdomain`, 'use a domain like lva1-prod-1.lva1.k8s.internal');

  // apiserver
  const a = p.apiserver ?? {};
  const replicas = a.replicas ?? defaultApiserverReplicas(nodes);
  const replicasOk = boundedInt(replicas, MAX_APISERVER_REPLICAS);
  if (!replicasOk) {
    v.error(path, 'control-plane.apiserver.replicas', typeof replicas === 'number' && replicas > MAX_APISERVER_REPLICAS
      ? `${replicas} apiserver replicas are more than the ${MAX_APISERVER_REPLICAS} control-plane hosts a cluster may run`
      : `${describeValue(replicas)} apiserver replicas`, `run a whole number of apiservers from 1 to ${MAX_APISERVER_REPLICAS} (3 for high availability, 5 above 3,000 nodes)`);
  } else if (replicas === 1) {v.warning(path, 'control-plane.apiserver.single', 'a single apiserver: every restart is an outage of the API', 'run 3 apiserver replicas');}
  const image = a.image ?? `registry.k8s.io/kube-apiserver:v${version}`;
  // a bad cluster version is reported with the cluster; only a given image is checked on its own
  const imageProblem = a.image !== undefined || !kubernetesVersionProblem(version) ? imagePinProblem(image) : undefined;
  if (imageProblem) v.error(path, 'control-plane.apiserver.image', `image '${image}': ${imageProblem}`, 'pin the image to a version tag or digest');
  const sized = inflightLimits(nodes);
  const inflight = { readOnly: a.maxRequestsInflight ?? sized.readOnly, mutating: a.maxMutatingRequestsInflight ?? sized.mutating };
  if (!boundedInt(inflight.readOnly, CONTROL_PLANE_LIMITS.inflight) || !boundedInt(inflight.mutating, CONTROL_PLANE_LIMITS.inflight)) {
    v.error(path, 'control-plane.apiserver.inflight', `in-flight limits ${describeValue(inflight.readOnly)}/${describeValue(inflight.mutating)} must be positive whole numbers of at most ${CONTROL_PLANE_LIMITS.inflight}`,
      `omit them to size by cluster (${sized.readOnly}/${sized.mutating} for ${nodes} nodes)`);
  } else if (inflight.readOnly < sized.readOnly || inflight.mutating < sized.mutating) {
    v.warning(path, 'control-plane.apiserver.inflight.small', `in-flight limits ${inflight.readOnly}/${inflight.mutating} are below the ${sized.readOnly}/${sized.mutating} known to suit ${nodes} nodes`,
      'omit maxRequestsInflight/maxMutatingRequestsInflight to size by cluster');
  }
  const goawayChance = a.goawayChance ?? defaultGoawayChance(replicas);
  const goawayProblem = typeof goawayChance === 'number' ? goawayChanceProblem(goawayChance, replicas) : `goawayChance is ${describeValue(goawayChance)}`;
  if (goawayProblem) v.error(path, 'control-plane.apiserver.goaway-chance', goawayProblem, 'omit goawayChance (0.001 with several replicas, off with one) or use 0–0.02');
  const serviceClusterIpRange = a.serviceClusterIpRange ?? '10.96.0.0/12';
  if (typeof serviceClusterIpRange !== 'string' || !CIDR.test(serviceClusterIpRange)) v.error(path, 'control-plane.apiserver.service-cidr', `'${serviceClusterIpRange}' is not an IPv4 CIDR`, "use a range like '10.96.0.0/12'");
  const audit = { maxAgeDays: timeIn('days', a.auditLog?.maxAge, a.auditLog?.maxAgeDays) ?? 30, maxBackups: a.auditLog?.maxBackups ?? 10, maxSizeMiB: a.auditLog?.maxSizeMiB ?? 100 };
  const auditMax = {
    maxAgeDays: CONTROL_PLANE_LIMITS.auditMaxAgeDays,
    maxBackups: CONTROL_PLANE_LIMITS.auditMaxBackups,
    maxSizeMiB: CONTROL_PLANE_LIMITS.auditMaxSizeMiB,
  };
  for (const [k, val] of Object.entries(audit)) {
    const max = auditMax[k as keyof typeof auditMax];
    if (!boundedInt(val, max)) v.error(path, 'control-plane.apiserver.audit-log', `auditLog.${k} is ${describeValue(val)}`, `use a positive whole number of at most ${max}`);
  }
  const encryption = {
    kmsName: a.encryption?.kmsName ?? 'fleet-kms',
    kmsEndpoint: a.encryption?.kmsEndpoint ?? 'unix:///var/run/kms-plugin/socket.sock',
    resources: ['secrets', ...(Array.isArray(a.encryption?.extraResources) ? a.encryption.extraResources : [])].filter((r, i, all) => all.indexOf(r) === i),
  };
  if (!isDns1123Subdomain(encryption.kmsName)) {
    v.error(path, 'control-plane.apiserver.kms-name', `KMS provider name ${describeValue(encryption.kmsName)} is not a DNS subdomain`, "use a name like 'fleet-kms'");
  }
  const extra: unknown = a.encryption?.extraResources;
  if (extra !== undefined && !Array.isArray(extra)) {
    v.error(path, 'control-plane.apiserver.encryption-resources', `encryption.extraResources is ${describeValue(extra)}, not a list`, "list resources like 'configmaps'");
  } else if (encryption.resources.some(r => typeof r !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(r))) {
    v.error(path, 'control-plane.apiserver.encryption-resources', 'encryption.extraResources lists a value that is not a resource name', "list resources like 'configmaps' or 'widgets.example.com'");
  }
  if (typeof encryption.kmsEndpoint !== 'string' || !encryption.kmsEndpoint.startsWith('unix:///') || /\s|,/.test(encryption.kmsEndpoint)) {
    v.error(path, 'control-plane.apiserver.kms-endpoint', `KMS endpoint '${encryption.kmsEndpoint}' is not a unix socket`, "use 'unix:///path/to/socket.sock'");
  }
  const gatesProp: unknown = a.featureGates;
  const gatesBad = gatesProp !== undefined && (!isRecord(gatesProp) || Object.entries(gatesProp).some(([k, on]) => !/^[A-Z][A-Za-z0-9]{0,99}$/.test(k) || typeof on !== 'boolean'));
  if (gatesBad) v.error(path, 'control-plane.apiserver.feature-gates', 'featureGates is not a map of gate names to true or false', "use gate names like 'APIListChunking' with true or false");
  const featureGates = { ...(gatesBad ? {} : a.featureGates ?? {}), ...REQUIRED_FEATURE_GATES };
  for (const [gate, on] of Object.entries(REQUIRED_FEATURE_GATES)) {
    if (!gatesBad && a.featureGates && a.featureGates[gate] !== undefined && a.featureGates[gate] !== on) {
      v.error(path, 'control-plane.apiserver.feature-gate.required', `feature gate ${gate}=${a.featureGates[gate]} conflicts with the fleet, which needs ${gate}=${on}`,
        `remove ${gate} from featureGates`);
    }
  }
  const unsafeProp: unknown = a.unsafe ?? {};
  const given: UnsafeApiserverSettings = isRecord(unsafeProp) ? unsafeProp as UnsafeApiserverSettings : {};
  // each unsafe choice is off unless it is given as true
  const unsafe: Required<UnsafeApiserverSettings> = {
    anonymousAuth: given.anonymousAuth === true,
    profiling: given.profiling === true,
    withoutAlwaysPullImages: given.withoutAlwaysPullImages === true,
    withoutEventRateLimit: given.withoutEventRateLimit === true,
    withoutDenyServiceExternalIPs: given.withoutDenyServiceExternalIPs === true,
  };
  if (!isRecord(unsafeProp) || Object.values(unsafeProp).some(on => on !== undefined && typeof on !== 'boolean')) {
    v.error(path, 'control-plane.unsafe.type', 'apiserver.unsafe is not a map of settings to true or false', 'set each unsafe choice to true, or omit it');
  }
  const unsafeReasons: Record<keyof UnsafeApiserverSettings, string> = {
    anonymousAuth: 'anonymous requests are allowed (CIS 1.2.1)',
    profiling: 'profiling is on (CIS 1.2.16)',
    withoutAlwaysPullImages: 'AlwaysPullImages is off: a pod can use images pulled for another tenant (CIS 1.2.11)',
    withoutEventRateLimit: 'EventRateLimit is off: one client can flood the events store (CIS 1.2.9)',
    withoutDenyServiceExternalIPs: 'DenyServiceExternalIPs is off: Service externalIPs can intercept traffic (CIS 1.2.3)',
  };
  for (const k of Object.keys(unsafeReasons) as Array<keyof UnsafeApiserverSettings>) {
    if (unsafe[k]) v.warning(path, `control-plane.unsafe.${k}`, `unsafe apiserver setting: ${unsafeReasons[k]}`, `remove apiserver.unsafe.${k} when it is no longer needed`);
  }

  // etcd
  const e = p.etcd ?? {};
  const rtt = timeIn('milliseconds', e.roundTrip, e.roundTripMillis) ?? 10;
  const heartbeatGiven = timeIn('milliseconds', e.heartbeatInterval, e.heartbeatMillis);
  const electionGiven = timeIn('milliseconds', e.electionTimeout, e.electionMillis);
  let timing = etcdTiming(rtt);
  if (!(typeof rtt === 'number' && rtt > 0 && rtt <= CONTROL_PLANE_LIMITS.roundTripMillis)) {
    v.error(path, 'control-plane.etcd.round-trip', `round trip ${describeValue(rtt)} ms`, `declare the largest round-trip time between etcd members, in ms (e.g. 10, at most ${CONTROL_PLANE_LIMITS.roundTripMillis})`);
  } else if (heartbeatGiven !== undefined || electionGiven !== undefined) {
    const heartbeatMillis = heartbeatGiven ?? timing.heartbeatMillis;
    timing = { heartbeatMillis, electionMillis: electionGiven ?? Math.max(timing.electionMillis, 5 * heartbeatMillis) };
    const problem = etcdTimingProblem(timing, rtt);
    if (problem) v.error(path, 'control-plane.etcd.timing', problem, `omit heartbeatMillis/electionMillis to derive them from the round trip (${etcdTiming(rtt).heartbeatMillis}/${etcdTiming(rtt).electionMillis} ms)`);
  }
  const etcdCluster = (role: EtcdRole, o: EtcdClusterOptions, defaultMembers: number): EtcdClusterSettings => {
    const members = o.members ?? defaultMembers;
    const where = role === 'main' ? 'etcd' : 'etcd.events';
    const problem = typeof members === 'number' ? etcdMemberCountProblem(members) : `${describeValue(members)} is not a member count`;
    if (problem) v.error(path, 'control-plane.etcd.members', `${where}: ${problem}`, 'use an odd member count: 1, 3, 5 or 7 (3, or 5 for large clusters)');
    const quota = o.quotaBackendBytes ?? DEFAULT_QUOTA_BACKEND_BYTES;
    if (!boundedInt(quota, CONTROL_PLANE_LIMITS.quotaBackendBytes)) {
      v.error(path, 'control-plane.etcd.quota', `${where}: quotaBackendBytes ${describeValue(quota)}`, `use a whole number of bytes, at most ${CONTROL_PLANE_LIMITS.quotaBackendBytes / GIB_BYTES} GiB, e.g. 8 * GIB_BYTES`);
    } else if (quota > ETCD_RECOMMENDED_MAX_QUOTA_BYTES) {
      const gib = (quota / GIB_BYTES).toFixed(quota % GIB_BYTES === 0 ? 0 : 2);
      if (o.acknowledgeQuotaAbove8GiB) {
        v.warning(path, 'control-plane.etcd.quota.above-8gib', `${where}: backend quota ${gib} GiB is above the 8 GiB etcd recommends (etcd warns at start-up; defragmentation and recovery take longer)`,
          'watch etcd_mvcc_db_total_size_in_bytes and defragment regularly');
      } else {
        v.error(path, 'control-plane.etcd.quota.above-8gib', `${where}: backend quota ${gib} GiB is above the 8 GiB etcd recommends`,
          'lower quotaBackendBytes to 8 GiB or less, or set acknowledgeQuotaAbove8GiB: true');
      }
    }
    const snapshotCount = o.snapshotCount ?? 10_000;
    if (!boundedInt(snapshotCount, CONTROL_PLANE_LIMITS.snapshotCount)) v.error(path, 'control-plane.etcd.snapshot-count', `${where}: snapshotCount ${describeValue(snapshotCount)}`, `use a positive whole number of at most ${CONTROL_PLANE_LIMITS.snapshotCount} (default 10000)`);
    const autoCompactionRetentionHours = timeIn('hours', o.autoCompactionRetention, o.autoCompactionRetentionHours) ?? 1;
    if (!boundedInt(autoCompactionRetentionHours, CONTROL_PLANE_LIMITS.autoCompactionRetentionHours)) {
      v.error(path, 'control-plane.etcd.compaction', `${where}: autoCompactionRetentionHours ${describeValue(autoCompactionRetentionHours)}`, `use a positive whole number of hours, at most ${CONTROL_PLANE_LIMITS.autoCompactionRetentionHours}`);
    }
    const prefix = role === 'main' ? 'etcd' : 'etcd-events';
    const count = problem ? 0 : members;
    return {
      role,
      members: Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${i + 1}`, host: `${prefix}-${i + 1}.${domain}` })),
      quotaBackendBytes: quota,
      snapshotCount,
      autoCompactionRetentionHours,
      timing,
      token: `${clusterSpec.name}-${prefix}`,
    };
  };
  const main = etcdCluster('main', e, defaultEtcdMembers(nodes));
  const split = e.splitEvents ?? defaultSplitEvents(nodes);
  if (typeof split !== 'boolean') v.error(path, 'control-plane.etcd.split-events', `splitEvents is ${describeValue(split)}, not true or false`, 'set splitEvents to true or false, or omit it');
  if (e.events !== undefined && !isRecord(e.events)) v.error(path, 'control-plane.etcd.events', `etcd.events is ${describeValue(e.events)}`, 'give etcd.events as an object, or omit it');
  if (!split && e.events) v.error(path, 'control-plane.etcd.events.unused', 'etcd.events is set but events are not split', 'set etcd.splitEvents: true or remove etcd.events');
  const events = split === true ? etcdCluster('events', isRecord(e.events) ? e.events : {}, 3) : undefined;

  // backups
  const backup = resolveBackup(p.backup, clusterSpec.name, main.quotaBackendBytes, path, v);

  // kubelet
  const k = p.kubelet ?? {};
  const kubelet = {
    certificateLifetimeHours: timeIn('hours', k.certificateLifetime, k.certificateLifetimeHours) ?? DEFAULT_KUBELET_CERTIFICATE_LIFETIME_HOURS,
    shutdownGracePeriodSeconds: timeIn('seconds', k.shutdownGracePeriod, k.shutdownGracePeriodSeconds) ?? 60,
    shutdownGracePeriodCriticalPodsSeconds: timeIn('seconds', k.shutdownGracePeriodCriticalPods, k.shutdownGracePeriodCriticalPodsSeconds) ?? 20,
    clusterDns: k.clusterDns ?? '10.96.0.10',
    clusterDomain: k.clusterDomain ?? 'cluster.local',
  };
  if (!boundedInt(kubelet.certificateLifetimeHours, CONTROL_PLANE_LIMITS.certificateLifetimeHours) || kubelet.certificateLifetimeHours < 24) {
    v.error(path, 'control-plane.kubelet.certificate-lifetime', `certificateLifetimeHours is ${kubelet.certificateLifetimeHours}`, 'use at least 24 hours (default 168, 7 days)');
  } else if (kubelet.certificateLifetimeHours > 24 * 90) {
    v.warning(path, 'control-plane.kubelet.certificate-lifetime.long', `kubelet certificates live ${kubelet.certificateLifetimeHours} hours: a rotation that rarely runs is a rotation nobody notices failing`,
      'rotate at least every 90 days (default 7 days)');
  }
  if (!Number.isInteger(kubelet.shutdownGracePeriodSeconds) || !Number.isInteger(kubelet.shutdownGracePeriodCriticalPodsSeconds)
    || kubelet.shutdownGracePeriodCriticalPodsSeconds < 0 || kubelet.shutdownGracePeriodCriticalPodsSeconds >= kubelet.shutdownGracePeriodSeconds
    || kubelet.shutdownGracePeriodSeconds > CONTROL_PLANE_LIMITS.shutdownGracePeriodSeconds) {
    v.error(path, 'control-plane.kubelet.shutdown', `shutdown grace ${kubelet.shutdownGracePeriodSeconds}s with ${kubelet.shutdownGracePeriodCriticalPodsSeconds}s for critical pods`,
      'use whole seconds, the critical pods\' part smaller than the total (default 60s / 20s)');
  }
  if (!isDns1123Subdomain(kubelet.clusterDomain)) {
    v.error(path, 'control-plane.kubelet.cluster-domain', `clusterDomain ${describeValue(kubelet.clusterDomain)} is not a DNS subdomain`, "use the cluster's DNS domain, e.g. 'cluster.local'");
  }
  if (typeof kubelet.clusterDns !== 'string' || !IPV4.test(kubelet.clusterDns)) v.error(path, 'control-plane.kubelet.cluster-dns', `'${kubelet.clusterDns}' is not an IPv4 address`, "use the DNS Service's cluster IP, e.g. '10.96.0.10'");

  // controller manager
  const extraFlagsProp: unknown = p.controllerManager?.extraFlags;
  const extraFlagsBad = extraFlagsProp !== undefined && (!isRecord(extraFlagsProp)
    || Object.entries(extraFlagsProp).some(([name, val]) => !FLAG_NAME.test(name) || typeof val !== 'string' || val.length > 4096 || /[\r\n]/.test(val)));
  if (extraFlagsBad) {
    v.error(path, 'control-plane.controller-manager.extra-flags', 'controllerManager.extraFlags is not a map of flag names (without --) to one-line string values',
      "use e.g. { 'concurrent-gc-syncs': '30' }");
  }
  const controllerManager = { extraFlags: extraFlagsBad ? {} : { ...(p.controllerManager?.extraFlags ?? {}) } };

  // API priority
  const apiPriority = {
    platformControllers: p.apiPriority?.platformControllers ?? [],
    platformControllerShares: p.apiPriority?.platformControllerShares ?? 20,
  };
  if (!boundedInt(apiPriority.platformControllerShares, CONTROL_PLANE_LIMITS.platformControllerShares)) {
    v.error(path, 'control-plane.api-priority.shares', `platformControllerShares is ${describeValue(apiPriority.platformControllerShares)}`, `use a positive whole number of at most ${CONTROL_PLANE_LIMITS.platformControllerShares} (default 20)`);
  }
  const controllers: unknown = apiPriority.platformControllers;
  if (!Array.isArray(controllers) || controllers.some(c => !isRecord(c) || !isDns1123Label(c.namespace) || !isDns1123Subdomain(c.name))) {
    v.error(path, 'control-plane.api-priority.controllers', 'platformControllers must list service accounts as { namespace, name } with valid names',
      "list service accounts like { namespace: 'fleet-system', name: 'pool-controller' }");
  }

  const ack = p.acknowledgeNodesAbove5000;
  if (ack !== undefined && (!boundedInt(ack, CONTROL_PLANE_LIMITS.acknowledgedNodes) || ack <= 5000)) {
    v.error(path, 'control-plane.threshold.acknowledgement', `acknowledgeNodesAbove5000 is ${describeValue(ack)}`,
      `acknowledge a node count above 5000 and at most ${CONTROL_PLANE_LIMITS.acknowledgedNodes}, or remove the acknowledgement`);
  }

  return {
    cluster,
    construct,
    version,
    domain,
    nodes,
    apiserver: {
      hosts: Array.from({ length: replicasOk ? replicas : 0 }, (_, i) => `apiserver-${i + 1}.${domain}`),
      image,
      inflight,
      goawayChance,
      serviceClusterIpRange,
      audit,
      encryption,
      featureGates,
      unsafe,
      resources: apiserverResources(nodes),
    },
    etcd: { main, events },
    backup,
    kubelet,
    controllerManager,
    apiPriority,
    acknowledgeNodesAbove5000: ack,
  };
}
