import * as fc from 'fast-check';
import { Capacity } from '../../src';
import { addCapacity, capacityFits } from '../../src/tenancy/capacity';
import { CandidateCluster, PlacementRequest, PlacementResult, describePlacementProblem, placeNamespaces } from '../../src/tenancy/placement';

const PROFILES = ['general', 'high-memory', 'gpu'];

const capacityArb = (max: number): fc.Arbitrary<Capacity> => fc.record({
  resources: fc.record({
    cpuMillis: fc.integer({ min: 0, max: max * 1000 }),
    memoryMiB: fc.integer({ min: 0, max: max * 4096 }),
    gpus: fc.integer({ min: 0, max: 8 }),
  }),
  pods: fc.integer({ min: 0, max: max * 10 }),
});

const clustersArb: fc.Arbitrary<CandidateCluster[]> = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom('c-a', 'c-b', 'c-c', 'c-d', 'c-e'),
    region: fc.constantFrom('r-1', 'r-2'),
    capacity: fc.dictionary(fc.constantFrom(...PROFILES), capacityArb(200), { maxKeys: 3 })
      .map(d => new Map(Object.entries(d))),
  }),
  { selector: c => c.name, minLength: 1, maxLength: 5 },
);

const requestArb = (name: fc.Arbitrary<string>): fc.Arbitrary<PlacementRequest> => fc.record({
  key: name,
  nodeProfile: fc.constantFrom(...PROFILES, 'unknown-profile'),
  demand: capacityArb(40),
});

const requestsArb = fc.uniqueArray(requestArb(fc.stringMatching(/^[a-z]{1,6}$/)), { selector: r => r.key, maxLength: 30 });

function usedBy(result: PlacementResult, requests: readonly PlacementRequest[]): Map<string, Capacity> {
  const byKey = new Map(requests.map(r => [r.key, r]));
  const used = new Map<string, Capacity>();
  for (const d of result.decisions.values()) {
    const r = byKey.get(d.key)!;
    const k = `${d.cluster}/${r.nodeProfile}`;
    used.set(k, addCapacity(used.get(k) ?? { resources: { cpuMillis: 0, memoryMiB: 0, gpus: 0 }, pods: 0 }, r.demand));
  }
  return used;
}

function lockOf(result: PlacementResult): Map<string, string> {
  return new Map([...result.decisions.values()].map(d => [d.key, d.cluster]));
}

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('routing properties', () => {
  test('never over capacity: what is placed on a cluster and node profile fits in its capacity', () => {
    fc.assert(fc.property(clustersArb, requestsArb, (clusters, requests) => {
      const result = placeNamespaces(clusters, requests);
      const byName = new Map(clusters.map(c => [c.name, c]));
      for (const [k, used] of usedBy(result, requests)) {
        const [cluster, profile] = k.split('/');
        expect(capacityFits(used, byName.get(cluster)!.capacity.get(profile)!)).toBe(true);
      }
    }), { numRuns: 300 });
  });

  test('node profile always matched: a namespace only goes to a cluster with capacity of its profile', () => {
    fc.assert(fc.property(clustersArb, requestsArb, (clusters, requests) => {
      const result = placeNamespaces(clusters, requests);
      const byName = new Map(clusters.map(c => [c.name, c]));
      const byKey = new Map(requests.map(r => [r.key, r]));
      for (const d of result.decisions.values()) {
        expect(byName.get(d.cluster)!.capacity.has(byKey.get(d.key)!.nodeProfile)).toBe(true);
      }
    }), { numRuns: 300 });
  });

  test('every namespace gets exactly one outcome: a decision or a problem', () => {
    fc.assert(fc.property(clustersArb, requestsArb, (clusters, requests) => {
      const result = placeNamespaces(clusters, requests);
      const problems = result.problems.map(p => p.key);
      expect(new Set([...result.decisions.keys(), ...problems]).size).toBe(requests.length);
      expect(result.decisions.size + problems.length).toBe(requests.length);
    }), { numRuns: 200 });
  });

  test('deterministic: the same input in any order gives the same decisions and problems', () => {
    fc.assert(fc.property(clustersArb, requestsArb, fc.integer({ min: 1, max: 1_000_000 }), (clusters, requests, seed) => {
      const a = placeNamespaces(clusters, requests);
      const b = placeNamespaces(shuffle(clusters, seed), shuffle(requests, seed + 1));
      expect([...b.decisions.entries()]).toEqual([...a.decisions.entries()]);
      expect(b.problems).toEqual(a.problems);
    }), { numRuns: 200 });
  });

  test('stable: inserting, growing and removing other apps never moves a recorded namespace', () => {
    const scenario = fc.record({
      clusters: clustersArb,
      first: requestsArb,
      added: fc.uniqueArray(requestArb(fc.stringMatching(/^[a-z]{1,6}$/).map(s => `new-${s}`)), { selector: r => r.key, maxLength: 20 }),
      removeMask: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
      growMask: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
      growth: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(fc.property(scenario, ({ clusters, first, added, removeMask, growMask, growth }) => {
      const before = placeNamespaces(clusters, first);
      const lock = lockOf(before);
      const grow = (r: PlacementRequest) => ({
        ...r,
        demand: { resources: { ...r.demand.resources, cpuMillis: r.demand.resources.cpuMillis * growth }, pods: r.demand.pods * growth },
      });
      // some recorded apps are removed, some grow; new apps arrive
      const kept = first.filter((_, i) => !removeMask[i]);
      const keptGrown = kept.map((r, i) => (growMask[i] ? grow(r) : r));
      const next = [...keptGrown, ...added.map(grow)].map(r => (lock.has(r.key) ? { ...r, locked: lock.get(r.key) } : r));
      const after = placeNamespaces(clusters, next);
      kept.forEach(r => {
        if (!lock.has(r.key)) return;
        const d = after.decisions.get(r.key);
        if (growth > 1 && kept.some((_, j) => growMask[j])) {
          // when recorded apps grew, a recorded app stays or fails with an explanation; it never moves
          if (d) expect(d.cluster).toBe(lock.get(r.key));
          else expect(after.problems.find(p => p.key === r.key)?.kind).toBe('locked-full');
        } else {
          expect(d?.cluster).toBe(lock.get(r.key));
          expect(d?.reason).toBe('locked');
        }
      });
      // and newcomers never push the total over capacity either
      const byName = new Map(clusters.map(c => [c.name, c]));
      for (const [k, used] of usedBy(after, next)) {
        const [cluster, profile] = k.split('/');
        expect(capacityFits(used, byName.get(cluster)!.capacity.get(profile)!)).toBe(true);
      }
    }), { numRuns: 300 });
  });
});

const cap = (cpu: number, memGi: number, pods: number, gpus = 0): Capacity => ({
  resources: { cpuMillis: cpu * 1000, memoryMiB: memGi * 1024, gpus },
  pods,
});

describe('routing decisions', () => {
  const clusters: CandidateCluster[] = [
    { name: 'east', region: 'east', capacity: new Map([['general', cap(100, 400, 1000)]]) },
    { name: 'west', region: 'west', capacity: new Map([['general', cap(100, 400, 1000)], ['gpu', cap(64, 512, 100, 8)]]) },
  ];

  test('new namespaces spread to the least utilized cluster', () => {
    const r = placeNamespaces(clusters, [
      { key: 'a', nodeProfile: 'general', demand: cap(50, 10, 10) },
      { key: 'b', nodeProfile: 'general', demand: cap(40, 10, 10) },
      { key: 'c', nodeProfile: 'gpu', demand: cap(8, 64, 4, 4) },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.decisions.get('a')!.cluster).not.toBe(r.decisions.get('b')!.cluster);
    expect(r.decisions.get('c')).toEqual({ key: 'c', cluster: 'west', clusters: ['west'], reason: 'routed' });
  });

  test('no room: the problem lists every candidate cluster with its free capacity per node profile', () => {
    const r = placeNamespaces(clusters, [
      { key: 'big', nodeProfile: 'general', demand: cap(150, 10, 10) },
    ]);
    expect(r.decisions.size).toBe(0);
    const d = describePlacementProblem(r.problems[0]);
    expect(d.rule).toBe('tenancy.routing.no-room');
    expect(d.message).toContain('east: general [cpu 100, memory 400Gi, gpus 0, pods 1000]');
    expect(d.message).toContain('west: general [cpu 100, memory 400Gi, gpus 0, pods 1000]; gpu [cpu 64, memory 512Gi, gpus 8, pods 100]');
  });

  test('a recorded namespace that no longer fits fails instead of moving', () => {
    const r = placeNamespaces(clusters, [
      { key: 'a', nodeProfile: 'general', demand: cap(120, 10, 10), locked: 'east' },
    ]);
    expect(r.decisions.size).toBe(0);
    expect(r.problems[0]).toMatchObject({ kind: 'locked-full', cluster: 'east' });
    expect(describePlacementProblem(r.problems[0]).message).toContain('will not move a recorded namespace');
  });

  test('pinning a recorded namespace elsewhere is a move and needs approval', () => {
    const req = { key: 'a', nodeProfile: 'general', demand: cap(1, 1, 1), locked: 'east', pinned: 'west' };
    expect(placeNamespaces(clusters, [req]).problems[0]).toMatchObject({ kind: 'move-not-approved', from: 'east', to: 'west' });
    expect(placeNamespaces(clusters, [{ ...req, moveApproved: true }]).decisions.get('a')).toEqual({ key: 'a', cluster: 'west', clusters: ['west'], reason: 'pinned', movedFrom: 'east' });
  });

  test('pinned to a cluster without the profile, or to no such cluster', () => {
    const r = placeNamespaces(clusters, [
      { key: 'a', nodeProfile: 'gpu', demand: cap(1, 1, 1), pinned: 'east' },
      { key: 'b', nodeProfile: 'general', demand: cap(1, 1, 1), locked: 'gone' },
      { key: 'c', nodeProfile: 'local-ssd', demand: cap(1, 1, 1) },
    ]);
    expect(r.problems.map(p => [p.key, p.kind])).toEqual([['a', 'pinned-profile'], ['b', 'unknown-cluster'], ['c', 'no-pool']]);
  });
});
