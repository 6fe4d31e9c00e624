/**
 * etcd backups, the DR strategy: a CronJob that takes a snapshot of the main
 * etcd cluster (trying each member until one answers) and keeps the newest
 * `retain` snapshots on a volume.
 *
 * It runs in its own namespace, `etcd-backup`, not in kube-system: the etcd
 * client certificate it mounts gives full access to the cluster's data, so it
 * lives where no other workload's service account can read Secrets. The
 * namespace enforces the restricted Pod Security level and the job runs as
 * non-root with a read-only root filesystem and no service account token. The
 * events cluster is not backed up: events are disposable by design.
 */
import { k8s } from 'cdk8s-plus-28';
import { etcdClientUrls } from './apiserver';
import { ControlPlaneSettings } from './settings';
import { KubeObject } from '../synth/context';

/** Namespace of the backup job. @internal */
export const ETCD_BACKUP_NAMESPACE = 'etcd-backup';
/** Secret holding the etcd client certificate (`ca.crt`, `tls.crt`, `tls.key`), provisioned out of band, never in Git. @internal */
export const ETCD_BACKUP_SECRET = 'etcd-backup-client-tls';

/** The shell script of the backup job (no timestamps at synth time: the date is taken when the job runs). @internal */
export function backupScript(s: ControlPlaneSettings): string {
  const endpoints = etcdClientUrls(s.etcd.main).join(' ');
  return [
    'set -eu',
    `file="/backups/${s.cluster.clusterName}-etcd-$(date -u +%Y%m%dT%H%M%SZ).db"`,
    'ok=0',
    `for ep in ${endpoints}; do`,
    '  if etcdctl --endpoints="$ep" --cacert=/tls/ca.crt --cert=/tls/tls.crt --key=/tls/tls.key snapshot save "$file.part"; then ok=1; break; fi',
    'done',
    '[ "$ok" = 1 ] || { echo "no etcd member answered" >&2; exit 1; }',
    'mv "$file.part" "$file"',
    `ls -1t /backups/*.db | tail -n +${s.backup.retain + 1} | while read -r old; do rm -f "$old"; done`,
  ].join('\n');
}

/** The backup namespace, volume and CronJob of a cluster. @internal */
export function renderEtcdBackup(s: ControlPlaneSettings): KubeObject[] {
  const ns = ETCD_BACKUP_NAMESPACE;
  const namespace = k8s.KubeNamespace.manifest({
    metadata: {
      name: ns,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  }) as KubeObject;
  const pvc = k8s.KubePersistentVolumeClaim.manifest({
    metadata: { name: 'etcd-snapshots', namespace: ns },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: s.backup.storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(`${s.backup.volumeGiB}Gi`) } },
    },
  }) as KubeObject;
  const cron = k8s.KubeCronJob.manifest({
    metadata: { name: 'etcd-snapshot', namespace: ns },
    spec: {
      schedule: s.backup.schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 1800,
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': 'etcd-snapshot' } },
            spec: {
              restartPolicy: 'OnFailure',
              automountServiceAccountToken: false,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 65532,
                runAsGroup: 65532,
                fsGroup: 65532,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              containers: [{
                name: 'snapshot',
                image: s.backup.image,
                command: ['/bin/sh', '-c', backupScript(s)],
                env: [{ name: 'ETCDCTL_API', value: '3' }],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('256Mi') },
                  limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('1Gi') },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'tls', mountPath: '/tls', readOnly: true },
                  { name: 'snapshots', mountPath: '/backups' },
                ],
              }],
              volumes: [
                { name: 'tls', secret: { secretName: ETCD_BACKUP_SECRET, defaultMode: 0o400 } },
                { name: 'snapshots', persistentVolumeClaim: { claimName: 'etcd-snapshots' } },
              ],
            },
          },
        },
      },
    },
  }) as KubeObject;
  return [namespace, pvc, cron];
}
