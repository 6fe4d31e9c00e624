import { buildExampleFleet } from '../../examples/fleet';
import { tmpOutdir } from '../support/fleet';

const result = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();
const BATCH_CLUSTERS = ['lva1-prod-1', 'lva1-prod-2', 'ltx1-prod-1'];

describe('the example fleet is guarded', () => {
  test('every cluster carries the four guardrail policies, their bindings and parameters (canary scale binding where canaries run); the batch clusters the batch queue policy', () => {
    for (const cluster of ['hub', 'lva1-prod-1', 'lva1-prod-2', 'ltx1-prod-1']) {
      const names = (kind: string) => result.objects
        .filter(o => o.cluster === cluster && o.object.kind === kind).map(o => o.object.metadata.name).sort();
      const rules = [...(BATCH_CLUSTERS.includes(cluster) ? ['batch-queue-shrink'] : []), 'canary-percent', 'delete-protected', 'max-surge', 'scale-down'];
      const expected = rules.map(r => `fleet-guardrails-${r}`);
      expect(names('ValidatingAdmissionPolicy')).toEqual(expected);
      const params = result.objects.find(o => o.cluster === cluster && o.object.kind === 'GuardrailParameters')!.object as any;
      const canaries = Object.keys(params.spec.canaries).length > 0;
      const at = expected.indexOf('fleet-guardrails-canary-percent') + 1;
      expect(names('ValidatingAdmissionPolicyBinding')).toEqual(canaries ? [...expected.slice(0, at), 'fleet-guardrails-canary-percent-scale', ...expected.slice(at)] : expected);
    }
  });

  test('the GitOps applier is exempt in the cluster; the synth warns only that the 1.28 clusters check queue shrinks at synth time alone', () => {
    const p = result.objects.find(o => o.cluster === 'lva1-prod-1' && o.object.metadata.name === 'fleet-guardrails-scale-down' && o.object.kind === 'ValidatingAdmissionPolicy')!.object as any;
    expect(p.spec.matchConditions[0].expression).toContain("'system:serviceaccount:argocd:argocd-application-controller'");
    // the example's clusters run Kubernetes 1.28, whose CEL has no quantity library
    const warnings = result.warnings.filter(w => w.rule.startsWith('guardrails.'));
    expect(warnings.map(w => [w.rule, w.path])).toEqual([...BATCH_CLUSTERS].sort().map(c => ['guardrails.admission.partial', c]));
  });
});
