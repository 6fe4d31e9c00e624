/**
 * Where the control plane's TLS material lives on a control-plane host (the
 * kubeadm layout). Only paths are generated: keys never enter the output.
 */
import { STRONG_TLS_CIPHER_SUITES } from '../core/tls';

/** Paths of the cluster's PKI on control-plane hosts. @internal */
export const Pki = {
  /** Directory of the Kubernetes PKI. */
  DIR: '/etc/kubernetes/pki',
  /** Cluster CA (signs kubelet, apiserver and client certificates). */
  CA: '/etc/kubernetes/pki/ca.crt',
  APISERVER_CERT: '/etc/kubernetes/pki/apiserver.crt',
  APISERVER_KEY: '/etc/kubernetes/pki/apiserver.key',
  KUBELET_CLIENT_CERT: '/etc/kubernetes/pki/apiserver-kubelet-client.crt',
  KUBELET_CLIENT_KEY: '/etc/kubernetes/pki/apiserver-kubelet-client.key',
  ETCD_CLIENT_CERT: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
  ETCD_CLIENT_KEY: '/etc/kubernetes/pki/apiserver-etcd-client.key',
  SA_PUBLIC_KEY: '/etc/kubernetes/pki/sa.pub',
  SA_PRIVATE_KEY: '/etc/kubernetes/pki/sa.key',
  FRONT_PROXY_CA: '/etc/kubernetes/pki/front-proxy-ca.crt',
  FRONT_PROXY_CLIENT_CERT: '/etc/kubernetes/pki/front-proxy-client.crt',
  FRONT_PROXY_CLIENT_KEY: '/etc/kubernetes/pki/front-proxy-client.key',
  /** etcd's own CA: distinct from the cluster CA (CIS 2.7). */
  ETCD_CA: '/etc/kubernetes/pki/etcd/ca.crt',
  ETCD_SERVER_CERT: '/etc/kubernetes/pki/etcd/server.crt',
  ETCD_SERVER_KEY: '/etc/kubernetes/pki/etcd/server.key',
  ETCD_PEER_CERT: '/etc/kubernetes/pki/etcd/peer.crt',
  ETCD_PEER_KEY: '/etc/kubernetes/pki/etcd/peer.key',
} as const;

/** Node paths of the apiserver's configuration files. @internal */
export const ApiserverPaths = {
  AUDIT_POLICY: '/etc/kubernetes/audit/policy.yaml',
  AUDIT_LOG: '/var/log/kubernetes/audit/audit.log',
  ENCRYPTION_CONFIG: '/etc/kubernetes/encryption/config.yaml',
  ADMISSION_CONFIG: '/etc/kubernetes/admission/config.yaml',
  EVENT_RATE_LIMIT_CONFIG: '/etc/kubernetes/admission/event-rate-limit.yaml',
} as const;

/** Strong TLS cipher suites of the kube-apiserver and etcd (CIS 1.2.30 / 2.x): the platform's one list. @internal */
export const CONTROL_PLANE_TLS_CIPHER_SUITES: readonly string[] = STRONG_TLS_CIPHER_SUITES;
