import * as fc from 'fast-check';
import { canaryPods, canaryProblem, configHash, planRollout, resolvePods, rolloutProblem } from '../../src';

const countOrPercent = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 100 }).map(n => `${n}%`));
const start = fc.record({
  startupSeconds: fc.integer({ min: 0, max: 3600 }),
  readinessSeconds: fc.integer({ min: 0, max: 600 }),
  minReadySeconds: fc.integer({ min: 0, max: 600 }),
});

describe('rollout arithmetic (properties)', () => {
  test('the disruption budget equals the rollout\'s unavailability and is never 0', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), countOrPercent, countOrPercent, start, (replicas, surge, unavailable, s) => {
      fc.pre(rolloutProblem(replicas, surge, unavailable) === undefined);
      const plan = planRollout(replicas, surge, unavailable, s);
      expect(plan.disruptionBudget).toBe(Math.max(1, plan.maxUnavailable));
      expect(plan.disruptionBudget).toBeGreaterThanOrEqual(1);
      expect(plan.maxSurge + plan.maxUnavailable).toBeGreaterThan(0);
      expect(plan.waves).toBe(Math.ceil(replicas / (plan.maxSurge + plan.maxUnavailable)));
      expect(plan.progressDeadlineSeconds).toBeGreaterThanOrEqual(2 * (120 + s.startupSeconds + s.readinessSeconds + s.minReadySeconds));
      expect(plan.progressDeadlineSeconds).toBeGreaterThanOrEqual(300);
    }));
  });

  test('percentages: surge rounds up, unavailable rounds down', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 100 }), (replicas, pct) => {
      expect(resolvePods(`${pct}%`, replicas, 'up')).toBe(Math.ceil((replicas * pct) / 100));
      expect(resolvePods(`${pct}%`, replicas, 'down')).toBe(Math.floor((replicas * pct) / 100));
    }));
  });

  test('an accepted canary never exceeds the bound, and always has at least one pod', () => {
    const pct = fc.integer({ min: 1, max: 100 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 2000 }), pct, pct, (replicas, percent, bound) => {
      const c = { percent, version: { app: '1' } };
      if (canaryProblem(replicas, c, bound) === undefined) {
        expect(canaryPods(replicas, c) * 100).toBeLessThanOrEqual(replicas * bound);
        expect(canaryPods(replicas, c)).toBeGreaterThanOrEqual(1);
      }
    }));
    expect(canaryProblem(10, { percent: 10, count: 1 }, 20)).toContain('exactly one');
    expect(rolloutProblem(3, 0, '10%')).toContain('could never progress');
  });

  test('the config hash depends on content only, not on key order', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string()), data => {
      const reversed = Object.fromEntries(Object.entries(data).reverse());
      expect(configHash(reversed)).toBe(configHash(data));
      expect(configHash({ ...data, ['\u0000extra']: 'x' })).not.toBe(configHash(data));
    }));
  });
});
