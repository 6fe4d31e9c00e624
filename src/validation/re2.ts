/**
 * Regular expressions with the semantics the Kubernetes API server gives the
 * `pattern` of a CRD's schema: Go's RE2 (linear time, `(?i)` and the other
 * inline flags, no look-around or back-references), as found by Go's
 * `regexp.MatchString` (unanchored unless the pattern anchors itself).
 */
import type { RegExpEngine, RegExpLike } from 'ajv/dist/types';
import { RE2JS } from 're2js';

/** A compiled RE2 pattern, in the shape ajv calls. */
class Re2Pattern implements RegExpLike {
  private readonly re: RE2JS;

  constructor(private readonly source: string) {
    this.re = RE2JS.compile(source);
  }

  /** True when the pattern matches somewhere in `s` (Go's `MatchString`). */
  public test(s: string): boolean {
    return this.re.test(s);
  }

  /**
   * ajv caches compiled patterns by this text: it must name the pattern, or
   * every field would be checked against the first pattern seen.
   */
  public toString(): string {
    return `/${this.source}/re2`;
  }
}

/**
 * ajv's `code.regExp` engine evaluating patterns as RE2. Throws a SyntaxError
 * naming the pattern when it is not valid RE2 (as the API server rejects it).
 * @internal
 */
export const re2Engine: RegExpEngine = Object.assign(
  (pattern: string, _flags: string): RegExpLike => {
    try {
      return new Re2Pattern(pattern);
    } catch (e) {
      throw new SyntaxError(`pattern '${pattern}' is not a valid RE2 expression: ${(e as Error).message}`);
    }
  },
  // ajv embeds this only in standalone validation code, which is not generated here
  { code: 'require("re2js").RE2JS.compile' },
);
