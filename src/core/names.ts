/**
 * Kubernetes name rules, shared by every layer.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when `name` is an RFC 1123 label (namespaces, services, most names): at most 63 characters. @internal */
export function isDns1123Label(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 63 && DNS1123_LABEL.test(name);
}

/** True when `name` is an RFC 1123 subdomain (most object names): at most 253 characters. @internal */
export function isDns1123Subdomain(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** The fix text for a name that is not a DNS-1123 label. @internal */
export function dns1123LabelFix(name: unknown): string {
  const suggestion = String(name).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'name';
  return `${DNS1123_LABEL_FIX} (e.g. '${suggestion}')`;
}

/**
 * How to fix a name that must be a DNS-1123 label, without a suggestion (the rule catalogues' default fix).
 * @internal
 */
export const DNS1123_LABEL_FIX = "use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

/** Label key prefix of every label and annotation the library sets. @internal */
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

/** Value of `app.kubernetes.io/managed-by` on every synthesized object. @internal */
export const MANAGED_BY_VALUE = 'cdk8s-fleet';

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?)$/;

/**
 * Why `key` is not a Kubernetes label, annotation or taint key (an optional
 * DNS-subdomain prefix and `/`, then a name of at most 63 characters), or undefined.
 * @internal
 */
export function qualifiedNameProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return `a ${key === null ? 'null' : typeof key} value is not a key`;
  const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return `key '${shown}' has a prefix that is not a DNS subdomain`;
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return `key '${shown}' is not a qualified name (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)`;
  }
  return undefined;
}

/** Why `value` is not a Kubernetes label value (at most 63 characters of letters, digits, `-`, `_`, `.`; may be empty), or undefined. @internal */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `a ${value === null ? 'null' : typeof value} value is not a label value`;
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}' is not a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)`;
  }
  return undefined;
}

/** Why a map of labels is not valid, one problem per bad entry (empty when it is valid). @internal */
export function labelsProblems(labels: unknown): string[] {
  if (labels === undefined) return [];
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return ['the labels are not a map of keys to values'];
  const out: string[] = [];
  for (const [k, val] of Object.entries(labels)) {
    const p = qualifiedNameProblem(k) ?? labelValueProblem(val);
    if (p) out.push(p);
  }
  return out;
}

/** Namespaces Kubernetes keeps for itself: no app and no platform agent may take them. @internal */
export const RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
