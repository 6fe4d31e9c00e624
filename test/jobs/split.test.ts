import * as fc from 'fast-check';
import { ResourceAmounts, ZERO, addResources, fitsIn } from '../../src/core/resources';
import { batchReport } from '../../src/jobs/accounting';
import { regionHierarchy } from '../../src/jobs/hierarchy';
import { mergeSplitRecords, parseSplitSection, sameShares, splitSection } from '../../src/jobs/record';
import { SplitCluster, apportion, splitRegionalQuota, splitTeams } from '../../src/jobs/split';

const RUNS = { numRuns: 400, seed: 18 };

const amounts = (max: number) => fc.record({
  cpuMillis: fc.integer({ min: 0, max: max * 1000 }),
  memoryMiB: fc.integer({ min: 0, max: max * 4096 }),
  gpus: fc.integer({ min: 0, max: Math.ceil(max / 8) }),
});

const clusterList = fc.uniqueArray(fc.record({ name: fc.stringMatching(/^c[0-9]{1,3}$/), capacity: amounts(5000) }), { minLength: 1, maxLength: 8, selector: c => c.name });

/** A quota that fits the clusters' total: a fraction of it on every dimension. */
function quotaWithin(clusters: readonly SplitCluster[], permille: number): ResourceAmounts {
  const total = addResources(ZERO, ...clusters.map(c => c.capacity));
  const f = (x: number) => Math.floor((x * permille) / 1000);
  return { cpuMillis: f(total.cpuMillis), memoryMiB: f(total.memoryMiB), gpus: f(total.gpus) };
}

function sum(m: ReadonlyMap<string, ResourceAmounts>): ResourceAmounts {
  return addResources(ZERO, ...m.values());
}

describe('apportion', () => {
  test('sums exactly, never above a weight when the total fits', () => {
    const weightsArb = fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 10 });
    fc.assert(fc.property(weightsArb, fc.integer({ min: 0, max: 1000 }), (weights, permille) => {
      const total = Math.floor((weights.reduce((a, b) => a + b, 0) * permille) / 1000);
      const parts = apportion(total, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(weights.every(w => w === 0) ? 0 : total);
      parts.forEach((p, i) => expect(p).toBeLessThanOrEqual(weights[i]));
    }), RUNS);
  });
});

describe('the regional split (property)', () => {
  test('never exceeds any cluster\'s batch capacity and sums exactly to the regional quota', () => {
    fc.assert(fc.property(clusterList, fc.integer({ min: 0, max: 1000 }), (clusters, permille) => {
      const quota = quotaWithin(clusters, permille);
      const r = splitRegionalQuota(quota, clusters);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(sum(r.shares)).toEqual(quota);
      for (const c of clusters) expect(fitsIn(r.shares.get(c.name)!, c.capacity)).toBe(true);
    }), RUNS);
  });

  test('is deterministic: the order of the clusters does not matter', () => {
    fc.assert(fc.property(clusterList, fc.integer({ min: 0, max: 1000 }), (clusters, permille) => {
      const quota = quotaWithin(clusters, permille);
      const a = splitRegionalQuota(quota, clusters);
      const b = splitRegionalQuota(quota, [...clusters].reverse());
      expect(a).toEqual(b);
    }), RUNS);
  });

  test('is stable under adding a cluster: the recorded shares stay, the new cluster gets none', () => {
    fc.assert(fc.property(clusterList, amounts(5000), fc.integer({ min: 0, max: 1000 }), (clusters, extra, permille) => {
      const quota = quotaWithin(clusters, permille);
      const first = splitRegionalQuota(quota, clusters);
      if (!first.ok) throw new Error('first split failed');
      const added = [...clusters, { name: 'new-cluster', capacity: extra }];
      const again = splitRegionalQuota(quota, added, first.shares);
      expect(again.ok && again.reason).toBe('recorded');
      if (!again.ok) return;
      for (const c of clusters) expect(again.shares.get(c.name)).toEqual(first.shares.get(c.name));
      expect(again.shares.get('new-cluster')).toEqual(ZERO);
    }), RUNS);
  });

  test('a quota that grows keeps every recorded share and still fits', () => {
    fc.assert(fc.property(clusterList, fc.integer({ min: 0, max: 500 }), fc.integer({ min: 500, max: 1000 }), (clusters, before, after) => {
      const first = splitRegionalQuota(quotaWithin(clusters, before), clusters);
      if (!first.ok) throw new Error('first split failed');
      const quota = quotaWithin(clusters, after);
      const grown = splitRegionalQuota(quota, clusters, first.shares);
      expect(grown.ok).toBe(true);
      if (!grown.ok) return;
      expect(sum(grown.shares)).toEqual(quota);
      for (const c of clusters) {
        expect(fitsIn(first.shares.get(c.name)!, grown.shares.get(c.name)!)).toBe(true);
        expect(fitsIn(grown.shares.get(c.name)!, c.capacity)).toBe(true);
      }
    }), RUNS);
  });

  test('a quota that shrinks is a move: refused unless approved', () => {
    const clusters = [{ name: 'a', capacity: { cpuMillis: 10_000, memoryMiB: 10_000, gpus: 8 } }, { name: 'b', capacity: { cpuMillis: 10_000, memoryMiB: 10_000, gpus: 8 } }];
    const first = splitRegionalQuota({ cpuMillis: 10_000, memoryMiB: 10_000, gpus: 8 }, clusters);
    if (!first.ok) throw new Error('first split failed');
    const smaller = { cpuMillis: 8_000, memoryMiB: 10_000, gpus: 8 };
    expect(splitRegionalQuota(smaller, clusters, first.shares)).toEqual({ ok: false, kind: 'move', why: 'the quota is smaller than the recorded split' });
    const moved = splitRegionalQuota(smaller, clusters, first.shares, true);
    expect(moved.ok && moved.reason).toBe('moved');
  });

  test('a quota over the clusters\' capacity is refused with the capacity', () => {
    const r = splitRegionalQuota({ cpuMillis: 1, memoryMiB: 1, gpus: 9 }, [{ name: 'a', capacity: { cpuMillis: 10, memoryMiB: 10, gpus: 8 } }]);
    expect(r).toEqual({ ok: false, kind: 'over-capacity', capacity: { cpuMillis: 10, memoryMiB: 10, gpus: 8 } });
  });
});

describe('the teams\' split and the queue hierarchy (property)', () => {
  const teamsWithin = (quota: ResourceAmounts) => fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 }).map(ws => {
    const total = ws.reduce((a, b) => a + b, 0) || 1;
    // shares of at most the region's quota together
    return ws.map((w, i) => ({
      key: `team-${i}`,
      quota: {
        cpuMillis: Math.floor((quota.cpuMillis * w) / total),
        memoryMiB: Math.floor((quota.memoryMiB * w) / total),
        gpus: Math.floor((quota.gpus * w) / total),
      },
    }));
  });

  test('each team\'s shares sum to its quota; on every cluster the teams take at most the region\'s share', () => {
    fc.assert(fc.property(clusterList, fc.integer({ min: 0, max: 1000 }), (clusters, permille) => {
      const quota = quotaWithin(clusters, permille);
      const region = splitRegionalQuota(quota, clusters);
      if (!region.ok) throw new Error('split failed');
      fc.assert(fc.property(teamsWithin(quota), teams => {
        const split = splitTeams(region.shares, teams);
        for (const t of teams) expect(sum(split.get(t.key)!)).toEqual(t.quota);
        for (const c of clusters) {
          const taken = addResources(ZERO, ...teams.map(t => split.get(t.key)!.get(c.name)!));
          expect(fitsIn(taken, region.shares.get(c.name)!)).toBe(true);
        }
      }), { numRuns: 5, seed: permille });
    }), { numRuns: 150, seed: 18 });
  });

  test('hierarchies are consistent: guarantee ≤ nominal ≤ capability ≤ the region\'s share; children\'s guarantees within the parent', () => {
    fc.assert(fc.property(
      amounts(5000),
      fc.array(fc.record({
        permille: fc.integer({ min: 0, max: 300 }),
        borrow: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
        lend: fc.integer({ min: 0, max: 100 }),
      }), { minLength: 1, maxLength: 3 }),
      (share, teams) => {
        const regionShare = new Map([['gpu', share]]);
        const inputs = teams.map((t, i) => ({
          key: `q${i}`,
          share: new Map([['gpu', { cpuMillis: Math.floor(share.cpuMillis * t.permille / 1000), memoryMiB: Math.floor(share.memoryMiB * t.permille / 1000), gpus: Math.floor(share.gpus * t.permille / 1000) }]]),
          ...(t.borrow !== undefined ? { maxBorrowPercent: t.borrow } : {}),
          maxLendPercent: t.lend,
        }));
        const tree = regionHierarchy(regionShare, inputs);
        for (const n of tree.teams) {
          const l = n.byProfile.get('gpu')!;
          expect(fitsIn(l.guarantee, l.nominal)).toBe(true);
          expect(fitsIn(l.nominal, l.capability)).toBe(true);
          expect(fitsIn(l.capability, tree.total.capability)).toBe(true);
          expect(fitsIn(l.guarantee, tree.total.capability)).toBe(true);
        }
        expect(fitsIn(addResources(ZERO, ...tree.teams.map(n => n.total.guarantee)), tree.total.guarantee)).toBe(true);
        expect(fitsIn(tree.total.guarantee, tree.total.capability)).toBe(true);
        expect(fitsIn(addResources(ZERO, ...tree.teams.map(n => n.total.nominal)), tree.total.nominal)).toBe(true);
      }), RUNS);
  });
});

describe('batch accounting', () => {
  test('pools get their part of their profile\'s line in proportion to their room; regions sum their clusters', () => {
    const r = batchReport(
      [{ name: 'a', region: 'r' }, { name: 'b', region: 'r' }],
      [
        { cluster: 'a', pool: 'gpu-1', nodeProfile: 'gpu', room: { cpuMillis: 3000, memoryMiB: 3000, gpus: 24 } },
        { cluster: 'a', pool: 'gpu-2', nodeProfile: 'gpu', room: { cpuMillis: 1000, memoryMiB: 1000, gpus: 8 } },
        { cluster: 'b', pool: 'gpu', nodeProfile: 'gpu', room: { cpuMillis: 4000, memoryMiB: 4000, gpus: 32 } },
      ],
      new Map([['a', new Map([['gpu', { cpuMillis: 4000, memoryMiB: 4000, gpus: 32 }]])], ['b', new Map([['gpu', { cpuMillis: 4000, memoryMiB: 4000, gpus: 32 }]])]]),
      new Map([['a', new Map([['gpu', { cpuMillis: 2000, memoryMiB: 2000, gpus: 16 }]])], ['b', new Map([['gpu', { cpuMillis: 2000, memoryMiB: 2000, gpus: 16 }]])]]),
      new Map([['a', new Map([['gpu', { cpuMillis: 1000, memoryMiB: 1000, gpus: 8 }]])]]),
    );
    const a = r.clusters[0];
    expect(a.byPool.get('gpu-1')!.quota.gpus).toBe(12);
    expect(a.byPool.get('gpu-2')!.quota.gpus).toBe(4);
    expect(a.byProfile.get('gpu')!.free.gpus).toBe(16);
    expect(r.regions[0].byProfile.get('gpu')!.quota.gpus).toBe(32);
    expect(r.regions[0].byProfile.get('gpu')!.queues.gpus).toBe(8);
  });
});

describe('the split record: the lock section round-trips; sources merge first-wins, conflicts named (property)', () => {
  const shares = fc.dictionary(fc.stringMatching(/^c[0-9]{1,2}$/), amounts(500), { maxKeys: 4 });
  const record = fc.dictionary(fc.stringMatching(/^r[0-9]\/p[0-9]$/), shares, { maxKeys: 4 })
    .map(d => new Map(Object.entries(d).map(([k, v]) => [k, new Map(Object.entries(v))])));

  test('splitSection and parseSplitSection are inverse', () => {
    fc.assert(fc.property(record, r => {
      const parsed = parseSplitSection(JSON.parse(JSON.stringify(splitSection(r))));
      return !('error' in parsed) && [...r].every(([k, s]) => sameShares(parsed.splits.get(k)!, s));
    }), RUNS);
  });

  test('each key from the first source that records it; a different later record is a conflict, an equal one is not', () => {
    fc.assert(fc.property(record, record, (a, b) => {
      const { splits, problems } = mergeSplitRecords([
        { where: 'lock', at: 'p', parsed: { splits: a } },
        { where: 'previous', at: 'p', parsed: { splits: b } },
      ]);
      for (const [k, s] of a) if (!sameShares(splits.get(k)!, s)) return false;
      for (const [k, s] of b) if (!a.has(k) && !sameShares(splits.get(k)!, s)) return false;
      const conflicts = [...b].filter(([k, s]) => a.has(k) && !sameShares(a.get(k)!, s)).map(([k]) => k);
      return JSON.stringify(problems.map(p => (p.kind === 'conflict' ? p.key : '?'))) === JSON.stringify(conflicts);
    }), RUNS);
    // zero shares count as none: a record naming a new cluster with nothing is the same split
    const one = new Map([['r1/p1', new Map([['c1', { cpuMillis: 5, memoryMiB: 5, gpus: 0 }]])]]);
    const withZero = new Map([['r1/p1', new Map([['c1', { cpuMillis: 5, memoryMiB: 5, gpus: 0 }], ['c2', ZERO]])]]);
    expect(mergeSplitRecords([{ where: 'a', at: 'p', parsed: { splits: one } }, { where: 'b', at: 'p', parsed: { splits: withZero } }]).problems).toEqual([]);
    expect(mergeSplitRecords([{ where: 'a', at: 'p', parsed: { error: 'not JSON' } }]).problems).toEqual([{ kind: 'parse', where: 'a', at: 'p', error: 'not JSON' }]);
  });

  test('bad sections are named', () => {
    expect(parseSplitSection([])).toEqual({ error: 'batchQuotaSplits must be an object keyed by <region>/<profile>' });
    expect(parseSplitSection({ lva1: {} })).toEqual({ error: "split 'lva1' must be keyed <region>/<profile>" });
    expect(parseSplitSection({ 'lva1/gpu': { c: { cpuMillis: 1.5, memoryMiB: 0, gpus: 0 } } })).toEqual({ error: "share of 'c' in 'lva1/gpu' must have whole, non-negative cpuMillis, memoryMiB and gpus" });
  });
});
