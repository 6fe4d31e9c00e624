/**
 * The fleet's layers, bottom up. The pipeline runs each stage over all layers
 * in this order.
 */
import { AnyLayer } from './layer';
import { clustersLayer } from '../clusters/layer';
import { controlPlaneLayer } from '../control-plane/layer';
import { guardrailsLayer } from '../guardrails/layer';
import { machinesLayer } from '../machines/layer';
import { tenancyLayer } from '../tenancy/layer';
import { workloadsLayer } from '../workloads/layer';

/** Every layer of the platform, bottom up. @internal */
export const FLEET_LAYERS: readonly AnyLayer[] = [
  machinesLayer,
  clustersLayer,
  controlPlaneLayer,
  tenancyLayer,
  workloadsLayer,
  guardrailsLayer,
];
