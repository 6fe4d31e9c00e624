/**
 * AppNamespace: an application onboarded onto the fleet. It gets its own
 * Namespace on one workload cluster, chosen by the hub from the clusters whose
 * pools match its node profile and have room for its workloads.
 */
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Cluster } from '../clusters/cluster';
import { describeValue, isRecord } from '../core/checks';
import { TenantClass } from '../core/tenant-classes';
import { INamespacedWorkload, isNamespacedWorkload } from '../core/workload';
import { NodeProfile } from '../machines/node-profile';

export { TenantClass } from '../core/tenant-classes';

/** Pod Security Admission level of an app namespace. */
export type AppPodSecurity = 'restricted' | 'baseline';

/** The standard roles of an app: what a group or user may do in its namespace. */
export type AppRole = 'viewer' | 'deployer' | 'admin';

/** The standard app roles, from least to most privileged. */
export const APP_ROLES: readonly AppRole[] = ['viewer', 'deployer', 'admin'];

/** A Kubernetes service account, as an RBAC subject. */
export interface ServiceAccountSubject {
  /** Service account name. */
  readonly name: string;
  /** Its namespace. @default - the app's namespace */
  readonly namespace?: string;
}

/** An authorization rule: who holds one of the app's roles. */
export interface AuthorizationRule {
  /** Role granted: `viewer`, `deployer` or `admin`. */
  readonly role: AppRole;
  /** Groups (as the API server authenticates them, e.g. `feed-oncall`). @default [] */
  readonly groups?: readonly string[];
  /** Users (e.g. `alice@example.com`). @default [] */
  readonly users?: readonly string[];
  /** Service accounts (e.g. the deploy pipeline's). @default [] */
  readonly serviceAccounts?: readonly ServiceAccountSubject[];
}

/** Kind of an RBAC subject. */
export type SubjectKind = 'Group' | 'User' | 'ServiceAccount';

/**
 * Who an app role is granted to, for {@link AppNamespace.grant}: a group or a
 * user as the API server authenticates them, or a Kubernetes service account.
 *
 * ```ts
 * feed.grant('deployer', Subject.group('feed-team'), Subject.serviceAccount('continuous-delivery', 'deployer'));
 * ```
 */
export class Subject {
  /** A group, as the API server authenticates it (e.g. `feed-oncall`). */
  public static group(name: string): Subject {
    return new Subject('Group', name);
  }

  /** A user, as the API server authenticates it (e.g. `alice@example.com`). */
  public static user(name: string): Subject {
    return new Subject('User', name);
  }

  /**
   * A service account: its namespace, by name or as the AppNamespace it lives
   * in, and its name (e.g. the deploy pipeline's).
   */
  public static serviceAccount(namespace: AppNamespace | string, name: string): Subject {
    return new Subject('ServiceAccount', name, namespace);
  }

  private constructor(
    /** Group, user or service account. */
    public readonly kind: SubjectKind,
    /** Its name. */
    public readonly name: string,
    private readonly namespaceOf?: AppNamespace | string,
  ) {}

  /** The service account's namespace (undefined for groups and users). */
  public get namespace(): string | undefined {
    const n: unknown = this.namespaceOf;
    return n instanceof AppNamespace ? n.namespaceName : n as string | undefined;
  }
}

/** A port of a network allowance. */
export interface NetworkPort {
  /** Port number (1-65535). */
  readonly port: number;
  /** Protocol. @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** Traffic an app allows, on top of its namespace's default-deny policy. */
export interface NetworkAllowance {
  /** Other onboarded apps (by app name), matched by their namespace. @default [] */
  readonly apps?: readonly string[];
  /** Namespaces by name (e.g. an ingress controller's). @default [] */
  readonly namespaces?: readonly string[];
  /** IP blocks in CIDR notation (e.g. `10.20.0.0/16`). @default [] */
  readonly cidrs?: readonly string[];
  /** Ports the allowance is limited to. @default - every port */
  readonly ports?: readonly NetworkPort[];
}

/** Network policy of an app namespace: everything is denied except what is listed here. */
export interface AppNetworkPolicy {
  /** Allowed inbound traffic. @default [] (none from outside the namespace) */
  readonly ingress?: readonly NetworkAllowance[];
  /** Allowed outbound traffic. @default [] (none outside the namespace, except DNS) */
  readonly egress?: readonly NetworkAllowance[];
  /** Allow traffic between the namespace's own pods. @default true */
  readonly allowWithinNamespace?: boolean;
  /** Allow DNS lookups (UDP and TCP 53 to the cluster DNS in `kube-system`). @default true */
  readonly allowDns?: boolean;
}

/** Options of {@link AppNamespace.allowFrom} and {@link AppNamespace.allowTo}. */
export interface NetworkPeerOptions {
  /** Ports the allowance is limited to (the receiving pods' ports). @default - every port */
  readonly ports?: readonly NetworkPort[];
}

/**
 * An authorization rule and where it was declared (`authorization[0]`,
 * `grant #1`), with the type problems of a grant's arguments.
 * @internal
 */
export interface DeclaredAuthorization {
  /** Where the rule was declared, for messages. */
  readonly at: string;
  /** The rule. */
  readonly rule: AuthorizationRule;
  /** What is wrong with the types of a grant's arguments (a JavaScript caller may pass anything). */
  readonly problems: readonly string[];
}

/**
 * A network allowance and where it was declared (`network.ingress[0]`,
 * `allowFrom #1`), with the namespace a verb named.
 * @internal
 */
export interface DeclaredAllowance {
  /** Where the allowance was declared, for messages. */
  readonly at: string;
  /** Inbound or outbound. */
  readonly direction: 'ingress' | 'egress';
  /** The allowance. */
  readonly allowance: NetworkAllowance;
  /** The namespace `allowFrom` or `allowTo` named. */
  readonly peer?: AppNamespace;
  /** What is wrong with the types of a verb's arguments. */
  readonly problems: readonly string[];
}

/** Extra capacity an app reserves beyond its declared workloads. */
export interface CapacityReserve {
  /** CPU. @default - none */
  readonly cpu?: Cpu;
  /** Memory. @default - none */
  readonly memory?: Size;
  /** Whole GPUs. @default 0 */
  readonly gpus?: number;
  /** Pod slots. @default 0 */
  readonly pods?: number;
}

/** The survival target of a federated namespace. */
export type FederationSurvival = 'one-cluster-loss' | 'none';

/** The most clusters a federated namespace spans. */
export const MAX_FEDERATION_CLUSTERS = 8;

/** The survival target of a federation that states none. @internal */
export const DEFAULT_FEDERATION_SURVIVAL: FederationSurvival = 'one-cluster-loss';

/** The minimum of a federation over `clusters` clusters that states none: the share of N-1 of N, in percent, rounded down. @internal */
export function defaultMinAvailablePercent(clusters: number): number {
  return Math.floor((100 * (clusters - 1)) / clusters);
}

/**
 * A namespace that spans several clusters of one region: its namespace, RBAC,
 * quota and policies exist in each, and its workloads' replicas are divided
 * over them by capacity (see docs/federation.md).
 */
export interface AppFederation {
  /** How many clusters of one region the namespace spans (a whole number from 2 to {@link MAX_FEDERATION_CLUSTERS}). */
  readonly clusters: number;
  /**
   * The survival target: `one-cluster-loss` means that after the loss of any
   * one of its clusters, each workload's shares in the others still carry its
   * minimum (`minAvailablePercent` of its replicas); `none` states no target.
   * @default 'one-cluster-loss'
   */
  readonly survive?: FederationSurvival;
  /**
   * Each workload's minimum under the survival target, in percent of its
   * replicas (whole number from 1 to 100), rounded down and at least one pod.
   * @default - the share of N-1 of N clusters: floor(100 × (clusters − 1) / clusters), 50 for two clusters
   */
  readonly minAvailablePercent?: number;
}

/** Props of {@link AppNamespace}. */
export interface AppNamespaceProps {
  /** Application name (DNS-1123 label), unique in the fleet. */
  readonly app: string;
  /** Tenant class. */
  readonly tenant: TenantClass;
  /** Node profile the app's pods run on, as the construct or its name. */
  readonly nodeProfile: NodeProfile | string;
  /** Namespace name. @default - the app name */
  readonly namespace?: string;
  /**
   * Pin the namespace to a cluster instead of letting the hub route it. Pinning
   * a recorded namespace to another cluster moves it, which needs the synth
   * override `namespace-move:<namespace>`.
   * @default - routed by the hub and recorded in the placement lock
   */
  readonly cluster?: Cluster;
  /**
   * The regions the namespace may run in (one or several, by region name as
   * the clusters declare it); routing chooses its clusters among theirs.
   * @default - any region
   */
  readonly regions?: readonly string[];
  /**
   * Spans the namespace over several clusters of one region, its workloads'
   * replicas divided over them by capacity. Cannot be combined with `cluster`.
   * @default - one cluster
   */
  readonly federation?: AppFederation;
  /** Owners of the app (teams or people), recorded on the namespace and the hub's routing record. @default [] */
  readonly owners?: readonly string[];
  /** Who holds which of the app's roles; {@link AppNamespace.grant} adds to them. @default [] (nobody but cluster operators) */
  readonly authorization?: readonly AuthorizationRule[];
  /**
   * Network allowances on top of default-deny; {@link AppNamespace.allowFrom}
   * and {@link AppNamespace.allowTo} add to them.
   * @default - only in-namespace traffic and DNS
   */
  readonly network?: AppNetworkPolicy;
  /** Pod Security level; `baseline` only for tenant classes that allow it, with `podSecurityReason`. @default 'restricted' */
  readonly podSecurity?: AppPodSecurity;
  /** Why the namespace needs a Pod Security level below `restricted` (recorded as an annotation). @default - none */
  readonly podSecurityReason?: string;
  /** Capacity reserved beyond the declared workloads (ad-hoc jobs, planned growth). @default - none */
  readonly reserve?: CapacityReserve;
  /** Headroom on top of the declared demand, in percent, for the quota and the reservation. @default 10 */
  readonly quotaHeadroomPercent?: number;
}

/** Pod Security level of a namespace that states none. @internal */
export const DEFAULT_POD_SECURITY: AppPodSecurity = 'restricted';

/** A namespace's Pod Security level: its `podSecurity` prop, or {@link DEFAULT_POD_SECURITY}; the one place the default is applied. @internal */
export function podSecurityOf(p: { readonly podSecurity?: AppPodSecurity }): AppPodSecurity {
  return p.podSecurity ?? DEFAULT_POD_SECURITY;
}

/**
 * An onboarded application's namespace; workloads are added as its children.
 * Who may do what in it and which traffic it allows are its props
 * (`authorization`, `network`) plus what {@link grant}, {@link allowFrom} and
 * {@link allowTo} add.
 */
export class AppNamespace extends Construct {
  /** Application name. */
  public readonly appName: string;
  /** Namespace name. */
  public readonly namespaceName: string;
  /** The props as given. */
  public readonly props: AppNamespaceProps;
  private readonly grants: Array<{ readonly role: AppRole; readonly subjects: readonly Subject[] }> = [];
  private readonly allowances: Array<{ readonly direction: 'ingress' | 'egress'; readonly peer: AppNamespace; readonly options: NetworkPeerOptions }> = [];

  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id);
    this.props = props;
    this.appName = props.app;
    this.namespaceName = props.namespace ?? props.app;
  }

  /**
   * Grants one of the app's roles to subjects, as an `authorization` rule
   * does: `feed.grant('deployer', Subject.group('feed-team'))`. A grant to
   * nobody, an unknown role or a subject that is not a {@link Subject} is
   * reported by the synth's validation.
   */
  public grant(role: AppRole, ...subjects: Subject[]): void {
    this.grants.push({ role, subjects });
  }

  /**
   * Allows traffic from another app's namespace into this one (an `ingress`
   * allowance of that app). Traffic between two namespaces needs both ends:
   * `api.allowFrom(web)` and `web.allowTo(api)`. A namespace of another fleet
   * is reported by the synth's validation, and one on another cluster (where
   * the allowance has no effect) is a warning.
   */
  public allowFrom(peer: AppNamespace, options: NetworkPeerOptions = {}): void {
    this.allowances.push({ direction: 'ingress', peer, options });
  }

  /** Allows traffic from this namespace to another app's namespace (an `egress` allowance of that app); see {@link allowFrom}. */
  public allowTo(peer: AppNamespace, options: NetworkPeerOptions = {}): void {
    this.allowances.push({ direction: 'egress', peer, options });
  }

  /** Every authorization rule: the `authorization` prop's, then one per {@link grant}. */
  public get authorizationRules(): readonly AuthorizationRule[] {
    return this.declaredAuthorization.map(d => d.rule);
  }

  /** The network policy: the `network` prop with the allowances of {@link allowFrom} and {@link allowTo} after its own. */
  public get networkPolicy(): AppNetworkPolicy {
    const given: unknown = this.props.network;
    const declared = this.declaredNetwork;
    return {
      ...(isRecord(given) ? given as AppNetworkPolicy : {}),
      ingress: declared.filter(d => d.direction === 'ingress').map(d => d.allowance),
      egress: declared.filter(d => d.direction === 'egress').map(d => d.allowance),
    };
  }

  /** The authorization rules with where each was declared. @internal */
  public get declaredAuthorization(): readonly DeclaredAuthorization[] {
    const given: unknown = this.props.authorization;
    const out: DeclaredAuthorization[] = Array.isArray(given) ? given.map((rule: AuthorizationRule, i) => ({ at: `authorization[${i}]`, rule, problems: [] })) : [];
    this.grants.forEach(({ role, subjects }, i) => {
      const at = `grant #${i + 1}`;
      const problems: string[] = [];
      const groups: string[] = [];
      const users: string[] = [];
      const serviceAccounts: ServiceAccountSubject[] = [];
      subjects.forEach((s: unknown, j) => {
        if (!(s instanceof Subject)) problems.push(`${at}: subject ${j + 1} is ${describeValue(s)}, not a Subject`);
        else if (s.kind === 'Group') groups.push(s.name);
        else if (s.kind === 'User') users.push(s.name);
        else serviceAccounts.push({ name: s.name, namespace: s.namespace });
      });
      out.push({ at, rule: { role, groups, users, serviceAccounts }, problems });
    });
    return out;
  }

  /** The network allowances with where each was declared. @internal */
  public get declaredNetwork(): readonly DeclaredAllowance[] {
    const given: unknown = this.props.network;
    const net: Record<string, unknown> = isRecord(given) ? given : {};
    const out: DeclaredAllowance[] = [];
    for (const direction of ['ingress', 'egress'] as const) {
      const list = net[direction];
      if (Array.isArray(list)) list.forEach((allowance: NetworkAllowance, i) => out.push({ at: `network.${direction}[${i}]`, direction, allowance, problems: [] }));
      this.allowances.filter(a => a.direction === direction).forEach(({ peer, options }, i) => {
        const at = `${direction === 'ingress' ? 'allowFrom' : 'allowTo'} #${i + 1}`;
        const known: unknown = peer;
        if (!(known instanceof AppNamespace)) {
          out.push({ at, direction, allowance: { apps: [] }, problems: [`${at}: the peer is ${describeValue(known)}, not an AppNamespace`] });
          return;
        }
        const opts: unknown = options;
        if (!isRecord(opts)) {
          out.push({ at, direction, peer, allowance: { apps: [peer.appName] }, problems: [`${at}: the options are ${describeValue(opts)}, not an object`] });
          return;
        }
        const ports = opts.ports as readonly NetworkPort[] | undefined;
        out.push({ at, direction, peer, allowance: { apps: [peer.appName], ...(ports !== undefined ? { ports } : {}) }, problems: [] });
      });
    }
    return out;
  }

  /** The node profile's name. */
  public get nodeProfileName(): string {
    const p: unknown = this.props.nodeProfile;
    if (typeof p === 'string') return p;
    return p instanceof NodeProfile ? p.profileName : String(p);
  }

  /** The workloads attached to this namespace. */
  public get workloads(): INamespacedWorkload[] {
    return this.node.findAll().filter(isNamespacedWorkload);
  }

  /** The Pod Security level the namespace enforces: its `podSecurity` prop, or `restricted`. */
  public get podSecurity(): AppPodSecurity {
    return podSecurityOf(this.props);
  }
}

/** Finds the AppNamespace a construct belongs to (itself or its nearest ancestor). @internal */
export function appNamespaceOf(c: Construct): AppNamespace | undefined {
  for (let s: Construct | undefined = c; s; s = s.node.scope as Construct | undefined) {
    if (s instanceof AppNamespace) return s;
  }
  return undefined;
}
