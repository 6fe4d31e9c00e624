/**
 * KubernetesPool.addRequiredDaemonSet(agent) requires an agent as the
 * `requiredDaemonSets` prop does: the same DaemonSets, hub records and
 * capacity accounting, and the same violations for mistakes.
 */
import { Cluster, Cpu, Fleet, NodeProfile, RequiredDaemonSet, Size, fleetCapacityReport } from '../../src';
import { smallFleet, synthErrors } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

function metricsAgent(fleet: Fleet): RequiredDaemonSet {
  return new RequiredDaemonSet(fleet, 'node-metrics', {
    image: 'registry.internal/node-metrics:2.1.0',
    resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) },
  });
}

describe('KubernetesPool.addRequiredDaemonSet', () => {
  test('renders the agent on the pool, lists it in the hub record and takes its share of every node', () => {
    const s = smallFleet();
    const metrics = metricsAgent(s.fleet);
    s.pool.addRequiredDaemonSet(metrics);
    expect(s.pool.requiredDaemonSets).toEqual([s.logs, metrics]);
    const result = s.fleet.synthesize();
    const daemonSets = result.objects.filter(o => o.cluster === 'prod-1' && o.object.kind === 'DaemonSet').map(o => o.object.metadata.name);
    expect(daemonSets.sort()).toEqual(['kube-proxy', 'log-shipper-general', 'node-metrics-general']);
    const record = result.objects.find(o => o.cluster === 'hub' && o.object.kind === 'KubernetesPool' && o.object.metadata.name === 'prod-1-general')!.object as any;
    expect(record.spec.poolTemplate.requiredDaemonSets).toEqual(['log-shipper', 'node-metrics']);
    const general = fleetCapacityReport(result.plan).find(c => c.cluster === 'prod-1')!.byPool.get('general')!;
    // the two agents and kube-proxy (200m, 256Mi) on each of the 40 nodes
    expect(general.daemonSets).toEqual({ resources: { cpuMillis: 40 * (150 + 200), memoryMiB: 40 * (192 + 256), gpus: 0 }, pods: 40 * 3 });
  });

  test('writes exactly what the prop writes', () => {
    const build = (verb: boolean) => {
      const fleet = new Fleet({ maintenanceZones: 4 });
      const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 32, memory: Size.gibibytes(128) } });
      const metrics = metricsAgent(fleet);
      const cluster = new Cluster(fleet, 'prod-1', { region: 'lva1' });
      const pool = cluster.addPool('general', { nodeProfile: general, capacity: 8, requiredDaemonSets: verb ? [] : [metrics] });
      if (verb) pool.addRequiredDaemonSet(metrics);
      return fleet.synthesize().files;
    };
    expect(build(true)).toEqual(build(false));
  });

  test('an agent required twice, one of another fleet or not an agent at all is a violation of the synth', () => {
    const s = smallFleet();
    const stranger = metricsAgent(new Fleet());
    expect(() => {
      s.pool.addRequiredDaemonSet(s.logs);
      s.pool.addRequiredDaemonSet(stranger);
      s.pool.addRequiredDaemonSet('node-metrics' as any);
    }).not.toThrow();
    expect(synthErrors(s.fleet).errors.map(e => `${e.path} ${e.rule}: ${e.message}`)).toEqual([
      "prod-1/general pool.daemonsets.known: a required DaemonSet of the pool is 'node-metrics', not a RequiredDaemonSet",
      "prod-1/general pool.daemonsets.known: required DaemonSet 'node-metrics' is not part of this fleet",
      "prod-1/general pool.daemonsets.unique: required DaemonSet 'log-shipper' is listed twice",
    ]);
  });
});

describeWithSchemas('added agents are schema-valid', () => {
  test('the DaemonSets of added agents validate strictly', () => {
    const s = smallFleet();
    s.pool.addRequiredDaemonSet(metricsAgent(s.fleet));
    expect(validateAll(s.fleet.synthesize().objects)).toEqual([]);
  });
});
