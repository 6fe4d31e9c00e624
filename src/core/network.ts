/**
 * NetworkPolicy building blocks shared by the layers: CIDR checks, the
 * namespace-name label, and the policies of a namespace the platform owns
 * (deny everything, then allow DNS and exactly the traffic its pods need).
 */
import { k8s } from 'cdk8s-plus-28';
import { LABEL_PREFIX } from './names';

/** Label Kubernetes puts on every namespace with its name. @internal */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Label on every namespace the platform owns (`true`): its objects are the platform's, not an app's. @internal */
export const PLATFORM_NAMESPACE_LABEL = `${LABEL_PREFIX}/platform-namespace`;

const IPV4_CIDR = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}\/([0-9]|[12][0-9]|3[0-2])$/;
const IPV6_CIDR = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*\/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$/;

/** True when `cidr` is an IPv4 or IPv6 block in CIDR notation. @internal */
export function isCidr(cidr: string): boolean {
  return IPV4_CIDR.test(cidr) || IPV6_CIDR.test(cidr);
}

/** True when a CIDR is the whole address space (`0.0.0.0/0`, `::/0`). @internal */
export function isWholeInternet(cidr: string): boolean {
  return cidr.endsWith('/0');
}

/** The kube-apiserver's secure port (it runs on the control-plane hosts, outside any pod network). @internal */
export const KUBE_APISERVER_PORT = 6443;

/** A port of a platform allowance. @internal */
export interface PlatformPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** One allowance of a platform namespace's pods. @internal */
export interface PlatformAllowance {
  /** Name of the NetworkPolicy (`allow-<name>`). */
  readonly name: string;
  /** Pods it applies to (labels); empty: every pod of the namespace. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly direction: 'Ingress' | 'Egress';
  /** Peers by namespace name. */
  readonly namespaces: readonly string[];
  /** Peers by address block. */
  readonly cidrs: readonly string[];
  /** When no peer is given: any peer (on the ports only). */
  readonly ports: readonly PlatformPort[];
}

/**
 * The Pod Security admission labels of a namespace: `level` enforced, and
 * `restricted` audited and warned, each at the latest version. App and
 * platform namespaces share them. @internal
 */
export function podSecurityLabels(level: 'restricted' | 'baseline' | 'privileged'): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': 'latest',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': 'latest',
  };
}

/** The labels of a namespace the platform owns, with its Pod Security level (audited and warned at `restricted`). @internal */
export function platformNamespaceLabels(level: 'restricted' | 'baseline' | 'privileged'): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'cdk8s-fleet',
    [PLATFORM_NAMESPACE_LABEL]: 'true',
    ...podSecurityLabels(level),
  };
}

function policy(namespace: string, name: string, spec: k8s.NetworkPolicySpec): unknown {
  return k8s.KubeNetworkPolicy.manifest({
    metadata: { name, namespace, labels: { 'app.kubernetes.io/component': 'platform-network', [PLATFORM_NAMESPACE_LABEL]: 'true' } },
    spec,
  });
}

/**
 * The NetworkPolicies of a platform namespace: `default-deny` (ingress and
 * egress of every pod), `allow-dns` (egress to the cluster DNS) and one
 * policy per allowance, in the order given.
 * @internal
 */
export function renderPlatformNetworkPolicies(namespace: string, allowances: readonly PlatformAllowance[]): unknown[] {
  const out = [
    policy(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy(namespace, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' }],
      }],
    }),
  ];
  for (const a of allowances) out.push(renderPlatformAllowance(namespace, a));
  return out;
}

/** The NetworkPolicy `allow-<name>` of one allowance of a platform namespace's pods. @internal */
export function renderPlatformAllowance(namespace: string, a: PlatformAllowance): unknown {
  const peers: k8s.NetworkPolicyPeer[] = [
    ...[...new Set(a.namespaces)].sort().map(n => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: n } } })),
    ...[...new Set(a.cidrs)].sort().map(cidr => ({ ipBlock: { cidr } })),
  ];
  const ports = a.ports.map(p => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol }));
  const rule = { ...(peers.length > 0 ? { [a.direction === 'Ingress' ? 'from' : 'to']: peers } : {}), ...(ports.length > 0 ? { ports } : {}) };
  return policy(namespace, `allow-${a.name}`, {
    podSelector: Object.keys(a.podLabels).length > 0 ? { matchLabels: { ...a.podLabels } } : {},
    policyTypes: [a.direction],
    ...(a.direction === 'Ingress' ? { ingress: [rule] } : { egress: [rule] }),
  });
}
