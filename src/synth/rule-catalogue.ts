/**
 * The synth's own rules: what holds for the output as a whole, whichever
 * layer rendered it. Each id here is a rule `Violations` accepts (see
 * `src/core/rules.ts` for how the ids reach it); the rule table in
 * docs/ARCHITECTURE.md is generated from this catalogue.
 */
import { RuleIdsOf, ruleCatalogue } from '../core/rules';

/** The synth's own rules. @internal */
export const SYNTH_RULES = ruleCatalogue('synth', {
  'output.duplicate-object': {
    summary: 'each Kubernetes object (cluster, API group, kind, namespace, name) is produced by one construct, so no object silently replaces another',
    fix: 'give one of the two constructs another name',
    severity: 'error',
  },
  'output.duplicate-file': {
    summary: 'each output file is written by one construct',
    fix: 'give one of the two constructs another name',
    severity: 'error',
  },
});

declare module '../core/rules' {
  interface RuleIds extends RuleIdsOf<typeof SYNTH_RULES> {}
}
