/**
 * The batch priority levels: one PriorityClass (and, on Kueue clusters, one
 * WorkloadPriorityClass) per level, every one below the platform's service
 * pods (`fleet-stateless`, 100000), which preempt batch pods. Pure data.
 */
import { BatchPriority } from './queue';

/** One batch priority level. */
export interface BatchPriorityLevel {
  /** PriorityClass (and WorkloadPriorityClass) name. */
  readonly name: string;
  /** Priority value (higher schedules first and may preempt lower). */
  readonly value: number;
  /** The queue priority Volcano orders queues by. */
  readonly queuePriority: number;
  /** What it is for. */
  readonly description: string;
}

/** The batch priority levels, highest first. */
export const BATCH_PRIORITY_LEVELS: Readonly<Record<BatchPriority, BatchPriorityLevel>> = {
  high: { name: 'fleet-batch-high', value: 50000, queuePriority: 3, description: 'Batch jobs that must finish on time (production pipelines, scheduled training); preempted by service pods.' },
  normal: { name: 'fleet-batch', value: 20000, queuePriority: 2, description: 'Batch jobs (the default); preempted by service pods and, beyond their queue\'s guarantee, by higher batch priorities.' },
  low: { name: 'fleet-batch-low', value: 10000, queuePriority: 1, description: 'Opportunistic batch jobs (backfill, experiments); preempted first.' },
};

/** The levels in a fixed order (deterministic output). @internal */
export const BATCH_PRIORITY_NAMES: readonly BatchPriority[] = ['high', 'normal', 'low'];

/** True when a value names a batch priority. @internal */
export function isBatchPriority(p: unknown): p is BatchPriority {
  return p === 'high' || p === 'normal' || p === 'low';
}
