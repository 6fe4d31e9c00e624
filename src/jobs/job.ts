/**
 * BatchJob: a gang-scheduled batch job in ten lines of intent — its queue,
 * image and tasks. The platform pod template and the library supply the rest.
 */
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BatchResources } from './platform';
import { BatchPriority, BatchQueue } from './queue';

/** One task of a job: a group of identical pods (a Spark driver, its executors, training workers). */
export interface BatchTask {
  /** Task name (a DNS-1123 label), unique in the job. */
  readonly name: string;
  /** Pods of the task (a whole number, 1 to 10000). @default 1 */
  readonly replicas?: number;
  /** Requests of one pod (limits are equal: batch pods run Guaranteed). */
  readonly resources: BatchResources;
  /** Command. @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** Arguments. @default [] */
  readonly args?: readonly string[];
  /** Environment variables of the task's container. @default {} */
  readonly env?: Readonly<Record<string, string>>;
}

/** Props of {@link BatchJob}. */
export interface BatchJobProps {
  /** The queue the job is submitted to (the job's namespace must live in the queue's region). */
  readonly queue: BatchQueue;
  /** Image with a pinned tag or digest, e.g. `registry.internal/spark:3.5.1`. */
  readonly image: string;
  /** The job's tasks, in start order (the first is the driver of a Spark-style job). */
  readonly tasks: readonly BatchTask[];
  /** Pods that must be placed together before any starts (all-or-nothing), taken in task order. @default - every pod of every task */
  readonly gangSize?: number;
  /** How often the whole job is retried after a pod fails (0 to 100). @default 3 */
  readonly retries?: number;
  /** How long the job may run: whole seconds, 1 second to 30 days. @default - no deadline */
  readonly deadline?: Duration;
  /** Priority. @default - the queue's priority */
  readonly priority?: BatchPriority;
  /** The node profile the job's pods run on. @default - the namespace's node profile */
  readonly nodeProfile?: string;
  /** A cron schedule (five fields, e.g. '0 3 * * *'): the job runs on schedule, one run at a time. @default - runs once */
  readonly schedule?: string;
  /** How long a finished job is kept before it is deleted: whole seconds, 0 to 30 days. @default Duration.days(1) */
  readonly ttlAfterFinished?: Duration;
}

/**
 * A batch job in an app namespace of the `batch` tenant class:
 * a Volcano Job (a CronJob when scheduled) on Volcano clusters, a Kubernetes
 * Job carrying the Kueue queue label on Kueue clusters. The construct id is the
 * job name.
 */
export class BatchJob extends Construct {
  /** The props as given. */
  public readonly props: BatchJobProps;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id);
    this.props = props;
  }

  /** The job's name (its construct id). */
  public get jobName(): string {
    return this.node.id;
  }
}
