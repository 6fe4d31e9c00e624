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

/** A workload that lives in a tenant namespace. */
export interface INamespacedWorkload extends IConstruct {
  /** What the workload asks of its cluster. */
  readonly workloadDemand: WorkloadDemand;
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
