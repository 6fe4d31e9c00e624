/**
 * Where the control plane's own pods run: the kubelet-serving CSR approver and
 * the etcd backup CronJobs are ordinary pods on the cluster's nodes, with no
 * toleration (a pool's taints keep other teams' pods off it, and the platform's
 * pods are no exception). A cluster whose every pool with nodes carries a
 * `NoSchedule` or `NoExecute` taint has nowhere for them: no kubelet serving
 * certificate is approved (so `kubectl logs` and `exec` fail on every node)
 * and etcd is never backed up. `PreferNoSchedule` only discourages, so a pool
 * with no other taint is a place for them.
 */
import { ThresholdFinding } from './thresholds';

/** How to give the platform's pods a place. @internal */
export const PLATFORM_PODS_FIX = "add a pool without NoSchedule or NoExecute taints for the platform's own pods (the approver's 2 replicas, one backup pod per etcd member at a time)";

/** What the check needs of a pool. @internal */
export interface PlatformPodPool {
  /** Pool name. */
  readonly name: string;
  /** True when the pool has nodes. */
  readonly hasNodes: boolean;
  /** The taints its nodes carry. */
  readonly taints: ReadonlyArray<{ readonly key: string; readonly value?: string; readonly effect: string }>;
}

/** True when an untolerating pod can be scheduled onto the pool's nodes. @internal */
export function takesPlatformPods(pool: PlatformPodPool): boolean {
  return pool.hasNodes && pool.taints.every(t => t.effect === 'PreferNoSchedule');
}

/**
 * An error when the cluster has nodes but none that takes the platform's
 * pods; undefined when it has such a pool, or no nodes at all (nothing to
 * approve, and the backups wait for the first pool).
 * @internal
 */
export function platformPodsFinding(pools: readonly PlatformPodPool[]): ThresholdFinding | undefined {
  const withNodes = pools.filter(p => p.hasNodes);
  if (withNodes.length === 0 || withNodes.some(takesPlatformPods)) return undefined;
  const taints = withNodes.map(p => `${p.name} (${p.taints.filter(t => t.effect !== 'PreferNoSchedule').map(t => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')})`);
  return {
    severity: 'error',
    rule: 'control-plane.platform-pods.unschedulable',
    message: `every pool with nodes is tainted against pods that do not tolerate it: ${taints.join('; ')}; the kubelet-serving CSR approver and the etcd backups cannot be scheduled`,
    fix: PLATFORM_PODS_FIX,
  };
}
