import * as fs from 'fs';
import { ApiObject } from 'cdk8s';
import { Cluster, Cpu, Fleet, FleetValidationError, NodeProfile, RequiredDaemonSet, Size } from '../../src';
import { backedUp, readTree, smallFleet, synthErrors, tmpOutdir } from '../support/fleet';

function rules(e: FleetValidationError): string[] {
  return e.errors.map(v => v.rule);
}

describe('bad input gives one aggregated error and writes nothing', () => {
  test('negative capacity', () => {
    const { fleet, general, cluster } = smallFleet();
    cluster.addPool('broken', { nodeProfile: general, capacity: -5 });
    const e = synthErrors(fleet);
    expect(e.errors).toEqual([expect.objectContaining({
      rule: 'pool.capacity.non-negative-integer',
      path: 'prod-1/broken',
      severity: 'error',
      message: 'capacity is -5 nodes',
    })]);
    expect(e.errors[0].fix).toMatch(/whole number of nodes/);
  });

  test('unknown node profile, by name or from another fleet', () => {
    const { fleet, cluster } = smallFleet();
    cluster.addPool('gpu', { nodeProfile: 'gpu-h100', capacity: 40 });
    const other = new NodeProfile(new Fleet(), 'foreign', { machine: { cpuCores: 8, memory: Size.gibibytes(32) } });
    cluster.addPool('foreign', { nodeProfile: other, capacity: 40 });
    const e = synthErrors(fleet);
    expect(e.errors.map(v => [v.path, v.rule])).toEqual([
      ['prod-1/foreign', 'pool.node-profile.known'],
      ['prod-1/gpu', 'pool.node-profile.known'],
    ]);
    expect(e.errors[1].message).toBe("node profile 'gpu-h100' is not declared in this fleet");
    expect(e.errors[1].fix).toMatch(/use one of the fleet's node profiles: general/);
  });

  test('duplicate names: clusters, profiles, pools, DaemonSets', () => {
    const { fleet, general, cluster, logs } = smallFleet();
    new Cluster(fleet, 'prod-1-again', { name: 'prod-1', region: 'lva1' });
    new NodeProfile(fleet, 'general-2', { name: 'general', machine: { cpuCores: 8, memory: Size.gibibytes(32) } });
    cluster.addPool('general-2', { name: 'general', nodeProfile: general, capacity: 20 });
    new RequiredDaemonSet(fleet, 'logs-2', { name: 'log-shipper', image: logs.props.image, resources: logs.props.resources });
    expect(rules(synthErrors(fleet)).sort()).toEqual(['cluster.unique-name', 'daemonset.unique-name', 'node-profile.unique-name', 'pool.unique-name']);
  });

  test('a pool whose capacity cannot be striped over the zones', () => {
    const { fleet, general, cluster } = smallFleet();
    cluster.addPool('tiny', { nodeProfile: general, capacity: 7 });
    const [v] = synthErrors(fleet).errors;
    expect(v.rule).toBe('pool.capacity.stripable');
    expect(v.message).toBe('7 nodes cannot be striped over 20 maintenance zones with at least 1 node(s) per zone (needs 20)');
    expect(v.fix).toMatch(/raise capacity to at least 20, restrict maintenanceZones to at most 7 zones/);
  });

  test('a pool restricted to fewer zones stripes fine; unknown zones are named', () => {
    const { fleet, general, cluster } = smallFleet();
    cluster.addPool('tiny', { nodeProfile: general, capacity: 7, maintenanceZones: ['mz-01', 'mz-02', 'mz-03'] });
    expect(() => fleet.synthesize()).not.toThrow();
    cluster.addPool('elsewhere', { nodeProfile: general, capacity: 7, maintenanceZones: ['mz-01', 'az-9'] });
    const [v] = synthErrors(fleet).errors;
    expect([v.rule, v.message]).toEqual(['pool.zones.known', 'unknown maintenance zone(s): az-9']);
  });

  test('a DaemonSet that requests more than the node profile allocates', () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const small = new NodeProfile(fleet, 'small', { machine: { cpuCores: 4, memory: Size.gibibytes(8) } });
    const hog = new RequiredDaemonSet(fleet, 'hog', { image: 'r/hog:1.0', resources: { cpu: Cpu.units(8), memory: Size.gibibytes(1) } });
    new Cluster(fleet, 'c1', { region: 'r' }).addPool('small', { nodeProfile: small, capacity: 20, requiredDaemonSets: [hog] });
    const [v] = synthErrors(fleet).errors;
    expect(v.rule).toBe('pool.daemonsets.fit');
    expect(v.path).toBe('c1/small');
    expect(v.message).toBe("required DaemonSet 'hog' requests more than a 'small' node allocates: cpu 8 > 3820m");
  });

  test('DaemonSets that fit alone but not together', () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const small = new NodeProfile(fleet, 'small', { machine: { cpuCores: 4, memory: Size.gibibytes(8) } });
    const a = new RequiredDaemonSet(fleet, 'a', { image: 'r/a:1.0', resources: { cpu: Cpu.units(2), memory: Size.mebibytes(64) } });
    const b = new RequiredDaemonSet(fleet, 'b', { image: 'r/b:1.0', resources: { cpu: Cpu.units(2), memory: Size.mebibytes(64) } });
    new Cluster(fleet, 'c1', { region: 'r' }).addPool('small', { nodeProfile: small, capacity: 20, requiredDaemonSets: [a, b] });
    expect(rules(synthErrors(fleet))).toEqual(['pool.daemonsets.fit-together']);
  });

  test('unsafe or sloppy DaemonSets: unpinned image, unbounded rollout, wildcard RBAC', () => {
    const { fleet, general, cluster } = smallFleet();
    const bad = new RequiredDaemonSet(fleet, 'bad', {
      image: 'registry.internal/agent:latest',
      resources: { cpu: Cpu.millis(10), memory: Size.mebibytes(16) },
      maxUnavailable: '50%',
      clusterRules: [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }],
    });
    cluster.addPool('more', { nodeProfile: general, capacity: 20, requiredDaemonSets: [bad] });
    expect(rules(synthErrors(fleet)).sort()).toEqual(['daemonset.image.pinned', 'daemonset.max-unavailable', 'daemonset.rbac.no-wildcards']);
  });

  test('a kubelet newer than the control plane', () => {
    const fleet = new Fleet({ outdir: tmpOutdir(), kubernetesVersion: '1.28.9' });
    const p = new NodeProfile(fleet, 'new', { machine: { cpuCores: 8, memory: Size.gibibytes(32) }, nodeConfig: { kubeletVersion: '1.29.1' } });
    new Cluster(fleet, 'c1', { region: 'r' }).addPool('p', { nodeProfile: p, capacity: 20 });
    const [v] = synthErrors(fleet).errors;
    expect([v.rule, v.message]).toEqual(['pool.kubelet-version-skew', 'the kubelet is newer than the control plane: kubelet 1.29.1, cluster 1.28.9']);
  });

  test('names that are not DNS-1123 labels', () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const p = new NodeProfile(fleet, 'General_Purpose', { machine: { cpuCores: 8, memory: Size.gibibytes(32) } });
    new Cluster(fleet, 'Prod 1', { region: 'r' }).addPool('p', { nodeProfile: p, capacity: 20 });
    const e = synthErrors(fleet);
    expect(rules(e).sort()).toEqual(['cluster.name', 'node-profile.name']);
    expect(e.errors.find(v => v.rule === 'cluster.name')!.fix).toMatch(/e.g. 'prod-1'/);
  });

  test('two objects that would share one file (same kind and name, other API groups)', () => {
    const { fleet, cluster } = smallFleet();
    new ApiObject(cluster, 'first', { apiVersion: 'a.example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    new ApiObject(cluster, 'second', { apiVersion: 'b.example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    const e = synthErrors(fleet);
    expect(e.errors.map(v => [v.path, v.rule, v.message])).toEqual([
      ['prod-1/second', 'output.duplicate-file', 'output file prod-1/cluster/widget-w.yaml is also written by prod-1/first'],
    ]);
    expect(fs.existsSync(fleet.fleetOutdir)).toBe(false);
  });

  test('every violation is reported at once, with its path, rule and fix', () => {
    const { fleet, general, cluster } = backedUp(smallFleet());
    cluster.addPool('neg', { nodeProfile: general, capacity: -1 });
    cluster.addPool('unknown', { nodeProfile: 'nope', capacity: 40 });
    cluster.addPool('tiny', { nodeProfile: general, capacity: 3 });
    const e = synthErrors(fleet);
    expect(e.errors).toHaveLength(3);
    expect(e.message).toMatch(/synth failed with 3 error\(s\); nothing was written/);
    for (const v of e.errors) {
      expect(e.message).toContain(`${v.path}: ${v.message} (rule ${v.rule})`);
      expect(e.message).toContain(`fix: ${v.fix}`);
    }
    expect(JSON.parse(JSON.stringify(e)).violations).toHaveLength(3);
  });

  test('a failed synth writes nothing and leaves the previous output untouched', () => {
    const { fleet, general, cluster } = smallFleet();
    fleet.synth();
    const before = readTree(fleet.fleetOutdir);
    expect(before.size).toBeGreaterThan(5);
    cluster.addPool('neg', { nodeProfile: general, capacity: -1 });
    expect(() => fleet.synth()).toThrow(FleetValidationError);
    expect(readTree(fleet.fleetOutdir)).toEqual(before);

    const fresh = smallFleet();
    fresh.cluster.addPool('neg', { nodeProfile: fresh.general, capacity: -1 });
    expect(() => fresh.fleet.synth()).toThrow(FleetValidationError);
    expect(fs.existsSync(fresh.fleet.fleetOutdir)).toBe(false);
  });
});
