/**
 * Time props: a cdk8s `Duration` beside the number prop in a fixed unit that
 * came first (`minReady` beside `minReadySeconds`). Either may be given, not
 * both; read sites take the value in the number prop's unit with
 * {@link timeIn}, and the validate stage checks each pair with
 * {@link timeProblems}.
 */
import { Duration } from 'cdk8s';
import { describeValue, isRecord } from './checks';

/** The unit of a time prop's number form. @internal */
export type TimeUnit = 'milliseconds' | 'seconds' | 'hours' | 'days';

/** The amount of a Duration in a unit (fractional when it is not a whole number of the unit). @internal */
export function durationIn(d: Duration, unit: TimeUnit): number {
  const any = { integral: false };
  switch (unit) {
    case 'milliseconds': return d.toMilliseconds(any);
    case 'seconds': return d.toSeconds(any);
    case 'hours': return d.toHours(any);
    case 'days': return d.toDays(any);
  }
}

/**
 * A time prop's value in the unit of its number form: the Duration's, when
 * one is given, else the number prop as given (undefined when neither is).
 * @internal
 */
export function timeIn<T>(unit: TimeUnit, duration: Duration | undefined, given: T): number | T {
  const d: unknown = duration;
  return d instanceof Duration ? durationIn(d, unit) : given;
}

/** One Duration prop, the number prop beside it and the unit they share. @internal */
export interface TimeProp {
  /** The Duration prop's name in messages (`minReady`, `probes.readiness.period`). */
  readonly name: string;
  /** Its value as given. */
  readonly duration: unknown;
  /** The number prop's name in messages (`minReadySeconds`). */
  readonly numberName: string;
  /** Its value as given. */
  readonly number: unknown;
  /** The number prop's unit. */
  readonly unit: TimeUnit;
  /** The value must be a whole number of the unit (Kubernetes and etcd take whole seconds, hours, days). */
  readonly whole: boolean;
}

/**
 * The time prop `key` of a props object (anything a JavaScript caller passed)
 * and its number prop `numberKey`, named `<at><key>` in messages.
 * @internal
 */
export function timeProp(at: string, props: unknown, key: string, numberKey: string, unit: TimeUnit, whole = true): TimeProp {
  const p: Record<string, unknown> = isRecord(props) ? props : {};
  return { name: `${at}${key}`, duration: p[key], numberName: `${at}${numberKey}`, number: p[numberKey], unit, whole };
}

/** What is wrong with a time prop, and how to fix it. @internal */
export interface TimeProblem {
  /** What is wrong, with the offending value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

const EXAMPLE: Record<TimeUnit, string> = {
  milliseconds: 'Duration.millis(100)',
  seconds: 'Duration.seconds(30)',
  hours: 'Duration.hours(24)',
  days: 'Duration.days(30)',
};

/**
 * Why time props are not acceptable: a Duration prop given something that is
 * not a Duration, given beside its number prop, or not a whole number of the
 * unit the output takes. The number props' own bounds are checked on the value
 * {@link timeIn} gives, with the rest of their construct's props.
 * @internal
 */
export function timeProblems(props: readonly TimeProp[]): TimeProblem[] {
  const out: TimeProblem[] = [];
  for (const t of props) {
    if (t.duration === undefined) continue;
    if (!(t.duration instanceof Duration)) {
      out.push({ message: `${t.name} is ${describeValue(t.duration)}, not a Duration`, fix: `pass a cdk8s Duration, e.g. ${EXAMPLE[t.unit]}` });
    } else if (t.number !== undefined) {
      out.push({ message: `${t.name} and ${t.numberName} are both given`, fix: `give ${t.name} or ${t.numberName}, not both` });
    } else if (t.whole && !Number.isInteger(durationIn(t.duration, t.unit))) {
      out.push({ message: `${t.name} is ${durationIn(t.duration, t.unit)} ${t.unit}, not a whole number of ${t.unit}`, fix: `use whole ${t.unit}, e.g. ${EXAMPLE[t.unit]}` });
    }
  }
  return out;
}
