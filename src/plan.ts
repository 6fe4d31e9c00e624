/**
 * The fleet's resolved specs and plan: every layer's slots, merged bottom up
 * by the pipeline. Each layer declares its own slots in its folder's
 * `slots.ts` and reads only the slots of the layers below it; only the
 * pipeline and the tools above it (CLI, `SynthResult`) see the whole.
 */
import { GuardrailsStack } from './guardrails/slots';

/** Decisions of one synth, by layer: `clusters` (pools, capacity), `controlPlane`, `tenancy` (placement). */
export type FleetPlan = GuardrailsStack['plan'];

/** The resolved specs of one synth, by layer. */
export type FleetSpec = GuardrailsStack['spec'];
