/**
 * Checks of single prop values, shared by every layer's validate stage: pure
 * functions that say why a value is not acceptable (or undefined when it is),
 * for values a JavaScript caller may pass whatever their declared type.
 */

/** Longest excerpt of a string value shown in a message. */
const SHOWN_CHARACTERS = 40;

/** A short, readable rendering of any value for a message: `'abc'`, `-1`, `NaN`, `an object value`. @internal */
export function describeValue(raw: unknown): string {
  if (typeof raw === 'string') return `'${raw.length > SHOWN_CHARACTERS ? `${raw.slice(0, SHOWN_CHARACTERS)}…` : raw}'`;
  if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  return `${typeof raw === 'object' ? 'an' : 'a'} ${typeof raw} value`;
}

/**
 * Why `value` is not a whole number from `min` to `max`, or undefined when it
 * is. `what` names the value in the message (`'capacity'`).
 * @internal
 */
export function wholeNumberProblem(value: unknown, what: string, min: number, max: number): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `${what} is ${describeValue(value)}, not a whole number`;
  if (value < min) return `${what} is ${value}, below ${min}`;
  if (value > max) return `${what} is ${value}, above the largest accepted value ${max}`;
  return undefined;
}

/** True when `value` is a string. @internal */
export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** True when `value` is a plain record (an object that is not a list). @internal */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The type a prop must have at runtime: `string`, `number`, `boolean`,
 * `strings` (a list of strings), `string-map` (a map of strings to strings),
 * `object`, `list`, `number-or-string`; a trailing `?` makes it optional.
 * @internal
 */
export type PropType = 'string' | 'number' | 'boolean' | 'strings' | 'string-map' | 'object' | 'list' | 'number-or-string';

/** The runtime types of a props object's keys. @internal */
export type PropShape = Readonly<Record<string, PropType | `${PropType}?`>>;

function hasType(value: unknown, type: PropType): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    case 'strings': return Array.isArray(value) && value.every(isString);
    case 'string-map': return isRecord(value) && Object.values(value).every(isString);
    case 'object': return isRecord(value);
    case 'list': return Array.isArray(value);
    case 'number-or-string': return typeof value === 'number' || typeof value === 'string';
  }
}

const TYPE_NAMES: Record<PropType, string> = {
  'string': 'a string',
  'number': 'a number',
  'boolean': 'true or false',
  'strings': 'a list of strings',
  'string-map': 'a map of strings to strings',
  'object': 'an object',
  'list': 'a list',
  'number-or-string': 'a number or a string',
};

/**
 * One message per key of `props` whose value has not the type `shape` gives
 * it (`at` prefixes the key, e.g. `resources.`). A props value that is not an
 * object at all is one message.
 * @internal
 */
export function shapeProblems(props: unknown, shape: PropShape, at = ''): string[] {
  if (!isRecord(props)) return [`${at ? at.replace(/\.$/, '') : 'the props'} is ${describeValue(props)}, not an object`];
  const out: string[] = [];
  for (const [key, spec] of Object.entries(shape)) {
    const optional = spec.endsWith('?');
    const type = (optional ? spec.slice(0, -1) : spec) as PropType;
    const value = props[key];
    if (value === undefined && optional) continue;
    if (!hasType(value, type)) out.push(`${at}${key} is ${describeValue(value)}, not ${TYPE_NAMES[type]}`);
  }
  return out;
}
