/**
 * A small, deterministic YAML emitter for JSON data (what Kubernetes objects
 * are): block mappings and sequences, two-space indentation, keys in insertion
 * order, no anchors, no line folding.
 *
 * It writes the same text as `yaml`'s `stringify` (with lineWidth 0) for the
 * usual content of manifests, about ten times faster, and is correct for any
 * JSON value: `parse(emitYaml(x))` deep-equals `x` (tested with arbitrary
 * input). Strings are plain when no YAML reader can take them for anything
 * else — neither YAML 1.2 (the `yaml` package, go-yaml v3) nor YAML 1.1
 * (go-yaml v2, which kubectl uses: `yes`, `on`, `0777`, `1_000`, `1:20` are not
 * strings there) — otherwise quoted; multi-line strings are literal blocks.
 */

const INDENT = '  ';

/** Characters that only a double-quoted scalar can carry (as escapes). */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/u;
const ESCAPE_EXTRA = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/** The common case, decided with one test: a word that starts with a letter, `_` or `/`. */
const SIMPLE_PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
/** Words YAML 1.1 or 1.2 read as null or booleans (or merge/value keys). */
const RESERVED_WORDS = new Set([
  '~', 'null', 'Null', 'NULL',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO',
  'on', 'On', 'ON', 'off', 'Off', 'OFF',
  '=', '<<',
]);
/** Numbers and timestamps of YAML 1.1 and 1.2 (decimal, `_` separators, binary, octal, hex, base 60, inf, nan, dates). */
const NUMBER_LIKE = [
  /^[-+]?(\.[0-9_]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/,
  /^[-+]?0(b[01_]+|o[0-7_]+|x[0-9a-fA-F_]+)$/,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  /^[-+]?\.(inf|Inf|INF)$/,
  /^\.(nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
];
/** {@link NUMBER_LIKE} as one pattern: one test instead of six. */
const ANY_NUMBER_LIKE = new RegExp(NUMBER_LIKE.map(re => `(?:${re.source})`).join('|'));
/**
 * What a plain scalar cannot look like: an indicator first, a lone `-`/`?` or
 * one followed by a space, `: ` or ` #` inside, a trailing `:`, tabs, line breaks,
 * leading or trailing white space.
 */
const NOT_PLAIN = /^[\s,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-]\s|:\s|\s#|:$|[\t\n\r]|\s$|^---|^\.\.\./;

/** True when `s` can be written as a plain scalar and read back as the same string. */
function isPlainSafe(s: string): boolean {
  if (SIMPLE_PLAIN.test(s)) return !RESERVED_WORDS.has(s);
  if (s === '' || NOT_PLAIN.test(s) || NEEDS_ESCAPE.test(s) || RESERVED_WORDS.has(s)) return false;
  return !mayReadAsNumber(s);
}

/** True when `s` reads as a number or timestamp in YAML 1.1 or 1.2; each of {@link NUMBER_LIKE} starts with a sign, a digit or a dot. */
function mayReadAsNumber(s: string): boolean {
  const c = s.charCodeAt(0);
  return ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) && ANY_NUMBER_LIKE.test(s);
}

/** A double-quoted scalar (JSON's escapes are YAML escapes; the rest of YAML's non-printables are escaped too). */
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(ESCAPE_EXTRA, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A quoted scalar on one line: single quotes when that avoids escaping `"` (as `yaml` does), else double. */
function quoted(s: string): string {
  if (s.includes('"') && !s.includes("'") && !s.includes('\n') && !s.includes('\t') && !NEEDS_ESCAPE.test(s)) return `'${s}'`;
  return doubleQuoted(s);
}

/** A string on one line (map key, or a value that is not a literal block). */
function inlineString(s: string): string {
  return isPlainSafe(s) ? s : quoted(s);
}

/**
 * A multi-line string as a literal block (`|`, `|-` or `|+` after the key),
 * or undefined when only a double-quoted scalar can carry it exactly.
 */
function literalBlock(s: string, indent: string): string | undefined {
  if (NEEDS_ESCAPE.test(s) || s.includes('\r')) return undefined;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 10) end--;
  const body = s.slice(0, end);
  const lines = body.split('\n');
  const first = lines.find(l => l.length > 0);
  // the first non-empty line fixes the block's indentation: it must start with content
  if (first === undefined || /^\s/.test(first)) return undefined;
  const trailing = s.length - end;
  const chomp = trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+';
  let out = chomp;
  for (const line of lines) out += line.length > 0 ? `\n${indent}${line}` : '\n';
  for (let i = 1; i < trailing; i++) out += '\n';
  return out;
}

function scalar(v: unknown): string {
  switch (typeof v) {
    case 'string': return inlineString(v);
    case 'number':
      if (Number.isNaN(v)) return '.nan';
      if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
      return Object.is(v, -0) ? '-0' : String(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v.toString();
    default: return 'null';
  }
}

/**
 * The text the emitter writes for a mapping key, or undefined when it writes
 * the key in the explicit form (`? key`), which the fast reader declines.
 * @internal
 */
export function keyText(key: string): string | undefined {
  if (key.length > 1000) return undefined;
  return key.includes('\n') ? doubleQuoted(key) : inlineString(key);
}

/**
 * The text the emitter writes after a key's or a sequence dash's space for a
 * scalar (a string, number, boolean or null) of a collection at `indent`
 * spaces: the scalar on one line, or a literal block whose lines are at
 * `indent` + 2 spaces.
 * @internal
 */
export function scalarText(v: string | number | boolean | null, indent: number): string {
  return scalarAfterIndicator(v, ' '.repeat(indent));
}

/** What {@link scalarText} says, for a collection whose indentation is the string `indent`. */
function scalarAfterIndicator(v: unknown, indent: string): string {
  if (typeof v === 'string' && v.includes('\n')) return literalBlock(v, indent + INDENT) ?? doubleQuoted(v);
  return scalar(v);
}

/** JSON's view of a value: `toJSON()` applied; functions and symbols are absent. */
function jsonValue(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON(): unknown }).toJSON();
  }
  return v;
}

function isAbsent(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/**
 * Where a document is written: one string, grown by concatenation and made
 * flat once it is complete (see {@link flatten}).
 */
interface Out {
  s: string;
}

/**
 * Writes what follows `key:` or `-` for a value at `indent`: ` scalar`, ` {}`
 * or ` []`, a literal block, or the nested block collection on the next lines.
 * With `inline`, a nested collection starts on the current line instead (after
 * a sequence's dash: `- key: v`, `- - x`).
 */
function afterIndicator(out: Out, v: unknown, indent: string, inline = false): void {
  if (v !== null && typeof v === 'object') {
    const nested = indent + INDENT;
    if (Array.isArray(v)) {
      if (v.length === 0) out.s += ' []';
      else sequence(out, v, nested, inline ? ' ' : `\n${nested}`);
      return;
    }
    if (!hasEntries(v as Record<string, unknown>)) out.s += ' {}';
    else mapping(out, v as Record<string, unknown>, nested, inline ? ' ' : `\n${nested}`);
    return;
  }
  out.s += ' ' + scalarAfterIndicator(v, indent);
}

/** True when a mapping writes at least one key. */
function hasEntries(m: Record<string, unknown>): boolean {
  for (const key of Object.keys(m)) if (!isAbsent(jsonValue(m[key]))) return true;
  return false;
}

/**
 * A block mapping at `indent` with at least one key, one line per key; `first`
 * is what comes before the first key (a newline and the indentation, or the
 * rest of a sequence item's line).
 */
function mapping(out: Out, m: Record<string, unknown>, indent: string, first: string): void {
  let lead = first;
  for (const key of Object.keys(m)) {
    const v = jsonValue(m[key]);
    if (isAbsent(v)) continue;
    out.s += lead;
    lead = `\n${indent}`;
    const text = keyText(key);
    if (text === undefined) {
      // implicit keys are limited to 1024 characters: use an explicit key
      out.s += '? ' + doubleQuoted(key) + lead + ':';
    } else {
      out.s += text + ':';
    }
    afterIndicator(out, v, indent);
  }
}

/** A block sequence at `indent` with at least one item; `first` as for {@link mapping}. */
function sequence(out: Out, items: readonly unknown[], indent: string, first: string): void {
  for (let i = 0; i < items.length; i++) {
    let v = jsonValue(items[i]);
    if (isAbsent(v)) v = null;
    out.s += (i === 0 ? first : `\n${indent}`) + '-';
    afterIndicator(out, v, indent, true);
  }
}

/**
 * Serializes one JSON value as a YAML document (ending with a newline),
 * deterministically: keys keep their insertion order.
 * @internal
 */
export function emitYaml(doc: unknown): string {
  const v = jsonValue(doc);
  if (v !== null && typeof v === 'object') {
    const out: Out = { s: '' };
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]\n';
      sequence(out, v, '', '');
    } else {
      if (!hasEntries(v as Record<string, unknown>)) return '{}\n';
      mapping(out, v as Record<string, unknown>, '', '');
    }
    out.s += '\n';
    const r = out.s;
    flatten(r);
    return r;
  }
  if (typeof v === 'string' && v.includes('\n')) return `${literalBlock(v, INDENT) ?? doubleQuoted(v)}\n`;
  return `${isAbsent(v) ? 'null' : scalar(v)}\n`;
}

/**
 * Makes V8 store a string built by concatenation as one flat string; reading
 * it as a number does that. Unflattened, a document is a tree of pieces that
 * takes about four times its length in memory until it is written out, and a
 * fleet holds tens of thousands of documents at once.
 */
function flatten(s: string): void {
  // eslint-disable-next-line no-bitwise
  (s as unknown as number) | 0;
}
