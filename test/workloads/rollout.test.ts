import * as fc from 'fast-check';
import { configHash } from '../../src/workloads/config-hash';
import { canaryAllowed, canaryFix, canaryPods, canaryProblem, parsePercent, planRollout, resolvePods, rolloutProblem } from '../../src/workloads/rollout';

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

  test('an accepted canary never exceeds the bound (share of all the app\'s pods), and always has at least one pod', () => {
    const pct = fc.integer({ min: 1, max: 100 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 2000 }), pct, pct, (replicas, percent, bound) => {
      const c = { percent, version: { app: '1' } };
      const pods = canaryPods(replicas, c);
      expect(canaryProblem(replicas, c, bound) === undefined).toBe(canaryAllowed(pods, replicas, bound));
      if (canaryProblem(replicas, c, bound) === undefined) {
        expect(pods * 100).toBeLessThanOrEqual((pods + replicas) * bound);
        expect(pods).toBeGreaterThanOrEqual(1);
      }
    }));
    expect(canaryProblem(10, { percent: 10, count: 1 }, 20)).toContain('exactly one');
    expect(rolloutProblem(3, 0, '10%')).toContain('could never progress');
  });

  test('the sizes a fix suggests pass when applied, and are the largest that do', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 100 }), (replicas, bound) => {
      const f = canaryFix(replicas, bound);
      if (f.maxCount >= 1) {
        expect(canaryProblem(replicas, { count: f.maxCount }, bound)).toBeUndefined();
        if (bound < 100) expect(canaryProblem(replicas, { count: f.maxCount + 1 }, bound)).toBeDefined();
      } else {
        expect(canaryProblem(replicas, { count: 1 }, bound)).toBeDefined();
        if (Number.isFinite(f.minReplicas)) expect(canaryProblem(Math.max(1, f.minReplicas), { count: 1 }, bound)).toBeUndefined();
      }
      if (f.maxPercent !== undefined) {
        expect(canaryProblem(replicas, { percent: f.maxPercent }, bound)).toBeUndefined();
        if (f.maxPercent < 100) expect(canaryProblem(replicas, { percent: f.maxPercent + 1 }, bound)).toBeDefined();
      }
    }));
  });

  test('percentages are parsed as Kubernetes parses them', () => {
    expect(parsePercent('050%')).toBe(50);
    expect(parsePercent('0%')).toBe(0);
    expect(parsePercent('000%')).toBe(0);
    expect(parsePercent('0100%')).toBe(100);
    for (const bad of ['+5%', '-5%', '5', '5.5%', '101%', ' 5%', '%']) expect(parsePercent(bad)).toBeUndefined();
    expect(resolvePods('050%', 10, 'up')).toBe(5);
  });

  test('the config hash depends on content only, not on key order', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string()), data => {
      const reversed = Object.fromEntries(Object.entries(data).reverse());
      expect(configHash(reversed)).toBe(configHash(data));
      expect(configHash({ ...data, ['\u0000extra']: 'x' })).not.toBe(configHash(data));
    }));
  });
});
