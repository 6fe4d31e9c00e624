/**
 * etcd backups, the DR strategy: per member of the main etcd cluster a
 * CronJob whose pod takes a snapshot, checks it, ships it off the cluster to
 * the declared object store and prunes that member's snapshots past the
 * retention — all without a shell, so every step is one binary the image
 * provably has:
 *
 * - `registry.k8s.io/etcd:3.5.x-0` is built by Kubernetes from the etcd release
 *   binaries `etcd` and `etcdctl`, installed in `/usr/local/bin` of a
 *   distroless image (kubernetes/kubernetes `cluster/images/etcd`: Makefile and
 *   Dockerfile). It has no `etcdutl`, so the checks use `etcdctl snapshot
 *   status` (deprecated in 3.5, still there; moved to `etcdutl` in 3.6).
 * - `rclone/rclone` is rclone's own image, whose entrypoint is the `rclone`
 *   binary on the PATH; the job runs only that binary.
 *
 * One CronJob per member, not one for the cluster: `etcdctl snapshot save`
 * takes exactly one endpoint, and without a shell there is no loop over the
 * members. A member that is down fails its own job, visibly, and no other.
 *
 * Steps (init containers run in order, each only after the previous one
 * succeeded; the snapshot lives in an emptyDir of the pod, never on a volume
 * of the cluster it protects):
 * 1. `snapshot`: `etcdctl snapshot save` from the member;
 * 2. `verify`: `etcdctl snapshot status` reads every key of the file and
 *    fails on a truncated or corrupt one;
 * 3. `upload`: `rclone copyto` to `<bucket>/<prefix>/<member>/<job name>.db`
 *    (the Job's name, `<cronjob>-<minutes since the epoch>`, is unique and
 *    sortable; `--immutable` never overwrites an object); rclone compares the
 *    object's checksum after the upload;
 * 4. `prune` (the container): `rclone delete --min-age` removes that member's
 *    snapshots older than the retention. It runs only after a successful
 *    upload, so the newest snapshot is never pruned, even when backups stop.
 *
 * The namespace, `etcd-backup`, holds the etcd client certificate (full access
 * to the cluster's data): restricted Pod Security, default-deny NetworkPolicies
 * with egress only to DNS, the etcd client port and the object store, a quota
 * and no service account token. The events cluster is not backed up: events
 * are disposable by design.
 */
import { k8s } from 'cdk8s-plus-28';
import { ETCD_CLIENT_PORT } from './apiserver';
import { ETCD_PEER_PORT, peerUrl } from './etcd';
import { BackupSettings, ControlPlaneSettings, EtcdMember } from './settings';
import { PlatformAllowance, platformNamespaceLabels, renderPlatformNetworkPolicies } from '../core/network';
import { formatCpu, formatMemory } from '../core/resources';
import { KubeObject } from '../synth/context';

/** Namespace of the backup jobs. @internal */
export const ETCD_BACKUP_NAMESPACE = 'etcd-backup';
/** Secret holding the etcd client certificate (`ca.crt`, `tls.crt`, `tls.key`), provisioned out of band, never in Git. @internal */
export const ETCD_BACKUP_SECRET = 'etcd-backup-client-tls';
/** The rclone remote the uploader's environment defines. @internal */
export const BACKUP_REMOTE = 'offsite';
/** The snapshot file in the pod's scratch volume. @internal */
export const SNAPSHOT_FILE = '/snapshots/etcd.db';
/** Path of the restore script in a cluster's control-plane output. @internal */
export const RESTORE_SCRIPT_FILE = 'restore/etcd-restore.sh';

const ETCDCTL = '/usr/local/bin/etcdctl';
const JOB_NAME_ENV = 'JOB_NAME';
const POD_LABEL = 'app.kubernetes.io/name';
const POD_NAME = 'etcd-snapshot';

/** Requests and limits of each step (millicores, MiB); the pod's quota is derived from them. */
const STEP = { cpuMillis: 100, cpuLimitMillis: 1000, memoryMiB: 256, memoryLimitMiB: 1024 };

/** The CronJob name of a member's backups. @internal */
export function backupCronJobName(member: EtcdMember): string {
  return `${POD_NAME}-${member.name}`;
}

/** The object-store directory (rclone path) of a member's snapshots. @internal */
export function backupRemoteDir(b: BackupSettings, member: EtcdMember): string {
  return `${BACKUP_REMOTE}:${b.objectStore.bucket}/${b.objectStore.prefix}/${member.name}`;
}

/** `etcdctl snapshot save` from one member, as the `snapshot` step runs it. @internal */
export function snapshotSaveCommand(member: EtcdMember): string[] {
  return [
    ETCDCTL, `--endpoints=https://${member.host}:${ETCD_CLIENT_PORT}`,
    '--cacert=/tls/ca.crt', '--cert=/tls/tls.crt', '--key=/tls/tls.key', '--dial-timeout=10s',
    'snapshot', 'save', SNAPSHOT_FILE,
  ];
}

/** The integrity check of the `verify` step. @internal */
export function snapshotVerifyCommand(): string[] {
  return [ETCDCTL, 'snapshot', 'status', SNAPSHOT_FILE, '--write-out=table'];
}

/** The upload of the `upload` step (`$(JOB_NAME)` is expanded by the kubelet). @internal */
export function uploadCommand(b: BackupSettings, member: EtcdMember): string[] {
  return ['rclone', 'copyto', SNAPSHOT_FILE, `${backupRemoteDir(b, member)}/$(${JOB_NAME_ENV}).db`, '--immutable', '--retries=3', '--low-level-retries=10', '--stats-one-line', '-v'];
}

/** The retention of the `prune` step. @internal */
export function pruneCommand(b: BackupSettings, member: EtcdMember): string[] {
  return ['rclone', 'delete', backupRemoteDir(b, member), `--min-age=${b.retentionDays}d`, '--include=*.db', '--retries=3', '-v'];
}

function resources(withScratch?: number): k8s.ResourceRequirements {
  return {
    requests: {
      cpu: k8s.Quantity.fromString(formatCpu(STEP.cpuMillis)),
      memory: k8s.Quantity.fromString(formatMemory(STEP.memoryMiB)),
      ...(withScratch ? { 'ephemeral-storage': k8s.Quantity.fromString(`${withScratch}Gi`) } : {}),
    },
    limits: {
      cpu: k8s.Quantity.fromString(formatCpu(STEP.cpuLimitMillis)),
      memory: k8s.Quantity.fromString(formatMemory(STEP.memoryLimitMiB)),
      ...(withScratch ? { 'ephemeral-storage': k8s.Quantity.fromString(`${withScratch}Gi`) } : {}),
    },
  };
}

const CONTAINER_SECURITY: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

function uploaderEnv(b: BackupSettings): k8s.EnvVar[] {
  const o = b.objectStore;
  const remote = `RCLONE_CONFIG_${BACKUP_REMOTE.toUpperCase()}`;
  const secret = (key: string): k8s.EnvVar => ({ name: key, valueFrom: { secretKeyRef: { name: o.credentialsSecret, key } } });
  return [
    { name: 'HOME', value: '/tmp' },
    { name: 'XDG_CONFIG_HOME', value: '/tmp' },
    { name: `${remote}_TYPE`, value: 's3' },
    { name: `${remote}_PROVIDER`, value: o.provider },
    { name: `${remote}_ENDPOINT`, value: o.endpoint },
    { name: `${remote}_REGION`, value: o.region },
    { name: `${remote}_ENV_AUTH`, value: 'true' },
    // the credentials need put, list and delete on the prefix, not the right to create buckets
    { name: `${remote}_NO_CHECK_BUCKET`, value: 'true' },
    secret('AWS_ACCESS_KEY_ID'),
    secret('AWS_SECRET_ACCESS_KEY'),
  ];
}

function cronJob(b: BackupSettings, member: EtcdMember): KubeObject {
  const labels = { [POD_LABEL]: POD_NAME, 'app.kubernetes.io/instance': member.name, 'app.kubernetes.io/component': 'etcd-backup' };
  const mounts = {
    tls: { name: 'tls', mountPath: '/tls', readOnly: true },
    snapshots: { name: 'snapshots', mountPath: '/snapshots' },
    snapshotsRead: { name: 'snapshots', mountPath: '/snapshots', readOnly: true },
    tmp: { name: 'tmp', mountPath: '/tmp' },
  };
  const env = uploaderEnv(b);
  return k8s.KubeCronJob.manifest({
    metadata: { name: backupCronJobName(member), namespace: ETCD_BACKUP_NAMESPACE, labels },
    spec: {
      schedule: b.schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 1800,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: 'Never',
              // a backup must run when the cluster is full: the scheduler preempts app and batch pods for it, as for the CSR approver
              priorityClassName: 'system-cluster-critical',
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 65532,
                runAsGroup: 65532,
                fsGroup: 65532,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              initContainers: [{
                name: 'snapshot',
                image: b.image,
                command: snapshotSaveCommand(member),
                env: [{ name: 'ETCDCTL_API', value: '3' }],
                resources: resources(b.scratchGiB),
                securityContext: CONTAINER_SECURITY,
                volumeMounts: [mounts.tls, mounts.snapshots],
                terminationMessagePolicy: 'FallbackToLogsOnError',
              }, {
                name: 'verify',
                image: b.image,
                command: snapshotVerifyCommand(),
                env: [{ name: 'ETCDCTL_API', value: '3' }],
                resources: resources(),
                securityContext: CONTAINER_SECURITY,
                volumeMounts: [mounts.snapshotsRead],
                terminationMessagePolicy: 'FallbackToLogsOnError',
              }, {
                name: 'upload',
                image: b.uploaderImage,
                command: uploadCommand(b, member),
                env: [{ name: JOB_NAME_ENV, valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-name']" } } }, ...env],
                resources: resources(),
                securityContext: CONTAINER_SECURITY,
                volumeMounts: [mounts.snapshotsRead, mounts.tmp],
                terminationMessagePolicy: 'FallbackToLogsOnError',
              }],
              containers: [{
                name: 'prune',
                image: b.uploaderImage,
                command: pruneCommand(b, member),
                env,
                resources: resources(),
                securityContext: CONTAINER_SECURITY,
                volumeMounts: [mounts.tmp],
                terminationMessagePolicy: 'FallbackToLogsOnError',
              }],
              volumes: [
                { name: 'tls', secret: { secretName: ETCD_BACKUP_SECRET, defaultMode: 0o400 } },
                { name: 'snapshots', emptyDir: { sizeLimit: k8s.Quantity.fromString(`${b.scratchGiB}Gi`) } },
                { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
              ],
            },
          },
        },
      },
    },
  }) as KubeObject;
}

/** The traffic the backup pods need: the etcd client port and the object store (besides DNS). @internal */
export function backupAllowances(b: BackupSettings): PlatformAllowance[] {
  const pods = { [POD_LABEL]: POD_NAME };
  return [
    { name: 'etcd-client', podLabels: pods, direction: 'Egress', namespaces: [], cidrs: [], ports: [{ port: ETCD_CLIENT_PORT, protocol: 'TCP' }] },
    { name: 'object-store', podLabels: pods, direction: 'Egress', namespaces: [], cidrs: b.objectStore.cidrs, ports: [{ port: b.objectStore.port, protocol: 'TCP' }] },
  ];
}

/**
 * The quota of the namespace: one running pod per member (Forbid) and one
 * retry beside it, each step's requests and limits, the scratch space; no
 * volume claims and no Services, since nothing is kept or served here.
 */
function quota(b: BackupSettings, members: number): KubeObject {
  const pods = 2 * members;
  // a pod's effective requests are the largest init container's (the steps are alike; the snapshot one adds the scratch space)
  return k8s.KubeResourceQuota.manifest({
    metadata: { name: 'etcd-backup', namespace: ETCD_BACKUP_NAMESPACE, labels: { 'app.kubernetes.io/component': 'etcd-backup' } },
    spec: {
      hard: {
        'pods': k8s.Quantity.fromNumber(pods),
        'requests.cpu': k8s.Quantity.fromString(formatCpu(pods * STEP.cpuMillis)),
        'requests.memory': k8s.Quantity.fromString(formatMemory(pods * STEP.memoryMiB)),
        'limits.cpu': k8s.Quantity.fromString(formatCpu(pods * STEP.cpuLimitMillis)),
        'limits.memory': k8s.Quantity.fromString(formatMemory(pods * STEP.memoryLimitMiB)),
        'requests.ephemeral-storage': k8s.Quantity.fromString(`${pods * b.scratchGiB}Gi`),
        'limits.ephemeral-storage': k8s.Quantity.fromString(`${pods * b.scratchGiB}Gi`),
        'persistentvolumeclaims': k8s.Quantity.fromNumber(0),
        'services': k8s.Quantity.fromNumber(0),
      },
    },
  }) as KubeObject;
}

/** The backup namespace, its NetworkPolicies and quota, and a CronJob per main etcd member. @internal */
export function renderEtcdBackup(s: ControlPlaneSettings): KubeObject[] {
  const b = s.backup;
  if (!b) return [];
  const namespace = k8s.KubeNamespace.manifest({
    metadata: { name: ETCD_BACKUP_NAMESPACE, labels: { ...platformNamespaceLabels('restricted'), 'app.kubernetes.io/component': 'etcd-backup' } },
  }) as KubeObject;
  const members = s.etcd.main.members;
  return [
    namespace,
    ...renderPlatformNetworkPolicies(ETCD_BACKUP_NAMESPACE, backupAllowances(b)) as KubeObject[],
    quota(b, members.length),
    ...members.map(m => cronJob(b, m)),
  ];
}

/**
 * The restore script of a cluster's main etcd: checks a snapshot and restores
 * it into a fresh data directory of one member, with that member's name and
 * URLs and the cluster's member list and token (the same as its config file),
 * so the restored member starts from its unchanged config once the directory
 * is moved into place. Run on every member's host with the same snapshot.
 * @internal
 */
export function renderRestoreScript(s: ControlPlaneSettings): string {
  const c = s.etcd.main;
  const dataDir = `/var/lib/etcd/${c.role}`;
  const initialCluster = c.members.map(m => `${m.name}=${peerUrl(m)}`).join(',');
  const b = s.backup;
  const lines = [
    '#!/bin/sh',
    `# Restore of the main etcd cluster of ${s.cluster.clusterName} from a snapshot (generated; the procedure is in docs/control-plane.md).`,
    '#',
    ...(b ? [
      `# Snapshots: ${b.objectStore.endpoint}, bucket ${b.objectStore.bucket}, ${b.objectStore.prefix}/<member>/<job>.db, kept ${b.retentionDays} days.`,
      '# Fetch the newest (rclone with the same remote as the job: RCLONE_CONFIG_OFFSITE_* and the credentials):',
      `#   rclone lsl ${BACKUP_REMOTE}:${b.objectStore.bucket}/${b.objectStore.prefix}/`,
      `#   rclone copyto ${BACKUP_REMOTE}:${b.objectStore.bucket}/${b.objectStore.prefix}/<member>/<job>.db ./snapshot.db`,
    ] : []),
    '# Then on every member host, with kube-apiserver and etcd stopped on all of them:',
    '#   sh etcd-restore.sh ./snapshot.db <member>',
    `#   mv ${dataDir} ${dataDir}.before-restore && mv ${dataDir}.restored ${dataDir}`,
    '# and start etcd on every member, then the apiservers.',
    '# etcdutl ships with etcd 3.5 (etcd release archive); with etcd 3.4 use etcdctl, same arguments.',
    'set -eu',
    'snapshot="${1:?usage: etcd-restore.sh SNAPSHOT MEMBER}"',
    'member="${2:?usage: etcd-restore.sh SNAPSHOT MEMBER}"',
    'etcdutl snapshot status "$snapshot" --write-out=table',
    'case "$member" in',
    ...c.members.map(m => `  ${m.name}) etcdutl snapshot restore "$snapshot" --name=${m.name} --initial-cluster=${initialCluster} --initial-cluster-token=${c.token} --initial-advertise-peer-urls=https://${m.host}:${ETCD_PEER_PORT} --data-dir=${dataDir}.restored ;;`),
    '  *) echo "unknown member: $member" >&2; exit 2 ;;',
    'esac',
    '',
  ];
  return lines.join('\n');
}
