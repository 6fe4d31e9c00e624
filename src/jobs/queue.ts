/**
 * A batch tenant's queue: a team's quota in a region, per node profile.
 */
import { Construct } from 'constructs';
import { ProfileQuotas } from './platform';

/** The priority of batch work; every level is below the platform's service pods, which preempt it. */
export type BatchPriority = 'high' | 'normal' | 'low';

/** Props of {@link BatchQueue}. */
export interface BatchQueueProps {
  /** The team that owns the queue (a DNS-1123 label). */
  readonly team: string;
  /** The region whose regional quota the queue takes its quota from. */
  readonly region: string;
  /** The queue's quota per node profile name, within the region's quota of each profile. */
  readonly quota: ProfileQuotas;
  /** Share of idle capacity the queue gets relative to the other queues of its region (a whole number, 1 to 1000). @default 1 */
  readonly weight?: number;
  /**
   * How much the queue may borrow beyond its quota from idle quota of its
   * region, in percent of its quota (a whole number, 0 to 1000).
   * @default - up to the region's whole quota
   */
  readonly maxBorrowPercent?: number;
  /**
   * How much of its quota other queues of its region may borrow while it is
   * idle, in percent (a whole number, 0 to 100).
   * @default 100 (0 when `preemptible` is false)
   */
  readonly maxLendPercent?: number;
  /** Default priority of the queue's jobs (and the queue's own priority with Volcano). @default 'normal' */
  readonly priority?: BatchPriority;
  /**
   * Whether the queue's pods may be preempted to give lent quota back. A
   * queue that is not preemptible lends nothing: its quota is guaranteed.
   * @default true
   */
  readonly preemptible?: boolean;
}

/**
 * A team's batch queue: `new BatchQueue(platform, 'ml-training', { team: 'ml', region: 'lva1', quota: { gpu: {...} } })`.
 * The construct id is the queue name. Declare it as a child of the fleet's {@link BatchPlatform}.
 */
export class BatchQueue extends Construct {
  /** The props as given. */
  public readonly props: BatchQueueProps;

  constructor(scope: Construct, id: string, props: BatchQueueProps) {
    super(scope, id);
    this.props = props;
  }

  /** The queue's name (its construct id). */
  public get queueName(): string {
    return this.node.id;
  }
}
