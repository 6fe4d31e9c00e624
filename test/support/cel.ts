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

/**
 * A Kubernetes resource quantity as an exact fraction (`num / den`, BigInt),
 * parsed by the grammar of k8s.io/apimachinery's resource.Quantity: an
 * optionally signed decimal number, then a binary SI suffix (Ki…Ei), a decimal
 * SI suffix (n, u, m, none, k, M, G, T, P, E) or a decimal exponent (e/E and a
 * signed integer). What the quantity library of the API server's CEL
 * environment (Kubernetes 1.29+) compares.
 */
export class Quantity {
  /** Parses a quantity string; throws on one Kubernetes rejects. */
  static parse(s: string): Quantity {
    const m = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(s);
    if (!m || s.length === 0) throw new Error(`quantities must match the regular expression of a Kubernetes quantity: '${s}'`);
    const [, sign, number, suffix = ''] = m;
    const [whole, frac = ''] = number.split('.');
    let num = BigInt((whole || '0') + frac);
    let den = 10n ** BigInt(frac.length);
    const binary: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
    const decimal: Record<string, number> = { 'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };
    let exp10 = 0;
    if (suffix in binary) num *= 2n ** BigInt(binary[suffix]);
    else if (suffix in decimal) exp10 = decimal[suffix];
    else exp10 = Number(suffix.slice(1));
    if (exp10 >= 0) num *= 10n ** BigInt(exp10);
    else den *= 10n ** BigInt(-exp10);
    return new Quantity(sign === '-' ? -num : num, den);
  }

  private constructor(readonly num: bigint, readonly den: bigint) {}

  /** -1, 0 or 1 as this is smaller, equal or larger than `o`. */
  compareTo(o: Quantity): number {
    const a = this.num * o.den;
    const b = o.num * this.den;
    return a < b ? -1 : a > b ? 1 : 0;
  }
}

/** Options of {@link kubernetesCelEnvironment}. */
export interface KubernetesCelOptions {
  /** The quantity library (`quantity()`, `isQuantity()`, comparisons), served from Kubernetes 1.29. @default true */
  readonly quantities?: boolean;
}

/** A CEL environment with Kubernetes' extra list functions, the quantity library (1.29+) and dynamic variables. */
export function kubernetesCelEnvironment(options: KubernetesCelOptions = {}) {
  const env = new cel.Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
    .registerFunction('list<int>.sum(): int', (l: bigint[]) => l.reduce((a, b) => a + b, 0n))
    .registerFunction('list<double>.sum(): double', (l: number[]) => l.reduce((a, b) => a + b, 0));
  if (options.quantities === false) return env;
  return env
    .registerType('Quantity', Quantity)
    .registerFunction('quantity(string): Quantity', (s: string) => Quantity.parse(s))
    .registerFunction('isQuantity(string): bool', (s: string) => {
      try {
        Quantity.parse(s);
        return true;
      } catch {
        return false;
      }
    })
    .registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0)
    .registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) > 0)
    .registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => BigInt(a.compareTo(b)))
    .registerFunction('Quantity.sign(): int', (a: Quantity) => BigInt(a.num < 0n ? -1 : a.num > 0n ? 1 : 0));
}

const env = kubernetesCelEnvironment();
const envWithoutQuantities = kubernetesCelEnvironment({ quantities: false });

/**
 * Evaluates a CEL expression with the given variables (converted with
 * {@link toCel}); `quantities: false` evaluates it as Kubernetes 1.28 does,
 * without the quantity library.
 */
export function evaluateCel(expression: string, variables: Record<string, unknown>, options: KubernetesCelOptions = {}): unknown {
  return (options.quantities === false ? envWithoutQuantities : env).evaluate(expression, toCel(variables) as Record<string, unknown>);
}

/** Evaluates a CRD `x-kubernetes-validations` rule against `self`. */
export function celRuleEvaluator(rule: string, self: unknown): boolean {
  return evaluateCel(rule, { self }) === true;
}
