/**
 * What the tenancy layer publishes to the layers above it: where every app
 * namespace went, why, what it reserves, and the fleet's capacity after
 * placement.
 */
import { ClusterCapacityReport } from './accounting';
import { AppNamespace, AppPodSecurity, AppRole, FederationSurvival } from './app-namespace';
import { Capacity } from './capacity';
import { ClusterLossCheck } from './cluster-loss';
import { LockedPlacement, PlacementLock } from './lock';
import { PlacementDecision } from './placement';
import { Cluster } from '../clusters/cluster';
import { ClusterSpec } from '../clusters/slots';
import { ControlPlaneStack } from '../control-plane/slots';
import { LockSections } from '../core/lock-record';
import { ResourceAmounts } from '../core/resources';
import { TenantClass } from '../core/tenant-classes';
import { INamespacedWorkload } from '../core/workload';
import { NodeProfileSpec } from '../machines/slots';
import { LayerSlots, Stacked } from '../synth/layer';

/** A service account an app role is granted to, its namespace resolved. @internal */
export interface ServiceAccountSpec {
  /** Service account name. */
  readonly name: string;
  /** Its namespace (the app's own unless given). */
  readonly namespace: string;
}

/** One authorization rule, resolved: the props' and the verbs' rules are one list. @internal */
export interface AuthorizationSpec {
  /** Where the rule was declared (`authorization[0]`), for messages. */
  readonly at: string;
  /** Role granted. */
  readonly role: AppRole;
  /** Groups, as given. */
  readonly groups: readonly string[];
  /** Users, as given. */
  readonly users: readonly string[];
  /** Service accounts, each namespace resolved. */
  readonly serviceAccounts: readonly ServiceAccountSpec[];
}

/** A port of a network allowance, its protocol defaulted. @internal */
export interface NetworkPortSpec {
  /** Port number (1-65535). */
  readonly port: number;
  /** Protocol (`TCP` unless given). */
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** One network allowance, resolved: peers named by app name, namespace name or CIDR. @internal */
export interface AllowanceSpec {
  /** Where the allowance was declared (`network.ingress[0]`), for messages. */
  readonly at: string;
  /** Inbound or outbound. */
  readonly direction: 'ingress' | 'egress';
  /** Other onboarded apps, by app name. */
  readonly apps: readonly string[];
  /** Namespaces, by name. */
  readonly namespaces: readonly string[];
  /** IP blocks in CIDR notation. */
  readonly cidrs: readonly string[];
  /** Ports the allowance is limited to; undefined for every port. */
  readonly ports?: readonly NetworkPortSpec[];
}

/** The network policy of an app namespace, its defaults applied. @internal */
export interface NetworkPolicySpec {
  /** Traffic between the namespace's own pods is allowed. */
  readonly allowWithinNamespace: boolean;
  /** DNS lookups to the cluster DNS are allowed. */
  readonly allowDns: boolean;
  /** Allowed inbound traffic, in declaration order. */
  readonly ingress: readonly AllowanceSpec[];
  /** Allowed outbound traffic, in declaration order. */
  readonly egress: readonly AllowanceSpec[];
}

/** A federation resolved, its defaults applied. @internal */
export interface FederationSpec {
  /** How many clusters of one region. */
  readonly clusters: number;
  /** The survival target. */
  readonly survive: FederationSurvival;
  /** Each workload's minimum after the loss of one cluster, in percent of its replicas. */
  readonly minAvailablePercent: number;
}

/** An AppNamespace resolved: its props, every default applied once. @internal */
export interface NamespaceSpec {
  /** The construct. */
  readonly construct: AppNamespace;
  /** Its construct path. */
  readonly path: string;
  /** Application name. */
  readonly app: string;
  /** Namespace name (the app name unless given). */
  readonly namespace: string;
  /** Tenant class. */
  readonly tenant: TenantClass;
  /** The node profile the app's pods run on. */
  readonly nodeProfile: NodeProfileSpec;
  /** Owners, unique and sorted. */
  readonly owners: readonly string[];
  /** Authorization rules, in declaration order. */
  readonly authorization: readonly AuthorizationSpec[];
  /** Network policy. */
  readonly network: NetworkPolicySpec;
  /** Pod Security level (`restricted` unless given). */
  readonly podSecurity: AppPodSecurity;
  /** Why the level is below `restricted`; undefined at `restricted`. */
  readonly podSecurityReason?: string;
  /** Capacity reserved beyond the workloads; undefined for none. */
  readonly reserve?: Capacity;
  /** Headroom on top of the declared demand, in percent (10 unless given). */
  readonly quotaHeadroomPercent: number;
  /** The workload cluster the namespace is pinned to; undefined when the hub routes it. */
  readonly cluster?: ClusterSpec;
  /** The regions it may run in, sorted; undefined for any region. */
  readonly regions?: readonly string[];
  /** Its federation; undefined for one cluster. */
  readonly federation?: FederationSpec;
  /** The workloads it holds, in tree order. */
  readonly workloads: readonly INamespacedWorkload[];
}

/** The PlacementLock resolved. @internal */
export interface PlacementLockSpec {
  /** The construct. */
  readonly construct: PlacementLock;
  /** Its construct path. */
  readonly path: string;
  /** The lock file as given; undefined for none. */
  readonly file?: string;
  /** The lock file's absolute path; undefined for none. */
  readonly filePath?: string;
  /** Placements given in code, by app name. */
  readonly placements: ReadonlyMap<string, LockedPlacement>;
}

/**
 * What the cross-namespace checks read of every declared app namespace, its
 * props valid or not (so a duplicate app or an unknown peer is reported even
 * next to another mistake of the same namespace).
 * @internal
 */
export interface DeclaredNamespace {
  /** Its construct path. */
  readonly path: string;
  /** Application name. */
  readonly app: string;
  /** Namespace name. */
  readonly namespace: string;
  /** The namespace construct. */
  readonly construct: AppNamespace;
  /**
   * The other apps its network allowances name, with where, and the namespace
   * construct when a verb (`allowFrom`, `allowTo`) named one; empty when its
   * props have the wrong types.
   */
  readonly appReferences: ReadonlyArray<{ readonly at: string; readonly app: string; readonly peer?: AppNamespace }>;
}

/** The tenancy layer's resolved specs. @internal */
export interface TenancySpec {
  /** Every app namespace whose props are valid, in tree order. */
  readonly namespaces: readonly NamespaceSpec[];
  /** Every app namespace declared, valid or not, in tree order. */
  readonly declared: readonly DeclaredNamespace[];
  /** The fleet's placement lock; undefined when none is declared or its props are bad. */
  readonly lock?: PlacementLockSpec;
  /** Whether the fleet declares a placement lock (valid or not). */
  readonly hasLock: boolean;
  /** The spec of a namespace construct; undefined when its props are bad. */
  namespace(ns: AppNamespace): NamespaceSpec | undefined;
}

/** One placed namespace. */
export interface NamespacePlan {
  /** The namespace. */
  readonly ns: AppNamespace;
  /** Its resolved spec. @internal */
  readonly spec: NamespaceSpec;
  /** Its cluster (a federated namespace's first, which runs its canaries). */
  readonly cluster: Cluster;
  /** Every cluster it runs in, in order: its one cluster, or a federated namespace's clusters. */
  readonly clusters: readonly Cluster[];
  /** The routing decision. */
  readonly decision: PlacementDecision;
  /** What it reserves in all (its quota; a federated namespace's quotas summed over its clusters). */
  readonly demand: Capacity;
  /** What it reserves in each of its clusters (its quota there). */
  readonly clusterDemands: ReadonlyMap<Cluster, Capacity>;
  /** A federated namespace's shares: each divided workload's replicas per cluster, aligned with `clusters`; empty when not federated. */
  readonly shares: ReadonlyMap<INamespacedWorkload, readonly number[]>;
  /** A federated namespace's workloads' minimums under its survival target (0 for none); empty when not federated. */
  readonly minimums: ReadonlyMap<INamespacedWorkload, number>;
  /** The largest container the node profile can hold in its first cluster. */
  readonly largestPod: ResourceAmounts;
  /** The largest container the node profile can hold in each of its clusters. */
  readonly largestPodIn: ReadonlyMap<Cluster, ResourceAmounts>;
  /** Extended resource name of the profile's GPUs. */
  readonly gpuResourceName: string;
}

/** The tenancy decisions of one synth. */
export interface TenancyPlan {
  /** Each placed namespace: its reservation, where it went and why. */
  readonly namespaces: ReadonlyMap<AppNamespace, NamespacePlan>;
  /** The cluster each placed namespace was routed to. */
  readonly placement: ReadonlyMap<AppNamespace, Cluster>;
  /** The placement record after this synth, by app name. */
  readonly record: ReadonlyMap<string, LockedPlacement>;
  /** Capacity per cluster, node profile, pool and maintenance zone, after placement. */
  readonly capacity: readonly ClusterCapacityReport[];
  /** For each workload cluster, what its loss does to every app (sorted by cluster). */
  readonly clusterLoss: readonly ClusterLossCheck[];
  /** The file of the fleet's `PlacementLock` the record is written back to (absolute). @default - the fleet declares no lock file */
  readonly lockFile?: string;
  /**
   * Every lock record this synth read, in precedence order (the lock file,
   * then the previous output's record), with all its sections: the layers
   * above read their own sections from them. @internal
   */
  readonly lockRecords: readonly LockRecordRead[];
}

/** A lock record as read: where from and its sections. @internal */
export interface LockRecordRead {
  /** What was read, for messages (the lock file's name, or the previous output's record). */
  readonly where: string;
  /** Construct path problems with it are reported at. */
  readonly at: string;
  /** Its sections, by name, as JSON values. */
  readonly sections: LockSections;
}

/** The tenancy layer's slots. @internal */
export interface TenancySlots extends LayerSlots {
  /** Resolved specs of the tenancy layer. */
  readonly spec: { readonly tenancy: TenancySpec };
  /** Decisions of the tenancy layer. */
  readonly plan: { readonly tenancy: TenancyPlan };
}

/** Everything the layers above tenancy read of it and below it. @internal */
export type TenancyStack = Stacked<ControlPlaneStack, TenancySlots>;
