/**
 * LiStatefulSet: an in-house data system (Kafka-, Pinot-like) whose pods hold
 * different shards on local SSDs. Evictions and restarts are coordinated by
 * the stateful operator with the shard manager: its PodDisruptionBudget
 * allows no voluntary eviction, so drains wait until the operator moves a pod.
 */
import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { statefulSetDemand } from './defaults';
import { LiWorkloadProps } from './workload-props';
import { INamespacedWorkload, WorkloadDemand, WorkloadDivision } from '../core/workload';

/** Props of {@link LiStatefulSet}. */
export interface LiStatefulSetProps extends LiWorkloadProps {
  /** Local SSD storage per replica (a PersistentVolumeClaim on the local storage class). */
  readonly storage: Size;
  /** Where the data is mounted in the app container. @default '/data' */
  readonly dataMountPath?: string;
  /**
   * Endpoint of the shard manager (ACM) the stateful operator asks before it
   * moves a pod, e.g. `https://acm.internal/clusters/kafka-tracking`.
   */
  readonly acmEndpoint: string;
}

/**
 * A shard-managed stateful application: a StatefulSet (OpenKruise Advanced
 * StatefulSet where declared) on local SSD, a headless Service and the
 * LiStatefulSet custom resource the stateful operator reconciles. Create it
 * as a child of an AppNamespace on a node profile with local SSD.
 */
export class LiStatefulSet extends Construct implements INamespacedWorkload {
  /** The props as given. */
  public readonly props: LiStatefulSetProps;

  constructor(scope: Construct, id: string, props: LiStatefulSetProps) {
    super(scope, id);
    this.props = props;
  }

  /** Application name. */
  public get application(): string {
    return this.props.application;
  }

  /** What the workload asks of its cluster (no surge: pods are replaced one at a time by the operator). */
  public get workloadDemand(): WorkloadDemand {
    return statefulSetDemand(this.props);
  }

  /** How its replicas divide over a federated namespace's clusters: in shares (a stateful set has no canary). */
  public get workloadDivision(): WorkloadDivision {
    const props = this.props;
    return {
      name: props.application,
      replicas: Math.max(0, props.replicas),
      canaryPods: 0,
      demandAt: replicas => statefulSetDemand(props, replicas),
    };
  }
}
