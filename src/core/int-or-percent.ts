/**
 * Kubernetes int-or-string percentages (`maxSurge`, `maxUnavailable`), read the
 * way Kubernetes reads them: a string is valid when it matches `^[0-9]+%$`
 * (apimachinery's `IsValidPercent`, which workload validation applies) and its
 * value is the decimal number before the `%` (`strconv.Atoi` in
 * `GetScaledValueFromIntOrPercent`), so leading zeros are allowed: `'050%'` is
 * 50, `'0%'` and `'000%'` are 0. Signs are not valid percentages (`'+5%'`,
 * `'-5%'`). Pure functions; the in-cluster policies use {@link percentAtMostPattern},
 * which accepts exactly the strings this parser reads as at most a bound.
 */

/** The format of a valid percentage string, as Kubernetes validates it. @internal */
export const PERCENT_FORMAT = /^([0-9]+)%$/;

/** The value of a percentage string (`'050%'` → 50), or undefined when it is not a valid percentage. @internal */
export function parseKubePercent(s: string): number | undefined {
  const m = PERCENT_FORMAT.exec(s);
  if (!m) return undefined;
  const digits = m[1].replace(/^0+(?=[0-9])/, '');
  // beyond 15 significant digits the value is above any bound; keep it an exact integer
  return digits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(digits);
}

/**
 * An RE2 pattern (also a JavaScript one) matching exactly the percentage
 * strings whose value is at most `bound` (a whole number, 0 or more), leading
 * zeros included: for 50, `'0%'`, `'050%'` and `'50%'` match, `'51%'`,
 * `'+5%'` and `'5'` do not.
 * @internal
 */
export function percentAtMostPattern(bound: number): string {
  if (!Number.isInteger(bound) || bound < 0) throw new Error(`bound ${bound} is not a whole number, 0 or more`);
  const values = Array.from({ length: bound + 1 }, (_, i) => String(bound - i));
  return `^0*(?:${values.join('|')})%$`;
}
