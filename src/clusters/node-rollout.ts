/**
 * NodeRollout: a node change (kubelet version, node configuration revision,
 * OS image) rolled over the maintenance zones of pools or whole clusters, in
 * a declared order, a few zones at a time, each zone soaking before the next
 * starts, never more than one zone of a cluster at once. The synth renders
 * where the rollout stands: the node configuration each zone of each pool
 * gets now, in the hub's KubernetesPool records and as node labels, which the
 * maintenance controller reads and acts on zone by zone (cordon, drain,
 * change, uncordon).
 */
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Cluster } from './cluster';
import { KubernetesPool } from './kubernetes-pool';

/** Props of {@link NodeRollout}. */
export interface NodeRolloutProps {
  /** What is rolled: pools, and clusters (every pool of the cluster). Each pool at most once, in at most one unfinished rollout. */
  readonly targets: ReadonlyArray<Cluster | KubernetesPool>;
  /** Kubelet version the nodes get (`1.MINOR.PATCH`, within the version skew policy of each target's control plane). @default - the kubelet is not changed */
  readonly kubeletVersion?: string;
  /** Revision of the node configuration the nodes get (a label value, e.g. `kcfg-2026-11`). @default - the node configuration is not changed */
  readonly nodeConfig?: string;
  /** OS image the nodes get (a label value, e.g. `azl3-2026.11.2`). @default - the OS image is not changed */
  readonly osImage?: string;
  /** Maintenance zones in the order they are updated: every zone the targets have nodes in, each once. @default - the fleet's zones in order */
  readonly zoneOrder?: readonly string[];
  /** Zones updated at the same time (a whole number from 1 to the zones of the order); still at most one zone of a cluster. @default 1 */
  readonly zonesAtOnce?: number;
  /** How long an updated zone runs before the next zones start (whole seconds, at most 7 days); or give `soakSeconds`. @default Duration.hours(1) */
  readonly soak?: Duration;
  /** `soak` in seconds (a whole number from 0 to 604,800). @default 3600 */
  readonly soakSeconds?: number;
  /**
   * How far the rollout has come: the zones of `zoneOrder` that are updated and
   * soaked (a whole number from 0 to the zones of the order). The next
   * `zonesAtOnce` zones are being updated now; the rest are pending.
   * @default 0
   */
  readonly completedZones?: number;
}

/** Longest soak of a zone, in seconds (7 days): a longer one stalls a fleet-wide rollout for months. */
export const MAX_ROLLOUT_SOAK_SECONDS = 7 * 24 * 3600;

/** A node change rolled over maintenance zones. */
export class NodeRollout extends Construct {
  /** Rollout name: the construct id (a DNS-1123 label). */
  public readonly rolloutName: string;
  /** The props as given. */
  public readonly props: NodeRolloutProps;

  constructor(scope: Construct, id: string, props: NodeRolloutProps) {
    super(scope, id);
    this.rolloutName = id;
    this.props = props;
  }
}
