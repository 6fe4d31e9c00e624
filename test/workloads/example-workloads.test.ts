import { buildExampleFleet } from '../../examples/fleet';
import { Labels, diagnoseRollout } from '../../src';
import { tmpOutdir } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

const result = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();
const ofApp = (ns: string) => result.objects.filter(o => o.object.metadata.namespace === ns);

describeWithSchemas('example workloads', () => {
  test('every workload object validates strictly (v1.28.0, generated CRDs, OpenKruise CRDs)', () => {
    const objs = ['feed', 'ranker', 'kafka-tracking'].flatMap(ofApp);
    expect(objs.length).toBeGreaterThan(15);
    expect(validateAll(result.objects)).toEqual([]);
  });
});

describe('example workloads', () => {
  test('a stateless feed service with a canary, a GPU service on OpenKruise, a Kafka-like LiStatefulSet', () => {
    const kinds = (ns: string) => ofApp(ns).map(o => `${o.object.kind}/${o.object.metadata.name}`).sort();
    expect(kinds('feed')).toEqual(expect.arrayContaining(['Deployment/feed', 'Deployment/feed-canary', 'LiDeployment/feed', 'PodDisruptionBudget/feed', 'Service/feed']));
    expect(kinds('ranker')).toEqual(expect.arrayContaining(['CloneSet/ranker', 'LiDeployment/ranker']));
    expect(kinds('kafka-tracking')).toEqual(expect.arrayContaining(['StatefulSet/kafka-tracking', 'LiStatefulSet/kafka-tracking', 'Service/kafka-tracking']));
    // shard holders: a budget of no voluntary eviction, so drains wait for the stateful operator
    expect(kinds('kafka-tracking')).toContain('PodDisruptionBudget/kafka-tracking');
    const canary = ofApp('feed').find(o => o.object.metadata.name === 'feed-canary')!.object as any;
    expect(canary.metadata.labels[Labels.TRACK]).toBe('canary');
    expect(canary.spec.replicas).toBe(2);
    const ranker = ofApp('ranker').find(o => o.object.kind === 'CloneSet')!;
    expect(ranker.cluster).toBe('lva1-prod-2');
  });

  test('a healthy status of the example\'s own workload is diagnosed healthy', () => {
    const dep = JSON.parse(JSON.stringify(ofApp('feed').find(o => o.object.kind === 'Deployment' && o.object.metadata.name === 'feed')!.object));
    dep.metadata.generation = 3;
    dep.status = { observedGeneration: 3, replicas: 40, updatedReplicas: 40, readyReplicas: 40, availableReplicas: 40 };
    expect(diagnoseRollout(dep).verdict).toBe('healthy');
  });
});
