/**
 * The fleet's layers, bottom up. The pipeline runs each stage over all layers
 * in this order.
 */
import { AnyLayer } from './layer';
import { SYNTH_RULES } from './rule-catalogue';
import { clustersLayer } from '../clusters/layer';
import { CLUSTERS_RULES } from '../clusters/rule-catalogue';
import { controlPlaneLayer } from '../control-plane/layer';
import { CONTROL_PLANE_RULES } from '../control-plane/rule-catalogue';
import { RuleCatalogue } from '../core/rules';
import { guardrailsLayer } from '../guardrails/layer';
import { guardrailPolicyLayer } from '../guardrails/policy';
import { GUARDRAILS_RULES } from '../guardrails/rule-catalogue';
import { jobsLayer } from '../jobs/layer';
import { JOBS_RULES } from '../jobs/rule-catalogue';
import { machinesLayer } from '../machines/layer';
import { MACHINES_RULES } from '../machines/rule-catalogue';
import { maintenanceLayer } from '../maintenance/layer';
import { MAINTENANCE_RULES } from '../maintenance/rule-catalogue';
import { tenancyLayer } from '../tenancy/layer';
import { TENANCY_RULES } from '../tenancy/rule-catalogue';
import { workloadsLayer } from '../workloads/layer';
import { WORKLOADS_RULES } from '../workloads/rule-catalogue';

/**
 * Every layer of the platform, bottom up. The guardrails' policy comes first:
 * every layer above obeys the rules it publishes (`spec.guardrails`).
 * @internal
 */
export const FLEET_LAYERS: readonly AnyLayer[] = [
  guardrailPolicyLayer,
  machinesLayer,
  clustersLayer,
  controlPlaneLayer,
  tenancyLayer,
  workloadsLayer,
  jobsLayer,
  maintenanceLayer,
  guardrailsLayer,
];

/**
 * Every rule catalogue: each layer's, bottom up, then the synth's own. The
 * docs' rule tables are generated from them; importing them here, where the
 * layers are wired, also puts every catalogue's rule ids in every program that
 * builds a fleet.
 * @internal
 */
export const FLEET_RULE_CATALOGUES: readonly RuleCatalogue[] = [
  MACHINES_RULES,
  CLUSTERS_RULES,
  CONTROL_PLANE_RULES,
  TENANCY_RULES,
  WORKLOADS_RULES,
  JOBS_RULES,
  MAINTENANCE_RULES,
  GUARDRAILS_RULES,
  SYNTH_RULES,
];
