import { buildExampleFleet } from '../../examples/fleet';
import { maintenanceCrds } from '../../src/crds/maintenance';
import { tmpOutdir } from '../support/fleet';
import { describeWithSchemas, validateAll } from '../support/schemas';

const [nodeDisruptionCrd, policyCrd] = maintenanceCrds() as any[];

const disruption = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({
  apiVersion: 'fleet.cdk8s.io/v1alpha1',
  kind: 'NodeDisruption',
  metadata: { name: 'lva1-prod-1-n0421-os' },
  spec,
  ...(status ? { status } : {}),
});

describeWithSchemas('the maintenance CRDs validate strictly (CEL rules evaluated)', () => {
  test('a NodeDisruption through the handshake: requested, drained, approved, in maintenance, with Cluster API style conditions', () => {
    const spec = { nodeName: 'n0421.lva1', kind: 'Planned', reason: 'OSUpgrade', requester: 'maintenance-actor', maintenanceZone: 'mz-06', rollout: 'general-os-2026-11' };
    expect(validateAll([nodeDisruptionCrd, disruption(spec)])).toEqual([]);
    expect(validateAll([nodeDisruptionCrd, disruption(spec, {
      phase: 'InMaintenance',
      approvedBy: 'StatefulOperator',
      podsRemaining: 0,
      observedGeneration: 1,
      conditions: [
        { type: 'Drained', status: 'True', reason: 'AllPodsEvicted', message: 'every pod evicted', lastTransitionTime: '2026-12-04T10:00:00Z' },
        { type: 'Ready', status: 'False', reason: 'InMaintenance', message: 'the node is with the maintenance actor', lastTransitionTime: '2026-12-04T10:05:00Z' },
      ],
    })])).toEqual([]);
  });

  test('a NodeDisruption is rejected with an unknown field, an unknown kind or phase, or host remediation called planned', () => {
    const ok = { nodeName: 'n1', kind: 'Unplanned', reason: 'HostRemediation', requester: 'remediator' };
    expect(validateAll([nodeDisruptionCrd, disruption(ok)])).toEqual([]);
    expect(validateAll([nodeDisruptionCrd, disruption({ ...ok, colour: 'blue' })]).join('\n')).toMatch(/colour/);
    expect(validateAll([nodeDisruptionCrd, disruption({ ...ok, kind: 'Sometimes' })]).join('\n')).toMatch(/kind/);
    expect(validateAll([nodeDisruptionCrd, disruption(ok, { phase: 'Lost' })]).join('\n')).toMatch(/phase/);
    expect(validateAll([nodeDisruptionCrd, disruption({ ...ok, kind: 'Planned' })]).join('\n')).toMatch(/host remediation is an unplanned disruption/);
    expect(validateAll([nodeDisruptionCrd, disruption({ nodeName: 'n1', kind: 'Planned', reason: 'OSUpgrade' })]).join('\n')).toMatch(/requester/);
  });

  test('every MaintenancePolicy of the example fleet is valid; a budget that is not the sum of its profiles\' is not', () => {
    const objects = buildExampleFleet({ outdir: tmpOutdir() }).synthesize().objects.map(o => o.object as any);
    const policies = objects.filter(o => o.kind === 'MaintenancePolicy');
    expect(policies.map(p => p.metadata.name).sort()).toEqual(['hub', 'ltx1-prod-1', 'lva1-prod-1', 'lva1-prod-2']);
    expect(validateAll([policyCrd, ...policies])).toEqual([]);
    const bad = { ...policies[0], spec: { ...policies[0].spec, maxNodesInFlight: policies[0].spec.maxNodesInFlight + 1 } };
    expect(validateAll([policyCrd, bad]).join('\n')).toMatch(/maxNodesInFlight is the sum of the profiles' budgets/);
  });
});
