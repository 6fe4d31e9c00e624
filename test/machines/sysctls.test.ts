import { Cluster, NodeProfile, Size } from '../../src';
import { NODE_SYSCTLS, defaultSysctls, modulesFor } from '../../src/machines/sysctls';
import { smallFleet, synthErrors } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

function withSysctls(sysctls: Record<string, unknown>, kubeProxy?: ConstructorParameters<typeof Cluster>[2]['kubeProxy']) {
  const s = smallFleet();
  Object.assign(s.general.props, { nodeConfig: { sysctls } });
  if (kubeProxy) Object.assign(s.cluster.props, { kubeProxy });
  return s;
}

describe('node sysctls kube-proxy depends on', () => {
  test('every profile sets the defaults; nf_conntrack_max is sized like kube-proxy sizes it', () => {
    const { fleet, general } = smallFleet();
    const result = fleet.synthesize();
    const spec = result.spec.machines.of(general)!;
    expect(spec.sysctls).toEqual({
      'net.bridge.bridge-nf-call-iptables': 1,
      'net.ipv4.ip_forward': 1,
      'net.ipv4.tcp_retries2': 8,
      'net.ipv4.vs.conn_reuse_mode': 1,
      'net.ipv4.vs.conntrack': 1,
      'net.ipv4.vs.expire_nodest_conn': 1,
      'net.ipv4.vs.expire_quiescent_template': 1,
      'net.netfilter.nf_conntrack_max': 32 * 32768,
    });
    expect(defaultSysctls(2)['net.netfilter.nf_conntrack_max']).toBe(131072);
    // rendered where node configuration is rendered: the profile's file and the hub's pool records
    const file = result.files.get('node-profiles/general/90-fleet-node.conf')!;
    expect(file).toContain('net.ipv4.vs.expire_nodest_conn = 1\n');
    expect(file).toContain('net.ipv4.tcp_retries2 = 8\n');
    const record = result.objects.find(o => o.object.kind === 'KubernetesPool' && o.object.metadata.name === 'prod-1-general')!.object as any;
    expect(record.spec.poolTemplate.nodeConfig.sysctls).toEqual(spec.sysctls);
    expect(record.spec.poolTemplate.nodeConfig.sysctlFile).toBe('node-profiles/general/90-fleet-node.conf');
    // the IPVS, conntrack and bridge keys exist only with their modules loaded: loaded before the sysctls apply
    expect(result.files.get('node-profiles/general/90-fleet-node-modules.conf')!.split('\n').filter(l => l && !l.startsWith('#')))
      .toEqual(['br_netfilter', 'ip_vs', 'nf_conntrack']);
  });

  test('the modules a profile loads follow its sysctls', () => {
    expect(modulesFor({ 'net.ipv4.tcp_retries2': 8, 'vm.max_map_count': 262144 })).toEqual([]);
    expect(modulesFor({ 'net.netfilter.nf_conntrack_max': 1, 'net.ipv4.vs.conntrack': 1 })).toEqual(['ip_vs', 'nf_conntrack']);
    // every default sysctl outside the core kernel's own keys names a module
    for (const key of Object.keys(defaultSysctls(8))) {
      if (key.startsWith('net.ipv4.vs.') || key.startsWith('net.bridge.') || key.startsWith('net.netfilter.')) expect(modulesFor({ [key]: 1 })).toHaveLength(1);
    }
  });

  test('every default has its reason and the modes that need it', () => {
    for (const s of NODE_SYSCTLS) {
      expect(s.reason.length).toBeGreaterThan(20);
      expect(s.ok(s.value)).toBe(true);
      expect(s.modes.length).toBeGreaterThan(0);
    }
  });

  test('a profile adds its own and overrides a default', () => {
    const s = withSysctls({ 'vm.max_map_count': 262144, 'net.ipv4.tcp_retries2': 5 });
    const spec = s.fleet.synthesize().spec.machines.of(s.general)!;
    expect(spec.sysctls['vm.max_map_count']).toBe(262144);
    expect(spec.sysctls['net.ipv4.tcp_retries2']).toBe(5);
  });

  test('an override that breaks IPVS is an error on each pool of an IPVS cluster, naming the need and the reason', () => {
    const e = synthErrors(withSysctls({ 'net.ipv4.vs.expire_nodest_conn': 0 }).fleet).errors;
    expect(e.map(x => [x.path, x.rule])).toEqual([['prod-1/general', 'pool.kube-proxy.sysctl']]);
    expect(e[0].message).toMatch(/sets net\.ipv4\.vs\.expire_nodest_conn = 0; kube-proxy in ipvs mode needs 1: when a backend is removed/);
    expect(e[0].fix).toBe("remove net.ipv4.vs.expire_nodest_conn from the profile's nodeConfig.sysctls (default 1)");
  });

  test('the same override is fine where kube-proxy runs iptables', () => {
    const result = withSysctls({ 'net.ipv4.vs.expire_nodest_conn': 0 }, { mode: 'iptables' }).fleet.synthesize();
    expect(result.warnings.filter(w => w.rule.startsWith('pool.kube-proxy'))).toEqual([]);
  });

  test('a slower failover or a conntrack table below kube-proxy\'s is a warning', () => {
    const result = withSysctls({ 'net.ipv4.tcp_retries2': 15, 'net.netfilter.nf_conntrack_max': 65536 }).fleet.synthesize();
    const w = result.warnings.filter(x => x.rule === 'pool.kube-proxy.sysctl.degraded');
    expect(w.map(x => x.message)).toEqual([
      expect.stringMatching(/net\.ipv4\.tcp_retries2 = 15; kube-proxy in ipvs mode needs from 3 to 8/),
      expect.stringMatching(/nf_conntrack_max = 65536, below the 1048576 kube-proxy sets on a 32-core node/),
    ]);
  });

  test('a cluster raising kube-proxy\'s maxPerCore is told to raise the profile\'s table too', () => {
    const result = smallFleet();
    Object.assign(result.cluster.props, { kubeProxy: { conntrack: { maxPerCore: 65536 } } });
    const w = result.fleet.synthesize().warnings.filter(x => x.rule === 'pool.kube-proxy.sysctl.degraded');
    expect(w.map(x => x.fix)).toEqual(["raise net.netfilter.nf_conntrack_max to at least 2097152, or remove it from the profile's nodeConfig.sysctls"]);
  });

  test('bad sysctls: path, rule, fix', () => {
    const fleet = smallFleet().fleet;
    new NodeProfile(fleet, 'odd', { machine: { cpuCores: 8, memory: Size.gibibytes(32) }, nodeConfig: { sysctls: { 'Net IPv4': 1, 'net.ipv4.tcp_retries2': -1, 'vm.swappiness': 0.5 } as never } });
    const e = synthErrors(fleet).errors.filter(x => x.rule === 'node-profile.sysctls');
    expect(e).toHaveLength(3);
    expect(e.every(x => x.path === 'odd' && x.fix === "use keys like 'net.ipv4.tcp_retries2' with whole numbers")).toBe(true);
  });
});

describeWithSchemas('the pool records with sysctls', () => {
  test('validate against the generated KubernetesPool CRD', () => {
    const s = withSysctls({ 'vm.max_map_count': 262144 });
    const hub = s.fleet.synthesize().objects.filter(o => o.cluster === 'hub');
    expect(validateAll(hub)).toEqual([]);
  });
});
