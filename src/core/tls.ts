/**
 * TLS settings shared by every server the platform configures.
 */

/**
 * Strong TLS cipher suites: ECDHE with AEAD only, as the CIS Kubernetes
 * Benchmark asks of the kube-apiserver and etcd (1.2.30, 2.x) and of the
 * kubelet's server (4.2.13).
 * @internal
 */
export const STRONG_TLS_CIPHER_SUITES: readonly string[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
];
