/**
 * The CRD of the guardrails' parameters: facts the synth records for the
 * in-cluster ValidatingAdmissionPolicies, which bind them as `params`
 * (`paramKind` / `paramRef`). A request can change the object it carries, never
 * these facts: the parameters are cluster-scoped, of the fleet's own API group
 * (so protected against deletion), and the app roles grant no access to them.
 */
import { FLEET_GROUP, FLEET_VERSION } from './pools';
import { CrdSpec, customResourceDefinition, integer, map, object, required, statusSchema, string } from './schema';

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
