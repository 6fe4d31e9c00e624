import { ApiObject } from 'cdk8s';
import { buildExampleFleet } from '../../examples/fleet';
import { AppNamespace, Cpu, FleetValidationError, LiStatefulSet, Size } from '../../src';
import { EvictionReview, qosClassOf } from '../../src/maintenance/eviction';
import { MaintenanceReport, parseMaintenanceReport } from '../../src/maintenance/report';
import { tmpOutdir } from '../support/fleet';
import { workloadFleet } from '../workloads/support';

function reportsOf(files: ReadonlyMap<string, string>): MaintenanceReport[] {
  return [...files].filter(([f]) => f.endsWith('/maintenance.json')).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => parseMaintenanceReport(t)!);
}

const PATHS = ['api-eviction', 'node-pressure', 'preemption', 'taint-based', 'kubelet-restart'];

function reaches(e: EvictionReview): string {
  return e.paths.map(p => (p.reaches ? '1' : '0')).join('');
}

describe('the eviction review of the example fleet', () => {
  const reports = reportsOf(buildExampleFleet({ outdir: tmpOutdir() }).synthesize().files);
  const rows = reports.flatMap(r => r.evictions);
  const row = (cluster: string, name: string) => {
    const found = rows.filter(e => e.cluster === cluster && `${e.namespace}/${e.name}${e.task ? `#${e.task}` : ''}` === name);
    expect(found).toHaveLength(1);
    return found[0];
  };

  test('every row: cluster, kind, workload, QoS class, priority, and which of the five paths reach it (api-eviction, node-pressure, preemption, taint-based, kubelet-restart)', () => {
    // like the approver, the backups are system-cluster-critical: no app or batch pod preempts them
    const backups = (cluster: string, n: number) => Array.from({ length: n }, (_, i) => [cluster, 'CronJob', `etcd-backup/etcd-snapshot-etcd-${i + 1}`, 'Burstable', 'system-cluster-critical', 2000000000, '11010']);
    const approver = (cluster: string) => [cluster, 'Deployment', 'fleet-system/kubelet-serving-csr-approver', 'Burstable', 'system-cluster-critical', 2000000000, '11010'];
    expect(rows.map(e => [e.cluster, e.kind, `${e.namespace}/${e.name}${e.task ? `#${e.task}` : ''}`, e.qosClass, e.priority.className ?? '-', e.priority.value, reaches(e)])).toEqual([
      ...backups('hub', 3),
      approver('hub'),
      ...backups('ltx1-prod-1', 5),
      approver('ltx1-prod-1'),
      // shard holders: no API eviction (their budget is 0), preemptible only by the approver when the cluster is full, exclusive CPUs
      ['ltx1-prod-1', 'StatefulSet', 'kafka-tracking/kafka-tracking', 'Guaranteed', 'fleet-stateful', 200000, '01111'],
      ['ltx1-prod-1', 'CronJob', 'llm-inference-batch/nightly-embeddings', 'Guaranteed', 'fleet-batch-low', 10000, '11111'],
      ...backups('lva1-prod-1', 5),
      ['lva1-prod-1', 'Deployment', 'feed/feed', 'Guaranteed', 'fleet-stateless', 100000, '11110'],
      ['lva1-prod-1', 'Deployment', 'feed/feed-canary', 'Guaranteed', 'fleet-stateless', 100000, '11110'],
      approver('lva1-prod-1'),
      // members-api, federated over the two clusters of lva1: its share in each, its canary in the first (lva1-prod-2)
      ['lva1-prod-1', 'Deployment', 'members-api/members-api', 'Guaranteed', 'fleet-stateless', 100000, '11110'],
      ...backups('lva1-prod-2', 5),
      ['lva1-prod-2', 'Job', 'feed-ranking-training/ranker-train#coordinator', 'Guaranteed', 'fleet-batch-high', 50000, '11111'],
      ['lva1-prod-2', 'Job', 'feed-ranking-training/ranker-train#worker', 'Guaranteed', 'fleet-batch-high', 50000, '11111'],
      approver('lva1-prod-2'),
      ['lva1-prod-2', 'CloneSet', 'members-api/members-api', 'Guaranteed', 'fleet-stateless', 100000, '11110'],
      ['lva1-prod-2', 'CloneSet', 'members-api/members-api-canary', 'Guaranteed', 'fleet-stateless', 100000, '11110'],
      ['lva1-prod-2', 'CloneSet', 'ranker/ranker', 'Guaranteed', 'fleet-stateless', 100000, '11111'],
      ['lva1-prod-2', 'Job', 'spark-etl/member-events-etl#driver', 'Guaranteed', 'fleet-batch', 20000, '11110'],
      ['lva1-prod-2', 'Job', 'spark-etl/member-events-etl#executor', 'Guaranteed', 'fleet-batch', 20000, '11110'],
    ]);
    for (const e of rows) {
      expect(e.paths.map(p => p.path)).toEqual(PATHS);
      expect(e.findings).toEqual([]);
      for (const p of e.paths) expect(p.facts.length).toBeGreaterThan(0);
    }
  });

  test('the facts that decide each path', () => {
    const feed = row('lva1-prod-1', 'feed/feed');
    expect(feed.paths[0].facts).toEqual(['PodDisruptionBudget feed: 4 of 40 pod(s) may be evicted at once']);
    expect(feed.paths[1].facts).toEqual(expect.arrayContaining(['QoS Guaranteed', "hard thresholds of node profile 'general': memory.available<500Mi, nodefs.available<10%, imagefs.available<15%", "emptyDir 'tmp' over 1Gi evicts the pod"]));
    expect(feed.paths[2].facts[0]).toBe('priority fleet-stateless (100000)');
    expect(feed.paths[3].facts).toEqual([
      "node.kubernetes.io/not-ready: tolerated 300 s (the apiserver's default), then its pods are deleted from the node",
      "node.kubernetes.io/unreachable: tolerated 300 s (the apiserver's default), then its pods are deleted from the node",
    ]);
    expect(feed.paths[4].facts).toEqual(['a kubelet restart or upgrade leaves running pods alone']);

    const kafka = row('ltx1-prod-1', 'kafka-tracking/kafka-tracking');
    expect(kafka.paths[0].facts).toEqual([
      'PodDisruptionBudget kafka-tracking: 0 of 12 pod(s) may be evicted at once',
      'no eviction through the API: a drain waits until the stateful operator, once the shard manager agrees, deletes the pod',
    ]);
    expect(kafka.paths[2].facts[1]).toMatch(/^preemptible by system-cluster-critical \(2000000000\), only when no node of the cluster has room for it on node profile 'local-ssd'/);
    expect(kafka.paths[3].facts[2]).toMatch(/StatefulSet pod deleted from an unreachable node is not started again/);
    expect(kafka.paths[4].facts[1]).toMatch(/exclusive CPUs \(static CPU manager of node profile 'local-ssd'\)/);

    const ranker = row('lva1-prod-2', 'ranker/ranker');
    expect(ranker.paths[2].facts).toEqual(expect.arrayContaining([expect.stringMatching(/^preemptible by system-cluster-critical/)]));
    expect(ranker.paths[4].facts[1]).toMatch(/static CPU manager of node profile 'gpu'/);

    const etl = row('lva1-prod-2', 'spark-etl/member-events-etl#executor');
    expect(etl.paths[0].facts[0]).toMatch(/^batch pods: a drain evicts them and their job controller starts them again \(within \d+ retries of the job\)/);
    expect(etl.paths[3].facts).toContain('a batch pod deleted from a dead node counts as a failure of its job');
    const training = row('lva1-prod-2', 'feed-ranking-training/ranker-train#worker');
    // service pods of a higher priority share the gpu profile
    expect(training.paths[2].facts).toEqual(expect.arrayContaining([expect.stringMatching(/^preemptible by fleet-stateless \(100000\) on node profile 'gpu': ranker\/ranker$/)]));

    const approver = row('hub', 'fleet-system/kubelet-serving-csr-approver');
    expect(approver.paths[0].facts).toEqual(['PodDisruptionBudget kubelet-serving-csr-approver: 1 of 2 pod(s) may be evicted at once']);
    expect(approver.paths[1].facts).toContain('CPU limit above request (approver: 10m → 200m): CPU is throttled, never a reason to evict');
    expect(approver.paths[2].facts).toEqual(['priority system-cluster-critical (2000000000)', 'nothing of a higher priority may share its nodes on the cluster (it selects no node profile)']);
  });

  test('the example\'s policies: budgets from spare capacity, a whole zone at once, the stateful operator approves shard holders', () => {
    const ltx = reports.find(r => r.cluster === 'ltx1-prod-1')!.policy;
    expect(ltx.maxZonesInFlight).toBe(1);
    expect(ltx.approvals).toContainEqual({ when: 'ShardHolders', approver: 'StatefulOperator' });
    for (const r of reports) {
      expect(r.policy.maxNodesInFlight).toBe(r.policy.maxNodesInFlightByProfile.reduce((n, b) => n + b.nodes, 0));
      for (const b of r.policy.maxNodesInFlightByProfile) expect(b.nodes).toBeLessThanOrEqual(b.nodesTotal);
    }
  });
});

describe('eviction review findings', () => {
  const pod = (extra: Record<string, unknown> = {}, resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } }) => ({
    nodeSelector: { 'fleet.cdk8s.io/node-profile': 'general' },
    containers: [{ name: 'x', image: 'registry.internal/x:1.0.0', resources }],
    ...extra,
  });
  const deployment = (scope: any, name: string, replicas: number, spec: Record<string, unknown>) => new ApiObject(scope, name, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'legacy' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
  });
  const findings = (fleet: { synthesize(): unknown }) => {
    try {
      fleet.synthesize();
      return [];
    } catch (e) {
      if (!(e instanceof FleetValidationError)) throw e;
      return e.violations.filter(v => v.rule.startsWith('maintenance.')).map(v => `${v.severity} ${v.rule} ${v.path}`).sort();
    }
  };

  test('a shard holder preemptible by pods of a higher priority confined to its node profile is an error (preemption ignores its budget)', () => {
    const f = workloadFleet();
    const ns = new AppNamespace(f.fleet, 'kafka', { app: 'kafka-tracking', tenant: 'stateful', nodeProfile: f.ssd });
    new LiStatefulSet(ns, 'kafka', {
      application: 'kafka-tracking',
      version: { app: '3.7.1' },
      replicas: 3,
      resources: { cpu: Cpu.units(4), memory: Size.gibibytes(16) },
      storage: Size.tebibytes(1),
      acmEndpoint: 'https://acm.internal/clusters/kafka-tracking',
    });
    deployment(f.cluster, 'urgent', 2, pod({
      priorityClassName: 'system-cluster-critical',
      nodeSelector: { 'fleet.cdk8s.io/node-profile': 'local-ssd' },
      tolerations: [{ key: 'fleet.cdk8s.io/local-ssd', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
    }));
    new ApiObject(f.cluster, 'urgent-pdb', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'urgent', namespace: 'legacy' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'urgent' } } } });
    expect(findings(f.fleet)).toEqual(['error maintenance.eviction.shard-preemptible kafka/kafka']);
  });

  test('warnings: a replicated workload without a budget, a single replica, a memory limit above the request', () => {
    const f = workloadFleet();
    deployment(f.cluster, 'no-budget', 3, pod());
    deployment(f.cluster, 'single', 1, pod());
    deployment(f.cluster, 'bursty', 2, pod({}, { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '512Mi' } }));
    new ApiObject(f.cluster, 'bursty-pdb', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'bursty', namespace: 'legacy' }, spec: { minAvailable: '50%', selector: { matchLabels: { app: 'bursty' } } } });
    const r = f.fleet.synthesize();
    const warnings = r.warnings.filter(v => v.rule.startsWith('maintenance.')).map(v => `${v.rule} ${v.path}`).sort();
    expect(warnings).toEqual([
      'maintenance.eviction.memory-above-request prod-1/bursty',
      'maintenance.eviction.no-budget prod-1/no-budget',
      'maintenance.eviction.single-replica prod-1/single',
    ]);
    const review = reportsOf(r.files)[0].evictions.find(e => e.name === 'bursty')!;
    expect(review.qosClass).toBe('Burstable');
    expect(review.paths[0].facts).toEqual(['PodDisruptionBudget bursty: 1 of 2 pod(s) may be evicted at once']);
  });

  test('QoS classes as Kubernetes tells them', () => {
    expect(qosClassOf({ containers: [{ name: 'a' }] })).toBe('BestEffort');
    expect(qosClassOf({ containers: [{ name: 'a', cpuRequest: 100, cpuLimit: 100, memoryRequest: 64, memoryLimit: 64 }] })).toBe('Guaranteed');
    expect(qosClassOf({ containers: [{ name: 'a', cpuLimit: 100, memoryLimit: 64 }] })).toBe('Guaranteed');
    expect(qosClassOf({ containers: [{ name: 'a', cpuRequest: 100, cpuLimit: 200, memoryRequest: 64, memoryLimit: 64 }] })).toBe('Burstable');
    expect(qosClassOf({ containers: [{ name: 'a', cpuRequest: 100, cpuLimit: 100, memoryRequest: 64, memoryLimit: 64 }, { name: 'b', memoryRequest: 1 }] })).toBe('Burstable');
  });
});
