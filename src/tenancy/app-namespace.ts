/**
 * AppNamespace: an application onboarded onto the fleet. It gets its own
 * Namespace on one workload cluster, chosen by the hub from the clusters whose
 * pools match its node profile and have room for its workloads.
 */
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Cluster } from '../clusters/cluster';
import { INamespacedWorkload, isNamespacedWorkload } from '../core/workload';
import { NodeProfile } from '../machines/node-profile';

/** Class of tenant: decides defaults such as the Pod Security level allowed. */
export type TenantClass = 'stateless' | 'stateful' | 'batch';

/** What each tenant class may do. */
export interface TenantPolicy {
  /** The tenant may lower its namespace's Pod Security level to `baseline` (with a stated reason). */
  readonly baselineAllowed: boolean;
}

/**
 * The tenant classes and their policies. Stateless services always run
 * `restricted`; stateful and batch tenants may run `baseline` when an app
 * states why (legacy images that need it, e.g. a fixed root group).
 */
export const TENANT_POLICIES: Readonly<Record<TenantClass, TenantPolicy>> = {
  stateless: { baselineAllowed: false },
  stateful: { baselineAllowed: true },
  batch: { baselineAllowed: true },
};

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
  /** Owners of the app (teams or people), recorded on the namespace and the hub's routing record. @default [] */
  readonly owners?: readonly string[];
  /** Who holds which of the app's roles. @default [] (nobody but cluster operators) */
  readonly authorization?: readonly AuthorizationRule[];
  /** Network allowances on top of default-deny. @default - only in-namespace traffic and DNS */
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

/** An onboarded application's namespace; workloads are added as its children. */
export class AppNamespace extends Construct {
  /** Application name. */
  public readonly appName: string;
  /** Namespace name. */
  public readonly namespaceName: string;
  /** The props as given. */
  public readonly props: AppNamespaceProps;

  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id);
    this.props = props;
    this.appName = props.app;
    this.namespaceName = props.namespace ?? props.app;
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

  /** The Pod Security level the namespace enforces. */
  public get podSecurity(): AppPodSecurity {
    return this.props.podSecurity ?? 'restricted';
  }
}

/** Finds the AppNamespace a construct belongs to (itself or its nearest ancestor). @internal */
export function appNamespaceOf(c: Construct): AppNamespace | undefined {
  for (let s: Construct | undefined = c; s; s = s.node.scope as Construct | undefined) {
    if (s instanceof AppNamespace) return s;
  }
  return undefined;
}
