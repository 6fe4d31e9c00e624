/**
 * The CRD of the guardrails' parameters: facts the synth records for the
 * in-cluster ValidatingAdmissionPolicies, which bind them as `params`
 * (`paramKind` / `paramRef`). A request can change the object it carries, never
 * these facts: the parameters are cluster-scoped, of the fleet's own API group
 * (so protected against deletion), and the app roles grant no access to them.
 */
import { FLEET_GROUP, FLEET_VERSION } from './pools';
import { CrdSpec, boolean, customResourceDefinition, integer, list, map, object, required, statusSchema, string } from './schema';

/** The GuardrailParameters CRD spec. @internal */
export const GUARDRAIL_PARAMETERS_CRD: CrdSpec = {
  group: FLEET_GROUP,
  version: FLEET_VERSION,
  kind: 'GuardrailParameters',
  plural: 'guardrailparameters',
  scope: 'Cluster',
  spec: object('Facts the fleet\'s synth records for the in-cluster guardrail policies of one cluster.', {
    canaries: required(map(
      'Every canary workload the synth rendered into the cluster, keyed `<namespace>/<name>`: the facts the canary bound is computed from.',
      object('Facts of one canary workload.', {
        app: required(string('The app (label app.kubernetes.io/name) the canary belongs to.', { minLength: 1 })),
        stableReplicas: required(integer('Replicas of the app\'s stable track, as synthesized.', { minimum: 0 })),
      }),
    )),
  }),
  status: statusSchema('Not used: the parameters are written by the synth only.'),
};

/** The GuardrailParameters CRD object. @internal */
export function guardrailParametersCrd(): Record<string, unknown> {
  return customResourceDefinition(GUARDRAIL_PARAMETERS_CRD);
}

/** Short names of the guardrail rules, as exemptions and severities name them. @internal */
const GUARDRAIL_RULE_NAMES = ['scale-down', 'delete-protected', 'namespace-move', 'max-surge', 'canary-percent'];

/**
 * The GuardrailConfiguration CRD spec: the fleet's guardrail settings and
 * exemptions as the synth applied them, recorded once on the hub, so tools
 * (`cdk8s-fleet where`, `report`) and reviewers read them from the output.
 * @internal
 */
export const GUARDRAIL_CONFIGURATION_CRD: CrdSpec = {
  group: FLEET_GROUP,
  version: FLEET_VERSION,
  kind: 'GuardrailConfiguration',
  plural: 'guardrailconfigurations',
  scope: 'Cluster',
  spec: object('The fleet\'s guardrail settings, defaults applied, as the synth and the in-cluster policies enforce them.', {
    maxScaleDownPermille: required(integer('Largest share of a workload\'s replicas one change may remove, in per mille (maxScaleDownFraction × 1000).', { minimum: 0, maximum: 1000 })),
    maxSurgePercent: required(integer('Largest maxSurge, in percent of the replicas.', { minimum: 0, maximum: 100 })),
    maxCanaryPercent: required(integer('Largest share of an app\'s pods (canary + stable) its canary may hold, in percent.', { minimum: 0, maximum: 100 })),
    protectedLabel: required(string('Label key marking objects protected against deletion (value `true`).', { minLength: 1 })),
    admissionPolicies: required(boolean('Whether every cluster gets the ValidatingAdmissionPolicies.')),
    severities: required(map('Severity of each rule, by short name.', string('Severity.', { enum: ['error', 'warning'] }))),
    platformIdentities: required(list('User names exempt from the in-cluster policies.', string('A user name.', { minLength: 1 }))),
    platformGroups: required(list('Groups exempt from the in-cluster policies.', string('A group.', { minLength: 1 }))),
    exemptions: required(list('Recorded exemptions: one rule, one exact target, and why.', object('One exemption.', {
      rule: required(string('The rule (short name).', { enum: GUARDRAIL_RULE_NAMES })),
      target: required(string('The target, named as the rule names its targets.', { minLength: 1 })),
      reason: required(string('Why the exemption is safe, and who agreed to it.', { minLength: 1 })),
    }))),
  }),
  status: statusSchema('Not used: the configuration is written by the synth only.'),
  printerColumns: [
    { name: 'MaxSurge%', type: 'integer', jsonPath: '.spec.maxSurgePercent' },
    { name: 'MaxCanary%', type: 'integer', jsonPath: '.spec.maxCanaryPercent' },
  ],
};

/** The GuardrailConfiguration CRD object. @internal */
export function guardrailConfigurationCrd(): Record<string, unknown> {
  return customResourceDefinition(GUARDRAIL_CONFIGURATION_CRD);
}
