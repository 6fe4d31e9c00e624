import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { Cluster, Fleet, NodeProfile, NodeRollout, Size } from '../../src';
import { ROLLOUT_LABELS } from '../../src/clusters/inventory';
import { smallFleet, synthErrors, tmpOutdir } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

const ZONES = Array.from({ length: 20 }, (_, i) => `mz-${String(i + 1).padStart(2, '0')}`);

type Obj = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec: any };

function kpool(r: { objects: ReadonlyArray<{ object: unknown }> }, name: string): Obj {
  const o = r.objects.map(x => x.object as Obj).find(x => x.kind === 'KubernetesPool' && x.metadata.name === name);
  if (!o) throw new Error(`no KubernetesPool ${name}`);
  return o;
}

function rules(fleet: Fleet): string[] {
  return synthErrors(fleet).violations.filter(v => v.severity === 'error').map(v => v.rule);
}

describe('NodeRollout', () => {
  test('zones are updated in the declared order: the completed ones have the new kubelet, the next one is updating, the rest keep the current one', () => {
    const f = smallFleet({ kubernetesVersion: '1.29.4' });
    new NodeRollout(f.fleet, 'kubelet-1-29', {
      targets: [f.pool], kubeletVersion: '1.29.4', nodeConfig: 'kcfg-2026-11', zoneOrder: ZONES.slice().reverse(), completedZones: 3, soak: Duration.hours(2),
    });
    const record = kpool(f.fleet.synthesize(), 'prod-1-general');
    const byZone = new Map<string, any>(record.spec.maintenanceZones.map((z: any) => [z.zone, z]));
    for (const z of ['mz-20', 'mz-19', 'mz-18']) {
      expect(byZone.get(z).rollout).toEqual({ state: 'updated', nodeConfig: { kubeletVersion: '1.29.4', revision: 'kcfg-2026-11' } });
      expect(byZone.get(z).nodeLabels).toMatchObject({ [ROLLOUT_LABELS.STATE]: 'updated', [ROLLOUT_LABELS.NODE_CONFIG]: 'kcfg-2026-11', [ROLLOUT_LABELS.ROLLOUT]: 'kubelet-1-29' });
    }
    expect(byZone.get('mz-17').rollout.state).toBe('updating');
    for (const z of ZONES.slice(0, 16)) {
      expect(byZone.get(z).rollout.state).toBe('pending');
      expect(byZone.get(z).nodeLabels[ROLLOUT_LABELS.NODE_CONFIG]).toBeUndefined();
    }
    expect(record.spec.rollout).toEqual({
      name: 'kubelet-1-29',
      changes: { kubeletVersion: '1.29.4', nodeConfig: 'kcfg-2026-11' },
      zoneOrder: ZONES.slice().reverse(),
      zonesAtOnce: 1,
      soakSeconds: 7200,
      completedZones: 3,
      updatingZones: ['mz-17'],
    });
  });

  test('property: the pool records match the rollout\'s progress', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 20 }), fc.shuffledSubarray(ZONES, { minLength: 20, maxLength: 20 }), (completed, order) => {
      const f = smallFleet();
      new NodeRollout(f.fleet, 'os', { targets: [f.cluster], osImage: 'azl3-2026.11.2', zoneOrder: order, completedZones: completed });
      const zones: any[] = kpool(f.fleet.synthesize(), 'prod-1-general').spec.maintenanceZones;
      const state = new Map(zones.map(z => [z.zone, z.rollout.state]));
      order.forEach((z, i) => expect(state.get(z)).toBe(i < completed ? 'updated' : i === completed ? 'updating' : 'pending'));
      for (const z of zones) expect(z.nodeLabels[ROLLOUT_LABELS.OS_IMAGE] === 'azl3-2026.11.2').toBe(z.rollout.state !== 'pending');
    }), { seed: 19, numRuns: 15 });
  });

  test('a kubelet newer than the control plane, or more than three minors older, breaks the skew policy: an error naming the pool', () => {
    const newer = smallFleet({ kubernetesVersion: '1.29.4' });
    new NodeRollout(newer.fleet, 'too-new', { targets: [newer.pool], kubeletVersion: '1.30.1' });
    const e = synthErrors(newer.fleet).violations.find(v => v.rule === 'rollout.kubelet-version-skew')!;
    expect(e.path).toBe('too-new');
    expect(e.message).toMatch(/newer than the control plane.*prod-1\/general.*1\.30\.1/);
    const older = smallFleet({ kubernetesVersion: '1.30.2' });
    new NodeRollout(older.fleet, 'too-old', { targets: [older.pool], kubeletVersion: '1.26.9' });
    expect(rules(older.fleet)).toContain('rollout.kubelet-version-skew');
  });

  test('at most one zone of a cluster at once: zonesAtOnce 2 on one cluster is an error, on pools of two clusters in different zones it is not', () => {
    const f = smallFleet();
    new NodeRollout(f.fleet, 'two', { targets: [f.cluster], nodeConfig: 'kcfg-2', zonesAtOnce: 2 });
    expect(rules(f.fleet)).toEqual(['rollout.zones-per-cluster']);

    const fleet = new Fleet({ outdir: tmpOutdir() });
    const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 32, memory: Size.gibibytes(128) } });
    const a = new Cluster(fleet, 'a', { region: 'lva1' });
    const b = new Cluster(fleet, 'b', { region: 'lva1' });
    a.addPool('general', { nodeProfile: general, capacity: 10, maintenanceZones: ZONES.slice(0, 10) });
    b.addPool('general', { nodeProfile: general, capacity: 10, maintenanceZones: ZONES.slice(10) });
    const order = ZONES.slice(0, 10).flatMap((z, i) => [z, ZONES[10 + i]]);
    new NodeRollout(fleet, 'pairs', { targets: [a, b], nodeConfig: 'kcfg-2', zoneOrder: order, zonesAtOnce: 2, completedZones: 4 });
    const r = fleet.synthesize();
    expect(kpool(r, 'a-general').spec.rollout.updatingZones).toEqual(['mz-03']);
    expect(kpool(r, 'b-general').spec.rollout.updatingZones).toEqual(['mz-13']);
  });

  test('two unfinished rollouts of one pool, and two in one cluster updating different zones, are errors', () => {
    const f = smallFleet();
    new NodeRollout(f.fleet, 'one', { targets: [f.pool], nodeConfig: 'kcfg-2' });
    new NodeRollout(f.fleet, 'other', { targets: [f.cluster], osImage: 'img-2', zoneOrder: ZONES.slice().reverse() });
    expect(rules(f.fleet).sort()).toEqual(['rollout.unique-target', 'rollout.zones-per-cluster', 'rollout.zones-per-cluster']);
  });

  test('bad props: each reported with its rule, and nothing is planned from them', () => {
    const f = smallFleet();
    new NodeRollout(f.fleet, 'Bad_Name', { targets: [], zoneOrder: ['mz-01', 'mz-01', 'mz-99'], zonesAtOnce: 0, completedZones: 40, soak: Duration.days(8) });
    new NodeRollout(f.fleet, 'wrong', { targets: [f.pool], kubeletVersion: 'latest', nodeConfig: 'has spaces' });
    new NodeRollout(f.fleet, 'types', { targets: 'prod-1' as any, soakSeconds: '1h' as any });
    new NodeRollout(f.fleet, 'both', { targets: [f.pool], osImage: 'x', soak: Duration.hours(1), soakSeconds: 60 });
    new NodeRollout(f.fleet, 'foreign', { targets: [smallFleet().pool], osImage: 'x' });
    const got = synthErrors(f.fleet).violations.filter(v => v.severity === 'error').map(v => `${v.path} ${v.rule}`).sort();
    expect(got).toEqual([
      'Bad_Name rollout.change',
      'Bad_Name rollout.completed-zones',
      'Bad_Name rollout.name',
      'Bad_Name rollout.soak',
      'Bad_Name rollout.targets',
      'Bad_Name rollout.zone-order',
      'Bad_Name rollout.zone-order',
      'Bad_Name rollout.zones-at-once',
      'both rollout.soak',
      'foreign rollout.targets',
      'types rollout.props.type',
      'types rollout.props.type',
      'wrong rollout.change',
      'wrong rollout.change',
    ]);
    for (const v of synthErrors(f.fleet).violations) expect(v.fix.length).toBeGreaterThan(0);
  });
});

describeWithSchemas('KubernetesPool records of a rollout validate strictly against the CRD', () => {
  test('every zone\'s rollout state and node configuration, and the rollout summary', () => {
    const f = smallFleet({ kubernetesVersion: '1.29.4' });
    new NodeRollout(f.fleet, 'kubelet', { targets: [f.cluster], kubeletVersion: '1.28.9', nodeConfig: 'kcfg-3', osImage: 'azl3-2026.11.2', completedZones: 7 });
    const r = f.fleet.synthesize();
    expect(validateAll(r.objects.filter(o => o.cluster === 'hub'))).toEqual([]);
  });
});
