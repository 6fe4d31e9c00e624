/**
 * Guardrails: the platform team's configuration of the API guardrails
 * (bounds, protection label, exemptions, exempt identities). Optional: a fleet
 * without one is guarded with the defaults.
 */
import { Construct } from 'constructs';
import { GuardrailConfig, GuardrailSettings, resolveGuardrailConfig } from './rules';
import type { FleetModel } from '../core/model';

/** Props of {@link Guardrails}: see {@link GuardrailSettings} for each bound and its default. */
export interface GuardrailsProps extends GuardrailSettings {}

/**
 * The fleet's guardrail configuration. Declare at most one, anywhere in the
 * fleet (conventionally `new Guardrails(fleet, 'guardrails', {...})`).
 */
export class Guardrails extends Construct {
  /** The props as given. */
  public readonly props: GuardrailsProps;
  /** The complete configuration (defaults applied). */
  public readonly config: GuardrailConfig;

  constructor(scope: Construct, id: string, props: GuardrailsProps = {}) {
    super(scope, id);
    this.props = props;
    this.config = resolveGuardrailConfig(props);
  }
}

/**
 * The fleet's guardrail configuration: the first declared {@link Guardrails}
 * construct's (a second one is reported by the guardrails layer), else the defaults.
 * @internal
 */
export function fleetGuardrailConfig(model: FleetModel): GuardrailConfig {
  return model.ofType(Guardrails)[0]?.config ?? resolveGuardrailConfig();
}
