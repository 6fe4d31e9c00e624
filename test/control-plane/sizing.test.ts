import * as fc from 'fast-check';
import { controllerManagerSizing } from '../../src/control-plane/controller-manager';
import { defaultGoawayChance, etcdMemberCountProblem, etcdTiming, etcdTimingProblem, goawayChanceProblem, inflightLimits } from '../../src/control-plane/sizing';
import { countFinding, nodeCountFinding, podsPerNodeFinding, podsPerNodeLimit, SCALABILITY_THRESHOLDS } from '../../src/control-plane/thresholds';

describe('apiserver sizing', () => {
  test('in-flight limits follow the public thresholds: defaults, 1500/500 above 500 nodes, 3000/1000 above 3000', () => {
    expect(inflightLimits(500)).toEqual({ readOnly: 400, mutating: 200 });
    expect(inflightLimits(501)).toEqual({ readOnly: 1500, mutating: 500 });
    expect(inflightLimits(3000)).toEqual({ readOnly: 1500, mutating: 500 });
    expect(inflightLimits(3001)).toEqual({ readOnly: 3000, mutating: 1000 });
  });

  test('in-flight limits never shrink as a cluster grows', () => {
    fc.assert(fc.property(fc.nat(20_000), fc.nat(20_000), (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(inflightLimits(hi).readOnly).toBeGreaterThanOrEqual(inflightLimits(lo).readOnly);
      expect(inflightLimits(hi).mutating).toBeGreaterThanOrEqual(inflightLimits(lo).mutating);
    }));
  });

  test('goaway-chance only with more than one apiserver, within 0–0.02', () => {
    expect(defaultGoawayChance(1)).toBe(0);
    expect(defaultGoawayChance(3)).toBe(0.001);
    expect(goawayChanceProblem(0.001, 1)).toMatch(/single apiserver/);
    expect(goawayChanceProblem(0.03, 3)).toMatch(/outside/);
    expect(goawayChanceProblem(0.02, 3)).toBeUndefined();
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), n => {
      expect(goawayChanceProblem(defaultGoawayChance(n), n)).toBeUndefined();
    }));
  });
});

describe('etcd sizing', () => {
  test('derived timing: election >= 10 x RTT, >= 5 x heartbeat, never below the defaults, and accepted by its own check', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4000 }), rtt => {
      const t = etcdTiming(rtt);
      expect(t.heartbeatMillis).toBeGreaterThanOrEqual(100);
      expect(t.heartbeatMillis).toBeGreaterThanOrEqual(rtt);
      expect(t.electionMillis).toBeGreaterThanOrEqual(10 * rtt);
      expect(t.electionMillis).toBeGreaterThanOrEqual(5 * t.heartbeatMillis);
      expect(t.electionMillis).toBeGreaterThanOrEqual(1000);
      expect(etcdTimingProblem(t, rtt)).toBeUndefined();
    }));
    expect(etcdTiming(10)).toEqual({ heartbeatMillis: 100, electionMillis: 1000 });
    expect(etcdTiming(150)).toEqual({ heartbeatMillis: 150, electionMillis: 1500 });
  });

  test('explicit timing that breaks a rule is named', () => {
    expect(etcdTimingProblem({ heartbeatMillis: 100, electionMillis: 400 }, 50)).toMatch(/10 × the 50 ms round trip/);
    expect(etcdTimingProblem({ heartbeatMillis: 300, electionMillis: 1000 }, 10)).toMatch(/5 × the 300 ms heartbeat/);
  });

  test('odd member counts only, 1 to 7', () => {
    for (const n of [1, 3, 5, 7]) expect(etcdMemberCountProblem(n)).toBeUndefined();
    for (const n of [0, 2, 4, 6, 8, 9, 1.5]) expect(etcdMemberCountProblem(n)).toBeDefined();
  });
});

describe('SIG Scalability thresholds', () => {
  test('nodes: above 5000 is an error unless acknowledged, then a warning; beyond the acknowledgement an error again', () => {
    expect(nodeCountFinding(5000)).toBeUndefined();
    expect(nodeCountFinding(5001)?.severity).toBe('error');
    expect(nodeCountFinding(6000, 7000)?.severity).toBe('warning');
    expect(nodeCountFinding(7001, 7000)?.severity).toBe('error');
  });

  test('pods per node: min(110, 10 x cores); above is a warning', () => {
    expect(podsPerNodeLimit(4)).toBe(40);
    expect(podsPerNodeLimit(64)).toBe(110);
    expect(podsPerNodeFinding('small', 40, 4)).toBeUndefined();
    expect(podsPerNodeFinding('small', 41, 4)?.severity).toBe('warning');
  });

  test('pods, namespaces and services per cluster: an error above the limit, a warning from 90%', () => {
    const limits = {
      pods: SCALABILITY_THRESHOLDS.podsPerCluster,
      namespaces: SCALABILITY_THRESHOLDS.namespacesPerCluster,
      services: SCALABILITY_THRESHOLDS.servicesPerCluster,
    };
    for (const [kind, limit] of Object.entries(limits) as Array<['pods' | 'namespaces' | 'services', number]>) {
      expect(countFinding(kind, Math.floor(limit * 0.89))).toBeUndefined();
      expect(countFinding(kind, limit)?.severity).toBe('warning');
      expect(countFinding(kind, limit + 1)?.severity).toBe('error');
      expect(countFinding(kind, limit + 1)?.rule).toBe(`control-plane.threshold.${kind}`);
    }
    fc.assert(fc.property(fc.nat(400_000), n => {
      const f = countFinding('pods', n);
      if (n > 150_000) expect(f?.severity).toBe('error');
      else if (f) expect(f.severity).toBe('warning');
    }));
  });
});

describe('controller-manager sizing', () => {
  test.each([
    [40, 20, 30, 532],
    [500, 20, 30, 762],
    [501, 100, 200, 763],
    [3000, 100, 200, 2012],
    [5000, 300, 500, 3012],
  ])('%i nodes: client rate %i/%i, %i MiB requested and twice that as the limit', (nodes, qps, burst, mem) => {
    const z = controllerManagerSizing(nodes);
    expect([z.qps, z.burst, z.memoryRequestMiB, z.memoryLimitMiB]).toEqual([qps, burst, mem, 2 * mem]);
    expect(z.why).toContain(`${nodes} nodes`);
  });
});
