/**
 * Kubernetes name rules, shared by every layer.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when `name` is an RFC 1123 label (namespaces, services, most names): at most 63 characters. */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

/** True when `name` is an RFC 1123 subdomain (most object names): at most 253 characters. */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** The fix text for a name that is not a DNS-1123 label. */
export function dns1123LabelFix(name: string): string {
  const suggestion = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'name';
  return `use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (e.g. '${suggestion}')`;
}

/** Label key prefix of every label and annotation the library sets. */
export const LABEL_PREFIX = 'fleet.cdk8s.io';

/** Well-known label keys. */
export const Labels = {
  /** Maintenance zone of a node (and the topology key workloads spread over). */
  MAINTENANCE_ZONE: `${LABEL_PREFIX}/maintenance-zone`,
  /** KubernetesPool a node belongs to. */
  POOL: `${LABEL_PREFIX}/pool`,
  /** Node profile of a node. */
  NODE_PROFILE: `${LABEL_PREFIX}/node-profile`,
  /** Cluster an object was synthesized for. */
  CLUSTER: `${LABEL_PREFIX}/cluster`,
  /** Release track of a workload object: `stable` or `canary`. */
  TRACK: `${LABEL_PREFIX}/track`,
  /** Set on every object the library synthesizes. */
  MANAGED_BY: 'app.kubernetes.io/managed-by',
} as const;

/** Value of `app.kubernetes.io/managed-by` on every synthesized object. */
export const MANAGED_BY_VALUE = 'cdk8s-fleet';
