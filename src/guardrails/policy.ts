/**
 * The guardrails' policy layer, at the bottom of the layer list: it resolves
 * the fleet's {@link Guardrails} construct into one complete configuration
 * (protection label, canary bound, severities, exemptions...) and publishes it
 * as `spec.guardrails`, so every layer above obeys the same rules without
 * reading the construct: tenancy and clusters render the protection label on
 * the namespaces they render, workloads check the canary bound, and the
 * guardrails layer at the top renders the admission policies and runs the
 * state and change checks.
 *
 * Lower layers may import this module, `rules.ts` and `guardrails.ts` of
 * `src/guardrails/`, nothing else there (the lint zones enforce it).
 */
import { IConstruct } from 'constructs';
import { Guardrails, GuardrailsProps } from './guardrails';
import { GuardrailConfig, GuardrailRuleName, guardrailConfigProblems, guardrailRule, resolveGuardrailConfig } from './rules';
import { PropShape, describeValue, shapeProblems } from '../core/checks';
import { Violations } from '../core/errors';
import { FleetModel, pathOf } from '../core/model';
import { Layer, LayerSlots, NoSlots } from '../synth/layer';

/** The fleet's guardrail policy, resolved once. @internal */
export interface GuardrailPolicy {
  /** The complete configuration (defaults applied). */
  readonly config: GuardrailConfig;
  /** The construct it comes from: the declared Guardrails, else the fleet. */
  readonly construct: IConstruct;
  /** That construct's path, for messages. */
  readonly path: string;
}

/** The policy layer's slots: the resolved guardrail policy, no decisions. @internal */
export interface GuardrailPolicySlots extends LayerSlots {
  /** The resolved guardrail policy. */
  readonly spec: { readonly guardrails: GuardrailPolicy };
  /** No decisions. */
  readonly plan: {};
}

/** Everything the layers above the policy layer read of it. @internal */
export type GuardrailPolicyStack = GuardrailPolicySlots;

const GUARDRAILS_SHAPE: PropShape = {
  maxScaleDownFraction: 'number?',
  maxSurgePercent: 'number?',
  maxCanaryPercent: 'number?',
  protectedLabel: 'string?',
  exemptions: 'list?',
  platformIdentities: 'strings?',
  platformGroups: 'strings?',
  severities: 'object?',
  admissionPolicies: 'boolean?',
};
const EXEMPTION_SHAPE: PropShape = { rule: 'string', target: 'string', reason: 'string' };
const SEVERITIES: readonly unknown[] = ['error', 'warning'];

/** Type problems of the Guardrails props (a JavaScript caller may pass anything); the other checks need the types right. */
function guardrailsShapeProblems(props: unknown): string[] {
  const out = shapeProblems(props, GUARDRAILS_SHAPE);
  if (out.length > 0) return out;
  const p = props as GuardrailsProps;
  (p.exemptions ?? []).forEach((e, i) => out.push(...shapeProblems(e, EXEMPTION_SHAPE, `exemptions[${i}].`)));
  for (const [rule, severity] of Object.entries(p.severities ?? {})) {
    if (!guardrailRule(rule as GuardrailRuleName)) out.push(`severities names unknown rule ${describeValue(rule)}`);
    else if (!SEVERITIES.includes(severity)) out.push(`severities.${rule} is ${describeValue(severity)}, not 'error' or 'warning'`);
  }
  return out;
}

/**
 * Resolves the fleet's guardrail policy: the first declared Guardrails
 * construct's props with the defaults applied (the defaults alone without
 * one), each bad prop reported once.
 * @internal
 */
export function resolveGuardrailPolicy(model: FleetModel, v: Violations): GuardrailPolicy {
  const all = model.ofType(Guardrails);
  for (const extra of all.slice(1)) {
    v.error(pathOf(extra), 'guardrails.unique', `the fleet's guardrails are already configured at ${pathOf(all[0])}`, 'declare one Guardrails construct per fleet');
  }
  const declared = all[0];
  if (!declared) return { config: resolveGuardrailConfig(), construct: model.fleet, path: pathOf(model.fleet) };
  const path = pathOf(declared);
  const shape = guardrailsShapeProblems(declared.props);
  for (const problem of shape) v.error(path, 'guardrails.props.type', problem, 'give each prop the type its documentation states');
  const config = resolveGuardrailConfig(declared.props);
  if (shape.length === 0) for (const p of guardrailConfigProblems(config)) v.error(path, p.rule, p.message, p.fix);
  return { config, construct: declared, path };
}

/** The guardrails' policy layer (the first of the fleet's layers). @internal */
export const guardrailPolicyLayer: Layer<NoSlots, GuardrailPolicySlots> = {
  name: 'guardrail policy',
  resolve: (model, _spec, v) => ({ guardrails: resolveGuardrailPolicy(model, v) }),
};
