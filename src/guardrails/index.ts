export * from './rules';
export * from './guardrails';
export * from './workload-objects';
export * from './state';
export * from './checks';
export * from './admission';
export { guardrailsLayer } from './layer';
export { GuardrailPolicy, guardrailPolicyLayer } from './policy';
