/**
 * The benchmark's statistics, apart from running anything: every system's
 * samples get the same statistic (the median, with the spread min–max), and a
 * run stopped at the per-run time limit counts as slower than any run that
 * finished, so a median that falls on one is reported as "> limit" rather
 * than as a number (or not at all).
 */

/** One run of one system, as `/usr/bin/time` saw it. */
export interface Sample {
  /** Wall time, ms. */
  readonly wallMs: number;
  /** CPU time (user + system, of the process and every process it waited for), ms. */
  readonly cpuMs: number;
  /** Peak resident set size of the largest process, MB. */
  readonly peakRssMB: number;
  /** The run was stopped at the time limit: its figures are lower bounds. @default false */
  readonly overLimit?: boolean;
}

/** A figure: a number, or a lower bound where the run hit the time limit. */
export type Figure = number | { readonly over: number };

/** Median and spread of one figure of a system's samples. */
export interface Stat {
  readonly median: Figure;
  readonly min: Figure;
  readonly max: Figure;
}

/** The figures of a system's samples, with how many runs there were and how many hit the limit. */
export interface SystemStats {
  readonly runs: number;
  readonly overLimit: number;
  readonly wallMs: Stat;
  readonly cpuMs: Stat;
  readonly peakRssMB: Stat;
}

/**
 * Median (the mean of the two middle values for an even count, rounded) and
 * min–max of `values`; entries flagged `over` are lower bounds (a run stopped
 * at the limit) and sort after every finished run.
 */
export function stat(values: ReadonlyArray<{ readonly value: number; readonly over: boolean }>): Stat {
  if (values.length === 0) throw new Error('no samples');
  const s = [...values].sort((a, b) => Number(a.over) - Number(b.over) || a.value - b.value);
  const fig = (v: { value: number; over: boolean }): Figure => (v.over ? { over: v.value } : v.value);
  const mid = Math.floor(s.length / 2);
  // an even count: the mean of the middle two, a lower bound if one of them is
  const median: Figure = s.length % 2 === 1 ? fig(s[mid])
    : fig({ value: Math.round((s[mid - 1].value + s[mid].value) / 2), over: s[mid].over });
  return { median, min: fig(s[0]), max: fig(s[s.length - 1]) };
}

/** The statistics of one system's samples: wall and CPU time, peak RSS, each the same way. */
export function systemStats(samples: readonly Sample[]): SystemStats {
  const over = (s: Sample) => s.overLimit === true;
  return {
    runs: samples.length,
    overLimit: samples.filter(over).length,
    wallMs: stat(samples.map(s => ({ value: s.wallMs, over: over(s) }))),
    cpuMs: stat(samples.map(s => ({ value: s.cpuMs, over: over(s) }))),
    peakRssMB: stat(samples.map(s => ({ value: s.peakRssMB, over: over(s) }))),
  };
}

/** A number of a figure, and whether it is a lower bound. */
function parts(f: Figure): { value: number; over: boolean } {
  return typeof f === 'number' ? { value: f, over: false } : { value: f.over, over: true };
}

/**
 * `a / b` to two decimals; a lower bound (`{ over }`) when `a` is one, none
 * (undefined) when `b` is one (the ratio could be anything).
 */
export function ratio(a: Figure, b: Figure): Figure | undefined {
  const [x, y] = [parts(a), parts(b)];
  if (y.over) return undefined;
  const r = Math.round((x.value / y.value) * 100) / 100;
  return x.over ? { over: r } : r;
}

/** A figure in the JSON summary: the number, or the string `> N` for a lower bound. */
export function jsonFigure(f: Figure | undefined): number | string | null {
  if (f === undefined) return null;
  return typeof f === 'number' ? f : `> ${f.over}`;
}

/** A time in seconds for the report (`12.34`), or `> 300` for a run stopped at the limit. */
export function seconds(f: Figure): string {
  const { value, over } = parts(f);
  return `${over ? '> ' : ''}${(value / 1000).toFixed(2)}`;
}

/** A plain number for the report, or `> N` for a lower bound. */
export function plain(f: Figure): string {
  const { value, over } = parts(f);
  return `${over ? '> ' : ''}${value}`;
}

/**
 * Rounds per size: `--rounds N` for every size, `--rounds-at 10000=1,...`
 * overriding it for some (a size takes part in the first rounds only).
 */
export function roundsBySize(sizes: readonly number[], rounds: number, at: string | undefined): Map<number, number> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number from 1, not ${rounds}`);
  const out = new Map(sizes.map(s => [s, rounds]));
  for (const entry of (at ?? '').split(',').filter(e => e.length > 0)) {
    const [size, n] = entry.split('=').map(Number);
    if (!out.has(size) || !Number.isInteger(n) || n < 1) {
      throw new Error(`--rounds-at: '${entry}' is not SIZE=ROUNDS for one of the sizes ${sizes.join(', ')} (rounds from 1)`);
    }
    out.set(size, n);
  }
  return out;
}
