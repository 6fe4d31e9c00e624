/**
 * Node sizing: pure functions that derive a node's reserved and allocatable
 * resources from its machine type, in the manner kOps and the managed
 * Kubernetes services size kubelet reservations from machine facts.
 */
import { ResourceAmounts } from '../core/resources';

/**
 * Default CPU reserved for Kubernetes daemons (kubelet, container runtime), in
 * millicores: 6% of the first core, 1% of the second, 0.5% of the third and
 * fourth, 0.25% of every core above four.
 * @internal
 */
export function defaultKubeReservedCpuMillis(cores: number): number {
  const tiers: Array<[number, number]> = [[1, 0.06], [1, 0.01], [2, 0.005], [Infinity, 0.0025]];
  return Math.ceil(tiered(cores, tiers) * 1000);
}

/**
 * Default memory reserved for Kubernetes daemons, in MiB: 255 MiB below 1 GiB
 * of memory, else 25% of the first 4 GiB, 20% of the next 4 GiB, 10% of the
 * next 8 GiB, 6% of the next 112 GiB and 2% of everything above 128 GiB.
 * @internal
 */
export function defaultKubeReservedMemoryMiB(memoryMiB: number): number {
  if (memoryMiB < 1024) return 255;
  const gib = 1024;
  const tiers: Array<[number, number]> = [[4 * gib, 0.25], [4 * gib, 0.2], [8 * gib, 0.1], [112 * gib, 0.06], [Infinity, 0.02]];
  return Math.ceil(tiered(memoryMiB, tiers));
}

function tiered(amount: number, tiers: Array<[number, number]>): number {
  let left = amount;
  let total = 0;
  for (const [size, rate] of tiers) {
    const take = Math.min(left, size);
    total += take * rate;
    left -= take;
    if (left <= 0) break;
  }
  return total;
}

/** Default maximum pods per node: min(110, 10 × cores), the SIG Scalability threshold. @internal */
export function defaultMaxPods(cores: number): number {
  return Math.min(110, 10 * cores);
}

/** Inputs to the allocatable computation. @internal */
export interface AllocatableInputs {
  /** What the machine has. */
  readonly capacity: ResourceAmounts;
  /** kube-reserved. */
  readonly kubeReserved: ResourceAmounts;
  /** system-reserved. */
  readonly systemReserved: ResourceAmounts;
  /** The hard eviction threshold for memory, in MiB. */
  readonly evictionHardMemoryMiB: number;
}

/**
 * What pods can use on one node: capacity minus kube-reserved, system-reserved
 * and the hard memory eviction threshold (the kubelet's own formula).
 * @internal
 */
export function allocatable(inputs: AllocatableInputs): ResourceAmounts {
  const { capacity, kubeReserved, systemReserved, evictionHardMemoryMiB } = inputs;
  return {
    cpuMillis: capacity.cpuMillis - kubeReserved.cpuMillis - systemReserved.cpuMillis,
    memoryMiB: capacity.memoryMiB - kubeReserved.memoryMiB - systemReserved.memoryMiB - evictionHardMemoryMiB,
    gpus: capacity.gpus,
  };
}
