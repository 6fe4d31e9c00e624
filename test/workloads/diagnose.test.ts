import * as fs from 'fs';
import * as path from 'path';
import { diagnoseRollout } from '../../src';
import { flattenKubectlOutput } from '../../src/workloads/diagnose';

const FIXTURES = path.join(__dirname, 'fixtures');
const load = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
const expected = load('expected') as Record<string, string>;

/** The categories each realistic case must report (besides the verdict in fixtures/expected.json). */
const CATEGORIES: Record<string, string[]> = {
  'crash-loop': ['app.crash-loop', 'rollout.progress-deadline-exceeded'],
  'oom-killed': ['app.out-of-memory'],
  'bad-config': ['app.bad-config'],
  'readiness-probe': ['app.readiness-probe', 'rollout.progress-deadline-exceeded'],
  'unschedulable-capacity': ['infrastructure.unschedulable-capacity', 'rollout.progress-deadline-exceeded'],
  'image-registry-down': ['infrastructure.image-registry'],
  'image-tag-not-found': ['app.image-not-found', 'rollout.progress-deadline-exceeded'],
  'node-not-ready': ['infrastructure.node-problem'],
  'deadline-no-app-signal': ['infrastructure.progress-deadline-without-app-signal'],
  'pod-sandbox-cni': ['infrastructure.pod-sandbox'],
  'quota-exceeded': ['infrastructure.quota'],
  'healthy-cloneset': [],
  'liveness-and-capacity': ['app.liveness-probe', 'infrastructure.unschedulable-capacity'],
  'platform-sidecar-crash': ['infrastructure.platform-container-crash'],
};

describe('diagnoseRollout on realistic kubectl output', () => {
  test('there are at least eight cases, each with an expectation', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(8);
    expect(Object.keys(CATEGORIES).sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.keys(CATEGORIES))('%s', name => {
    const d = diagnoseRollout(load(name));
    expect(d.verdict).toBe(expected[name]);
    const categories = d.reasons.map(r => r.category);
    for (const c of CATEGORIES[name]) expect(categories).toContain(c);
    if (d.verdict === 'healthy') expect(d.reasons).toEqual([]);
    for (const r of d.reasons) {
      expect(r.object).toMatch(/^(Pod|ReplicaSet|Deployment|CloneSet|StatefulSet)\/feed\//);
      expect(r.evidence.length).toBeGreaterThan(10);
    }
    expect(d.summary.length).toBeGreaterThan(10);
  });

  test('evidence quotes the status: exit code and message of a crash, the OOM kill, the scheduler', () => {
    const crash = diagnoseRollout(load('crash-loop')).reasons.find(r => r.category === 'app.crash-loop')!;
    expect(crash.evidence).toContain('exit code 1');
    expect(crash.evidence).toContain('ranking.model v13 not found');
    expect(diagnoseRollout(load('oom-killed')).reasons[0].evidence).toContain('OOMKilled');
    const sched = diagnoseRollout(load('unschedulable-capacity')).reasons.find(r => r.category === 'infrastructure.unschedulable-capacity')!;
    expect(sched.evidence).toContain('Insufficient cpu');
  });

  test('app reasons come first, and the progress deadline is only blamed on the infrastructure without an app signal', () => {
    const d = diagnoseRollout(load('liveness-and-capacity'));
    const sides = d.reasons.map(r => r.category.split('.')[0]);
    expect(sides).toEqual([...sides].sort((a, b) => ['app', 'infrastructure', 'rollout'].indexOf(a) - ['app', 'infrastructure', 'rollout'].indexOf(b)));
    expect(diagnoseRollout(load('readiness-probe')).reasons.map(r => r.category)).not.toContain('infrastructure.progress-deadline-without-app-signal');
  });

  test('reasons are de-duplicated per category and object (pod status and its BackOff event count once)', () => {
    const d = diagnoseRollout(load('crash-loop'));
    const keys = d.reasons.map(r => `${r.category}|${r.object}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(d.reasons.filter(r => r.category === 'app.crash-loop').length).toBe(3);
  });

  test('input shapes: a List, a single object, nested arrays; nothing useful is unknown', () => {
    const list = load('crash-loop') as { items: unknown[] };
    expect(flattenKubectlOutput(list).length).toBe(list.items.length);
    expect(diagnoseRollout(list.items).verdict).toBe('app');
    expect(diagnoseRollout([[list]]).verdict).toBe('app');
    expect(diagnoseRollout({}).verdict).toBe('unknown');
    expect(diagnoseRollout(null).verdict).toBe('unknown');
    expect(diagnoseRollout('not json').verdict).toBe('unknown');
  });

  test('deterministic: the same input gives the same diagnosis', () => {
    for (const name of Object.keys(CATEGORIES)) expect(diagnoseRollout(load(name))).toEqual(diagnoseRollout(load(name)));
  });
});
