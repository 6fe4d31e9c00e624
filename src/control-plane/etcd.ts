/**
 * etcd member configuration: one `--config-file` YAML per member (etcd
 * ignores its other flags when given a config file), TLS with client
 * certificate authentication for clients and peers.
 */
import { ETCD_CLIENT_PORT } from './apiserver';
import { CONTROL_PLANE_TLS_CIPHER_SUITES, Pki } from './pki';
import { EtcdClusterSettings, EtcdMember } from './settings';

/** etcd's peer port. @internal */
export const ETCD_PEER_PORT = 2380;
/** Loopback-only plain-HTTP metrics port (as kubeadm configures it). @internal */
export const ETCD_METRICS_PORT = 2381;

/** The peer URL of a member. @internal */
export function peerUrl(m: EtcdMember): string {
  return `https://${m.host}:${ETCD_PEER_PORT}`;
}

/** The config file of one member of an etcd cluster. @internal */
export function renderEtcdMemberConfig(c: EtcdClusterSettings, member: EtcdMember): Record<string, unknown> {
  const tls = (cert: string, key: string) => ({
    'cert-file': cert,
    'key-file': key,
    'client-cert-auth': true,
    'trusted-ca-file': Pki.ETCD_CA,
    'auto-tls': false,
  });
  return {
    'name': member.name,
    'data-dir': `/var/lib/etcd/${c.role}`,
    'listen-peer-urls': `https://0.0.0.0:${ETCD_PEER_PORT}`,
    'listen-client-urls': `https://0.0.0.0:${ETCD_CLIENT_PORT}`,
    'listen-metrics-urls': `http://127.0.0.1:${ETCD_METRICS_PORT}`,
    'initial-advertise-peer-urls': peerUrl(member),
    'advertise-client-urls': `https://${member.host}:${ETCD_CLIENT_PORT}`,
    'initial-cluster': c.members.map(m => `${m.name}=${peerUrl(m)}`).join(','),
    'initial-cluster-token': c.token,
    'initial-cluster-state': 'new',
    'strict-reconfig-check': true,
    'heartbeat-interval': c.timing.heartbeatMillis,
    'election-timeout': c.timing.electionMillis,
    'snapshot-count': c.snapshotCount,
    'quota-backend-bytes': c.quotaBackendBytes,
    'auto-compaction-mode': 'periodic',
    'auto-compaction-retention': `${c.autoCompactionRetentionHours}h`,
    'max-snapshots': 5,
    'max-wals': 5,
    'enable-v2': false,
    'enable-pprof': false,
    'logger': 'zap',
    'log-outputs': ['stderr'],
    'cipher-suites': [...CONTROL_PLANE_TLS_CIPHER_SUITES],
    'client-transport-security': tls(Pki.ETCD_SERVER_CERT, Pki.ETCD_SERVER_KEY),
    'peer-transport-security': tls(Pki.ETCD_PEER_CERT, Pki.ETCD_PEER_KEY),
  };
}
