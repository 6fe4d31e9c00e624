/**
 * The jobs platform of a fleet: which batch scheduler each cluster runs, and
 * the regional quotas that batch queues share. Declare one per fleet.
 */
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** A batch scheduler: Volcano (the platform's default) or Kueue. */
export type BatchScheduler = 'volcano' | 'kueue';

/** Compute of one node profile, as a quota: CPU, memory and whole GPUs. */
export interface BatchResources {
  /** CPU. */
  readonly cpu: Cpu;
  /** Memory. */
  readonly memory: Size;
  /** Whole GPUs (a whole number, 0 or more). @default 0 */
  readonly gpus?: number;
}

/** Quotas per node profile name. */
export type ProfileQuotas = Readonly<Record<string, BatchResources>>;

/** Props of {@link BatchPlatform}. */
export interface BatchPlatformProps {
  /** The batch scheduler of every workload cluster that does not name its own in `clusterSchedulers`. @default 'volcano' */
  readonly scheduler?: BatchScheduler;
  /** Batch schedulers by cluster name, where a cluster runs another than `scheduler`. @default {} */
  readonly clusterSchedulers?: Readonly<Record<string, BatchScheduler>>;
  /**
   * The batch quota of each region, per node profile: declared once per
   * region, split across the region's workload clusters by their batch
   * capacity (what their pools of the profile offer after node agents and the
   * stateless and stateful namespaces placed there), recorded in the fleet's
   * lock record beside the namespace placements (`<outdir>/placements.lock.json`
   * and the `PlacementLock` file) and kept by later synths.
   * @default {}
   */
  readonly regionalQuotas?: Readonly<Record<string, ProfileQuotas>>;
}

/**
 * The fleet's jobs platform:
 * `new BatchPlatform(fleet, 'batch', { regionalQuotas: { lva1: { gpu: { cpu: Cpu.units(4000), memory: Size.gibibytes(30000), gpus: 512 } } } })`.
 * Its {@link BatchQueue}s are declared as its children.
 */
export class BatchPlatform extends Construct {
  /** The props as given. */
  public readonly props: BatchPlatformProps;

  constructor(scope: Construct, id: string, props: BatchPlatformProps = {}) {
    super(scope, id);
    this.props = props;
  }
}
