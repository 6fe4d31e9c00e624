/**
 * What the jobs layer publishes to the layers above it: the batch platform,
 * queues and jobs, resolved (`spec.jobs`), and the regional split, each
 * cluster's queue hierarchy and its batch capacity (`plan.jobs`).
 */
import { ClusterBatchReport, RegionBatchReport } from './accounting';
import { RegionQueueNode } from './hierarchy';
import { BatchJob } from './job';
import { BatchPlatform, BatchScheduler } from './platform';
import { BatchPriority, BatchQueue } from './queue';
import { SplitReason } from './split';
import { Cluster } from '../clusters/cluster';
import { ResourceAmounts } from '../core/resources';
import { LayerSlots, Stacked } from '../synth/layer';
import { AppNamespace } from '../tenancy/app-namespace';
import { WorkloadsStack } from '../workloads/slots';

/** The BatchPlatform resolved. @internal */
export interface BatchPlatformSpec {
  /** The construct. */
  readonly construct: BatchPlatform;
  /** Its construct path. */
  readonly path: string;
  /** The scheduler of each workload cluster, by cluster name. */
  readonly schedulers: ReadonlyMap<string, BatchScheduler>;
  /** The quota of each region, per node profile. */
  readonly regionalQuotas: ReadonlyMap<string, ReadonlyMap<string, ResourceAmounts>>;
}

/** A BatchQueue resolved. @internal */
export interface BatchQueueSpec {
  /** The construct. */
  readonly construct: BatchQueue;
  /** Its construct path. */
  readonly path: string;
  /** Queue name. */
  readonly name: string;
  /** Owning team. */
  readonly team: string;
  /** Region. */
  readonly region: string;
  /** Quota per node profile in the region. */
  readonly quota: ReadonlyMap<string, ResourceAmounts>;
  /** Weight. */
  readonly weight: number;
  /** What it may borrow, percent of its quota; undefined for up to the region's quota. */
  readonly maxBorrowPercent?: number;
  /** What it lends, percent of its quota (0 when not preemptible). */
  readonly maxLendPercent: number;
  /** Default priority of its jobs. */
  readonly priority: BatchPriority;
  /** Whether its pods may be preempted. */
  readonly preemptible: boolean;
}

/** A task of a job, resolved. @internal */
export interface BatchTaskSpec {
  /** Task name. */
  readonly name: string;
  /** Pods. */
  readonly replicas: number;
  /** Requests (= limits) of one pod. */
  readonly resources: ResourceAmounts;
  /** Command; undefined for the image's entrypoint. */
  readonly command?: readonly string[];
  /** Arguments. */
  readonly args: readonly string[];
  /** Environment. */
  readonly env: Readonly<Record<string, string>>;
}

/** A BatchJob resolved. @internal */
export interface BatchJobSpec {
  /** The construct. */
  readonly construct: BatchJob;
  /** Its construct path. */
  readonly path: string;
  /** Job name. */
  readonly name: string;
  /** Its app namespace. */
  readonly namespace: AppNamespace;
  /** Its queue. */
  readonly queue: BatchQueueSpec;
  /** Image. */
  readonly image: string;
  /** Tasks in start order. */
  readonly tasks: readonly BatchTaskSpec[];
  /** Pods placed together (all-or-nothing). */
  readonly gangSize: number;
  /** Retries of the whole job. */
  readonly retries: number;
  /** Deadline in seconds; undefined for none. */
  readonly deadlineSeconds?: number;
  /** Priority (the queue's unless given). */
  readonly priority: BatchPriority;
  /** Node profile of its pods. */
  readonly nodeProfile: string;
  /** Cron schedule; undefined for a job that runs once. */
  readonly schedule?: string;
  /** Seconds a finished job is kept. */
  readonly ttlSeconds: number;
}

/** The jobs layer's resolved specs. @internal */
export interface JobsSpec {
  /** The fleet's batch platform; undefined when none is declared or its props are bad. */
  readonly platform?: BatchPlatformSpec;
  /** Every queue whose props are valid, in tree order. */
  readonly queues: readonly BatchQueueSpec[];
  /** Every job whose props are valid, in tree order. */
  readonly jobs: readonly BatchJobSpec[];
}

/** A region's quota of one node profile, split over its clusters. */
export interface QuotaSplit {
  /** Region. */
  readonly region: string;
  /** Node profile name. */
  readonly nodeProfile: string;
  /** The regional quota. */
  readonly quota: ResourceAmounts;
  /** Each cluster's share, by cluster name (every workload cluster of the region). */
  readonly shares: ReadonlyMap<string, ResourceAmounts>;
  /** How the split came about. @internal */
  readonly reason: SplitReason;
}

/** The batch plan of one cluster. */
export interface ClusterBatchPlan {
  /** The cluster. */
  readonly cluster: Cluster;
  /** Its region. */
  readonly region: string;
  /** Its batch scheduler. */
  readonly scheduler: BatchScheduler;
  /** The region's queue hierarchy on the cluster. @internal */
  readonly hierarchy: RegionQueueNode;
  /** The queues each batch namespace placed here submits to, by namespace name. */
  readonly namespaceQueues: ReadonlyMap<string, readonly string[]>;
}

/** The jobs layer's decisions. */
export interface JobsPlan {
  /** Every regional quota's split, keyed `<region>/<profile>`. */
  readonly splits: ReadonlyMap<string, QuotaSplit>;
  /** The batch plan of every workload cluster in a region with a regional quota, by cluster name. */
  readonly clusters: ReadonlyMap<string, ClusterBatchPlan>;
  /** Batch capacity, quota and queues per cluster, node profile and pool. */
  readonly capacity: readonly ClusterBatchReport[];
  /** Batch capacity, quota and queues per region and node profile. */
  readonly regions: readonly RegionBatchReport[];
}

/** The jobs layer's slots. @internal */
export interface JobsSlots extends LayerSlots {
  /** Resolved specs of the jobs layer. */
  readonly spec: { readonly jobs: JobsSpec };
  /** Decisions of the jobs layer. */
  readonly plan: { readonly jobs: JobsPlan };
}

/** Everything the layers above jobs read of it and below it. @internal */
export type JobsStack = Stacked<WorkloadsStack, JobsSlots>;
