/**
 * What an app namespace reserves: the sum of its workloads' demands (steady
 * state pods, canaries included, plus rollout surge), an optional extra
 * reserve, and a headroom percentage. This one number is both the namespace's
 * ResourceQuota and what routing reserves on its cluster, so the sum of the
 * quotas of a cluster never exceeds what its pools offer to apps.
 */
import { Capacity } from './capacity';
import { ResourceAmounts, ZERO, addResources, scaleResources } from '../core/resources';
import { WorkloadDemand } from '../core/workload';

/** Default headroom added on top of the declared demand, in percent. @internal */
export const DEFAULT_QUOTA_HEADROOM_PERCENT = 10;

/** What one workload takes at most at once: steady-state pods (canaries included) plus surge pods during a rollout. @internal */
export function workloadPeak(d: WorkloadDemand): Capacity {
  const pods = d.pods + d.surgePods;
  return { resources: scaleResources(d.podRequests, pods), pods };
}

function ceilPercent(value: number, percent: number): number {
  // integer arithmetic where possible, so 10% of 1000m is exactly 1100m
  return Math.max(0, Math.ceil((value * (100 + percent)) / 100 - 1e-9));
}

/**
 * The namespace's reservation: Σ workload peaks + reserve, plus `headroomPercent`
 * (rounded up to whole millicores, MiB, GPUs and pods).
 * @internal
 */
export function namespaceDemand(workloads: readonly WorkloadDemand[], reserve: Capacity | undefined, headroomPercent: number): Capacity {
  let resources: ResourceAmounts = reserve?.resources ?? ZERO;
  let pods = reserve?.pods ?? 0;
  for (const w of workloads) {
    const peak = workloadPeak(w);
    resources = addResources(resources, peak.resources);
    pods += peak.pods;
  }
  return {
    resources: {
      cpuMillis: ceilPercent(resources.cpuMillis, headroomPercent),
      memoryMiB: ceilPercent(resources.memoryMiB, headroomPercent),
      gpus: ceilPercent(resources.gpus, headroomPercent),
    },
    pods: ceilPercent(pods, headroomPercent),
  };
}
