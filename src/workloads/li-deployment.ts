/**
 * LiDeployment: a stateless app in ten lines of intent. The platform template
 * and the library supply everything else.
 */
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { deploymentDemand, deploymentShareDemand, portsOf } from './defaults';
import { CanarySize, PodCountOrPercent, canaryPods } from './rollout';
import { AppPort, AppVersion, LiWorkloadProps } from './workload-props';
import { WorkloadDemand, INamespacedWorkload, WorkloadDivision } from '../core/workload';

/** A canary: a few pods of another version beside the stable ones. */
export interface CanaryProps extends CanarySize {
  /** The canary's version. */
  readonly version: AppVersion;
  /** Config values that differ in the canary (merged over `config`). @default {} */
  readonly config?: Readonly<Record<string, string>>;
}

/** Props of {@link LiDeployment}. */
export interface LiDeploymentProps extends LiWorkloadProps {
  /** A canary beside the stable replicas. @default - no canary */
  readonly canary?: CanaryProps;
  /** Extra pods during a rollout, a count or percentage (rounded up). @default '25%' */
  readonly maxSurge?: PodCountOrPercent;
  /** Pods that may be unavailable during a rollout, a count or percentage (rounded down); the PDB allows the same (at least 1). @default '10%' */
  readonly maxUnavailable?: PodCountOrPercent;
  /** Seconds a new pod must be ready before it counts as available: a whole number, 0 or more; or give `minReady`. @default 10 */
  readonly minReadySeconds?: number;
  /** How long a new pod must be ready before it counts as available: whole seconds; or give `minReadySeconds`. @default Duration.seconds(10) */
  readonly minReady?: Duration;
}

export { DEFAULT_PORTS } from './defaults';

/**
 * A stateless application: synthesizes a Deployment (CloneSet on OpenKruise
 * clusters), a canary workload, Service, ServiceAccount, PodDisruptionBudget,
 * an immutable ConfigMap and the LiDeployment custom resource. Create it as a
 * child of an AppNamespace.
 */
export class LiDeployment extends Construct implements INamespacedWorkload {
  /** The props as given. */
  public readonly props: LiDeploymentProps;

  constructor(scope: Construct, id: string, props: LiDeploymentProps) {
    super(scope, id);
    this.props = props;
  }

  /** Application name. */
  public get application(): string {
    return this.props.application;
  }

  /** Ports, defaults applied. */
  public get ports(): readonly AppPort[] {
    return portsOf(this.props);
  }

  /** Canary pods (0 without a canary). */
  public get canaryReplicas(): number {
    return canaryPods(this.props.replicas, this.props.canary);
  }

  /** What the workload asks of its cluster: pods are budgeted whole, sidecars included. */
  public get workloadDemand(): WorkloadDemand {
    return deploymentDemand(this.props);
  }

  /** How its replicas divide over a federated namespace's clusters: the stable replicas in shares, the canary in the first cluster. */
  public get workloadDivision(): WorkloadDivision {
    const props = this.props;
    return {
      name: props.application,
      replicas: Math.max(0, props.replicas),
      canaryPods: canaryPods(props.replicas, props.canary),
      demandAt: (replicas, withCanary) => deploymentShareDemand(props, replicas, withCanary),
    };
  }
}
