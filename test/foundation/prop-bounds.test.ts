/**
 * Every public prop is checked in the validate stage: constructors never throw
 * on a bad value, every violation of a fleet is reported in one run, and the
 * bounds are the stated constants. Each test here is a case that once ended in
 * a plain exception, a crash, a hang or a violation found only on a later run.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AppNamespace, Cluster, ControlPlane, Cpu, Fleet, FleetValidationError, Guardrails, LiDeployment, MAX_APISERVER_REPLICAS, MAX_MAINTENANCE_ZONES,
  NodeProfile, RequiredDaemonSet, Size, SUPPORTED_KUBERNETES_MINORS,
} from '../../src';
import { smallFleet, synthErrors, tmpOutdir } from '../support/fleet';

function rulesOf(e: FleetValidationError): string[] {
  return e.errors.map(v => v.rule).sort();
}

describe('regressions: bad props end in a violation, not an exception', () => {
  test.each([0, -1, 2.5, NaN, MAX_MAINTENANCE_ZONES + 1, 1e9])('new Fleet({ maintenanceZones: %p }) records fleet.maintenance-zones.count', count => {
    const { fleet } = smallFleet({ maintenanceZones: count });
    const e = synthErrors(fleet);
    expect(e.errors).toEqual([expect.objectContaining({ rule: 'fleet.maintenance-zones.count', path: '<fleet>' })]);
    expect(e.errors[0].fix).toBe(`declare a whole number of zones from 1 to ${MAX_MAINTENANCE_ZONES} (default 20), or list their names`);
  });

  test('maintenanceZones of the wrong type, or a list above the maximum', () => {
    expect(rulesOf(synthErrors(smallFleet({ maintenanceZones: 'mz-01' as unknown as string[] }).fleet))).toEqual(['fleet.maintenance-zones.type']);
    const many = Array.from({ length: MAX_MAINTENANCE_ZONES + 1 }, (_, i) => `z${i}`);
    expect(rulesOf(synthErrors(smallFleet({ maintenanceZones: many }).fleet))).toEqual(['fleet.maintenance-zones.count']);
  });

  test.each([
    ['Cpu.millis(-1)', Cpu.millis(-1), "'-1m' is not a CPU quantity (expected e.g. '500m' or '2')"],
    ['Cpu.millis(NaN)', Cpu.millis(NaN), "'NaNm' is not a CPU quantity (expected e.g. '500m' or '2')"],
    ['Cpu.millis(Infinity)', Cpu.millis(Infinity), "'Infinitym' is not a CPU quantity (expected e.g. '500m' or '2')"],
    ['Cpu.millis(-Infinity)', Cpu.millis(-Infinity), "'-Infinitym' is not a CPU quantity (expected e.g. '500m' or '2')"],
    ['Cpu.millis(1e308)', Cpu.millis(1e308), "'1e+308m' is not a CPU quantity (expected e.g. '500m' or '2')"],
    ['Cpu.units(NaN)', { amount: NaN } as unknown as Cpu, 'NaN is not a finite CPU quantity'],
    ['Cpu.units(1e308)', { amount: 1e308 } as unknown as Cpu, 'Infinity is not a finite CPU quantity'],
    ['Cpu.units(2e6)', { amount: 2e6 } as unknown as Cpu, '2000000 is above the largest CPU quantity the fleet accepts (1000000000 millicores)'],
  ])('a RequiredDaemonSet with %s is daemonset.resources.parse', (_, cpu, message) => {
    const { fleet, logs } = smallFleet();
    (logs.props.resources as { cpu: Cpu }).cpu = cpu;
    const e = synthErrors(fleet);
    expect(e.errors).toEqual([expect.objectContaining({ rule: 'daemonset.resources.parse', path: 'log-shipper' })]);
    expect(e.errors[0].message).toMatch(/^resources\.cpu: /);
    if (message.startsWith('Infinity')) expect(e.errors[0].message).toMatch(/not a finite CPU quantity/);
    else expect(e.errors[0].message).toBe(`resources.cpu: ${message}`);
  });

  test('etcd.members: 2 ** 53 is control-plane.etcd.members (no array of that length)', () => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', { etcd: { members: 2 ** 53 } });
    const e = synthErrors(fleet);
    expect(e.errors.map(v => [v.path, v.rule, v.message])).toEqual([
      ['prod-1/control-plane', 'control-plane.etcd.members', 'etcd: 9007199254740992 members is even: an even member count adds no fault tolerance over 9007199254740991 and raises the quorum'],
    ]);
  });

  test.each([100_000, 1e9, MAX_APISERVER_REPLICAS + 1])('apiserver.replicas: %p fails fast with control-plane.apiserver.replicas', replicas => {
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', { apiserver: { replicas } });
    const started = Date.now();
    const e = synthErrors(fleet);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e.errors.map(v => [v.path, v.rule, v.message])).toEqual([
      ['prod-1/control-plane', 'control-plane.apiserver.replicas', `${replicas} apiserver replicas are more than the ${MAX_APISERVER_REPLICAS} control-plane hosts a cluster may run`],
    ]);
  });

  test("kubernetesVersion: '1.99' is rejected once, at the fleet (no kube-apiserver:v1.99 image is rendered)", () => {
    const e = synthErrors(smallFleet({ kubernetesVersion: '1.99' }).fleet);
    expect(e.errors.map(v => [v.path, v.rule, v.message])).toEqual([
      ['<fleet>', 'fleet.kubernetes-version', "'1.99' is not a Kubernetes version of the form 1.MINOR.PATCH"],
    ]);
    expect(e.errors[0].fix).toBe("use a supported version (1.28–1.31) like '1.28.9'");
  });

  test.each(['1.99.0', '1.27.9', '1.32.0', 'v1.28.9', '1.28', '1.28.9-rc.1', ''])('cluster kubernetesVersion %p is outside 1.28.0–1.31.x', version => {
    const { fleet } = smallFleet();
    new Cluster(fleet, 'c2', { region: 'lva1', kubernetesVersion: version });
    expect(synthErrors(fleet).errors.map(v => [v.path, v.rule])).toEqual([['c2', 'cluster.kubernetes-version']]);
  });

  test('every supported minor synthesizes', () => {
    for (let minor = SUPPORTED_KUBERNETES_MINORS.min; minor <= SUPPORTED_KUBERNETES_MINORS.max; minor++) {
      expect(() => smallFleet({ kubernetesVersion: `1.${minor}.0` }).fleet.synthesize()).not.toThrow();
    }
  });

  test('a bad pool name and etcd.members: 4 are reported in the same run', () => {
    const { fleet, general, cluster } = smallFleet();
    cluster.addPool('Bad_Pool', { nodeProfile: general, capacity: 20 });
    new ControlPlane(cluster, 'control-plane', { etcd: { members: 4 } });
    const e = synthErrors(fleet);
    expect(e.errors.map(v => [v.path, v.rule])).toEqual([
      ['prod-1/Bad_Pool', 'pool.name'],
      ['prod-1/control-plane', 'control-plane.etcd.members'],
    ]);
  });
});

describe('one run reports every violation, from every layer', () => {
  test('one error or more in each of the six layers (machines, clusters, control plane, tenancy, workloads, guardrails) arrive together', () => {
    const outdir = tmpOutdir();
    const fleet = new Fleet({ outdir, maintenanceZones: 0, kubernetesVersion: '1.99' });
    const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 32, memory: Size.gibibytes(128) } });
    const agent = new RequiredDaemonSet(fleet, 'log-shipper', {
      image: 'registry.internal/log-shipper:1.0.0',
      resources: { cpu: Cpu.millis(-1), memory: Size.mebibytes(128) },
    });
    const cluster = new Cluster(fleet, 'prod-1', { region: 'lva1' });
    cluster.addPool('Bad_Pool', { nodeProfile: general, capacity: 40, requiredDaemonSets: [agent] });
    new ControlPlane(cluster, 'control-plane', { etcd: { members: 4 } });
    const ns = new AppNamespace(fleet, 'feed', { app: 'feed', tenant: 'stateless', nodeProfile: general, quotaHeadroomPercent: 900 });
    new LiDeployment(ns, 'feed-api', {
      application: 'feed-api', version: { app: '1.0.0' }, replicas: 3, resources: { cpu: Cpu.units(1), memory: Size.gibibytes(2) }, minReadySeconds: -1,
    });
    new Guardrails(fleet, 'guardrails', { maxSurgePercent: 500 });

    let error: unknown;
    try {
      fleet.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetValidationError);
    const e = error as FleetValidationError;
    expect(e.errors.map(v => [v.path, v.rule])).toEqual([
      ['<fleet>', 'fleet.kubernetes-version'],
      ['<fleet>', 'fleet.maintenance-zones.count'],
      ['feed', 'tenancy.quota.headroom'],
      ['feed/feed-api', 'workload.min-ready-seconds'],
      ['guardrails', 'guardrails.config.percent'],
      ['log-shipper', 'daemonset.resources.parse'],
      ['prod-1/Bad_Pool', 'pool.name'],
      ['prod-1/control-plane', 'control-plane.etcd.members'],
    ]);
    for (const v of e.errors) expect(v.fix.length).toBeGreaterThan(0);
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });
});

describe('props of the wrong type are violations too', () => {
  test('names, regions, labels and lists a JavaScript caller got wrong', () => {
    const { fleet, general, cluster } = smallFleet({ systemNamespace: 'kube-system' });
    const any = (v: unknown) => v as never;
    new Cluster(fleet, 'c2', { region: any(42), labels: any({ 'bad key': 'v' }) });
    cluster.addPool('p2', { nodeProfile: any(null), capacity: any('40'), taints: any([{ key: 'k', effect: 'Sometimes' }]) });
    new NodeProfile(fleet, 'gpu', { machine: { cpuCores: 2.5, memory: any(-5), gpus: -1 } });
    const e = synthErrors(fleet);
    expect(rulesOf(e)).toEqual([
      'cluster.labels', 'cluster.region', 'fleet.system-namespace', 'node-profile.machine.cpu', 'node-profile.machine.gpus', 'node-profile.machine.memory',
      'pool.capacity.non-negative-integer', 'pool.node-profile.known', 'pool.taints',
    ]);
    expect(general.profileName).toBe('general');
  });
});
