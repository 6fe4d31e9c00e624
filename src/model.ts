/**
 * The model: immutable facts read off the construct tree in one walk.
 * Every later stage (plan, render, validate) reads the model, never the tree.
 */
import { IConstruct } from 'constructs';
import { Cluster, HubCluster } from './clusters/cluster';
import { KubernetesPool } from './clusters/kubernetes-pool';
import { RequiredDaemonSet } from './clusters/required-daemonset';
import { NodeProfile } from './machines/node-profile';
import { SynthOptions } from './synth/options';

/** A class whose instances the model can list. @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ConstructClass<T> = abstract new (...args: any[]) => T;

/**
 * What the model reads off the fleet's root: its own props, resolved in its
 * constructor. (The root construct, `Fleet`, sits above every layer; the
 * layers see it only through this interface.)
 * @internal
 */
export interface FleetRoot extends IConstruct {
  /** The fleet's maintenance zone names, in order. */
  readonly maintenanceZones: readonly string[];
  /** The `maintenanceZones` prop as given (after the default). */
  readonly maintenanceZonesProp: unknown;
  /** The hub cluster. */
  readonly hub: HubCluster;
  /** Default Kubernetes version. */
  readonly kubernetesVersion: string;
  /** Namespace of the platform's agents. */
  readonly systemNamespace: string;
}

/** Facts of a fleet, read once. @internal */
export class FleetModel {
  /** Every construct of the fleet, in tree (pre-)order. */
  public readonly constructs: readonly IConstruct[];
  private readonly byType = new Map<unknown, unknown[]>();
  private readonly profilesByName = new Map<string, NodeProfile>();

  constructor(public readonly fleet: FleetRoot, public readonly options: SynthOptions = {}) {
    this.constructs = fleet.node.findAll();
    for (const p of this.nodeProfiles) {
      if (!this.profilesByName.has(p.profileName)) this.profilesByName.set(p.profileName, p);
    }
  }

  /** Every construct that is an instance of `cls`, in tree order (cached: one scan per class). */
  public ofType<T>(cls: ConstructClass<T>): T[] {
    let found = this.byType.get(cls) as T[] | undefined;
    if (!found) {
      found = this.constructs.filter((c): c is T & IConstruct => c instanceof cls) as T[];
      this.byType.set(cls, found);
    }
    return found;
  }

  /** Node profiles. @deprecated use `spec.machines.profiles` (resolved `NodeProfileSpec`s). */
  public get nodeProfiles(): NodeProfile[] {
    return this.ofType(NodeProfile);
  }

  /** All clusters, the hub first. @deprecated use `spec.clusters.clusters` (resolved `ClusterSpec`s, the hub first). */
  public get clusters(): Cluster[] {
    return this.ofType(Cluster);
  }

  /** Workload clusters (all but the hub). @deprecated use `spec.clusters.workloadClusters`. */
  public get workloadClusters(): Cluster[] {
    return this.clusters.filter(c => c.role === 'workload');
  }

  /** Pools of every cluster. @deprecated use `spec.clusters.clusters[i].pools` (resolved `PoolSpec`s, in declaration order). */
  public get pools(): KubernetesPool[] {
    return this.ofType(KubernetesPool);
  }

  /** Required DaemonSets. @deprecated use `spec.clusters.daemonSets` (resolved `DaemonSetSpec`s). */
  public get daemonSets(): RequiredDaemonSet[] {
    return this.ofType(RequiredDaemonSet);
  }

  /** The node profile with a name, if any. @deprecated use `spec.machines.profile(name)`. */
  public profile(name: string): NodeProfile | undefined {
    return typeof name === 'string' ? this.profilesByName.get(name) : undefined;
  }

  /** The profile a pool uses, if it is known to this fleet. @deprecated use `spec.clusters.pool(pool).profile`. */
  public profileOf(pool: KubernetesPool): NodeProfile | undefined {
    const p: unknown = pool.props.nodeProfile;
    if (p instanceof NodeProfile) return this.profilesByName.get(p.profileName) === p ? p : undefined;
    return typeof p === 'string' ? this.profilesByName.get(p) : undefined;
  }

  /** The cluster a pool belongs to. @deprecated use `spec.clusters.pool(pool).cluster`. */
  public clusterOf(pool: KubernetesPool): Cluster {
    return pool.node.scope as Cluster;
  }

  /** The Kubernetes version a cluster runs. @deprecated use `spec.clusters.cluster(cluster).kubernetesVersion` (the fleet's default applied). */
  public versionOf(cluster: Cluster): string {
    return cluster.props.kubernetesVersion ?? this.fleet.kubernetesVersion;
  }

  /** The kubelet version of a profile's nodes in a cluster. @deprecated use `spec.clusters.pool(pool).kubeletVersion`. */
  public kubeletVersionOf(profile: NodeProfile, cluster: Cluster): string {
    return profile.props.nodeConfig?.kubeletVersion ?? this.versionOf(cluster);
  }

  /** The zones a pool is striped over. @deprecated use `spec.clusters.pool(pool).zones` (the fleet's zones applied). */
  public zonesOf(pool: KubernetesPool): readonly string[] {
    return pool.props.maintenanceZones ?? this.fleet.maintenanceZones;
  }
}

/** The construct path used in messages (`<fleet>` for the root). @internal */
export function pathOf(c: IConstruct): string {
  return c.node.path === '' ? '<fleet>' : c.node.path;
}
