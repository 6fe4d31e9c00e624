import { FEED, find, workloadFleet } from './support';
import { buildExampleFleet } from '../../examples/fleet';
import { Cpu, LiDeployment, LiStatefulSet, NodeProfile, Size, AppNamespace, Labels } from '../../src';
import { cpuToMillis } from '../../src/core/resources';
import { podTemplateOf, workloadKindOf } from '../../src/core/workload-kinds';
import { pinnedCpuSplit } from '../../src/workloads/pod';
import { synthErrors, tmpOutdir } from '../support/fleet';

/** A workload fleet whose 'pinned' profile runs the static CPU manager, with a namespace on it. */
function pinnedFleet() {
  const f = workloadFleet();
  const pinned = new NodeProfile(f.fleet, 'pinned', { machine: { cpuCores: 32, memory: Size.gibibytes(128) }, nodeConfig: { cpuManagerPolicy: 'static' } });
  f.cluster.addPool('pinned', { nodeProfile: pinned, capacity: 20, requiredDaemonSets: [f.logs] });
  const ns = new AppNamespace(f.fleet, 'pinned-ns', { app: 'pinned', tenant: 'stateless', nodeProfile: pinned });
  return { ...f, pinned, pinnedNs: ns };
}

const cpuOf = (c: any, what: 'requests' | 'limits') => cpuToMillis(c.resources[what].cpu);

describe('pinned CPUs where the profile pins (static CPU manager)', () => {
  test('every Guaranteed pod on a static-CPU-manager profile of the example fleet gives its app container whole cores', () => {
    const result = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();
    const staticProfiles = new Set(result.spec.machines.profiles.filter(p => p.kubelet.cpuManagerPolicy === 'static').map(p => p.name));
    expect([...staticProfiles].sort()).toEqual(['gpu', 'local-ssd']);
    let checked = 0;
    for (const o of result.objects) {
      const kind = workloadKindOf(o.object);
      const spec = kind && (podTemplateOf(kind, o.object)?.spec as any);
      if (!spec || !staticProfiles.has(spec.nodeSelector?.[Labels.NODE_PROFILE])) continue;
      const containers: any[] = spec.containers;
      const guaranteed = containers.every(c => c.resources?.requests?.cpu !== undefined && c.resources.requests.cpu === c.resources.limits?.cpu);
      if (!guaranteed) continue;
      const app = containers[0];
      expect([o.file, cpuOf(app, 'requests') % 1000]).toEqual([o.file, 0]);
      expect(cpuOf(app, 'limits')).toBe(cpuOf(app, 'requests'));
      checked++;
    }
    // the GPU ranker (CloneSet, stable and canary) and the Kafka-like stateful set on local SSD
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  test('the app\'s share is rounded down to whole cores and the remainder goes to the first sidecar: the pod total is the budget', () => {
    const f = pinnedFleet();
    // 4 cores less the sidecars (200m + 50m) = 3750m: the app gets 3, sd-proxy 200m + 750m
    new LiDeployment(f.pinnedNs, 'pinned', { ...FEED, application: 'pinned', resources: { cpu: Cpu.units(4), memory: Size.gibibytes(4) } });
    const d = find(f.fleet.synthesize().objects, 'Deployment', 'pinned');
    const [app, proxy, logs] = d.spec.template.spec.containers;
    expect([cpuOf(app, 'requests'), cpuOf(app, 'limits')]).toEqual([3000, 3000]);
    expect([cpuOf(proxy, 'requests'), cpuOf(proxy, 'limits')]).toEqual([950, 950]);
    expect(cpuOf(logs, 'requests')).toBe(50);
    expect(cpuOf(app, 'requests') + cpuOf(proxy, 'requests') + cpuOf(logs, 'requests')).toBe(4000);
  });

  test('the same app on a profile without the static CPU manager keeps its fractional share', () => {
    const f = workloadFleet();
    new LiDeployment(f.ns, 'feed', { ...FEED, resources: { cpu: Cpu.units(4), memory: Size.gibibytes(4) } });
    const app = find(f.fleet.synthesize().objects, 'Deployment', 'feed').spec.template.spec.containers[0];
    expect(cpuOf(app, 'requests')).toBe(3750);
  });

  test('a Burstable pod (CPU limit above the request) is not pinned, so not rounded', () => {
    const f = pinnedFleet();
    new LiDeployment(f.pinnedNs, 'pinned', { ...FEED, application: 'pinned', resources: { cpu: Cpu.units(4), cpuLimit: Cpu.units(8), memory: Size.gibibytes(4) } });
    const app = find(f.fleet.synthesize().objects, 'Deployment', 'pinned').spec.template.spec.containers[0];
    expect(cpuOf(app, 'requests')).toBe(3750);
  });

  test('LiStatefulSet on a pinned local-SSD profile: whole cores too', () => {
    const f = workloadFleet();
    const pinnedSsd = new NodeProfile(f.fleet, 'pinned-ssd', {
      machine: { cpuCores: 48, memory: Size.gibibytes(384), localSsd: Size.tebibytes(15) },
      nodeConfig: { cpuManagerPolicy: 'static' },
    });
    f.cluster.addPool('pinned-ssd', { nodeProfile: pinnedSsd, capacity: 20, requiredDaemonSets: [f.logs] });
    const ns = new AppNamespace(f.fleet, 'store', { app: 'store', tenant: 'stateful', nodeProfile: pinnedSsd });
    new LiStatefulSet(ns, 'store', {
      application: 'store',
      version: { app: '3.6.1' },
      replicas: 3,
      resources: { cpu: Cpu.millis(8500), memory: Size.gibibytes(16) },
      storage: Size.tebibytes(2),
      acmEndpoint: 'https://acm.internal/clusters/store',
    });
    const s = find(f.fleet.synthesize().objects, 'StatefulSet', 'store');
    const [app, proxy] = s.spec.template.spec.containers;
    // 8500m less the sidecars' 250m = 8250m: the app gets 8 cores, sd-proxy its 200m + 250m
    expect([cpuOf(app, 'requests'), cpuOf(app, 'limits')]).toEqual([8000, 8000]);
    expect(cpuOf(proxy, 'requests')).toBe(450);
  });

  test('bad input: less than one whole core for the app after the sidecars, or fractional cores without a sidecar', () => {
    const f = pinnedFleet();
    new LiDeployment(f.pinnedNs, 'pinned', { ...FEED, application: 'pinned', resources: { cpu: Cpu.millis(1200), memory: Size.gibibytes(4) } });
    const e = synthErrors(f.fleet).errors.filter(x => x.rule === 'workload.resources.pinned-cpu');
    expect(e).toHaveLength(1);
    expect(e[0].path).toBe('pinned-ns/pinned');
    expect(e[0].message).toMatch(/node profile 'pinned' pins CPUs \(static CPU manager\) and the pod is Guaranteed, but the app container's CPU share is 950m after the sidecars' 250m/);
    expect(e[0].fix).toMatch(/raise resources\.cpu to at least 1250m/);

    const noSidecars = pinnedFleet();
    (noSidecars.fleet.node.findChild('platform') as any).props.sidecars = [];
    new LiDeployment(noSidecars.pinnedNs, 'pinned', { ...FEED, application: 'pinned', resources: { cpu: Cpu.millis(2500), memory: Size.gibibytes(4) } });
    const e2 = synthErrors(noSidecars.fleet).errors.filter(x => x.rule === 'workload.resources.pinned-cpu');
    expect(e2.map(x => x.fix)).toEqual(['set resources.cpu to whole cores, e.g. Cpu.units(2) or Cpu.units(3)']);
  });

  test('the split, on its own', () => {
    expect(pinnedCpuSplit(20000, [200])).toEqual({ ok: true, appCpuMillis: 19000, sidecarExtraMillis: [800] });
    expect(pinnedCpuSplit(16000, [950 - 750, 50])).toEqual({ ok: true, appCpuMillis: 15000, sidecarExtraMillis: [750, 0] });
    expect(pinnedCpuSplit(3000, [])).toEqual({ ok: true, appCpuMillis: 3000, sidecarExtraMillis: [] });
    expect(pinnedCpuSplit(900, []).ok).toBe(false);
  });
});
