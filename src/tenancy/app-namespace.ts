/**
 * AppNamespace: an application onboarded onto the fleet. It gets its own
 * Namespace on one workload cluster, chosen by the hub from the clusters whose
 * pools match its node profile.
 */
import { Construct } from 'constructs';
import { Cluster } from '../clusters/cluster';
import { INamespacedWorkload, isNamespacedWorkload } from '../core/workload';
import { NodeProfile } from '../machines/node-profile';

/** Class of tenant: decides defaults such as the Pod Security level allowed. */
export type TenantClass = 'stateless' | 'stateful' | 'batch';

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
  /** Pin the namespace to a cluster instead of letting the hub choose. @default - routed by the hub */
  readonly cluster?: Cluster;
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
    const p = this.props.nodeProfile;
    return typeof p === 'string' ? p : p.profileName;
  }

  /** The workloads attached to this namespace. */
  public get workloads(): INamespacedWorkload[] {
    return this.node.findAll().filter(isNamespacedWorkload);
  }
}

/** Finds the AppNamespace a construct belongs to (itself or its nearest ancestor). */
export function appNamespaceOf(c: Construct): AppNamespace | undefined {
  for (let s: Construct | undefined = c; s; s = s.node.scope as Construct | undefined) {
    if (s instanceof AppNamespace) return s;
  }
  return undefined;
}
