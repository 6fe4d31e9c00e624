/**
 * KubernetesPool: a pool of identical nodes (one node profile) in a cluster.
 */
import { Construct } from 'constructs';
import { RequiredDaemonSet } from './required-daemonset';
import { NodeProfile, NodeTaint } from '../machines/node-profile';

/** Props of {@link KubernetesPool}. */
export interface KubernetesPoolProps {
  /** Pool name, unique in its cluster (DNS-1123 label). @default - the construct id */
  readonly name?: string;
  /** Node profile of every node, as the construct or its name. */
  readonly nodeProfile: NodeProfile | string;
  /** Number of nodes (machines): a whole number from 0 to `MAX_POOL_CAPACITY` (100,000). */
  readonly capacity: number;
  /** Extra labels on every node of the pool. @default {} */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /** Extra taints on every node of the pool, besides the profile's. @default [] */
  readonly taints?: readonly NodeTaint[];
  /** DaemonSets that must run on every node of the pool; {@link KubernetesPool.addRequiredDaemonSet} adds to them. @default [] */
  readonly requiredDaemonSets?: readonly RequiredDaemonSet[];
  /** Maintenance zones the pool is striped over (a subset of the fleet's). @default - every zone of the fleet */
  readonly maintenanceZones?: readonly string[];
  /** Minimum nodes in each of the pool's zones (a whole number, 0 or more); a smaller pool is an error. @default 1 */
  readonly minNodesPerZone?: number;
}

/**
 * Most nodes one pool may have: above the 5,000 nodes a cluster runs without an
 * acknowledgement and far above the largest clusters anyone runs (tens of
 * thousands of nodes); larger values are typos.
 */
export const MAX_POOL_CAPACITY = 100_000;

/** A pool of nodes of one profile in one cluster, striped over maintenance zones. */
export class KubernetesPool extends Construct {
  /** Pool name. */
  public readonly poolName: string;
  /** The props as given. */
  public readonly props: KubernetesPoolProps;
  private readonly addedDaemonSets: RequiredDaemonSet[] = [];

  constructor(scope: Construct, id: string, props: KubernetesPoolProps) {
    super(scope, id);
    this.poolName = props.name ?? id;
    this.props = props;
  }

  /**
   * Requires a node agent on every node of the pool, as listing it in the
   * `requiredDaemonSets` prop does. An agent required twice, or one of another
   * fleet, is reported by the synth's validation.
   */
  public addRequiredDaemonSet(agent: RequiredDaemonSet): void {
    this.addedDaemonSets.push(agent);
  }

  /** The node profile's name, whether given as a construct or a name. */
  public get nodeProfileName(): string {
    const p: unknown = this.props.nodeProfile;
    if (typeof p === 'string') return p;
    return p instanceof NodeProfile ? p.profileName : String(p);
  }

  /**
   * Required DaemonSets of the pool: the `requiredDaemonSets` prop's, then those of
   * {@link addRequiredDaemonSet}; the clusters layer resolves them once into the pool's spec.
   */
  public get requiredDaemonSets(): readonly RequiredDaemonSet[] {
    const listed: unknown = this.props.requiredDaemonSets;
    return [...(Array.isArray(listed) ? listed as RequiredDaemonSet[] : []), ...this.addedDaemonSets];
  }
}
