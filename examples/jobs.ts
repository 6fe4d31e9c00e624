/**
 * The example jobs platform: Volcano on the lva1 clusters, Kueue on ltx1;
 * each region's batch quota split over its clusters; a GPU training queue, a
 * Spark-style job (a driver and its executors, gang-scheduled) and a nightly
 * GPU batch job on Kueue.
 */
import { AppNamespace, BatchJob, BatchPlatform, BatchQueue, Cpu, Duration, Fleet, Size } from '../src';

/** Adds the jobs platform to a fleet built by `buildExampleFleet`, its jobs in the onboarded batch namespaces. */
export function addExampleJobs(fleet: Fleet, onboarded: readonly AppNamespace[]): void {
  const namespace = (app: string) => onboarded.find(ns => ns.appName === app)!;
  const batch = new BatchPlatform(fleet, 'batch', {
    clusterSchedulers: { 'ltx1-prod-1': 'kueue' },
    regionalQuotas: {
      lva1: {
        'gpu': { cpu: Cpu.units(20000), memory: Size.gibibytes(200000), gpus: 2400 },
        'high-memory': { cpu: Cpu.units(60000), memory: Size.gibibytes(600000) },
      },
      ltx1: {
        gpu: { cpu: Cpu.units(8000), memory: Size.gibibytes(80000), gpus: 960 },
      },
    },
  });

  // a GPU training queue: guaranteed (never preempted), high priority
  const training = new BatchQueue(batch, 'ml-training', {
    team: 'ml',
    region: 'lva1',
    quota: { gpu: { cpu: Cpu.units(12000), memory: Size.gibibytes(120000), gpus: 1600 } },
    weight: 3,
    priority: 'high',
    preemptible: false,
  });
  // Spark-style data processing on high-memory nodes: lends half its quota, borrows up to a quarter more
  const spark = new BatchQueue(batch, 'data-spark', {
    team: 'data',
    region: 'lva1',
    quota: { 'high-memory': { cpu: Cpu.units(40000), memory: Size.gibibytes(400000) } },
    maxBorrowPercent: 25,
    maxLendPercent: 50,
  });
  const inference = new BatchQueue(batch, 'ml-batch-inference', {
    team: 'ml',
    region: 'ltx1',
    quota: { gpu: { cpu: Cpu.units(4000), memory: Size.gibibytes(40000), gpus: 480 } },
    priority: 'low',
  });

  new BatchJob(namespace('feed-ranking-training'), 'ranker-train', {
    queue: training,
    image: 'registry.internal/ml/ranker-train:2.4.0',
    tasks: [
      { name: 'coordinator', resources: { cpu: Cpu.units(8), memory: Size.gibibytes(32) } },
      { name: 'worker', replicas: 16, resources: { cpu: Cpu.units(40), memory: Size.gibibytes(320), gpus: 4 }, args: ['--epochs=20', '--model=ranker-v13'] },
    ],
    retries: 2,
    deadline: Duration.hours(12),
  });

  new BatchJob(namespace('spark-etl'), 'member-events-etl', {
    queue: spark,
    image: 'registry.internal/data/spark:3.5.1-li.2',
    tasks: [
      { name: 'driver', resources: { cpu: Cpu.units(8), memory: Size.gibibytes(32) }, args: ['driver', '--class=com.linkedin.etl.MemberEvents'] },
      { name: 'executor', replicas: 64, resources: { cpu: Cpu.units(16), memory: Size.gibibytes(120) }, args: ['executor'] },
    ],
    // the driver and 32 executors start together; the rest join as they are placed
    gangSize: 33,
    deadline: Duration.hours(6),
  });

  new BatchJob(namespace('llm-inference-batch'), 'nightly-embeddings', {
    queue: inference,
    image: 'registry.internal/ml/embeddings:1.8.0',
    tasks: [{ name: 'worker', replicas: 16, resources: { cpu: Cpu.units(16), memory: Size.gibibytes(128), gpus: 2 } }],
    schedule: '0 2 * * *',
    deadline: Duration.hours(4),
  });
}
