import * as fc from 'fast-check';
import { jsonFigure, ratio, roundsBySize, seconds, stat, systemStats } from '../../bench/stats';

const done = (...xs: number[]) => xs.map(value => ({ value, over: false }));

describe('the benchmark statistics', () => {
  test('median and spread of finished runs: the middle value, or the mean of the middle two', () => {
    expect(stat(done(5, 1, 3))).toEqual({ median: 3, min: 1, max: 5 });
    expect(stat(done(4, 1, 3, 10))).toEqual({ median: 4, min: 1, max: 10 });
    expect(stat(done(7))).toEqual({ median: 7, min: 7, max: 7 });
    expect(() => stat([])).toThrow('no samples');
  });

  test('a run stopped at the limit counts as slower than every finished run', () => {
    const limit = { value: 600_000, over: true };
    // one of three: the median is a finished run, the maximum a lower bound
    expect(stat([...done(900_000, 100), limit])).toEqual({ median: 900_000, min: 100, max: { over: 600_000 } });
    // two of three: the median is "> limit"
    expect(stat([limit, ...done(100), limit])).toEqual({ median: { over: 600_000 }, min: 100, max: { over: 600_000 } });
    // an even count with a stopped run in the middle: a lower bound
    expect(stat([...done(100, 200, 300), limit]).median).toBe(250);
    expect(stat([...done(100, 200), limit, limit]).median).toEqual({ over: 300_100 });
  });

  test('every figure of a system gets the same statistic, and the runs stopped at the limit are counted', () => {
    const s = systemStats([
      { wallMs: 10, cpuMs: 8, peakRssMB: 100 },
      { wallMs: 30, cpuMs: 20, peakRssMB: 120 },
      { wallMs: 600_000, cpuMs: 590_000, peakRssMB: 300, overLimit: true },
    ]);
    expect(s).toEqual({
      runs: 3,
      overLimit: 1,
      wallMs: { median: 30, min: 10, max: { over: 600_000 } },
      cpuMs: { median: 20, min: 8, max: { over: 590_000 } },
      peakRssMB: { median: 120, min: 100, max: { over: 300 } },
    });
  });

  test('the median lies within the spread, and does not depend on the order of the runs', () => {
    fc.assert(fc.property(fc.array(fc.record({ value: fc.nat(1e7), over: fc.boolean() }), { minLength: 1, maxLength: 9 }), xs => {
      const s = stat(xs);
      const n = (f: typeof s.median) => (typeof f === 'number' ? f : f.over);
      expect(stat([...xs].reverse())).toEqual(s);
      const finished = xs.filter(x => !x.over).map(x => x.value);
      if (finished.length === xs.length) expect(n(s.min) <= n(s.median) && n(s.median) <= n(s.max)).toBe(true);
      // more than half stopped: the median is a lower bound
      if (xs.filter(x => x.over).length > xs.length / 2) expect(typeof s.median).toBe('object');
    }), { seed: 16 });
  });

  test('ratios: a lower bound over a number is a lower bound; over a lower bound there is none', () => {
    expect(ratio(300, 100)).toBe(3);
    expect(ratio({ over: 600_000 }, 20_000)).toEqual({ over: 30 });
    expect(ratio(20_000, { over: 600_000 })).toBeUndefined();
    expect(jsonFigure(3)).toBe(3);
    expect(jsonFigure({ over: 30 })).toBe('> 30');
    expect(jsonFigure(undefined)).toBeNull();
    expect(seconds(1234)).toBe('1.23');
    expect(seconds({ over: 600_000 })).toBe('> 600.00');
  });

  test('rounds per size: one count for all, fewer for the sizes named; a bad entry is an error', () => {
    expect([...roundsBySize([1000, 3000, 10000], 3, undefined)]).toEqual([[1000, 3], [3000, 3], [10000, 3]]);
    expect([...roundsBySize([1000, 3000, 10000], 3, '10000=1')]).toEqual([[1000, 3], [3000, 3], [10000, 1]]);
    expect(() => roundsBySize([1000], 3, '2000=1')).toThrow('SIZE=ROUNDS');
    expect(() => roundsBySize([1000], 3, '1000=0')).toThrow('SIZE=ROUNDS');
    expect(() => roundsBySize([1000], 0, undefined)).toThrow('--rounds');
  });
});
