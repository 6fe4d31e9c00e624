/**
 * The defaults of the app workloads (LiDeployment, LiStatefulSet), each
 * applied in exactly one function here: the resolve stage builds the specs
 * with them, and the constructs' public getters (`ports`, `workloadDemand`,
 * which the tenancy layer reads through the workload contract) call the same
 * functions, so a default cannot differ between the two read paths.
 */
import { CanarySize, PodCountOrPercent, canaryPods, resolvePods } from './rollout';
import { AppPort, AppResources, appBudget, appLimits } from './workload-props';
import { WorkloadDemand } from '../core/workload';

/** Default maxSurge of a LiDeployment. @internal */
export const DEFAULT_MAX_SURGE = '25%';
/** Default maxUnavailable of a LiDeployment. @internal */
export const DEFAULT_MAX_UNAVAILABLE = '10%';
/** Default minReadySeconds of a LiDeployment, in seconds. @internal */
export const DEFAULT_MIN_READY_SECONDS = 10;
/** Default ports of an app (LiDeployment and LiStatefulSet). */
export const DEFAULT_PORTS: readonly AppPort[] = [{ name: 'http', port: 8080 }];
/** Default data mount path of a LiStatefulSet. @internal */
export const DEFAULT_DATA_MOUNT_PATH = '/data';

/** An app's ports: its `ports` prop, or {@link DEFAULT_PORTS}. @internal */
export function portsOf(p: { readonly ports?: readonly AppPort[] }): readonly AppPort[] {
  return p.ports ?? DEFAULT_PORTS;
}

/** A LiDeployment's maxSurge: its prop, or {@link DEFAULT_MAX_SURGE}. @internal */
export function maxSurgeOf(p: { readonly maxSurge?: PodCountOrPercent }): PodCountOrPercent {
  return p.maxSurge ?? DEFAULT_MAX_SURGE;
}

/** A LiDeployment's maxUnavailable: its prop, or {@link DEFAULT_MAX_UNAVAILABLE}. @internal */
export function maxUnavailableOf(p: { readonly maxUnavailable?: PodCountOrPercent }): PodCountOrPercent {
  return p.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE;
}

/** A LiStatefulSet's data mount path: its prop, or {@link DEFAULT_DATA_MOUNT_PATH}. @internal */
export function dataMountPathOf(p: { readonly dataMountPath?: string }): string {
  return p.dataMountPath ?? DEFAULT_DATA_MOUNT_PATH;
}

/** What a LiDeployment asks of its cluster: pods are budgeted whole, sidecars included; surge of the stable and the canary workload. @internal */
export function deploymentDemand(p: {
  readonly replicas: number;
  readonly resources: AppResources;
  readonly maxSurge?: PodCountOrPercent;
  readonly canary?: CanarySize;
}): WorkloadDemand {
  return deploymentShareDemand(p, Math.max(0, p.replicas), true);
}

/**
 * What a LiDeployment asks of one cluster of a federated namespace that runs
 * `replicas` of its stable replicas, with its canary (sized on all its
 * replicas) there or not; the surge is that of the share. @internal
 */
export function deploymentShareDemand(p: {
  readonly replicas: number;
  readonly resources: AppResources;
  readonly maxSurge?: PodCountOrPercent;
  readonly canary?: CanarySize;
}, replicas: number, withCanary: boolean): WorkloadDemand {
  const canary = withCanary ? canaryPods(p.replicas, p.canary) : 0;
  const surge = maxSurgeOf(p);
  return {
    pods: replicas + canary,
    podRequests: appBudget(p.resources),
    podLimits: appLimits(p.resources),
    surgePods: resolvePods(surge, replicas, 'up') + (canary > 0 ? resolvePods(surge, canary, 'up') : 0),
  };
}

/** What a LiStatefulSet asks of its cluster (no surge: pods are replaced one at a time by the operator). @internal */
export function statefulSetDemand(p: { readonly replicas: number; readonly resources: AppResources }, replicas: number = p.replicas): WorkloadDemand {
  return {
    pods: Math.max(0, replicas),
    podRequests: appBudget(p.resources),
    podLimits: appLimits(p.resources),
    surgePods: 0,
  };
}
