/**
 * A real CEL engine (@marcbachmann/cel-js) set up with Kubernetes semantics:
 * JSON integers become CEL `int` (BigInt), and the Kubernetes list library's
 * `sum()` is available, as in the API server's CEL environment.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cel = require('@marcbachmann/cel-js') as typeof import('@marcbachmann/cel-js');

/** Converts JSON to CEL values as Kubernetes does: integers are `int` (BigInt), other numbers `double`. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

/** A CEL environment with Kubernetes' extra list functions and dynamic variables. */
export function kubernetesCelEnvironment() {
  return new cel.Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
    .registerFunction('list<int>.sum(): int', (l: bigint[]) => l.reduce((a, b) => a + b, 0n))
    .registerFunction('list<double>.sum(): double', (l: number[]) => l.reduce((a, b) => a + b, 0));
}

const env = kubernetesCelEnvironment();

/** Evaluates a CEL expression with the given variables (converted with {@link toCel}). */
export function evaluateCel(expression: string, variables: Record<string, unknown>): unknown {
  return env.evaluate(expression, toCel(variables) as Record<string, unknown>);
}

/** Evaluates a CRD `x-kubernetes-validations` rule against `self`. */
export function celRuleEvaluator(rule: string, self: unknown): boolean {
  return evaluateCel(rule, { self }) === true;
}
