/**
 * Resolves a cluster's control-plane settings from its ControlPlane props (if
 * any) and its capacity, reporting every bad input. Pure apart from reading
 * the construct's props.
 */
import { ApiPriorityOptions, ControlPlane, EtcdClusterOptions, UnsafeApiserverSettings } from './control-plane';
import {
  DEFAULT_QUOTA_BACKEND_BYTES, ETCD_RECOMMENDED_MAX_QUOTA_BYTES, EtcdTiming, GIB_BYTES, InflightLimits, apiserverResources, ApiserverResources,
  defaultApiserverReplicas, defaultEtcdMembers, defaultGoawayChance, defaultSplitEvents, etcdMemberCountProblem, etcdTiming,
  etcdTimingProblem, goawayChanceProblem, inflightLimits,
} from './sizing';
import { Cluster } from '../clusters/cluster';
import { Violations } from '../core/errors';
import { isDns1123Subdomain } from '../core/names';
import { imagePinProblem } from '../core/versions';

/** Which etcd cluster. */
export type EtcdRole = 'main' | 'events';

/** One etcd member. */
export interface EtcdMember {
  /** Member name (`etcd-1`, `etcd-events-1`). */
  readonly name: string;
  /** Host name (`etcd-1.<domain>`). */
  readonly host: string;
}

/** Resolved settings of one etcd cluster. */
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

/** Resolved settings of a cluster's control plane. */
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
    readonly unsafe: UnsafeApiserverSettings;
    readonly resources: ApiserverResources;
  };
  /** etcd clusters: main, and events when split. */
  readonly etcd: { readonly main: EtcdClusterSettings; readonly events?: EtcdClusterSettings };
  /** Scheduled snapshots of the main etcd cluster. */
  readonly backup: {
    readonly schedule: string;
    readonly retain: number;
    readonly image: string;
    readonly storageClassName?: string;
    readonly volumeGiB: number;
  };
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

/** Feature gates the fleet needs on 1.28: ValidatingAdmissionPolicy is beta and off by default. */
export const REQUIRED_FEATURE_GATES: Readonly<Record<string, boolean>> = { ValidatingAdmissionPolicy: true };
/** API versions the fleet needs served on 1.28 (`--runtime-config`). */
export const REQUIRED_RUNTIME_CONFIG: readonly string[] = ['admissionregistration.k8s.io/v1beta1'];

const CRON = /^(\S+\s+){4}\S+$/;
const CIDR = /^([0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,2}$/;
const IPV4 = /^([0-9]{1,3}\.){3}[0-9]{1,3}$/;

function positiveInt(v: number): boolean {
  return Number.isInteger(v) && v > 0;
}

/** Resolves a cluster's settings, reporting bad props at the ControlPlane's (or cluster's) path. */
export function resolveControlPlane(
  cluster: Cluster, construct: ControlPlane | undefined, nodes: number, version: string, path: string, v: Violations,
): ControlPlaneSettings {
  const p = construct?.props ?? {};
  const domain = p.domain ?? `${cluster.clusterName}.${cluster.props.region}.k8s.internal`;
  if (!isDns1123Subdomain(domain)) v.error(path, 'control-plane.domain', `'${domain}' is not a DNS subdomain`, 'use a domain like lva1-prod-1.lva1.k8s.internal');

  // apiserver
  const a = p.apiserver ?? {};
  const replicas = a.replicas ?? defaultApiserverReplicas(nodes);
  if (!positiveInt(replicas)) v.error(path, 'control-plane.apiserver.replicas', `${replicas} apiserver replicas`, 'run at least one apiserver (3 for high availability)');
  else if (replicas === 1) v.warning(path, 'control-plane.apiserver.single', 'a single apiserver: every restart is an outage of the API', 'run 3 apiserver replicas');
  const image = a.image ?? `registry.k8s.io/kube-apiserver:v${version}`;
  const imageProblem = imagePinProblem(image);
  if (imageProblem) v.error(path, 'control-plane.apiserver.image', `image '${image}': ${imageProblem}`, 'pin the image to a version tag or digest');
  const sized = inflightLimits(nodes);
  const inflight = { readOnly: a.maxRequestsInflight ?? sized.readOnly, mutating: a.maxMutatingRequestsInflight ?? sized.mutating };
  if (!positiveInt(inflight.readOnly) || !positiveInt(inflight.mutating)) {
    v.error(path, 'control-plane.apiserver.inflight', `in-flight limits ${inflight.readOnly}/${inflight.mutating} must be positive whole numbers`,
      `omit them to size by cluster (${sized.readOnly}/${sized.mutating} for ${nodes} nodes)`);
  } else if (inflight.readOnly < sized.readOnly || inflight.mutating < sized.mutating) {
    v.warning(path, 'control-plane.apiserver.inflight.small', `in-flight limits ${inflight.readOnly}/${inflight.mutating} are below the ${sized.readOnly}/${sized.mutating} known to suit ${nodes} nodes`,
      'omit maxRequestsInflight/maxMutatingRequestsInflight to size by cluster');
  }
  const goawayChance = a.goawayChance ?? defaultGoawayChance(replicas);
  const goawayProblem = goawayChanceProblem(goawayChance, replicas);
  if (goawayProblem) v.error(path, 'control-plane.apiserver.goaway-chance', goawayProblem, 'omit goawayChance (0.001 with several replicas, off with one) or use 0–0.02');
  const serviceClusterIpRange = a.serviceClusterIpRange ?? '10.96.0.0/12';
  if (!CIDR.test(serviceClusterIpRange)) v.error(path, 'control-plane.apiserver.service-cidr', `'${serviceClusterIpRange}' is not an IPv4 CIDR`, "use a range like '10.96.0.0/12'");
  const audit = { maxAgeDays: a.auditLog?.maxAgeDays ?? 30, maxBackups: a.auditLog?.maxBackups ?? 10, maxSizeMiB: a.auditLog?.maxSizeMiB ?? 100 };
  for (const [k, val] of Object.entries(audit)) {
    if (!positiveInt(val)) v.error(path, 'control-plane.apiserver.audit-log', `auditLog.${k} is ${val}`, 'use a positive whole number');
  }
  const encryption = {
    kmsName: a.encryption?.kmsName ?? 'fleet-kms',
    kmsEndpoint: a.encryption?.kmsEndpoint ?? 'unix:///var/run/kms-plugin/socket.sock',
    resources: ['secrets', ...(a.encryption?.extraResources ?? [])].filter((r, i, all) => all.indexOf(r) === i),
  };
  if (!encryption.kmsEndpoint.startsWith('unix:///')) {
    v.error(path, 'control-plane.apiserver.kms-endpoint', `KMS endpoint '${encryption.kmsEndpoint}' is not a unix socket`, "use 'unix:///path/to/socket.sock'");
  }
  const featureGates = { ...(a.featureGates ?? {}), ...REQUIRED_FEATURE_GATES };
  for (const [gate, on] of Object.entries(REQUIRED_FEATURE_GATES)) {
    if (a.featureGates && a.featureGates[gate] !== undefined && a.featureGates[gate] !== on) {
      v.error(path, 'control-plane.apiserver.feature-gate.required', `feature gate ${gate}=${a.featureGates[gate]} conflicts with the fleet, which needs ${gate}=${on}`,
        `remove ${gate} from featureGates`);
    }
  }
  const unsafe = a.unsafe ?? {};
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
  const rtt = e.roundTripMillis ?? 10;
  let timing = etcdTiming(rtt);
  if (!(rtt > 0)) {
    v.error(path, 'control-plane.etcd.round-trip', `round trip ${rtt} ms`, 'declare the largest round-trip time between etcd members, in ms (e.g. 10)');
  } else if (e.heartbeatMillis !== undefined || e.electionMillis !== undefined) {
    const heartbeatMillis = e.heartbeatMillis ?? timing.heartbeatMillis;
    timing = { heartbeatMillis, electionMillis: e.electionMillis ?? Math.max(timing.electionMillis, 5 * heartbeatMillis) };
    const problem = etcdTimingProblem(timing, rtt);
    if (problem) v.error(path, 'control-plane.etcd.timing', problem, `omit heartbeatMillis/electionMillis to derive them from the round trip (${etcdTiming(rtt).heartbeatMillis}/${etcdTiming(rtt).electionMillis} ms)`);
  }
  const etcdCluster = (role: EtcdRole, o: EtcdClusterOptions, defaultMembers: number): EtcdClusterSettings => {
    const members = o.members ?? defaultMembers;
    const where = role === 'main' ? 'etcd' : 'etcd.events';
    const problem = etcdMemberCountProblem(members);
    if (problem) v.error(path, 'control-plane.etcd.members', `${where}: ${problem}`, 'use an odd member count: 3, or 5 for large clusters');
    const quota = o.quotaBackendBytes ?? DEFAULT_QUOTA_BACKEND_BYTES;
    if (!positiveInt(quota)) {
      v.error(path, 'control-plane.etcd.quota', `${where}: quotaBackendBytes ${quota}`, 'use a whole number of bytes, e.g. 8 * GIB_BYTES');
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
    if (!positiveInt(snapshotCount)) v.error(path, 'control-plane.etcd.snapshot-count', `${where}: snapshotCount ${snapshotCount}`, 'use a positive whole number (default 10000)');
    const autoCompactionRetentionHours = o.autoCompactionRetentionHours ?? 1;
    if (!positiveInt(autoCompactionRetentionHours)) v.error(path, 'control-plane.etcd.compaction', `${where}: autoCompactionRetentionHours ${autoCompactionRetentionHours}`, 'use a positive whole number of hours');
    const prefix = role === 'main' ? 'etcd' : 'etcd-events';
    const count = positiveInt(members) ? members : 0;
    return {
      role,
      members: Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${i + 1}`, host: `${prefix}-${i + 1}.${domain}` })),
      quotaBackendBytes: quota,
      snapshotCount,
      autoCompactionRetentionHours,
      timing,
      token: `${cluster.clusterName}-${prefix}`,
    };
  };
  const main = etcdCluster('main', e, defaultEtcdMembers(nodes));
  const split = e.splitEvents ?? defaultSplitEvents(nodes);
  if (!split && e.events) v.error(path, 'control-plane.etcd.events.unused', 'etcd.events is set but events are not split', 'set etcd.splitEvents: true or remove etcd.events');
  const events = split ? etcdCluster('events', e.events ?? {}, 3) : undefined;

  // backups
  const b = p.backup ?? {};
  const schedule = b.schedule ?? '17 * * * *';
  if (!CRON.test(schedule)) v.error(path, 'control-plane.backup.schedule', `'${schedule}' is not a five-field cron schedule`, "use e.g. '17 * * * *' (hourly)");
  const retain = b.retain ?? 48;
  if (!positiveInt(retain)) v.error(path, 'control-plane.backup.retain', `retain is ${retain}`, 'keep at least one snapshot');
  const backupImage = b.image ?? 'registry.k8s.io/etcd:3.5.9-0';
  const backupImageProblem = imagePinProblem(backupImage);
  if (backupImageProblem) v.error(path, 'control-plane.backup.image', `image '${backupImage}': ${backupImageProblem}`, 'pin the image to a version tag or digest');
  const volumeGiB = b.volumeGiB ?? Math.ceil((main.quotaBackendBytes / GIB_BYTES) * (positiveInt(retain) ? retain + 1 : 1));
  if (!positiveInt(volumeGiB)) v.error(path, 'control-plane.backup.volume', `volumeGiB is ${volumeGiB}`, 'use a positive whole number of GiB');

  // kubelet
  const k = p.kubelet ?? {};
  const kubelet = {
    certificateLifetimeHours: k.certificateLifetimeHours ?? 720,
    shutdownGracePeriodSeconds: k.shutdownGracePeriodSeconds ?? 60,
    shutdownGracePeriodCriticalPodsSeconds: k.shutdownGracePeriodCriticalPodsSeconds ?? 20,
    clusterDns: k.clusterDns ?? '10.96.0.10',
    clusterDomain: k.clusterDomain ?? 'cluster.local',
  };
  if (!positiveInt(kubelet.certificateLifetimeHours) || kubelet.certificateLifetimeHours < 24) {
    v.error(path, 'control-plane.kubelet.certificate-lifetime', `certificateLifetimeHours is ${kubelet.certificateLifetimeHours}`, 'use at least 24 hours (default 720)');
  } else if (kubelet.certificateLifetimeHours > 24 * 90) {
    v.warning(path, 'control-plane.kubelet.certificate-lifetime.long', `kubelet certificates live ${kubelet.certificateLifetimeHours} hours: a rotation that rarely runs is a rotation nobody notices failing`,
      'rotate at least every 90 days (default 30 days)');
  }
  if (!Number.isInteger(kubelet.shutdownGracePeriodSeconds) || !Number.isInteger(kubelet.shutdownGracePeriodCriticalPodsSeconds)
    || kubelet.shutdownGracePeriodCriticalPodsSeconds < 0 || kubelet.shutdownGracePeriodCriticalPodsSeconds >= kubelet.shutdownGracePeriodSeconds) {
    v.error(path, 'control-plane.kubelet.shutdown', `shutdown grace ${kubelet.shutdownGracePeriodSeconds}s with ${kubelet.shutdownGracePeriodCriticalPodsSeconds}s for critical pods`,
      'use whole seconds, the critical pods\' part smaller than the total (default 60s / 20s)');
  }
  if (!IPV4.test(kubelet.clusterDns)) v.error(path, 'control-plane.kubelet.cluster-dns', `'${kubelet.clusterDns}' is not an IPv4 address`, "use the DNS Service's cluster IP, e.g. '10.96.0.10'");

  // API priority
  const apiPriority = {
    platformControllers: p.apiPriority?.platformControllers ?? [],
    platformControllerShares: p.apiPriority?.platformControllerShares ?? 20,
  };
  if (!positiveInt(apiPriority.platformControllerShares)) {
    v.error(path, 'control-plane.api-priority.shares', `platformControllerShares is ${apiPriority.platformControllerShares}`, 'use a positive whole number (default 20)');
  }

  const ack = p.acknowledgeNodesAbove5000;
  if (ack !== undefined && (!positiveInt(ack) || ack <= 5000)) {
    v.error(path, 'control-plane.threshold.acknowledgement', `acknowledgeNodesAbove5000 is ${ack}`, 'acknowledge a node count above 5000, or remove the acknowledgement');
  }

  return {
    cluster,
    construct,
    version,
    domain,
    nodes,
    apiserver: {
      hosts: Array.from({ length: positiveInt(replicas) ? replicas : 0 }, (_, i) => `apiserver-${i + 1}.${domain}`),
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
    backup: { schedule, retain, image: backupImage, storageClassName: b.storageClassName, volumeGiB },
    kubelet,
    apiPriority,
    acknowledgeNodesAbove5000: ack,
  };
}
