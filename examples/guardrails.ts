/**
 * The example fleet's guardrails: the platform team's bounds, and the
 * identities exempt from the in-cluster policies, and one recorded exemption.
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
    exemptions: [
      // feed's stable track follows its traffic forecast, which may halve it overnight
      { rule: 'scale-down', target: 'lva1-prod-1/feed/feed', reason: 'follows the traffic forecast, which may halve it overnight; agreed with the feed team 2026-11' },
    ],
  });
}
