import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { batchFleet } from './support';
import { BatchJob, BatchQueue, Cpu, Duration, FleetValidationError, PLACEMENT_RECORD_FILE, PlatformPodTemplate, Size, parseOutputTree, updatePlacementLock } from '../../src';
import { formatPlan } from '../../src/cli/plan';
import { planReport } from '../../src/cli/plan-report';
import { batchQueueFindings } from '../../src/guardrails/checks';
import { volcanoConfProblems } from '../../src/jobs/volcano';
import { restrictedProblems } from '../support/pod-security';
import { describeWithSchemas, validateAll } from '../support/schemas';
import { tmpDir } from '../support/tmp';

const GENERAL = { cpu: Cpu.units(400), memory: Size.gibibytes(1600) };

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: any };

function objectsOf(r: { objects: ReadonlyArray<{ cluster: string; object: unknown }> }, cluster?: string): Obj[] {
  return r.objects.filter(o => cluster === undefined || o.cluster === cluster).map(o => o.object as Obj);
}

function find(objects: Obj[], kind: string, name: string): Obj {
  const o = objects.find(x => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} among ${objects.map(x => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

function errorsOf(fn: () => unknown): Array<{ rule: string; path: string; message: string }> {
  try {
    fn();
  } catch (e) {
    if (e instanceof FleetValidationError) return e.violations.filter(v => v.severity === 'error').map(v => ({ rule: v.rule, path: v.path, message: v.message }));
    throw e;
  }
  throw new Error('expected a FleetValidationError');
}

function withPlatformTemplate<T extends ReturnType<typeof batchFleet>>(f: T): T {
  new PlatformPodTemplate(f.fleet, 'platform', {
    initContainers: [{ name: 'pki-bootstrap', image: 'registry.internal/pki-bootstrap:1.9.0', resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(64) }, volumeMounts: [{ volume: 'pki', mountPath: '/var/run/pki', readOnly: false }] }],
    sidecars: [{ name: 'sd-proxy', image: 'registry.internal/sd-proxy:2.3.1', resources: { cpu: Cpu.millis(250), memory: Size.mebibytes(256) } }],
    volumes: [{ name: 'pki', emptyDir: { memory: true, sizeLimit: Size.mebibytes(16) }, appMountPath: '/var/run/pki' }],
    podLabels: { 'fleet.cdk8s.io/pki': 'enabled' },
    appEnv: { PKI_DIR: '/var/run/pki' },
  });
  return f;
}

describeWithSchemas('batch objects validate strictly against the real CRDs (Volcano; Kueue at its storage version, CEL rules evaluated)', () => {
  test('Volcano clusters: Queues, the Job, PriorityClasses and the scheduler ConfigMap', () => {
    const r = withPlatformTemplate(batchFleet()).fleet.synthesize();
    const objects = objectsOf(r);
    expect(objects.filter(o => o.apiVersion.startsWith('scheduling.volcano.sh')).length).toBe(6);
    expect(validateAll(objects)).toEqual([]);
  });

  test('Kueue clusters: ResourceFlavors, Cohort, ClusterQueues, LocalQueue, WorkloadPriorityClasses and the Job', () => {
    const f = withPlatformTemplate(batchFleet({ platform: { scheduler: 'kueue' }, job: { tasks: [{ name: 'worker', replicas: 8, resources: { cpu: Cpu.units(32), memory: Size.gibibytes(256), gpus: 4 } }], gangSize: 6 } }));
    const objects = objectsOf(f.fleet.synthesize());
    const kinds = new Set(objects.filter(o => o.apiVersion.startsWith('kueue.x-k8s.io')).map(o => o.kind));
    expect([...kinds].sort()).toEqual(['ClusterQueue', 'Cohort', 'LocalQueue', 'ResourceFlavor', 'WorkloadPriorityClass']);
    expect(objects.every(o => !o.apiVersion.startsWith('kueue') || o.apiVersion === 'kueue.x-k8s.io/v1beta2')).toBe(true);
    expect(validateAll(objects)).toEqual([]);
  });

  test('scheduled jobs: a Volcano CronJob and a Kubernetes CronJob', () => {
    const v = objectsOf(batchFleet({ job: { schedule: '0 3 * * *' } }).fleet.synthesize());
    expect(find(v, 'CronJob', 'ranker-train').apiVersion).toBe('batch.volcano.sh/v1alpha1');
    expect(validateAll(v)).toEqual([]);
    const k = objectsOf(batchFleet({ platform: { scheduler: 'kueue' }, job: { schedule: '0 3 * * *', tasks: [{ name: 'worker', replicas: 2, resources: { cpu: Cpu.units(8), memory: Size.gibibytes(32) } }] } }).fleet.synthesize());
    const cron = find(k, 'CronJob', 'ranker-train');
    expect(cron.apiVersion).toBe('batch/v1');
    expect(cron.spec.jobTemplate.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('ml-training');
    expect(validateAll(k)).toEqual([]);
  });

  test('a Kueue ClusterQueue that breaks its CRD\'s CEL rule is rejected (the rules are evaluated)', () => {
    const objects = objectsOf(batchFleet({ platform: { scheduler: 'kueue' }, job: { tasks: [{ name: 'w', resources: { cpu: Cpu.units(1), memory: Size.gibibytes(1) } }] } }).fleet.synthesize());
    const cq = JSON.parse(JSON.stringify(find(objects, 'ClusterQueue', 'ml-training')));
    cq.spec.resourceGroups[0].flavors[0].resources.pop();
    expect(validateAll([cq]).join('\n')).toMatch(/same number of resources/);
  });
});

describe('the Volcano mapping', () => {
  const f = withPlatformTemplate(batchFleet());
  const r = f.fleet.synthesize();
  const objects = objectsOf(r, 'prod-1');

  test('the queue hierarchy: root → region → team, deserved from the split, guarantees within the parent', () => {
    const region = find(objects, 'Queue', 'region-lva1');
    expect(region.spec.parent).toBe('root');
    // half of the region's quota on each of the two equal clusters
    expect(region.spec.deserved).toEqual({ 'cpu': '1200', 'memory': '8800Gi', 'nvidia.com/gpu': '160' });
    expect(region.spec.capability).toEqual(region.spec.deserved);
    const ml = find(objects, 'Queue', 'ml-training');
    expect(ml.spec.parent).toBe('region-lva1');
    expect(ml.spec.deserved).toEqual({ 'cpu': '600', 'memory': '4500Gi', 'nvidia.com/gpu': '96' });
    expect(ml.spec.weight).toBe(2);
    expect(ml.spec.reclaimable).toBe(true);
    expect(ml.spec.guarantee).toBeUndefined(); // lends everything
    const etl = find(objects, 'Queue', 'data-etl');
    // maxBorrowPercent 50: 1.5 × its share per profile, capped by the region's share (general: 150 cpu → 200, the region's)
    expect(etl.spec.deserved).toEqual({ 'cpu': '250', 'memory': '1100Gi', 'nvidia.com/gpu': '0' });
    expect(etl.spec.capability).toEqual({ 'cpu': '350', 'memory': '1550Gi', 'nvidia.com/gpu': '0' });
    expect(etl.spec.priority).toBe(1);
  });

  test('the Job: a gang of all pods in the team queue, tasks in order, retried as a whole', () => {
    const job = find(objects, 'Job', 'ranker-train');
    expect(job.apiVersion).toBe('batch.volcano.sh/v1alpha1');
    expect(job.metadata.namespace).toBe('ranking-training');
    expect(job.spec).toMatchObject({ schedulerName: 'volcano', queue: 'ml-training', minAvailable: 9, maxRetry: 2, priorityClassName: 'fleet-batch' });
    expect(job.spec.tasks.map((t: any) => [t.name, t.replicas])).toEqual([['driver', 1], ['worker', 8]]);
    expect(job.spec.plugins).toEqual({ svc: ['--disable-network-policy=true'] });
  });

  test('batch pods: restricted, Guaranteed, on the job\'s profile with its taints tolerated, the platform\'s init containers and volumes but not its sidecars', () => {
    const job = find(objects, 'Job', 'ranker-train');
    for (const t of job.spec.tasks) {
      const spec = t.template.spec;
      expect(restrictedProblems(spec)).toEqual([]);
      expect(spec.restartPolicy).toBe('Never');
      expect(spec.nodeSelector).toEqual({ 'fleet.cdk8s.io/node-profile': 'gpu' });
      expect(spec.tolerations).toEqual([{ key: 'fleet.cdk8s.io/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
      expect(spec.initContainers.map((c: any) => c.name)).toEqual(['pki-bootstrap']);
      expect(spec.containers.map((c: any) => c.name)).toEqual([t.name]);
      expect(spec.containers[0].resources.limits).toEqual(spec.containers[0].resources.requests);
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(t.template.metadata.labels['fleet.cdk8s.io/pki']).toBe('enabled');
    }
    expect(job.spec.tasks[1].template.spec.containers[0].resources.requests).toEqual({ 'cpu': '32', 'memory': '256Gi', 'nvidia.com/gpu': '4' });
  });

  test('the scheduler configuration is generated from the queues and passes Volcano\'s configuration rules', () => {
    const cm = find(objects, 'ConfigMap', 'volcano-scheduler-configmap');
    expect(cm.metadata.namespace).toBe('volcano-system');
    const conf = parse(cm.data['volcano-scheduler.conf']);
    expect(conf.actions).toBe('enqueue, allocate, preempt, reclaim, backfill');
    expect(conf.tiers[1].plugins.map((p: any) => p.name)).toEqual(['drf', 'predicates', 'capacity', 'nodeorder', 'binpack']);
    expect(volcanoConfProblems(conf, true)).toEqual([]);
  });

  test('the configuration checker knows what Volcano rejects', () => {
    expect(volcanoConfProblems({ actions: 'allocate, enqueue', tiers: [{ plugins: [{ name: 'gang' }, { name: 'capacity' }, { name: 'proportion' }, { name: 'bin-pack', enableHierachy: true }] }] }, true)).toEqual([
      'enqueue is not the first action',
      "unknown plugin 'bin-pack'",
      "plugin 'bin-pack': unknown option 'enableHierachy'",
      'capacity and proportion both manage queues: use one',
      'queues have parents, but the capacity plugin does not enable hierarchy',
    ]);
  });

  test('batch PriorityClasses sit below the platform\'s service pods', () => {
    const values = objects.filter(o => o.kind === 'PriorityClass').map(o => [o.metadata.name, o.value]);
    expect(values).toEqual(expect.arrayContaining([['fleet-batch-high', 50000], ['fleet-batch', 20000], ['fleet-batch-low', 10000]]));
    expect(Math.max(...values.map(([, v]) => v as number))).toBeLessThan(100000); // fleet-stateless
  });

  test('plan: batch capacity per region, cluster and pool, used vs quota', () => {
    const region = r.plan.jobs.regions[0];
    expect(region.region).toBe('lva1');
    expect(region.byProfile.get('gpu')!.quota).toEqual({ cpuMillis: 2_000_000, memoryMiB: 16000 * 1024, gpus: 320 });
    const c1 = r.plan.jobs.capacity.find(c => c.cluster === 'prod-1')!;
    expect(c1.byPool.get('gpu')!.quota.gpus).toBe(160);
    expect(c1.byProfile.get('gpu')!.queues.gpus).toBe(96);
    expect(c1.byProfile.get('gpu')!.capacity.gpus).toBe(320);
  });
});

describe('the regional split is recorded in the lock record and kept', () => {
  const split = (r: { files: ReadonlyMap<string, string> }) => JSON.parse(r.files.get(PLACEMENT_RECORD_FILE)!).batchQuotaSplits;

  test('the lock record holds the placements and the splits, every cluster of the region named', () => {
    const r = batchFleet().fleet.synthesize();
    const doc = JSON.parse(r.files.get(PLACEMENT_RECORD_FILE)!);
    expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'placements', 'batchQuotaSplits']);
    expect(Object.keys(doc.batchQuotaSplits)).toEqual(['lva1/general', 'lva1/gpu']);
    expect(doc.batchQuotaSplits['lva1/gpu']).toEqual({
      'prod-1': { cpuMillis: 1_000_000, memoryMiB: 8000 * 1024, gpus: 160 },
      'prod-2': { cpuMillis: 1_000_000, memoryMiB: 8000 * 1024, gpus: 160 },
    });
    expect([...r.files.keys()].filter(f => f.includes('batch-quotas'))).toEqual([]);
    expect(r.warnings.map(w => w.rule)).toContain('batch-quota.record.changed');
  });

  test('through the PlacementLock file: adding a cluster to the region moves nothing, the lock says so', () => {
    const lockFile = path.join(tmpDir('fleet-lock-'), 'fleet.lock.json');
    const first = batchFleet({ lockFile }).fleet.synthesize();
    expect(updatePlacementLock(first)).toBe(lockFile);
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8')).batchQuotaSplits).toEqual(split(first));
    // no previous output at all: the lock file alone keeps the split
    const again = batchFleet({ lockFile, clusters: ['prod-1', 'prod-2', 'prod-3'] }).fleet.synthesize();
    const s = again.plan.jobs.splits.get('lva1/gpu')!;
    expect(s.reason).toBe('recorded');
    expect(s.shares.get('prod-3')).toEqual({ cpuMillis: 0, memoryMiB: 0, gpus: 0 });
    for (const c of ['prod-1', 'prod-2']) expect(s.shares.get(c)).toEqual(first.plan.jobs.splits.get('lva1/gpu')!.shares.get(c));
    expect(again.warnings.map(w => w.rule)).not.toContain('batch-quota.record.changed');
    // the lock gains the new cluster's empty share; the split itself is the same
    expect(split(again)['lva1/gpu']['prod-3']).toEqual({ cpuMillis: 0, memoryMiB: 0, gpus: 0 });
    // without the lock, the three clusters would have split the quota afresh
    expect(batchFleet({ clusters: ['prod-1', 'prod-2', 'prod-3'] }).fleet.synthesize().plan.jobs.splits.get('lva1/gpu')!.shares.get('prod-3')!.gpus).toBeGreaterThan(0);
  });

  test('a second synth reads the previous output\'s lock record', () => {
    const f = batchFleet();
    const first = f.fleet.synthesize();
    const outdir = f.fleet.fleetOutdir;
    fs.mkdirSync(outdir, { recursive: true });
    fs.writeFileSync(path.join(outdir, PLACEMENT_RECORD_FILE), first.files.get(PLACEMENT_RECORD_FILE)!);
    const again = batchFleet({ clusters: ['prod-1', 'prod-2', 'prod-3'] }).fleet.synthesize({ previousOutdir: outdir });
    const s = again.plan.jobs.splits.get('lva1/gpu')!;
    expect(s.reason).toBe('recorded');
    expect(s.shares.get('prod-3')).toEqual({ cpuMillis: 0, memoryMiB: 0, gpus: 0 });
  });

  test('migration: an output with the old batch-quotas.lock.json keeps its split, and the next record holds it', () => {
    const f = batchFleet();
    const first = f.fleet.synthesize();
    const outdir = f.fleet.fleetOutdir;
    fs.mkdirSync(outdir, { recursive: true });
    // an output of the version before: placements in the record, the splits in a file of their own
    const doc = JSON.parse(first.files.get(PLACEMENT_RECORD_FILE)!);
    const legacy = { apiVersion: 'fleet.cdk8s.io/v1alpha1', kind: 'BatchQuotaSplit', splits: doc.batchQuotaSplits };
    delete doc.batchQuotaSplits;
    fs.writeFileSync(path.join(outdir, PLACEMENT_RECORD_FILE), `${JSON.stringify(doc, null, 2)}\n`);
    fs.writeFileSync(path.join(outdir, 'batch-quotas.lock.json'), `${JSON.stringify(legacy, null, 2)}\n`);
    const again = batchFleet({ clusters: ['prod-1', 'prod-2', 'prod-3'] }).fleet.synthesize({ previousOutdir: outdir });
    expect(again.plan.jobs.splits.get('lva1/gpu')!.reason).toBe('recorded');
    expect(again.plan.jobs.splits.get('lva1/gpu')!.shares.get('prod-3')!.gpus).toBe(0);
    expect(split(again)['lva1/gpu']['prod-1']).toEqual(legacy.splits['lva1/gpu']['prod-1']);
    expect(again.files.has('batch-quotas.lock.json')).toBe(false);
    // a broken legacy file is reported, not ignored
    fs.writeFileSync(path.join(outdir, 'batch-quotas.lock.json'), '{"kind":"Other"}');
    expect(errorsOf(() => batchFleet().fleet.synthesize({ previousOutdir: outdir })).map(e => e.rule)).toEqual(['batch-quota.record']);
  });

  test('migration through a real write: the old file leaves the output, the split stays where it was', () => {
    const f = batchFleet();
    f.fleet.synth();
    const outdir = f.fleet.fleetOutdir;
    const recordFile = path.join(outdir, PLACEMENT_RECORD_FILE);
    // make the output one of the version before: the splits in batch-quotas.lock.json, listed in the marker
    const doc = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
    const before = doc.batchQuotaSplits;
    delete doc.batchQuotaSplits;
    fs.writeFileSync(recordFile, `${JSON.stringify(doc, null, 2)}\n`);
    fs.writeFileSync(path.join(outdir, 'batch-quotas.lock.json'), `${JSON.stringify({ apiVersion: 'fleet.cdk8s.io/v1alpha1', kind: 'BatchQuotaSplit', splits: before }, null, 2)}\n`);
    const marker = path.join(outdir, '.cdk8s-fleet');
    fs.writeFileSync(marker, `${fs.readFileSync(marker, 'utf8')}batch-quotas.lock.json\n`);
    // the region grows by a cluster; the next synth into the same directory reads the old file
    batchFleet({ fleet: { outdir }, clusters: ['prod-1', 'prod-2', 'prod-3'] }).fleet.synth();
    expect(fs.existsSync(path.join(outdir, 'batch-quotas.lock.json'))).toBe(false);
    const after = JSON.parse(fs.readFileSync(recordFile, 'utf8')).batchQuotaSplits;
    for (const key of ['lva1/general', 'lva1/gpu']) {
      expect(after[key]).toEqual({ ...before[key], 'prod-3': { cpuMillis: 0, memoryMiB: 0, gpus: 0 } });
    }
  });

  test('a lock file and a previous output that record different splits are a conflict; a bad section is named', () => {
    const dir = tmpDir('fleet-lock-');
    const lockFile = path.join(dir, 'fleet.lock.json');
    const f = batchFleet({ lockFile });
    const first = f.fleet.synthesize();
    updatePlacementLock(first);
    const outdir = f.fleet.fleetOutdir;
    fs.mkdirSync(outdir, { recursive: true });
    const doc = JSON.parse(first.files.get(PLACEMENT_RECORD_FILE)!);
    doc.batchQuotaSplits['lva1/gpu']['prod-1'].gpus = 200;
    doc.batchQuotaSplits['lva1/gpu']['prod-2'].gpus = 120;
    fs.writeFileSync(path.join(outdir, PLACEMENT_RECORD_FILE), JSON.stringify(doc));
    const errors = errorsOf(() => batchFleet({ lockFile }).fleet.synthesize({ previousOutdir: outdir }));
    expect(errors.map(e => e.rule)).toEqual(['batch-quota.record.conflict']);
    expect(errors[0].message).toMatch(/'lva1\/gpu' .*gpus 160.*fleet\.lock\.json, section batchQuotaSplits but .*gpus 200.* in the previous output/);
    doc.batchQuotaSplits = { 'lva1/gpu': { 'prod-1': { cpuMillis: -1, memoryMiB: 0, gpus: 0 } } };
    fs.writeFileSync(path.join(outdir, PLACEMENT_RECORD_FILE), JSON.stringify(doc));
    const bad = errorsOf(() => batchFleet({ lockFile }).fleet.synthesize({ previousOutdir: outdir }));
    expect(bad.map(e => e.rule)).toEqual(['batch-quota.record']);
    expect(bad[0].message).toMatch(/share of 'prod-1' in 'lva1\/gpu' must have whole, non-negative/);
  });

  test('a smaller quota would move quota between clusters: guarded, and allowed with the override', () => {
    const f = batchFleet();
    const first = f.fleet.synthesize();
    const outdir = f.fleet.fleetOutdir;
    fs.mkdirSync(outdir, { recursive: true });
    fs.writeFileSync(path.join(outdir, PLACEMENT_RECORD_FILE), first.files.get(PLACEMENT_RECORD_FILE)!);
    const smaller = { regionalQuotas: { lva1: { gpu: { cpu: Cpu.units(1600), memory: Size.gibibytes(12000), gpus: 256 }, general: GENERAL } } };
    const errors = errorsOf(() => batchFleet({ platform: smaller }).fleet.synthesize({ previousOutdir: outdir }));
    expect(errors.map(e => e.rule)).toEqual(['batch-quota.move']);
    expect(errors[0].message).toMatch(/region 'lva1'/);
    const ok = batchFleet({ platform: smaller }).fleet.synthesize({ previousOutdir: outdir, overrides: ['batch-quota-move:lva1/gpu'] });
    expect(ok.warnings.map(w => w.rule)).toContain('batch-quota.moved');
    expect(ok.plan.jobs.splits.get('lva1/gpu')!.shares.get('prod-1')!.gpus).toBe(128);
    expect(split(ok)['lva1/gpu']['prod-1'].gpus).toBe(128);
  });
});

describe('bad input: each a named violation, nothing written', () => {
  test('quota over capacity names the region, profile, clusters and the shortfall', () => {
    const over = { regionalQuotas: { lva1: { gpu: { cpu: Cpu.units(2000), memory: Size.gibibytes(16000), gpus: 330 }, general: GENERAL } } };
    const errors = errorsOf(() => batchFleet({ gpuNodes: 20, platform: over }).fleet.synthesize());
    expect(errors.map(e => e.rule)).toEqual(['batch-quota.capacity']);
    expect(errors[0].message).toMatch(/node profile 'gpu' in region 'lva1'.*gpus 330 > 320.*prod-1 .*prod-2/);
  });

  test('unknown profile and unknown region', () => {
    const errors = errorsOf(() => batchFleet({
      platform: { regionalQuotas: { lva1: { tpu: { cpu: Cpu.units(1), memory: Size.gibibytes(1) } }, mars1: { gpu: GENERAL } } },
    }).fleet.synthesize());
    expect(errors.map(e => e.rule).sort()).toEqual(['batch-quota.region.known', 'jobs.profile.known']);
  });

  test('negative or fractional GPUs, in quotas and tasks', () => {
    const errors = errorsOf(() => batchFleet({
      queue: { quota: { gpu: { cpu: Cpu.units(10), memory: Size.gibibytes(10), gpus: -1 } } },
      job: { tasks: [{ name: 'w', resources: { cpu: Cpu.units(1), memory: Size.gibibytes(1), gpus: 0.5 } }] },
    }).fleet.synthesize());
    expect(errors.map(e => e.rule)).toEqual(['jobs.gpus.whole', 'jobs.gpus.whole']);
    expect(errors.map(e => e.message).join('\n')).toMatch(/quota\.gpu\.gpus is -1[\s\S]*tasks\[0\]\.resources\.gpus is 0\.5/);
  });

  test('a gang larger than the queue\'s capability never starts', () => {
    const errors = errorsOf(() => batchFleet({ queue: { maxBorrowPercent: 0 }, job: { tasks: [{ name: 'worker', replicas: 30, resources: { cpu: Cpu.units(16), memory: Size.gibibytes(64), gpus: 4 } }] } }).fleet.synthesize());
    // (its 120 GPUs are also more than the namespace's quota admits)
    expect(errors.map(e => e.rule)).toEqual(['batch-job.gang.capability', 'batch-job.namespace-quota']);
    expect(errors[0].message).toMatch(/gpus 120 > 96/);
  });

  test('queues over their region, GPU tasks on a profile without GPUs, a job outside a batch namespace', () => {
    const f = batchFleet({ queue: { quota: { gpu: { cpu: Cpu.units(1900), memory: Size.gibibytes(9000), gpus: 192 } } }, job: { nodeProfile: 'general' } });
    const errors = errorsOf(() => f.fleet.synthesize());
    expect(errors.map(e => e.rule).sort()).toEqual(['batch-job.gpu-profile', 'batch-job.queue.profile', 'batch-queue.over-region']);
  });

  test('bad job props are reported together', () => {
    const f = batchFleet({ job: { image: 'registry.internal/ml/ranker', gangSize: 99, retries: -1, schedule: 'daily', deadline: Duration.millis(1500) } });
    const errors = errorsOf(() => f.fleet.synthesize());
    expect(errors.map(e => e.rule).sort()).toEqual(['batch-job.gang', 'batch-job.image.pinned', 'batch-job.retries', 'batch-job.schedule', 'batch-job.time']);
    expect(fs.existsSync(f.fleet.fleetOutdir)).toBe(false);
  });

  test('a job of several tasks on a Kueue cluster is named, with the fix', () => {
    const errors = errorsOf(() => batchFleet({ platform: { clusterSchedulers: { 'prod-1': 'kueue' } } }).fleet.synthesize());
    expect(errors.map(e => e.rule)).toEqual(['batch-job.kueue.tasks']);
  });

  test('a queue outside the platform and a job in a stateless namespace', () => {
    const f = batchFleet();
    new BatchQueue(f.fleet, 'stray', { team: 'x', region: 'lva1', quota: {} });
    const errors = errorsOf(() => f.fleet.synthesize());
    expect(errors.map(e => e.rule)).toEqual(['batch-queue.parent']);
    const g = batchFleet();
    const { AppNamespace } = jest.requireActual('../../src');
    const svc = new AppNamespace(g.fleet, 'svc', { app: 'svc', tenant: 'stateless', nodeProfile: 'general', reserve: { cpu: Cpu.units(1), memory: Size.gibibytes(1), pods: 1 } });
    new BatchJob(svc, 'j', { queue: g.queue, image: 'r/x:1.0.0', tasks: [{ name: 'w', resources: { cpu: Cpu.units(1), memory: Size.gibibytes(1) } }] });
    expect(errorsOf(() => g.fleet.synthesize()).map(e => e.rule)).toEqual(['batch-job.namespace']);
  });
});

describe('cdk8s-fleet plan shows batch capacity', () => {
  test('per region, cluster, node profile and pool: queues / quota / capacity, from the output alone', () => {
    const r = batchFleet().fleet.synthesize();
    const report = planReport(parseOutputTree(r.files));
    const region = report.batch!.regions[0];
    expect(region.name).toBe('lva1');
    expect(region.byProfile.gpu.quota.gpus).toBe(320);
    const c1 = report.batch!.clusters.find(c => c.name === 'prod-1')!;
    expect(Object.keys(c1.byProfile)).toEqual(['general', 'gpu']);
    expect(c1.byPool!.gpu.queues.gpus).toBe(96);
    const text = formatPlan(report);
    expect(text).toContain('batch (region lva1, scheduler volcano):');
    expect(text).toMatch(/gpu\s+.*96 \/ 160 \/ 320/);
    expect(text).toContain('batch quotas per region');
    expect(text).toMatch(/lva1\s+gpu\s+.*192 \/ 320 \/ 640/);
    // the team queues: on each cluster its share and what it may use with borrowing, over the region their sums
    expect(c1.scheduler).toBe('volcano');
    expect(c1.queues.map(q => [q.queue, q.team, Object.keys(q.byProfile)])).toEqual([['data-etl', 'data', ['general', 'gpu']], ['ml-training', 'ml', ['gpu']]]);
    expect(c1.queues[1].byProfile.gpu).toEqual({
      quota: { cpuMillis: 600_000, memoryMiB: 4500 * 1024, gpus: 96 },
      capability: { cpuMillis: 1_000_000, memoryMiB: 8000 * 1024, gpus: 160 },
    });
    expect(text).toMatch(/ml-training\s+ml\s+gpu\s+600 \/ 1,000\s+4,500Gi \/ 8,000Gi\s+96 \/ 160/);
    expect(text).toContain('queues of region lva1 (quota and most use, over its clusters):');
    expect(text).toMatch(/ml-training\s+ml\s+gpu\s+1,200 \/ 2,000\s+9,000Gi \/ 16,000Gi\s+192 \/ 320/);
    const kueue = planReport(parseOutputTree(batchFleet({ platform: { clusterSchedulers: { 'prod-2': 'kueue' } } }).fleet.synthesize().files));
    expect(kueue.batch!.clusters.map(c => [c.name, c.scheduler])).toEqual([['prod-1', 'volcano'], ['prod-2', 'kueue']]);
    expect(formatPlan(kueue)).toContain('batch (region lva1, scheduler kueue):');
  });
});

describe('guardrails for batch queues (change-aware, against the previous output)', () => {
  function previousOf(f: ReturnType<typeof batchFleet>): string {
    f.fleet.synth();
    return f.fleet.fleetOutdir;
  }

  test('a team queue that shrinks is guarded; the override allows it', () => {
    const previous = previousOf(batchFleet());
    const smaller = { quota: { gpu: { cpu: Cpu.units(1000), memory: Size.gibibytes(9000), gpus: 160 } } };
    const errors = errorsOf(() => batchFleet({ queue: smaller }).fleet.synthesize({ previousOutdir: previous }));
    expect(errors.map(e => e.rule)).toEqual(['guardrails.batch-queue-shrink', 'guardrails.batch-queue-shrink']);
    expect(errors[0].message).toMatch(/Queue 'ml-training' in cluster 'prod-1' shrinks on cpu, nvidia.com\/gpu/);
    const ok = batchFleet({ queue: smaller }).fleet.synthesize({
      previousOutdir: previous, overrides: ['batch-queue-shrink:prod-1/ml-training', 'batch-queue-shrink:prod-2/ml-training'],
    });
    expect(ok.warnings.filter(w => w.rule === 'guardrails.batch-queue-shrink').length).toBe(2);
  });

  test('a growing queue is no change to guard; removing a queue whose jobs remain is', () => {
    const previous = previousOf(batchFleet());
    const bigger = { quota: { gpu: { cpu: Cpu.units(1300), memory: Size.gibibytes(9000), gpus: 200 } } };
    expect(() => batchFleet({ queue: bigger }).fleet.synthesize({ previousOutdir: previous })).not.toThrow();
    const f = batchFleet();
    f.platform.node.tryRemoveChild('data-etl');
    expect(() => f.fleet.synthesize({ previousOutdir: previous })).not.toThrow(); // no jobs of data-etl
  });
});

describe('batchQueueFindings', () => {
  const state = (objs: Obj[]) => new Map(objs.map(o => [`c|${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`, { cluster: 'c', object: o as any, source: 'x' }]));
  const queue = (deserved: Record<string, string>): Obj => ({ apiVersion: 'scheduling.volcano.sh/v1beta1', kind: 'Queue', metadata: { name: 'q' }, spec: { parent: 'region-r', deserved } });
  const job: Obj = { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: { name: 'j', namespace: 'ns' }, spec: { queue: 'q' } };

  test('a removed queue whose jobs remain, a shrunk queue; region queues and growth are not findings', () => {
    expect(batchQueueFindings(state([queue({ cpu: '10' }), job]), state([job])).map(f => f.message)).toEqual([
      "Queue 'q' in cluster 'c' would be deleted, but jobs are still submitted to it: ns/j",
    ]);
    expect(batchQueueFindings(state([queue({ cpu: '10', memory: '1Gi' })]), state([queue({ cpu: '10', memory: '512Mi' })])).map(f => f.target)).toEqual(['c/q']);
    expect(batchQueueFindings(state([queue({ cpu: '10' })]), state([queue({ cpu: '12' })]))).toEqual([]);
    const region: Obj = { ...queue({ cpu: '10' }), spec: { parent: 'root', deserved: { cpu: '10' } } };
    expect(batchQueueFindings(state([region]), state([]))).toEqual([]);
  });
});

describe('the schedulers\' CRDs are delete-protected in the cluster', () => {
  test('the delete-protected admission policy protects the CRDs of the batch objects rendered there (Volcano\'s, Kueue\'s)', () => {
    const r = batchFleet({ platform: { clusterSchedulers: { 'prod-2': 'kueue' } }, job: { tasks: [{ name: 'w', resources: { cpu: Cpu.units(1), memory: Size.gibibytes(1) } }] } }).fleet.synthesize();
    const policy = (cluster: string) => JSON.stringify(objectsOf(r, cluster).find(o => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === 'fleet-guardrails-delete-protected'));
    expect(policy('prod-1')).toContain('the CustomResourceDefinitions of batch.volcano.sh, fleet.cdk8s.io, scheduling.volcano.sh are protected');
    expect(policy('prod-2')).toContain('the CustomResourceDefinitions of fleet.cdk8s.io, kueue.x-k8s.io are protected');
  });
});

describe('Kueue ClusterQueue namespaces', () => {
  test('a queue with no namespace on a cluster selects none (no selector: an empty In list is invalid)', () => {
    const r = batchFleet({ platform: { scheduler: 'kueue' }, job: { tasks: [{ name: 'w', resources: { cpu: Cpu.units(1), memory: Size.gibibytes(1) } }] } }).fleet.synthesize();
    expect(find(objectsOf(r, 'prod-2'), 'ClusterQueue', 'ml-training').spec.namespaceSelector).toBeUndefined();
    expect(find(objectsOf(r, 'prod-1'), 'ClusterQueue', 'ml-training').spec.namespaceSelector).toEqual({
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ranking-training'] }],
    });
    expect(find(objectsOf(r, 'prod-1'), 'LocalQueue', 'ml-training').metadata.namespace).toBe('ranking-training');
  });
});
