/**
 * The platform's system namespace (fleet-system) is locked down like an app
 * namespace: platform labels, default-deny ingress and egress, DNS, and only
 * the traffic each of its pods declares (node agents by their `network` prop,
 * the serving-CSR approver to the apiserver).
 */
import { Cpu, RequiredDaemonSet, Size } from '../../src';
import { smallFleet, synthErrors } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

function setup() {
  const s = smallFleet();
  const exporter = new RequiredDaemonSet(s.fleet, 'node-exporter', {
    image: 'registry.internal/node-exporter:1.8.1',
    resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) },
    ports: [{ name: 'metrics', containerPort: 9100 }, { name: 'debug', containerPort: 6060 }],
    clusterRules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
    network: { ingressPorts: ['metrics'], egress: [{ cidrs: ['10.20.0.0/16', '10.10.0.0/16'], ports: [4318, 443] }] },
  });
  s.cluster.addPool('edge', { nodeProfile: s.general, capacity: 20, requiredDaemonSets: [exporter] });
  const result = s.fleet.synthesize();
  const inSystem = result.objects.filter(o => o.cluster === s.cluster.clusterName && o.object.metadata.namespace === 'fleet-system');
  const policies = new Map(inSystem.filter(o => o.object.kind === 'NetworkPolicy').map(o => [o.object.metadata.name, o.object as any]));
  return { ...s, result, policies };
}

const agentPods = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'node-agent' } });

describe('the system namespace is locked down', () => {
  test('the namespace carries the platform labels and audits and warns at restricted with versions', () => {
    const { result, cluster } = setup();
    const ns = result.objects.find(o => o.cluster === cluster.clusterName && o.object.kind === 'Namespace' && o.object.metadata.name === 'fleet-system')!.object;
    expect(ns.metadata.labels).toMatchObject({
      'fleet.cdk8s.io/platform-namespace': 'true',
      'app.kubernetes.io/managed-by': 'cdk8s-fleet',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });
    // DaemonSet pods follow the node count: no quota
    expect(result.objects.filter(o => o.cluster === cluster.clusterName && o.object.kind === 'ResourceQuota' && o.object.metadata.namespace === 'fleet-system')).toEqual([]);
  });

  test('exactly the declared policies: default-deny, DNS, the approver and each agent', () => {
    const { policies } = setup();
    expect([...policies.keys()].sort()).toEqual([
      'allow-dns',
      'allow-kubelet-serving-csr-approver-apiserver',
      'allow-node-exporter-apiserver',
      'allow-node-exporter-egress-0',
      'allow-node-exporter-ingress',
      'default-deny',
    ]);
    expect(policies.get('default-deny')!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policies.get('allow-dns')!.spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  });

  test('the approver reaches only the apiserver port, and nothing reaches it', () => {
    const { policies } = setup();
    expect(policies.get('allow-kubelet-serving-csr-approver-apiserver')!.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'kubelet-serving-csr-approver' } },
      policyTypes: ['Egress'],
      egress: [{ ports: [{ port: 6443, protocol: 'TCP' }] }],
    });
    const ingress = [...policies.values()].filter(p => p.spec.policyTypes.includes('Ingress') && p.metadata.name !== 'default-deny');
    expect(ingress.map(p => p.metadata.name)).toEqual(['allow-node-exporter-ingress']);
  });

  test('an agent gets its open ports, the apiserver (it has cluster rules) and its declared egress, nothing else', () => {
    const { policies } = setup();
    expect(policies.get('allow-node-exporter-ingress')!.spec).toEqual({
      podSelector: agentPods('node-exporter'), policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 9100, protocol: 'TCP' }] }],
    });
    expect(policies.get('allow-node-exporter-apiserver')!.spec).toEqual({
      podSelector: agentPods('node-exporter'), policyTypes: ['Egress'], egress: [{ ports: [{ port: 6443, protocol: 'TCP' }] }],
    });
    expect(policies.get('allow-node-exporter-egress-0')!.spec).toEqual({
      podSelector: agentPods('node-exporter'),
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.10.0.0/16' } }, { ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 4318, protocol: 'TCP' }] }],
    });
  });

  test('by default an agent is open on its declared ports and reaches the apiserver only with cluster rules', () => {
    const s = smallFleet();
    const plain = new RequiredDaemonSet(s.fleet, 'plain', {
      image: 'r/plain:1.0.0', resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) }, ports: [{ name: 'metrics', containerPort: 9000 }],
    });
    s.cluster.addPool('other', { nodeProfile: s.general, capacity: 20, requiredDaemonSets: [plain] });
    const names = s.fleet.synthesize().objects.filter(o => o.cluster === s.cluster.clusterName && o.object.kind === 'NetworkPolicy' && o.object.metadata.namespace === 'fleet-system')
      .map(o => o.object.metadata.name).sort();
    expect(names).toEqual(['allow-dns', 'allow-kubelet-serving-csr-approver-apiserver', 'allow-plain-ingress', 'default-deny']);
  });

  test('a bad network prop is reported with its path, rule and fix, every problem at once', () => {
    const s = smallFleet();
    const bad = new RequiredDaemonSet(s.fleet, 'bad', {
      image: 'r/bad:1.0.0',
      resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) },
      ports: [{ name: 'metrics', containerPort: 9000 }],
      network: { ingressPorts: ['nope'], egress: [{ cidrs: ['0.0.0.0/0'], ports: [443] }, { cidrs: ['10.0.0.0/8'], ports: [70000] }], apiserver: 'yes' as never },
    });
    s.cluster.addPool('other', { nodeProfile: s.general, capacity: 20, requiredDaemonSets: [bad] });
    const errors = synthErrors(s.fleet).violations.filter(x => x.rule === 'daemonset.network');
    expect(errors.map(e => e.message).sort()).toEqual([
      "network.apiserver is 'yes', not true or false",
      'network.egress[0] opens the whole internet',
      'network.egress[1]: port 70000 is not from 1 to 65535',
      "network.ingressPorts names 'nope', which is not one of the agent's ports",
    ]);
    for (const e of errors) {
      expect(e.path).toContain('bad');
      expect(e.fix).toMatch(/ingressPorts/);
    }
  });
});

function udpSetup() {
  const s = smallFleet();
  const statsd = new RequiredDaemonSet(s.fleet, 'statsd', {
    image: 'registry.internal/statsd:0.10.2',
    resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) },
    ports: [{ name: 'statsd', containerPort: 8125, protocol: 'UDP' }, { name: 'statsd-tcp', containerPort: 8125 }, { name: 'metrics', containerPort: 9102 }],
    network: { egress: [{ cidrs: ['10.30.0.0/16'], ports: [514], protocol: 'UDP' }, { cidrs: ['10.30.0.0/16'], ports: [6514] }] },
  });
  s.cluster.addPool('edge', { nodeProfile: s.general, capacity: 20, requiredDaemonSets: [statsd] });
  const result = s.fleet.synthesize();
  const inSystem = result.objects.filter(o => o.cluster === s.cluster.clusterName && o.object.metadata.namespace === 'fleet-system');
  return { result, inSystem, policy: (name: string) => inSystem.find(o => o.object.kind === 'NetworkPolicy' && o.object.metadata.name === name)?.object as any };
}

describe('an agent\'s ports and peers over UDP', () => {
  test('the container ports and the policies carry each port\'s protocol; TCP stays the default', () => {
    const { inSystem, policy } = udpSetup();
    const ds = inSystem.find(o => o.object.kind === 'DaemonSet' && o.object.metadata.name === 'statsd-edge')!.object as any;
    expect(ds.spec.template.spec.containers[0].ports).toEqual([
      { name: 'statsd', containerPort: 8125, protocol: 'UDP' },
      { name: 'statsd-tcp', containerPort: 8125, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9102, protocol: 'TCP' },
    ]);
    expect(policy('allow-statsd-ingress').spec.ingress).toEqual([{ ports: [{ port: 8125, protocol: 'TCP' }, { port: 8125, protocol: 'UDP' }, { port: 9102, protocol: 'TCP' }] }]);
    expect(policy('allow-statsd-egress-0').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.30.0.0/16' } }], ports: [{ port: 514, protocol: 'UDP' }] }]);
    expect(policy('allow-statsd-egress-1').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.30.0.0/16' } }], ports: [{ port: 6514, protocol: 'TCP' }] }]);
  });

  test('a protocol Kubernetes does not know is reported on the port and on the egress entry', () => {
    const s = smallFleet();
    const bad = new RequiredDaemonSet(s.fleet, 'bad', {
      image: 'r/bad:1.0.0',
      resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) },
      ports: [{ name: 'metrics', containerPort: 9000, protocol: 'udp' as never }],
      network: { egress: [{ cidrs: ['10.0.0.0/8'], ports: [514], protocol: 'QUIC' as never }] },
    });
    s.cluster.addPool('other', { nodeProfile: s.general, capacity: 20, requiredDaemonSets: [bad] });
    const errors = synthErrors(s.fleet).violations.filter(x => x.rule === 'daemonset.ports' || x.rule === 'daemonset.network');
    expect(errors.map(e => [e.rule, e.message])).toEqual(expect.arrayContaining([
      ['daemonset.ports', "ports[0]: protocol 'udp' is not one of TCP, UDP, SCTP"],
      ['daemonset.network', "network.egress[0]: protocol 'QUIC' is not one of TCP, UDP, SCTP"],
    ]));
    expect(errors).toHaveLength(2);
  });
});

describeWithSchemas('the system namespace policies are schema-valid', () => {
  test('strict Kubernetes schemas', () => {
    expect(validateAll(setup().result.objects)).toEqual([]);
  });
  test('strict Kubernetes schemas, with UDP ports and peers', () => {
    expect(validateAll(udpSetup().result.objects)).toEqual([]);
  });
});
