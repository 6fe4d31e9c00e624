export * from './rules';
export * from './guardrails';
export * from './workload-objects';
export * from './state';
export * from './checks';
export * from './admission';
export { guardrailsLayer, guardrailsOf } from './layer';
