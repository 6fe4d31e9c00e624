/**
 * The guardrails layer's rules. Each id here is a rule `Violations` accepts
 * (see `src/core/rules.ts` for how the ids reach it); the rule table in
 * docs/GUARDRAILS.md is generated from this catalogue.
 *
 * The five guardrail rules themselves (`guardrails.<name>`) are data already:
 * {@link GUARDRAIL_RULES} holds their id, summary, scope, target and default
 * severity, which exemptions, overrides and the admission policies read. This
 * catalogue takes their entries from there and adds only what that table does
 * not say (the fix); their severity is not fixed here, since `severities` and
 * overrides change it. The rest of the catalogue are the rules about the
 * guardrails' own configuration and inputs. (The fleet's one canary bound is
 * checked on LiDeployments and PlatformPodTemplates by the workloads layer,
 * which obeys the guardrail policy: its rules are in the workloads catalogue.)
 */
import { GUARDRAIL_RULES, GuardrailRuleId, GuardrailRuleName } from './rules';
import { RuleEntry, RuleIdsOf, ruleCatalogue } from '../core/rules';

/** The fix of each guardrail rule, in general terms (each violation names the exact override). */
const GUARDRAIL_RULE_FIXES: Readonly<Record<GuardrailRuleName, string>> = {
  'scale-down': 'scale down in steps of at most maxScaleDownFraction of the replicas, or carry the override scale-down:<target>',
  'delete-protected': 'keep the object, or carry the override delete-protected:<target>',
  'namespace-move': 'keep the namespace in its cluster (pin it), or carry the override namespace-move:<namespace> after the workloads run in the new cluster',
  'batch-quota-move': 'keep the regional quota and its clusters as recorded, or carry the override batch-quota-move:<region>/<node profile> after draining the jobs of the clusters that lose quota',
  'batch-queue-shrink': 'shrink the queue in steps once its admitted jobs fit the new quota, remove its jobs before the queue, or carry the override batch-queue-shrink:<cluster>/<queue>',
  'max-surge': 'lower maxSurge to at most maxSurgePercent of the replicas',
  'canary-percent': 'lower the canary to at most maxCanaryPercent of the app\'s pods, or raise the stable track (which is labelled with the same app.kubernetes.io/name)',
};

const guardrailRuleEntries = Object.fromEntries(GUARDRAIL_RULES.map(r => [r.id, { summary: r.summary, fix: GUARDRAIL_RULE_FIXES[r.name] }])) as
  Readonly<Record<GuardrailRuleId, RuleEntry>>;

/** The guardrails layer's rules. @internal */
export const GUARDRAILS_RULES = ruleCatalogue('guardrails', {
  ...guardrailRuleEntries,
  'guardrails.unique': {
    summary: 'the fleet\'s guardrails are configured once',
    fix: 'declare one Guardrails construct per fleet',
    severity: 'error',
  },
  'guardrails.props.type': {
    summary: 'every Guardrails prop has the runtime type its documentation states (a JavaScript caller can pass anything)',
    fix: 'give each prop the type its documentation states',
    severity: 'error',
  },
  'guardrails.config.scale-down-fraction': {
    summary: 'maxScaleDownFraction is between 0 and 1 with at most three decimals (the policies compute in per-mille integers)',
    fix: 'use a fraction between 0 and 1 with at most three decimals, e.g. 0.5',
    severity: 'error',
  },
  'guardrails.config.percent': {
    summary: 'maxSurgePercent and maxCanaryPercent are whole percentages between 0 and 100',
    fix: 'use a whole percentage between 0 and 100',
    severity: 'error',
  },
  'guardrails.config.protected-label': {
    summary: 'the protection label is a label key',
    fix: 'use a label key such as \'fleet.cdk8s.io/protected\'',
    severity: 'error',
  },
  'guardrails.config.identity': {
    summary: 'each platform identity exempt from the in-cluster policies is named exactly (no empty name, no wildcard)',
    fix: 'name each exempt user or group exactly',
    severity: 'error',
  },
  'guardrails.exemption.rule': {
    summary: 'an exemption names a guardrail rule',
    fix: `use one of: ${GUARDRAIL_RULES.map(r => r.name).join(', ')}`,
    severity: 'error',
  },
  'guardrails.exemption.target': {
    summary: 'an exemption names exactly one target (no wildcards)',
    fix: 'name exactly one target, as the rule names its targets',
    severity: 'error',
  },
  'guardrails.exemption.reason': {
    summary: 'an exemption records why it is safe',
    fix: 'record why the exemption is safe and who agreed to it',
    severity: 'error',
  },
  'guardrails.exemption.unique': {
    summary: 'each exemption is listed once',
    fix: 'list each exemption once',
    severity: 'error',
  },
  'guardrails.exemption.unused': {
    summary: 'an exemption of a state rule that matches nothing is stale (or names the wrong target)',
    fix: 'remove the exemption, or correct its target',
    severity: 'warning',
  },
  'guardrails.override.malformed': {
    summary: 'an override names a guardrail rule and a target, <rule>:<target>',
    fix: "write overrides as '<rule>:<target>', e.g. 'scale-down:lva1-prod-1/feed/feed-api'",
    severity: 'error',
  },
  'guardrails.override.unused': {
    summary: 'an override that matches no guarded change approves nothing (or names the wrong target)',
    fix: 'remove the override, or correct its target',
    severity: 'warning',
  },
  'guardrails.previous.unreadable': {
    summary: 'the previous output the change rules compare with is readable: an unreadable one is never a silent pass',
    fix: 'point the previous output (--previous, env CDK8S_FLEET_PREVIOUS or SynthOptions.previousOutdir) at the last synthesized output directory, as committed',
    severity: 'error',
  },
  'guardrails.admission.partial': {
    summary: 'an in-cluster guardrail policy that cannot enforce all of its rule on the cluster\'s Kubernetes version says what it leaves to the synth (the batch queue policy checks shrinks from 1.29, where CEL has the quantity library)',
    fix: 'upgrade the cluster to Kubernetes 1.29 or later for the in-cluster check',
    severity: 'warning',
  },
  'guardrails.admission.version': {
    summary: 'a cluster whose Kubernetes version serves no ValidatingAdmissionPolicy API gets no in-cluster guardrails',
    fix: 'upgrade the cluster to Kubernetes 1.28 or later',
    severity: 'warning',
  },
});

declare module '../core/rules' {
  interface RuleIds extends RuleIdsOf<typeof GUARDRAILS_RULES> {}
}
