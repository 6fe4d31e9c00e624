import * as fc from 'fast-check';
import { maintenanceZoneNames, stripe, stripePools, stripingProblem } from '../../src/machines/maintenance-zones';

const zoneLists = fc.integer({ min: 1, max: 40 }).map(n => maintenanceZoneNames(n));

describe('maintenance zones', () => {
  test('20 zero-padded names that sort in order', () => {
    const zones = maintenanceZoneNames(20);
    expect(zones[0]).toBe('mz-01');
    expect(zones[19]).toBe('mz-20');
    expect([...zones].sort()).toEqual(zones);
    expect(maintenanceZoneNames(150)[0]).toBe('mz-001');
  });

  test('a non-positive count is refused', () => {
    expect(() => maintenanceZoneNames(0)).toThrow(/positive integer/);
  });
});

describe('stripe (property-based)', () => {
  test('keeps every node, and no two zones differ by more than one', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100_000 }), zoneLists, fc.integer({ min: -50, max: 50 }), (capacity, zones, offset) => {
      const shares = stripe(capacity, zones, offset);
      const nodes = shares.map(s => s.nodes);
      expect(nodes.reduce((a, b) => a + b, 0)).toBe(capacity);
      expect(Math.max(...nodes) - Math.min(...nodes)).toBeLessThanOrEqual(1);
      expect(shares.map(s => s.zone)).toEqual(zones);
    }));
  });

  test('the remainder starts at the offset zone', () => {
    expect(stripe(23, maintenanceZoneNames(20), 18).filter(s => s.nodes === 2).map(s => s.zone)).toEqual(['mz-01', 'mz-19', 'mz-20']);
  });

  test('striping several pools keeps the cluster zone totals within one node too', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 12 }), zoneLists, (capacities, zones) => {
      const striped = stripePools(capacities.map(capacity => ({ capacity, zones })));
      const totals = zones.map((_, i) => striped.reduce((sum, shares) => sum + shares[i].nodes, 0));
      expect(Math.max(...totals) - Math.min(...totals)).toBeLessThanOrEqual(1);
      striped.forEach((shares, i) => expect(shares.reduce((a, s) => a + s.nodes, 0)).toBe(capacities[i]));
    }));
  });

  test('deterministic: the same input gives the same shares', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), zoneLists, (capacity, zones) => {
      expect(stripe(capacity, zones)).toEqual(stripe(capacity, zones));
    }));
  });

  test('rejects negative or fractional capacity', () => {
    expect(() => stripe(-1, ['a'])).toThrow(/non-negative integer/);
    expect(() => stripe(1.5, ['a'])).toThrow(/non-negative integer/);
  });
});

describe('stripingProblem', () => {
  test('a pool smaller than its zones × minimum cannot be striped; empty pools can', () => {
    expect(stripingProblem(0, 20, 1)).toBeUndefined();
    expect(stripingProblem(20, 20, 1)).toBeUndefined();
    expect(stripingProblem(19, 20, 1)).toMatch(/19 nodes cannot be striped over 20 maintenance zones/);
    expect(stripingProblem(39, 20, 2)).toMatch(/needs 40/);
  });
});
