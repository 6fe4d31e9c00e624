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
  /** Number of nodes (machines). */
  readonly capacity: number;
  /** Extra labels on every node of the pool. @default {} */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /** Extra taints on every node of the pool, besides the profile's. @default [] */
  readonly taints?: readonly NodeTaint[];
  /** DaemonSets that must run on every node of the pool. @default [] */
  readonly requiredDaemonSets?: readonly RequiredDaemonSet[];
  /** Maintenance zones the pool is striped over (a subset of the fleet's). @default - every zone of the fleet */
  readonly maintenanceZones?: readonly string[];
  /** Minimum nodes in each of the pool's zones; a smaller pool is an error. @default 1 */
  readonly minNodesPerZone?: number;
}

/** A pool of nodes of one profile in one cluster, striped over maintenance zones. */
export class KubernetesPool extends Construct {
  /** Pool name. */
  public readonly poolName: string;
  /** The props as given. */
  public readonly props: KubernetesPoolProps;

  constructor(scope: Construct, id: string, props: KubernetesPoolProps) {
    super(scope, id);
    this.poolName = props.name ?? id;
    this.props = props;
  }

  /** The node profile's name, whether given as a construct or a name. */
  public get nodeProfileName(): string {
    const p = this.props.nodeProfile;
    return typeof p === 'string' ? p : p.profileName;
  }

  /** Required DaemonSets of the pool. */
  public get requiredDaemonSets(): readonly RequiredDaemonSet[] {
    return this.props.requiredDaemonSets ?? [];
  }
}
