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
 */
import { emitYaml } from './yaml-emitter';

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

/** Splits a mapping entry `key: rest` (rest without the separator's space); undefined when `s` is not one. */
function splitKey(s: string): [string, string] | undefined {
  const c = s.charCodeAt(0);
  if (c === 34 || c === 39) {
    const m = c === 34 ? /^"(?:[^"\\]|\\.)*"/.exec(s) : /^'[^']*'/.exec(s);
    if (!m || s.charCodeAt(m[0].length) !== 58 /* : */) return undefined;
    const key = inlineScalar(m[0]);
    if (typeof key !== 'string') throw new NotEmitted();
    return [key, s.slice(m[0].length + 1)];
  }
  if (c === 63 /* ? */ && s.startsWith('? ')) throw new NotEmitted(); // explicit keys: left to the yaml package
  const sep = s.indexOf(': ');
  if (sep > 0) return [s.slice(0, sep), s.slice(sep + 1)];
  if (s.endsWith(':')) return [s.slice(0, -1), ''];
  return undefined;
}

function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 32) n++;
  return n;
}

class Reader {
  private i = 0;
  constructor(private readonly lines: string[]) {}

  public document(): unknown {
    const v = this.block(0);
    if (this.i !== this.lines.length) throw new NotEmitted();
    return v;
  }

  /** A block collection whose first line is at indentation `n`. */
  private block(n: number): unknown {
    const line = this.lines[this.i];
    if (line === undefined || indentOf(line) !== n) throw new NotEmitted();
    return line.charCodeAt(n) === 45 /* - */ && (line.length === n + 1 || line.charCodeAt(n + 1) === 32) ? this.sequence(n) : this.mapping(n);
  }

  private sequence(n: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const line = this.lines[this.i];
      if (line === undefined || indentOf(line) !== n || line.charCodeAt(n) !== 45 || line.charCodeAt(n + 1) !== 32) return out;
      const content = line.slice(n + 2);
      const c = content.charCodeAt(0);
      const nestedSeq = c === 45 && (content.length === 1 || content.charCodeAt(1) === 32);
      if (nestedSeq || (c !== 124 /* | */ && splitKey(content) !== undefined)) {
        // `- key: v` / `- - x`: the item's collection starts on this line, two columns in
        this.lines[this.i] = `${' '.repeat(n + 2)}${content}`;
        out.push(this.block(n + 2));
      } else {
        this.i++;
        out.push(this.value(content, n + 2));
      }
    }
  }

  private mapping(n: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const line = this.lines[this.i];
      if (line === undefined || indentOf(line) !== n) return out;
      const entry = splitKey(line.slice(n));
      if (!entry) throw new NotEmitted();
      const [key, rest] = entry;
      if (key === '__proto__' || Object.prototype.hasOwnProperty.call(out, key)) throw new NotEmitted();
      this.i++;
      if (rest === '') {
        out[key] = this.block(n + 2);
      } else {
        if (rest.charCodeAt(0) !== 32) throw new NotEmitted();
        out[key] = this.value(rest.slice(1), n + 2);
      }
    }
  }

  /** A value written after its indicator (`[]`, `{}`, a literal block, a scalar); a literal block's lines at `blockIndent`. */
  private value(s: string, blockIndent: number): unknown {
    if (s === '[]') return [];
    if (s === '{}') return {};
    if (s === '|' || s === '|-') {
      const pad = ' '.repeat(blockIndent);
      const body: string[] = [];
      while (this.i < this.lines.length) {
        const l = this.lines[this.i];
        if (l === '') body.push('');
        else if (l.startsWith(pad)) body.push(l.slice(blockIndent));
        else break;
        this.i++;
      }
      return body.join('\n') + (s === '|' ? '\n' : '');
    }
    if (s.charCodeAt(0) === 124) throw new NotEmitted(); // |+ and other block styles: left to the yaml package
    return inlineScalar(s);
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
  return emitYaml(value) === text ? value : undefined;
}
