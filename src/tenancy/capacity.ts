/**
 * Compute and pod slots, and their arithmetic: what a namespace asks for, or
 * what a cluster has left. Pure.
 */
import { ResourceAmounts, ZERO, addResources, fitsIn, formatCpu, formatMemory, shortfalls, subtractResources } from '../core/resources';

/** Compute and pod slots: what a namespace asks for, or what a cluster has left. */
export interface Capacity {
  /** CPU, memory and GPUs. */
  readonly resources: ResourceAmounts;
  /** Pod slots. */
  readonly pods: number;
}

/** No capacity. @internal */
export const NO_CAPACITY: Capacity = Object.freeze({ resources: ZERO, pods: 0 });

/** Adds capacities. @internal */
export function addCapacity(a: Capacity, b: Capacity): Capacity {
  return { resources: addResources(a.resources, b.resources), pods: a.pods + b.pods };
}

/** `a - b`. @internal */
export function subtractCapacity(a: Capacity, b: Capacity): Capacity {
  return { resources: subtractResources(a.resources, b.resources), pods: a.pods - b.pods };
}

/** True when `need` fits in `free` on every dimension, pod slots included. @internal */
export function capacityFits(need: Capacity, free: Capacity): boolean {
  return fitsIn(need.resources, free.resources) && need.pods <= free.pods;
}

/** Human-readable capacity: `cpu 12, memory 48Gi, gpus 0, pods 120`. @internal */
export function formatCapacity(c: Capacity): string {
  return `cpu ${formatCpu(Math.max(0, c.resources.cpuMillis))}, memory ${formatMemory(Math.max(0, c.resources.memoryMiB))}, `
    + `gpus ${Math.max(0, c.resources.gpus)}, pods ${Math.max(0, c.pods)}`;
}

/** The dimensions where `need` exceeds `free`. @internal */
export function capacityShortfalls(need: Capacity, free: Capacity): string[] {
  const out = shortfalls(need.resources, free.resources);
  if (need.pods > free.pods) out.push(`pods ${need.pods} > ${free.pods}`);
  return out;
}

