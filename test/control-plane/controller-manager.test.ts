import { parse } from 'yaml';
import { ControlPlane } from '../../src';
import { flagsNotIn, parseFlagArgs } from '../../src/control-plane/apiserver-flags';
import { KUBE_CONTROLLER_MANAGER_1_28_FLAGS } from '../../src/control-plane/controller-manager-flags';
import { smallFleet, synthErrors } from '../support/fleet';

type Files = { files: ReadonlyMap<string, string> };

function staticPod(result: Files, name: string, host = 'apiserver-1') {
  return parse(result.files.get(`prod-1/control-plane/static-pods/${host}/${name}.yaml`)!);
}

function controllerManager(result: Files) {
  const container = staticPod(result, 'kube-controller-manager').spec.containers[0];
  return { container, flags: parseFlagArgs(container.command.slice(1)) };
}

/** The small fleet with its one pool at `nodes` nodes. */
function fleetOf(nodes: number) {
  const f = smallFleet();
  f.cluster.addPool('more', { nodeProfile: f.general, capacity: nodes - 40, requiredDaemonSets: [f.logs] });
  return f;
}

describe('kube-controller-manager flags', () => {
  const result = smallFleet().fleet.synthesize();
  const { flags } = controllerManager(result);

  test('every generated flag is one kube-controller-manager 1.28 accepts; unknown ones are named', () => {
    expect(flagsNotIn(KUBE_CONTROLLER_MANAGER_1_28_FLAGS, flags.keys())).toEqual([]);
    expect(flagsNotIn(KUBE_CONTROLLER_MANAGER_1_28_FLAGS, ['port', 'address', 'pod-eviction-timeout', 'profiling'])).toEqual(['address', 'pod-eviction-timeout', 'port']);
    for (const removed of ['insecure-port', 'enable-taint-manager', 'deleting-pods-qps']) expect(KUBE_CONTROLLER_MANAGER_1_28_FLAGS.has(removed)).toBe(false);
  });

  test('extra flags are passed on, sorted among the generated ones, and named in the sizing record', () => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', { controllerManager: { extraFlags: { 'concurrent-gc-syncs': '30', 'node-monitor-grace-period': '50s' } } });
    const out = fleet.synthesize();
    const { container, flags: f } = controllerManager(out);
    expect(f.get('concurrent-gc-syncs')).toBe('30');
    expect(f.get('node-monitor-grace-period')).toBe('50s');
    const args: string[] = container.command.slice(1);
    expect(args).toEqual([...args].sort());
    expect(parse(out.files.get('prod-1/control-plane/sizing.yaml')!).spec.controllerManager.extraFlags).toEqual(['concurrent-gc-syncs', 'node-monitor-grace-period']);
  });

  test('an extra flag kube-controller-manager 1.28 does not know fails the synth with path, rule and fix', () => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', { controllerManager: { extraFlags: { 'pod-eviction-timeout': '5m', 'concurrent-gc-syncs': '30', 'port': '0' } } });
    const e = synthErrors(fleet).errors.filter(x => x.rule === 'control-plane.controller-manager.unknown-flag');
    expect(e).toHaveLength(1);
    expect(e[0].path).toBe('prod-1/control-plane');
    expect(e[0].message).toBe('kube-controller-manager 1.28 does not accept: --pod-eviction-timeout, --port');
    expect(e[0].fix).toBe('remove the flags');
  });

  test('an extra flag may not replace one the fleet sets (signing, serving, client rate, CIS 1.3)', () => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', { controllerManager: { extraFlags: { 'profiling': 'true', 'kube-api-qps': '5', 'bind-address': '0.0.0.0' } } });
    const err = synthErrors(fleet);
    const e = err.errors.find(x => x.rule === 'control-plane.controller-manager.flag-override')!;
    expect(e.path).toBe('prod-1/control-plane');
    expect(e.message).toBe('controllerManager.extraFlags replaces flags the fleet sets: --bind-address, --kube-api-qps, --profiling');
    expect(e.fix).toMatch(/remove them from controllerManager.extraFlags/);
    // the generated values stand, so CIS 1.3 still passes and is not reported on top
    expect(err.errors.map(x => x.rule)).not.toContain('control-plane.cis');
  });

  test.each([
    ['a flag given with its dashes', { '--concurrent-gc-syncs': '30' }],
    ['a value that is not a string', { 'concurrent-gc-syncs': 30 }],
    ['a value over two lines', { 'cloud-config': 'a\nb' }],
    ['not a map', ['concurrent-gc-syncs=30']],
  ])('extraFlags with %s is an error', (_what, extraFlags) => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', { controllerManager: { extraFlags: extraFlags as unknown as Record<string, string> } });
    const e = synthErrors(fleet).errors.find(x => x.rule === 'control-plane.controller-manager.extra-flags')!;
    expect(e.path).toBe('prod-1/control-plane');
    expect(e.fix).toMatch(/concurrent-gc-syncs/);
  });
});

describe('controller-manager and scheduler sized from the cluster', () => {
  test.each([
    // nodes, controller-manager qps/burst, its memory request, scheduler qps/burst, its memory request
    [40, 20, 30, 532, 50, 100, 266],
    [600, 100, 200, 812, 100, 200, 406],
    [2500, 100, 200, 1762, 200, 400, 881],
    [4000, 300, 500, 2512, 200, 400, 1256],
  ])('%i nodes: controller manager %i/%i with %i MiB, scheduler %i/%i with %i MiB; limits twice the requests; reasons recorded',
    (nodes, cmQps, cmBurst, cmMiB, schedQps, schedBurst, schedMiB) => {
      const result = (nodes === 40 ? smallFleet() : fleetOf(nodes)).fleet.synthesize();
      const { container, flags } = controllerManager(result);
      expect([flags.get('kube-api-qps'), flags.get('kube-api-burst')]).toEqual([String(cmQps), String(cmBurst)]);
      expect(container.resources).toEqual({ requests: { cpu: '200m', memory: `${cmMiB}Mi` }, limits: { memory: `${2 * cmMiB}Mi` } });

      const scheduler = staticPod(result, 'kube-scheduler').spec.containers[0];
      expect(scheduler.resources).toEqual({ requests: { cpu: '100m', memory: `${schedMiB}Mi` }, limits: { memory: `${2 * schedMiB}Mi` } });
      const config = parse(result.files.get('prod-1/control-plane/scheduler/kube-scheduler-config.yaml')!);
      expect(config.clientConnection).toMatchObject({ qps: schedQps, burst: schedBurst });

      const record = parse(result.files.get('prod-1/control-plane/sizing.yaml')!).spec;
      expect(record.nodes).toBe(nodes);
      expect(record.controllerManager).toMatchObject({
        kubeApiQps: cmQps, kubeApiBurst: cmBurst, memoryRequestMiB: cmMiB, memoryLimitMiB: 2 * cmMiB,
      });
      expect(record.controllerManager.why).toContain(`${nodes} nodes`);
      expect(record.scheduler).toMatchObject({
        clientQps: schedQps, clientBurst: schedBurst, memoryRequestMiB: schedMiB, memoryLimitMiB: 2 * schedMiB,
      });
      expect(record.scheduler.why).toContain(`${nodes} nodes`);
    });
});
