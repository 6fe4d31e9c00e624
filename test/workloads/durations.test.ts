/**
 * Time props of workloads as cdk8s Durations: `minReady`, the probes'
 * `initialDelay` / `period` / `timeout` and the platform template's
 * `terminationGracePeriod` write what their number props write; a Duration
 * beside its number prop, one that is not whole seconds or a value that is
 * not a Duration is a violation.
 */
import { FEED, TEST_TEMPLATE, find, workloadFleet } from './support';
import { Duration, LiDeployment, LiDeploymentProps, PlatformPodTemplate } from '../../src';
import { synthErrors } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

const WITH_SECONDS: LiDeploymentProps = {
  ...FEED,
  minReadySeconds: 30,
  probes: { readiness: { initialDelaySeconds: 3, periodSeconds: 5, timeoutSeconds: 1 }, startup: { periodSeconds: 10, failureThreshold: 30 } },
};
const WITH_DURATIONS: LiDeploymentProps = {
  ...FEED,
  minReady: Duration.seconds(30),
  probes: {
    readiness: { initialDelay: Duration.seconds(3), period: Duration.seconds(5), timeout: Duration.seconds(1) },
    startup: { period: Duration.seconds(10), failureThreshold: 30 },
  },
};

function synth(props: LiDeploymentProps, template = TEST_TEMPLATE) {
  const f = workloadFleet({ template });
  new LiDeployment(f.ns, 'feed', props);
  return f.fleet.synthesize();
}

describe('time props of workloads as Durations', () => {
  test('minReady and the probes\' Durations write the seconds of the number props', () => {
    const result = synth(WITH_DURATIONS);
    const deployment = find(result.objects, 'Deployment', 'feed');
    expect(deployment.spec.minReadySeconds).toBe(30);
    const app = deployment.spec.template.spec.containers.find((c: any) => c.name === 'feed');
    expect(app.readinessProbe).toMatchObject({ initialDelaySeconds: 3, periodSeconds: 5, timeoutSeconds: 1 });
    expect(app.startupProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 30 });
    // the progress deadline is sized from the same numbers
    expect(result.files).toEqual(synth(WITH_SECONDS).files);
  });

  test('the template\'s terminationGracePeriod; a cluster\'s template overrides the fleet\'s in either form', () => {
    const fleetWide = synth(FEED, { ...TEST_TEMPLATE, terminationGracePeriod: Duration.minutes(2) });
    expect(find(fleetWide.objects, 'Deployment', 'feed').spec.template.spec.terminationGracePeriodSeconds).toBe(120);
    const f = workloadFleet({ template: { ...TEST_TEMPLATE, terminationGracePeriod: Duration.minutes(2) } });
    new PlatformPodTemplate(f.cluster, 'platform', { terminationGracePeriodSeconds: 45 });
    new LiDeployment(f.ns, 'feed', FEED);
    expect(find(f.fleet.synthesize().objects, 'Deployment', 'feed').spec.template.spec.terminationGracePeriodSeconds).toBe(45);
  });

  test('a Duration beside its number prop, a fraction of a second or a value that is not a Duration is a violation', () => {
    const f = workloadFleet({ template: { ...TEST_TEMPLATE, terminationGracePeriod: Duration.seconds(20), terminationGracePeriodSeconds: 20 } });
    expect(() => {
      new LiDeployment(f.ns, 'feed', { ...FEED, minReady: Duration.seconds(5), minReadySeconds: 5 });
      new LiDeployment(f.ns, 'ads', { ...FEED, application: 'ads', probes: { liveness: { period: Duration.millis(1500) }, readiness: { timeout: 2 as any } } });
    }).not.toThrow();
    expect(synthErrors(f.fleet).errors.map(e => `${e.path} ${e.rule}: ${e.message}`)).toEqual([
      'feed-ns/ads workload.time: probes.liveness.period is 1.5 seconds, not a whole number of seconds',
      'feed-ns/ads workload.time: probes.readiness.timeout is 2, not a Duration',
      'feed-ns/feed workload.time: minReady and minReadySeconds are both given',
      'platform platform-template.time: terminationGracePeriod and terminationGracePeriodSeconds are both given',
    ]);
  });
});

describeWithSchemas('workloads with Durations are schema-valid', () => {
  test('the Deployment of Duration props validates strictly', () => {
    expect(validateAll(synth(WITH_DURATIONS, { ...TEST_TEMPLATE, terminationGracePeriod: Duration.seconds(40) }).objects)).toEqual([]);
  });
});
