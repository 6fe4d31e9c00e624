/**
 * Time props of the control plane as cdk8s Durations (audit log age, etcd
 * timing and compaction, kubelet certificate lifetime and shutdown grace)
 * write what their number props write; mistakes are `control-plane.time`
 * violations.
 */
import { ControlPlane, ControlPlaneProps, Duration } from '../../src';
import { smallFleet, synthErrors } from '../support/fleet';

function synth(props: ControlPlaneProps) {
  const s = smallFleet();
  new ControlPlane(s.cluster, 'control-plane', props);
  return s.fleet.synthesize();
}

const NUMBERS: ControlPlaneProps = {
  apiserver: { auditLog: { maxAgeDays: 45 } },
  etcd: {
    roundTripMillis: 20,
    heartbeatMillis: 150,
    electionMillis: 2000,
    autoCompactionRetentionHours: 2,
    splitEvents: true,
    events: { autoCompactionRetentionHours: 3 },
  },
  kubelet: { certificateLifetimeHours: 240, shutdownGracePeriodSeconds: 90, shutdownGracePeriodCriticalPodsSeconds: 30 },
};
const DURATIONS: ControlPlaneProps = {
  apiserver: { auditLog: { maxAge: Duration.days(45) } },
  etcd: {
    roundTrip: Duration.millis(20),
    heartbeatInterval: Duration.millis(150),
    electionTimeout: Duration.seconds(2),
    autoCompactionRetention: Duration.hours(2),
    splitEvents: true,
    events: { autoCompactionRetention: Duration.hours(3) },
  },
  kubelet: {
    certificateLifetime: Duration.days(10),
    shutdownGracePeriod: Duration.seconds(90),
    shutdownGracePeriodCriticalPods: Duration.seconds(30),
  },
};

describe('time props of the control plane as Durations', () => {
  test('write exactly what the number props write', () => {
    const result = synth(DURATIONS);
    expect(result.files).toEqual(synth(NUMBERS).files);
    // and they do reach the output
    const apiserver = result.files.get('prod-1/control-plane/static-pods/apiserver-1/kube-apiserver.yaml')!;
    expect(apiserver).toContain('--audit-log-maxage=45');
    expect(result.files.get('prod-1/control-plane/etcd/etcd-1.yaml')!).toMatch(/election-timeout: 2000/);
  });

  test('a Duration beside its number prop, one that is not whole or a value that is not a Duration is a violation', () => {
    const s = smallFleet();
    new ControlPlane(s.cluster, 'control-plane', {
      apiserver: { auditLog: { maxAge: Duration.hours(36) } },
      etcd: { roundTrip: Duration.millis(15), roundTripMillis: 15, heartbeatInterval: 100 as any },
      kubelet: { certificateLifetime: Duration.minutes(90) },
    });
    expect(synthErrors(s.fleet).errors.filter(e => e.rule === 'control-plane.time').map(e => `${e.path}: ${e.message} (fix: ${e.fix})`)).toEqual([
      'prod-1/control-plane: apiserver.auditLog.maxAge is 1.5 days, not a whole number of days (fix: use whole days, e.g. Duration.days(30))',
      'prod-1/control-plane: etcd.heartbeatInterval is 100, not a Duration (fix: pass a cdk8s Duration, e.g. Duration.millis(100))',
      'prod-1/control-plane: etcd.roundTrip and etcd.roundTripMillis are both given (fix: give etcd.roundTrip or etcd.roundTripMillis, not both)',
      'prod-1/control-plane: kubelet.certificateLifetime is 1.5 hours, not a whole number of hours (fix: use whole hours, e.g. Duration.hours(24))',
    ]);
  });
});
