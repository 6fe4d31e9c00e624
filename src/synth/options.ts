/**
 * The options of one synth: a leaf module, read by the model every layer sees
 * and by the fleet's synth entry points.
 */

/**
 * Options of one synth, for the GitOps pipeline. Each option given here wins
 * over its environment variable (which the `cdk8s-fleet` CLI sets from its
 * flags and its own environment); overrides from both are merged.
 */
export interface SynthOptions {
  /**
   * The previous synthesized output (the output directory as committed in the
   * GitOps repo) the change-aware guardrails compare with, and whose placement
   * record the tenancy layer honours. A directory named here must exist.
   * @default - env CDK8S_FLEET_PREVIOUS; else, for `synth()`, the output
   * directory it replaces (`fleetOutdir`), when that holds anything (a first
   * synth into an empty or missing directory says there was nothing to compare
   * with); for `synthesize()`, none
   */
  readonly previousOutdir?: string;
  /**
   * Skip the change-aware guardrails (scale-down, protected deletes, namespace
   * moves) explicitly: unsafe, and said so on stderr by `synth()`.
   * @default - env CDK8S_FLEET_NO_PREVIOUS (`1`/`true`), else false
   */
  readonly noPrevious?: boolean;
  /**
   * Explicit overrides this change carries, each `<rule>:<target>` (e.g.
   * `scale-down:lva1-prod-1/feed/feed-api`, `namespace-move:feed`); every
   * guardrail or tenancy error that an override allows names it in its fix.
   * Merged with env CDK8S_FLEET_OVERRIDES (comma-separated): both apply.
   * @default - none beyond env CDK8S_FLEET_OVERRIDES
   */
  readonly overrides?: readonly string[];
}
