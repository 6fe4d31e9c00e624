/**
 * The contract between workloads and tenancy: a workload states what it asks
 * of the cluster, so tenancy can route its namespace and size its quota
 * without knowing the workload's kind.
 */
import { IConstruct } from 'constructs';
import { ResourceAmounts } from './resources';

/** What one workload asks of its cluster. */
export interface WorkloadDemand {
  /** Pods at steady state (replicas, plus canary pods). */
  readonly pods: number;
  /** Requests of one pod (all containers, sidecars included). */
  readonly podRequests: ResourceAmounts;
  /** Limits of one pod (all containers, sidecars included). */
  readonly podLimits: ResourceAmounts;
  /** Extra pods that can exist at once during a rollout (maxSurge). */
  readonly surgePods: number;
}

/**
 * How a workload's replicas can be divided over the clusters of a federated
 * namespace: each cluster runs a share of the stable replicas, and the canary
 * (if any) runs in the namespace's first cluster only.
 */
export interface WorkloadDivision {
  /** The workload's name in its namespace (its application name): the key of its shares in the placement lock. */
  readonly name: string;
  /** Stable replicas, divided over the clusters. */
  readonly replicas: number;
  /** Canary pods, which run in the namespace's first cluster only (0 without a canary). */
  readonly canaryPods: number;
  /**
   * What the workload asks of one cluster that runs `replicas` of its stable
   * replicas, with the canary there or not (surge recomputed for that share).
   */
  demandAt(replicas: number, withCanary: boolean): WorkloadDemand;
}

/** A workload that lives in a tenant namespace. */
export interface INamespacedWorkload extends IConstruct {
  /** What the workload asks of its cluster. */
  readonly workloadDemand: WorkloadDemand;
  /**
   * How its replicas divide over the clusters of a federated namespace.
   * @default - the workload cannot be divided: a federated namespace runs all of it in each of its clusters
   */
  readonly workloadDivision?: WorkloadDivision;
}

/**
 * True when a construct is a namespaced workload. (Only whether it has a
 * demand: reading it may fail on bad props, which the workload's own layer
 * reports; the tenancy layer reads it only once every prop is valid.)
 * @internal
 */
export function isNamespacedWorkload(c: IConstruct): c is INamespacedWorkload {
  return 'workloadDemand' in c;
}
