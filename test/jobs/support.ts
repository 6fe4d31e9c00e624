/**
 * Test support: a small fleet with a batch platform — two clusters of one
 * region with general and GPU pools, a batch namespace, a GPU queue and a
 * Spark-style job.
 */
import { AppNamespace, BatchJob, BatchJobProps, BatchPlatform, BatchPlatformProps, BatchQueue, BatchQueueProps, Cluster, Cpu, Fleet, FleetProps, NodeProfile, PlacementLock, RequiredDaemonSet, Size } from '../../src';
import { tmpOutdir } from '../support/fleet';

/** Options of {@link batchFleet}. */
export interface BatchFleetOptions {
  readonly fleet?: FleetProps;
  readonly platform?: Partial<BatchPlatformProps>;
  readonly queue?: Partial<BatchQueueProps>;
  readonly job?: Partial<BatchJobProps>;
  /** Clusters of region lva1. @default ['prod-1', 'prod-2'] */
  readonly clusters?: readonly string[];
  /** GPU nodes per cluster. @default 40 */
  readonly gpuNodes?: number;
  /** The file of a PlacementLock. @default - no PlacementLock */
  readonly lockFile?: string;
}

/** The fleet. */
export function batchFleet(o: BatchFleetOptions = {}) {
  const fleet = new Fleet({ outdir: tmpOutdir(), ...o.fleet });
  if (o.lockFile !== undefined) new PlacementLock(fleet, 'placements', { file: o.lockFile });
  const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 32, memory: Size.gibibytes(128) } });
  const gpu = new NodeProfile(fleet, 'gpu', {
    machine: { cpuCores: 96, memory: Size.gibibytes(768), gpus: 8 },
    taints: [{ key: 'fleet.cdk8s.io/gpu', value: 'true', effect: 'NoSchedule' }],
  });
  const logs = new RequiredDaemonSet(fleet, 'log-shipper', {
    image: 'registry.internal/log-shipper:1.0.0',
    resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) },
  });
  const clusters = (o.clusters ?? ['prod-1', 'prod-2']).map(name => {
    const c = new Cluster(fleet, name, { region: 'lva1' });
    c.addPool('general', { nodeProfile: general, capacity: 40, requiredDaemonSets: [logs] });
    c.addPool('gpu', { nodeProfile: gpu, capacity: o.gpuNodes ?? 40, requiredDaemonSets: [logs] });
    return c;
  });
  const platform = new BatchPlatform(fleet, 'batch', {
    regionalQuotas: {
      lva1: {
        gpu: { cpu: Cpu.units(2000), memory: Size.gibibytes(16000), gpus: 320 },
        general: { cpu: Cpu.units(400), memory: Size.gibibytes(1600) },
      },
    },
    ...o.platform,
  });
  const queue = new BatchQueue(platform, 'ml-training', {
    team: 'ml',
    region: 'lva1',
    quota: { gpu: { cpu: Cpu.units(1200), memory: Size.gibibytes(9000), gpus: 192 } },
    weight: 2,
    ...o.queue,
  });
  const etl = new BatchQueue(platform, 'data-etl', {
    team: 'data',
    region: 'lva1',
    quota: { general: { cpu: Cpu.units(300), memory: Size.gibibytes(1200) }, gpu: { cpu: Cpu.units(200), memory: Size.gibibytes(1000), gpus: 0 } },
    maxBorrowPercent: 50,
    priority: 'low',
  });
  const ns = new AppNamespace(fleet, 'ranking-training', {
    app: 'ranking-training',
    tenant: 'batch',
    nodeProfile: 'gpu',
    cluster: clusters[0],
    reserve: { cpu: Cpu.units(400), memory: Size.gibibytes(3000), gpus: 64, pods: 200 },
  });
  const job = new BatchJob(ns, 'ranker-train', {
    queue,
    image: 'registry.internal/ml/ranker-train:2.4.0',
    tasks: [
      { name: 'driver', resources: { cpu: Cpu.units(8), memory: Size.gibibytes(32) } },
      { name: 'worker', replicas: 8, resources: { cpu: Cpu.units(32), memory: Size.gibibytes(256), gpus: 4 }, args: ['--epochs=20'] },
    ],
    retries: 2,
    ...o.job,
  });
  return { fleet, general, gpu, clusters, platform, queue, etl, ns, job };
}
