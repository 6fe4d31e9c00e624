import { buildExampleFleet } from '../../examples/fleet';
import { tmpOutdir } from '../support/fleet';

const result = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();

describe('the example fleet is guarded', () => {
  test('every cluster carries the four guardrail policies and their bindings', () => {
    for (const cluster of ['hub', 'lva1-prod-1', 'lva1-prod-2', 'ltx1-prod-1']) {
      const names = (kind: string) => result.objects
        .filter(o => o.cluster === cluster && o.object.kind === kind).map(o => o.object.metadata.name).sort();
      const expected = ['canary-percent', 'delete-protected', 'max-surge', 'scale-down'].map(r => `fleet-guardrails-${r}`);
      expect(names('ValidatingAdmissionPolicy')).toEqual(expected);
      expect(names('ValidatingAdmissionPolicyBinding')).toEqual(expected);
    }
  });

  test('the GitOps applier is exempt in the cluster; the synth passes without warnings', () => {
    const p = result.objects.find(o => o.cluster === 'lva1-prod-1' && o.object.metadata.name === 'fleet-guardrails-scale-down' && o.object.kind === 'ValidatingAdmissionPolicy')!.object as any;
    expect(p.spec.matchConditions[0].expression).toContain("'system:serviceaccount:argocd:argocd-application-controller'");
    expect(result.warnings.filter(w => w.rule.startsWith('guardrails.'))).toEqual([]);
  });
});
