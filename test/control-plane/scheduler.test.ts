import Ajv from 'ajv';
import { parse } from 'yaml';
import { KUBE_SCHEDULER_CONFIGURATION_V1_SCHEMA } from './kube-scheduler-config-v1.schema';
import { flagsNotIn, parseFlagArgs } from '../../src/control-plane/apiserver-flags';
import { CIS_ITEMS } from '../../src/control-plane/cis';
import { KUBE_SCHEDULER_1_28_FLAGS, schedulerSizing } from '../../src/control-plane/scheduler';
import { smallFleet } from '../support/fleet';

const validate = new Ajv({ strict: true, allErrors: true }).compile(KUBE_SCHEDULER_CONFIGURATION_V1_SCHEMA);

function schedulerPod(result: { files: ReadonlyMap<string, string> }, host = 'apiserver-1') {
  return parse(result.files.get(`prod-1/control-plane/static-pods/${host}/kube-scheduler.yaml`)!);
}

describe('kube-scheduler', () => {
  const result = smallFleet().fleet.synthesize();
  const pod = schedulerPod(result);
  const container = pod.spec.containers[0];
  const flags = parseFlagArgs(container.command.slice(1));
  const config = parse(result.files.get('prod-1/control-plane/scheduler/kube-scheduler-config.yaml')!);

  test('one static Pod per control-plane host, on the apiserver image scheme, in kube-system at node-critical priority', () => {
    for (const host of ['apiserver-1', 'apiserver-2', 'apiserver-3']) {
      expect(schedulerPod(result, host).metadata.annotations['fleet.cdk8s.io/control-plane-host']).toMatch(new RegExp(`^${host}\\.`));
    }
    const apiserver = parse(result.files.get('prod-1/control-plane/static-pods/apiserver-1/kube-apiserver.yaml')!).spec.containers[0].image;
    expect(container.image).toBe(apiserver.replace('kube-apiserver', 'kube-scheduler'));
    expect(pod.metadata.namespace).toBe('kube-system');
    expect(pod.spec.priorityClassName).toBe('system-node-critical');
    expect(pod.spec.securityContext.seccompProfile.type).toBe('RuntimeDefault');
  });

  test('secure serving on localhost only, probes on the secure port, profiling off, kubeconfig and config from the host', () => {
    expect(flags.get('bind-address')).toBe('127.0.0.1');
    expect(flags.get('profiling')).toBe('false');
    expect(flags.get('config')).toBe('/etc/kubernetes/kube-scheduler-config.yaml');
    expect(flags.get('authentication-kubeconfig')).toBe('/etc/kubernetes/scheduler.conf');
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      expect(probe.httpGet).toMatchObject({ host: '127.0.0.1', port: 10259, scheme: 'HTTPS' });
    }
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.volumeMounts.every((m: { readOnly: boolean }) => m.readOnly)).toBe(true);
    expect(config.clientConnection.kubeconfig).toBe('/etc/kubernetes/scheduler.conf');
  });

  test('every scheduler flag is one kube-scheduler 1.28 accepts; unknown ones are named', () => {
    expect(flagsNotIn(KUBE_SCHEDULER_1_28_FLAGS, flags.keys())).toEqual([]);
    expect(flagsNotIn(KUBE_SCHEDULER_1_28_FLAGS, ['port', 'address', 'profiling'])).toEqual(['address', 'port']);
    expect(KUBE_SCHEDULER_1_28_FLAGS.has('insecure-port')).toBe(false);
  });

  test('the KubeSchedulerConfiguration has only fields of the v1 API', () => {
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    expect(config).toMatchObject({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      enableProfiling: false,
      leaderElection: { leaderElect: true, resourceLock: 'leases', resourceNamespace: 'kube-system' },
      profiles: [{ schedulerName: 'default-scheduler' }],
    });
  });

  test('the strict schema rejects unknown fields, so the shape check bites', () => {
    expect(validate({ ...config, percentageOfNodes: 50 })).toBe(false);
    expect(validate({ ...config, clientConnection: { ...config.clientConnection, qpps: 1 } })).toBe(false);
  });

  test('a 40-node cluster scores every node at the default client rate; the reason is in the sizing record', () => {
    expect(config.percentageOfNodesToScore).toBe(100);
    expect(config.clientConnection).toMatchObject({ qps: 50, burst: 100 });
    const record = parse(result.files.get('prod-1/control-plane/sizing.yaml')!);
    expect(record.spec.scheduler).toEqual({
      clientQps: 50, clientBurst: 100, percentageOfNodesToScore: 100, memoryRequestMiB: 266, memoryLimitMiB: 532, why: expect.stringMatching(/40 nodes ≤ 500/),
    });
    expect(record.spec.controllerManager).toEqual({
      kubeApiQps: 20, kubeApiBurst: 30, memoryRequestMiB: 532, memoryLimitMiB: 1064, extraFlags: [], why: expect.stringMatching(/40 nodes ≤ 500/),
    });
  });
});

describe('scheduler sizing', () => {
  test.each([
    [40, 50, 100, 100],
    [500, 50, 100, 46],
    [1500, 100, 200, 38],
    [3000, 200, 400, 26],
    [5000, 200, 400, 10],
    [15000, 200, 400, 10],
  ])('%i nodes: client %i/%i, %i%% of nodes scored', (nodes, qps, burst, pct) => {
    expect(schedulerSizing(nodes)).toMatchObject({ qps, burst, percentageOfNodesToScore: pct });
  });

  test('client rate never shrinks and the scored share never grows as a cluster grows', () => {
    let prev = schedulerSizing(0);
    for (let n = 1; n <= 20_000; n += 37) {
      const z = schedulerSizing(n);
      expect(z.qps).toBeGreaterThanOrEqual(prev.qps);
      expect(z.burst).toBeGreaterThanOrEqual(z.qps);
      expect(z.percentageOfNodesToScore).toBeLessThanOrEqual(prev.percentageOfNodesToScore);
      prev = z;
    }
  });
});

describe('CIS 1.4 (scheduler)', () => {
  const result = smallFleet().fleet.synthesize();
  const base = {
    apiserverFlags: new Map(),
    controllerManagerFlags: new Map(),
    encryptionConfig: {},
    etcdConfigs: [],
    schedulerFlags: parseFlagArgs(schedulerPod(result).spec.containers[0].command.slice(1)),
    schedulerConfig: parse(result.files.get('prod-1/control-plane/scheduler/kube-scheduler-config.yaml')!),
  };
  const item = (id: string) => CIS_ITEMS.find(i => i.id === id)!;

  test('1.4.1 and 1.4.2 pass on the generated scheduler', () => {
    expect(item('1.4.1').check(base)).toBe(true);
    expect(item('1.4.2').check(base)).toBe(true);
  });

  test('1.4.1 fails when profiling is on in the flags or the configuration file', () => {
    expect(item('1.4.1').check({ ...base, schedulerFlags: new Map([...base.schedulerFlags, ['profiling', 'true']]) })).toBe(false);
    expect(item('1.4.1').check({ ...base, schedulerConfig: { ...base.schedulerConfig, enableProfiling: true } })).toBe(false);
  });

  test('1.4.2 fails when serving binds beyond localhost', () => {
    expect(item('1.4.2').check({ ...base, schedulerFlags: new Map([...base.schedulerFlags, ['bind-address', '0.0.0.0']]) })).toBe(false);
  });
});
