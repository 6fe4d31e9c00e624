/**
 * The example fleet's guardrails: the platform team's bounds, and the
 * identities exempt from the in-cluster policies.
 */
import { DEFAULT_PLATFORM_IDENTITIES, Fleet, Guardrails } from '../src';

/** Configures the example fleet's guardrails. */
export function addExampleGuardrails(fleet: Fleet): Guardrails {
  return new Guardrails(fleet, 'guardrails', {
    maxScaleDownFraction: 0.5,
    maxSurgePercent: 50,
    maxCanaryPercent: 25,
    platformIdentities: [
      ...DEFAULT_PLATFORM_IDENTITIES,
      // the GitOps applier: its changes were checked (and overrides approved) at synth time
      'system:serviceaccount:argocd:argocd-application-controller',
    ],
  });
}
