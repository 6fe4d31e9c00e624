import { parse } from 'yaml';
import { AppNamespace, Cluster, Cpu, LiDeployment, Size } from '../../src';
import { planReport } from '../../src/cli/plan-report';
import { KUBE_PROXY_CAPABILITIES, KUBE_PROXY_POD_SECURITY_EXEMPTION, POD_SECURITY_EXCEPTION_ANNOTATION, renderKubeProxyConfiguration, resolveKubeProxy } from '../../src/clusters/kube-proxy';
import { Violations } from '../../src/core/errors';
import { parseOutputTree } from '../../src/synth/read';
import { smallFleet, synthErrors } from '../support/fleet';
import { restrictedProblems } from '../support/pod-security';
import { describeWithSchemas, validateAll } from '../support/schemas';

/**
 * The fields of KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1) and
 * their JSON types, as the upstream Go type declares them
 * (kubernetes/kubernetes, staging/src/k8s.io/kube-proxy/config/v1alpha1/types.go,
 * release-1.31; `nftables` and conntrack's `tcpBeLiberal`/`udp*` since 1.29).
 * `duration` is a metav1.Duration (a Go duration string), `int32` a JSON integer.
 */
type FieldType = 'string' | 'bool' | 'int32' | 'duration' | 'strings' | 'map' | { readonly [field: string]: FieldType };
const CLIENT_CONNECTION: FieldType = { kubeconfig: 'string', acceptContentTypes: 'string', contentType: 'string', qps: 'int32', burst: 'int32' };
const UPSTREAM_V1ALPHA1: { readonly [field: string]: FieldType } = {
  apiVersion: 'string',
  kind: 'string',
  featureGates: 'map',
  clientConnection: CLIENT_CONNECTION,
  logging: 'map',
  hostnameOverride: 'string',
  bindAddress: 'string',
  healthzBindAddress: 'string',
  metricsBindAddress: 'string',
  bindAddressHardFail: 'bool',
  enableProfiling: 'bool',
  showHiddenMetricsForVersion: 'string',
  mode: 'string',
  iptables: { masqueradeBit: 'int32', masqueradeAll: 'bool', localhostNodePorts: 'bool', syncPeriod: 'duration', minSyncPeriod: 'duration' },
  ipvs: { syncPeriod: 'duration', minSyncPeriod: 'duration', scheduler: 'string', excludeCIDRs: 'strings', strictARP: 'bool', tcpTimeout: 'duration', tcpFinTimeout: 'duration', udpTimeout: 'duration' },
  nftables: { masqueradeBit: 'int32', masqueradeAll: 'bool', syncPeriod: 'duration', minSyncPeriod: 'duration' },
  winkernel: 'map',
  detectLocalMode: 'string',
  detectLocal: { bridgeInterface: 'string', interfaceNamePrefix: 'string' },
  clusterCIDR: 'string',
  nodePortAddresses: 'strings',
  oomScoreAdj: 'int32',
  conntrack: { maxPerCore: 'int32', min: 'int32', tcpEstablishedTimeout: 'duration', tcpCloseWaitTimeout: 'duration', tcpBeLiberal: 'bool', udpTimeout: 'duration', udpStreamTimeout: 'duration' },
  configSyncPeriod: 'duration',
  portRange: 'string',
};
/** Fields of the 1.28 type: nftables and conntrack's tcpBeLiberal/udp* came in 1.29. */
const NOT_IN_1_28 = ['nftables', 'conntrack.tcpBeLiberal', 'conntrack.udpTimeout', 'conntrack.udpStreamTimeout'];

const GO_DURATION = /^([0-9]+h)?([0-9]+m)?([0-9]+s)$/;

/** Every problem of a document against the upstream type: unknown fields and values of the wrong JSON type. */
function upstreamProblems(doc: Record<string, unknown>, type: { readonly [field: string]: FieldType }, at = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const path = at ? `${at}.${key}` : key;
    const t = type[key];
    if (t === undefined) {
      out.push(`${path}: not a field of v1alpha1.KubeProxyConfiguration`);
      continue;
    }
    const bad = typeof t === 'object' ? (typeof value !== 'object' || value === null ? 'not an object' : undefined)
      : t === 'string' ? (typeof value !== 'string' ? 'not a string' : undefined)
        : t === 'bool' ? (typeof value !== 'boolean' ? 'not a boolean' : undefined)
          : t === 'int32' ? (!Number.isInteger(value) || Math.abs(value as number) > 2 ** 31 - 1 ? 'not an int32' : undefined)
            : t === 'duration' ? (typeof value !== 'string' || !GO_DURATION.test(value) ? 'not a Go duration' : undefined)
              : t === 'strings' ? (!Array.isArray(value) || !value.every(x => typeof x === 'string') ? 'not a list of strings' : undefined)
                : (typeof value !== 'object' ? 'not a map' : undefined);
    if (bad) out.push(`${path}: ${bad}`);
    else if (typeof t === 'object') out.push(...upstreamProblems(value as Record<string, unknown>, t, path));
  }
  return out;
}

function keysOf(doc: Record<string, unknown>, at = ''): string[] {
  return Object.entries(doc).flatMap(([k, v]) => {
    const path = at ? `${at}.${k}` : k;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? [path, ...keysOf(v as Record<string, unknown>, path)] : [path];
  });
}

function proxyObjects(props: ConstructorParameters<typeof Cluster>[2]['kubeProxy'] = undefined, kubernetesVersion?: string) {
  const s = smallFleet();
  Object.assign(s.cluster.props, { kubeProxy: props, ...(kubernetesVersion ? { kubernetesVersion } : {}) });
  const result = s.fleet.synthesize();
  const objects = result.objects.filter(o => o.cluster === 'prod-1' && o.object.metadata.name?.includes('kube-proxy'));
  const ds = objects.find(o => o.object.kind === 'DaemonSet')!.object as any;
  const cm = objects.find(o => o.object.kind === 'ConfigMap')!.object as any;
  return { ...s, result, objects, ds, cm, config: parse(cm.data['config.conf']) as Record<string, unknown> };
}

describe('kube-proxy per cluster', () => {
  test('IPVS by default, tuned conntrack and IPVS timeouts, metrics on localhost, profiling off', () => {
    const { config, cm, objects } = proxyObjects();
    expect(config).toMatchObject({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'ipvs',
      ipvs: { scheduler: 'rr', tcpTimeout: '15m0s', tcpFinTimeout: '30s', udpTimeout: '5m0s', strictARP: true },
      conntrack: { maxPerCore: 32768, min: 131072, tcpEstablishedTimeout: '24h0m0s', tcpCloseWaitTimeout: '1h0m0s' },
      metricsBindAddress: '127.0.0.1:10249',
      healthzBindAddress: '0.0.0.0:10256',
      enableProfiling: false,
    });
    expect(config).not.toHaveProperty('iptables');
    expect(config).not.toHaveProperty('nftables');
    // the kubeconfig names the apiserver itself (kube-proxy programs the kubernetes Service) and uses the pod's token
    const kubeconfig = parse(cm.data['kubeconfig.conf']);
    expect(kubeconfig.clusters[0].cluster.server).toBe('https://api.prod-1.lva1.k8s.internal:6443');
    expect(kubeconfig.users[0].user.tokenFile).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
    expect(objects.map(o => `${o.object.kind}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`).sort()).toEqual([
      'ClusterRoleBinding//fleet-kube-proxy', 'ConfigMap/kube-system/kube-proxy', 'DaemonSet/kube-system/kube-proxy', 'ServiceAccount/kube-system/kube-proxy',
    ]);
  });

  test('least privilege: the built-in system:node-proxier role, bound to its own ServiceAccount', () => {
    const { objects } = proxyObjects();
    const binding = objects.find(o => o.object.kind === 'ClusterRoleBinding')!.object as any;
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node-proxier' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-proxy', namespace: 'kube-system' }]);
  });

  test('on every node, pinned to the cluster\'s version, Guaranteed, node-critical', () => {
    const { ds } = proxyObjects(undefined, '1.30.4');
    const pod = ds.spec.template.spec;
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.priorityClassName).toBe('system-node-critical');
    const c = pod.containers[0];
    expect(c.image).toBe('registry.k8s.io/kube-proxy:v1.30.4');
    expect(c.resources).toEqual({ requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '200m', memory: '256Mi' } });
  });

  test('its privileges are exactly the recorded exemption: host network, root with NET_ADMIN/NET_RAW, host paths', () => {
    const { ds } = proxyObjects();
    const pod = ds.spec.template.spec;
    expect(KUBE_PROXY_CAPABILITIES).toEqual(['NET_ADMIN', 'NET_RAW']);
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] });
    expect(restrictedProblems(pod)).toEqual([
      'host namespaces', 'volume xtables-lock type hostPath', 'volume lib-modules type hostPath',
      'kube-proxy runAsNonRoot', 'kube-proxy runAsUser 0', 'kube-proxy capabilities.add',
    ]);
    expect(pod.containers[0].securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(ds.metadata.annotations[POD_SECURITY_EXCEPTION_ANNOTATION]).toBe(KUBE_PROXY_POD_SECURITY_EXEMPTION);
    expect(ds.spec.template.metadata.annotations[POD_SECURITY_EXCEPTION_ANNOTATION]).toBe(KUBE_PROXY_POD_SECURITY_EXEMPTION);
  });

  test('nftables from 1.31, iptables anywhere: only the chosen mode\'s section', () => {
    expect(proxyObjects({ mode: 'nftables' }, '1.31.2').config).toMatchObject({ mode: 'nftables', nftables: { syncPeriod: '30s' } });
    const ipt = proxyObjects({ mode: 'iptables' }).config;
    expect(ipt).toMatchObject({ mode: 'iptables', iptables: { localhostNodePorts: false } });
    expect(ipt).not.toHaveProperty('ipvs');
  });

  test('no kube-proxy in a cluster without nodes', () => {
    const s = smallFleet();
    (s.pool.props as { capacity: number }).capacity = 0;
    const result = s.fleet.synthesize();
    expect(result.objects.filter(o => o.cluster === 'prod-1' && o.object.kind === 'DaemonSet' && o.object.metadata.name === 'kube-proxy')).toEqual([]);
  });
});

describe('KubeProxyConfiguration against the upstream v1alpha1 type', () => {
  const modes = [
    { props: {}, version: '1.28.9' },
    { props: { mode: 'iptables' as const }, version: '1.28.9' },
    { props: { mode: 'nftables' as const }, version: '1.31.2' },
    { props: { ipvs: { scheduler: 'lc' as const, tcpTimeoutSeconds: 600 }, conntrack: { maxPerCore: 65536, tcpCloseWaitTimeoutSeconds: 60 } }, version: '1.28.9' },
  ];
  test.each(modes)('%j: every field is one of the type, with its JSON type', ({ props, version }) => {
    const v = new Violations();
    const doc = renderKubeProxyConfiguration(resolveKubeProxy(props, 'x', version, v));
    expect(v.all()).toEqual([]);
    expect(upstreamProblems(doc, UPSTREAM_V1ALPHA1)).toEqual([]);
    if (version.startsWith('1.28')) expect(keysOf(doc).filter(k => NOT_IN_1_28.includes(k))).toEqual([]);
  });

  test('the check itself catches a stray field and a bad duration', () => {
    expect(upstreamProblems({ conntrack: { maxPerCore: 1.5, tcpFinTimeout: '1h' }, ipvs: { tcpTimeout: '900' } }, UPSTREAM_V1ALPHA1)).toEqual([
      'conntrack.maxPerCore: not an int32', 'conntrack.tcpFinTimeout: not a field of v1alpha1.KubeProxyConfiguration', 'ipvs.tcpTimeout: not a Go duration',
    ]);
  });
});

describeWithSchemas('kube-proxy objects are schema-valid', () => {
  test.each(['1.28.9', '1.31.2'])('strictly against the Kubernetes definitions of %s', version => {
    const { objects } = proxyObjects(undefined, version);
    expect(objects).toHaveLength(4);
    expect(validateAll(objects, `v${version.replace(/\.\d+$/, '.0')}`)).toEqual([]);
  });
});

describe('kube-proxy\'s props: bad input', () => {
  test('every bad prop with path, rule and fix', () => {
    const s = smallFleet();
    Object.assign(s.cluster.props, {
      kubeProxy: {
        mode: 'nftables',
        ipvs: { scheduler: 'round-robin', tcpTimeoutSeconds: 0 },
        conntrack: { maxPerCore: -1, tcpEstablishedTimeoutSeconds: 1.5 },
        metricsBindAddress: 'localhost',
        cpu: 'lots',
      },
    });
    const errors = synthErrors(s.fleet).errors;
    expect(errors.every(e => e.path === 'prod-1' && e.fix.length > 0)).toBe(true);
    expect(errors.map(e => e.rule).sort()).toEqual([
      'cluster.kube-proxy.bind-address', 'cluster.kube-proxy.bounds', 'cluster.kube-proxy.bounds', 'cluster.kube-proxy.bounds',
      'cluster.kube-proxy.ipvs', 'cluster.kube-proxy.ipvs', 'cluster.kube-proxy.mode', 'cluster.kube-proxy.resources',
    ]);
    expect(errors.find(e => e.rule === 'cluster.kube-proxy.mode')!.message).toMatch(/nftables mode is alpha before Kubernetes 1\.31 \(the cluster runs 1\.28\.9\)/);
  });

  test('kube-proxy larger than a node: pool.kube-proxy.fit with the numbers', () => {
    const s = smallFleet();
    Object.assign(s.cluster.props, { kubeProxy: { cpu: Cpu.units(64) } });
    const e = synthErrors(s.fleet).errors.find(x => x.rule === 'pool.kube-proxy.fit')!;
    expect(e.path).toBe('prod-1/general');
    expect(e.message).toBe("kube-proxy requests more than a 'general' node allocates: cpu 64 > 31750m");
  });
});

describe('kube-proxy\'s overhead in capacity', () => {
  test('cdk8s-fleet plan counts it on every node of the pool', () => {
    const { result } = proxyObjects({ cpu: Cpu.millis(300), memory: Size.mebibytes(200) });
    const pool = planReport(parseOutputTree(result.files)).clusters.find(c => c.cluster === 'prod-1')!.pools.find(p => p.pool === 'general')!;
    // 40 nodes x (log shipper 100m/128Mi + kube-proxy 300m/200Mi)
    expect(pool.daemonSets).toEqual({ cpuMillis: 40 * 400, memoryMiB: 40 * 328, gpus: 0 });
    const pp = result.plan.clusters.pools.get(result.spec.clusters.clusters.find(c => c.name === 'prod-1')!.pools[0].construct)!;
    expect(pp.kubeProxyRequestsPerNode).toEqual({ cpuMillis: 300, memoryMiB: 200, gpus: 0 });
    const record = result.objects.find(o => o.object.kind === 'KubernetesPool' && o.object.metadata.name === 'prod-1-general')!.object as any;
    expect(record.spec.poolTemplate.nodeResources.daemonSets).toEqual({ cpu: '400m', memory: '328Mi', gpus: 0, pods: 2 });
  });

  test('a pod that fits next to the log shipper but not next to kube-proxy too: the fit error\'s numbers include kube-proxy', () => {
    const s = smallFleet();
    const alloc = 32000 - 150 - 100; // 32 cores less kube-reserved (150m) and system-reserved (100m)
    const ns = new AppNamespace(s.fleet, 'big-ns', { app: 'big', tenant: 'stateless', nodeProfile: s.general });
    // fits beside the log shipper (100m), not beside it and kube-proxy (100m + 200m)
    new LiDeployment(ns, 'big', { application: 'big', version: { app: '1.0.0' }, replicas: 2, resources: { cpu: Cpu.millis(alloc - 150), memory: Size.gibibytes(8) } });
    const e = synthErrors(s.fleet).errors.find(x => x.rule === 'tenancy.workload.fits-node')!;
    expect(e.message).toContain(`cpu ${alloc - 150}m > ${alloc - 300}m`);
  });
});
