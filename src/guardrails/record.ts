/**
 * The fleet's guardrail configuration as a hub record (GuardrailConfiguration
 * `fleet-guardrails`): the settings with their defaults applied and every
 * exemption with its reason, so the tools that read the output (`cdk8s-fleet
 * where`, `cdk8s-fleet report`) show what the synth enforced without running
 * the program.
 */
import { GUARDRAIL_RULES, GuardrailConfig, keptPermille } from './rules';
import { GUARDRAIL_CONFIGURATION_CRD } from '../crds/guardrails';
import { FLEET_API_VERSION } from '../crds/pools';
import { KubeObject } from '../synth/context';

/** Name of the hub's GuardrailConfiguration record. @internal */
export const GUARDRAIL_CONFIGURATION_NAME = 'fleet-guardrails';

/** The hub's record of the guardrail configuration. @internal */
export function guardrailConfiguration(c: GuardrailConfig): KubeObject {
  return {
    apiVersion: FLEET_API_VERSION,
    kind: GUARDRAIL_CONFIGURATION_CRD.kind,
    metadata: { name: GUARDRAIL_CONFIGURATION_NAME },
    spec: {
      maxScaleDownPermille: 1000 - keptPermille(c),
      maxSurgePercent: c.maxSurgePercent,
      maxCanaryPercent: c.maxCanaryPercent,
      protectedLabel: c.protectedLabel,
      admissionPolicies: c.admissionPolicies,
      severities: Object.fromEntries(GUARDRAIL_RULES.map(r => [r.name, c.severities[r.name]])),
      platformIdentities: [...c.platformIdentities],
      platformGroups: [...c.platformGroups],
      exemptions: c.exemptions.map(e => ({ rule: e.rule, target: e.target, reason: e.reason })),
    },
  } as KubeObject;
}
