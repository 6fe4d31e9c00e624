/**
 * A fast reader for the YAML the library's own emitter writes
 * ({@link emitYaml}): block mappings and sequences at two-space steps, plain,
 * quoted and literal scalars, one document. Reading an output back (`plan`,
 * `diff`, `synth --check`) parses tens of thousands of such files; the `yaml`
 * package's general parser is most of their time.
 *
 * It is exact or it declines: {@link readEmittedYaml} returns a value only
 * when emitting that value gives the text back byte for byte, and since the
 * emitter's text reads back as the value it was written from (tested with
 * arbitrary input), the value is the one any YAML reader gets. Anything else
 * (a file edited by hand, another writer's YAML, several documents) returns
 * undefined, and the caller parses it with the `yaml` package.
 *
 * It checks that as it reads, piece by piece, rather than by emitting the
 * value again and comparing (which cost as much as the reading): every key
 * and scalar must be the text the emitter writes for it ({@link keyText},
 * {@link scalarText}), collections must have the emitter's layout (two-space
 * steps, a non-empty block collection after `key:`, `[]` and `{}` for empty
 * ones), and a mapping's keys must keep their order as a JavaScript object
 * (which puts integer-like keys first). Together these give the emitter's
 * text back, line by line (tested against emitting it again).
 */
import { keyText, scalarText } from './yaml-emitter';

/** Thrown inside the reader when the text is not in the emitter's shape. */
class NotEmitted extends Error {}

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[-+][0-9]+)?$/;

function plainScalar(s: string): unknown {
  if (s === 'null') return null;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === '.nan') return NaN;
  if (s === '.inf') return Infinity;
  if (s === '-.inf') return -Infinity;
  if (NUMBER.test(s)) return Number(s);
  return s;
}

/** A scalar written on one line: plain, single- or double-quoted. */
function inlineScalar(s: string): unknown {
  const c = s.charCodeAt(0);
  if (c === 34 /* " */) {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      throw new NotEmitted();
    }
  }
  if (c === 39 /* ' */) {
    if (s.length < 2 || s.charCodeAt(s.length - 1) !== 39 || s.slice(1, -1).includes("'")) throw new NotEmitted();
    return s.slice(1, -1);
  }
  return plainScalar(s);
}

const DOUBLE_QUOTED = /"(?:[^"\\]|\\.)*"/y;
const SINGLE_QUOTED = /'[^']*'/y;

/** A key a JavaScript object orders before the others, ascending (an array index: 0 to 2^32 - 2). */
function arrayIndexOf(key: string): number | undefined {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57 || !/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
  const n = Number(key);
  return n < 4294967295 ? n : undefined;
}

function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 32) n++;
  return n;
}

class Reader {
  private i = 0;
  /** The line whose content starts after a sequence item's dash (`- key: v`, `- - x`), read as if indented to {@link itemCol}. */
  private itemLine = -1;
  private itemCol = 0;
  /** The last mapping entry found by {@link entryAt}: its key, the key's text, and where the rest of the line starts (after the colon). */
  private key = '';
  private keyText = '';
  private restAt = 0;

  constructor(private readonly lines: string[]) {}

  public document(): unknown {
    const v = this.block(0);
    if (this.i !== this.lines.length) throw new NotEmitted();
    return v;
  }

  private indentOf(line: string): number {
    return this.itemLine === this.i ? this.itemCol : indentOf(line);
  }

  /**
   * Finds a mapping entry `key: rest` or `key:` starting at column `at` of a
   * line; false when the text there is not one.
   */
  private entryAt(line: string, at: number): boolean {
    const c = line.charCodeAt(at);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const re = c === 34 ? DOUBLE_QUOTED : SINGLE_QUOTED;
      re.lastIndex = at;
      const m = re.exec(line);
      if (!m || line.charCodeAt(at + m[0].length) !== 58 /* : */) return false;
      const key = inlineScalar(m[0]);
      if (typeof key !== 'string') throw new NotEmitted();
      this.key = key;
      this.keyText = m[0];
      this.restAt = at + m[0].length + 1;
      return true;
    }
    if (c === 63 /* ? */ && line.charCodeAt(at + 1) === 32) throw new NotEmitted(); // explicit keys: left to the yaml package
    const sep = line.indexOf(': ', at);
    if (sep > at) {
      this.key = this.keyText = line.slice(at, sep);
      this.restAt = sep + 1;
      return true;
    }
    if (line.length > at && line.charCodeAt(line.length - 1) === 58) {
      this.key = this.keyText = line.slice(at, -1);
      this.restAt = line.length;
      return true;
    }
    return false;
  }

  /** A block collection whose first line is at indentation `n`. */
  private block(n: number): unknown {
    const line = this.lines[this.i];
    if (line === undefined || this.indentOf(line) !== n) throw new NotEmitted();
    return line.charCodeAt(n) === 45 /* - */ && (line.length === n + 1 || line.charCodeAt(n + 1) === 32) ? this.sequence(n) : this.mapping(n);
  }

  private sequence(n: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const line = this.lines[this.i];
      if (line === undefined || this.indentOf(line) !== n || line.charCodeAt(n) !== 45 || line.charCodeAt(n + 1) !== 32) {
        // the emitter writes an empty sequence as `[]`
        if (out.length === 0) throw new NotEmitted();
        return out;
      }
      const at = n + 2;
      const c = line.charCodeAt(at);
      const nestedSeq = c === 45 && (line.length === at + 1 || line.charCodeAt(at + 1) === 32);
      if (nestedSeq || (c !== 124 /* | */ && this.entryAt(line, at))) {
        // `- key: v` / `- - x`: the item's collection starts on this line, two columns in
        this.itemLine = this.i;
        this.itemCol = at;
        out.push(this.block(at));
      } else {
        this.i++;
        out.push(this.value(line.slice(at), at));
      }
    }
  }

  private mapping(n: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    // an object puts array-index keys first, ascending: the text must have them so to be written back in its order
    let lastIndex = -1;
    let named = false;
    for (;;) {
      const line = this.lines[this.i];
      if (line === undefined || this.indentOf(line) !== n) return out;
      if (!this.entryAt(line, n)) throw new NotEmitted();
      const { key, restAt } = this;
      if (keyText(key) !== this.keyText || key === '__proto__' || Object.prototype.hasOwnProperty.call(out, key)) throw new NotEmitted();
      const index = arrayIndexOf(key);
      if (index === undefined) named = true;
      else if (named || index < lastIndex) throw new NotEmitted();
      else lastIndex = index;
      this.i++;
      if (restAt === line.length) {
        out[key] = this.block(n + 2);
      } else {
        if (line.charCodeAt(restAt) !== 32) throw new NotEmitted();
        out[key] = this.value(line.slice(restAt + 1), n + 2);
      }
    }
  }

  /**
   * A value written after its indicator (`[]`, `{}`, a literal block, a
   * scalar) in a collection at `blockIndent` - 2 spaces; a literal block's
   * lines at `blockIndent`.
   */
  private value(s: string, blockIndent: number): unknown {
    if (s === '[]') return [];
    if (s === '{}') return {};
    if (s === '|' || s === '|-') {
      const pad = ' '.repeat(blockIndent);
      const start = this.i;
      const body: string[] = [];
      while (this.i < this.lines.length) {
        const l = this.lines[this.i];
        if (l === '') body.push('');
        else if (l.startsWith(pad)) body.push(l.slice(blockIndent));
        else break;
        this.i++;
      }
      const v = body.join('\n') + (s === '|' ? '\n' : '');
      if (scalarText(v, blockIndent - 2) !== [s, ...this.lines.slice(start, this.i)].join('\n')) throw new NotEmitted();
      return v;
    }
    if (s.charCodeAt(0) === 124) throw new NotEmitted(); // |+ and other block styles: left to the yaml package
    const v = inlineScalar(s) as string | number | boolean | null;
    if (scalarText(v, blockIndent - 2) !== s) throw new NotEmitted();
    return v;
  }
}

/**
 * The value of a YAML text the library's emitter wrote, or undefined when the
 * text is not exactly what the emitter writes for some value.
 * @internal
 */
export function readEmittedYaml(text: string): unknown {
  if (!text.endsWith('\n') || text.includes('\r')) return undefined;
  let value: unknown;
  try {
    value = new Reader(text.slice(0, -1).split('\n')).document();
  } catch (e) {
    if (e instanceof NotEmitted) return undefined;
    throw e;
  }
  return value;
}
