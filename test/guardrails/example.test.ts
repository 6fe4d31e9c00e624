import { buildExampleFleet } from '../../examples/fleet';
import { tmpOutdir } from '../support/fleet';

const result = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();

describe('the example fleet is guarded', () => {
  test('every cluster carries the four guardrail policies, their bindings and parameters (canary scale binding where canaries run)', () => {
    for (const cluster of ['hub', 'lva1-prod-1', 'lva1-prod-2', 'ltx1-prod-1']) {
      const names = (kind: string) => result.objects
        .filter(o => o.cluster === cluster && o.object.kind === kind).map(o => o.object.metadata.name).sort();
      const expected = ['canary-percent', 'delete-protected', 'max-surge', 'scale-down'].map(r => `fleet-guardrails-${r}`);
      expect(names('ValidatingAdmissionPolicy')).toEqual(expected);
      const params = result.objects.find(o => o.cluster === cluster && o.object.kind === 'GuardrailParameters')!.object as any;
      const canaries = Object.keys(params.spec.canaries).length > 0;
      expect(names('ValidatingAdmissionPolicyBinding')).toEqual(canaries ? [expected[0], 'fleet-guardrails-canary-percent-scale', ...expected.slice(1)] : expected);
    }
  });

  test('the GitOps applier is exempt in the cluster; the synth passes without warnings', () => {
    const p = result.objects.find(o => o.cluster === 'lva1-prod-1' && o.object.metadata.name === 'fleet-guardrails-scale-down' && o.object.kind === 'ValidatingAdmissionPolicy')!.object as any;
    expect(p.spec.matchConditions[0].expression).toContain("'system:serviceaccount:argocd:argocd-application-controller'");
    expect(result.warnings.filter(w => w.rule.startsWith('guardrails.'))).toEqual([]);
  });
});
