/**
 * NetworkPolicies of an app namespace: deny everything by default, then allow
 * in-namespace traffic, DNS, and exactly the allowances the app declares.
 */
import { k8s } from 'cdk8s-plus-28';
import { AllowanceSpec, NamespaceSpec } from './slots';
import { LABEL_PREFIX } from '../core/names';
import { NAMESPACE_NAME_LABEL } from '../core/network';
import { KubeObject } from '../synth/context';

export { NAMESPACE_NAME_LABEL, isCidr, isWholeInternet } from '../core/network';

function meta(ns: NamespaceSpec, name: string) {
  return { name, namespace: ns.namespace, labels: { 'app.kubernetes.io/component': 'app-network', [`${LABEL_PREFIX}/app`]: ns.app } };
}

function peers(a: AllowanceSpec, namespaceOfApp: (app: string) => string | undefined): k8s.NetworkPolicyPeer[] {
  const namespaces = new Set<string>(a.namespaces);
  for (const app of a.apps) {
    const n = namespaceOfApp(app);
    if (n) namespaces.add(n);
  }
  return [
    ...[...namespaces].sort().map(n => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: n } } })),
    ...[...new Set(a.cidrs)].sort().map(cidr => ({ ipBlock: { cidr } })),
  ];
}

function ports(a: AllowanceSpec): k8s.NetworkPolicyPort[] | undefined {
  if (!a.ports) return undefined;
  return a.ports.map(p => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol }));
}

/**
 * The namespace's NetworkPolicies. `namespaceOfApp` resolves an app name to its
 * namespace (allowances naming unknown apps are rejected by validation).
 * @internal
 */
export function renderAppNetworkPolicies(ns: NamespaceSpec, namespaceOfApp: (app: string) => string | undefined): KubeObject[] {
  const net = ns.network;
  const out: KubeObject[] = [k8s.KubeNetworkPolicy.manifest({
    metadata: meta(ns, 'default-deny'),
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  }) as KubeObject];
  if (net.allowWithinNamespace) {
    out.push(k8s.KubeNetworkPolicy.manifest({
      metadata: meta(ns, 'allow-within-namespace'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      },
    }) as KubeObject);
  }
  if (net.allowDns) {
    out.push(k8s.KubeNetworkPolicy.manifest({
      metadata: meta(ns, 'allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' }],
        }],
      },
    }) as KubeObject);
  }
  const ingress = net.ingress;
  if (ingress.length > 0) {
    out.push(k8s.KubeNetworkPolicy.manifest({
      metadata: meta(ns, 'allow-declared-ingress'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: ingress.map(a => ({ from: peers(a, namespaceOfApp), ...(ports(a) ? { ports: ports(a) } : {}) })),
      },
    }) as KubeObject);
  }
  const egress = net.egress;
  if (egress.length > 0) {
    out.push(k8s.KubeNetworkPolicy.manifest({
      metadata: meta(ns, 'allow-declared-egress'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: egress.map(a => ({ to: peers(a, namespaceOfApp), ...(ports(a) ? { ports: ports(a) } : {}) })),
      },
    }) as KubeObject);
  }
  return out;
}
