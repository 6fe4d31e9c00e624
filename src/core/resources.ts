/**
 * Compute resources: typed units at the API (cdk8s-plus `Cpu`, cdk8s `Size`),
 * integers inside (CPU in millicores, memory in MiB, GPUs as a count), and
 * Kubernetes quantity strings in the output.
 */
import type { Size } from 'cdk8s';
import type { Cpu } from 'cdk8s-plus-28';
import { describeValue } from './checks';

/** An amount of compute in the library's internal integer units. */
export interface ResourceAmounts {
  /** CPU in millicores (1000 = one core). */
  readonly cpuMillis: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** Whole GPUs. */
  readonly gpus: number;
}

/** The zero amount. @internal */
export const ZERO: ResourceAmounts = Object.freeze({ cpuMillis: 0, memoryMiB: 0, gpus: 0 });

/** Adds amounts field by field. @internal */
export function addResources(...amounts: ResourceAmounts[]): ResourceAmounts {
  let cpuMillis = 0, memoryMiB = 0, gpus = 0;
  for (const a of amounts) {
    cpuMillis += a.cpuMillis;
    memoryMiB += a.memoryMiB;
    gpus += a.gpus;
  }
  return { cpuMillis, memoryMiB, gpus };
}

/** `a - b` field by field (may go negative). @internal */
export function subtractResources(a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts {
  return { cpuMillis: a.cpuMillis - b.cpuMillis, memoryMiB: a.memoryMiB - b.memoryMiB, gpus: a.gpus - b.gpus };
}

/** Multiplies every field by a whole factor. @internal */
export function scaleResources(a: ResourceAmounts, factor: number): ResourceAmounts {
  return { cpuMillis: a.cpuMillis * factor, memoryMiB: a.memoryMiB * factor, gpus: a.gpus * factor };
}

/** True when `need` fits in `available` on every dimension. @internal */
export function fitsIn(need: ResourceAmounts, available: ResourceAmounts): boolean {
  return need.cpuMillis <= available.cpuMillis && need.memoryMiB <= available.memoryMiB && need.gpus <= available.gpus;
}

/** Names of the dimensions where `need` exceeds `available`, with both values. @internal */
export function shortfalls(need: ResourceAmounts, available: ResourceAmounts): string[] {
  const out: string[] = [];
  if (need.cpuMillis > available.cpuMillis) out.push(`cpu ${formatCpu(need.cpuMillis)} > ${formatCpu(available.cpuMillis)}`);
  if (need.memoryMiB > available.memoryMiB) out.push(`memory ${formatMemory(need.memoryMiB)} > ${formatMemory(available.memoryMiB)}`);
  if (need.gpus > available.gpus) out.push(`gpus ${need.gpus} > ${available.gpus}`);
  return out;
}

/**
 * Largest CPU quantity the library accepts, in millicores: one million cores,
 * more than any cluster of the fleet has (a 5,000-node cluster of 128-core
 * machines has 640,000). Larger values are typos or overflow.
 */
export const MAX_CPU_MILLIS = 1_000_000_000;
/**
 * Largest memory quantity the library accepts, in MiB: 1 EiB (2^40 MiB), more
 * than any cluster of the fleet has. Larger values are typos or overflow.
 */
export const MAX_MEMORY_MIB = 2 ** 40;

/**
 * A CPU or memory value that is not a usable quantity: not parseable, not a
 * finite number, negative, or above {@link MAX_CPU_MILLIS} / {@link MAX_MEMORY_MIB}.
 * @internal
 */
export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

function checkedAmount(value: number, max: number, what: string, raw: unknown, unit: string): number {
  if (!Number.isFinite(value)) throw new QuantityError(`${describeValue(raw)} is not a finite ${what} quantity`);
  if (value < 0) throw new QuantityError(`${describeValue(raw)} is a negative ${what} quantity`);
  if (value > max) throw new QuantityError(`${describeValue(raw)} is above the largest ${what} quantity the fleet accepts (${max} ${unit})`);
  return value;
}

/**
 * Parses a Kubernetes CPU quantity (`500m`, `2`, `1.5`) or a cdk8s-plus `Cpu`
 * into millicores. Throws a {@link QuantityError} for anything that is not a
 * finite, non-negative quantity of at most {@link MAX_CPU_MILLIS}.
 * @internal
 */
export function cpuToMillis(cpu: Cpu | string | number): number {
  const raw: unknown = typeof cpu === 'object' && cpu !== null ? (cpu as { amount?: unknown }).amount : cpu;
  if (typeof raw === 'number') return checkedAmount(Math.round(raw * 1000), MAX_CPU_MILLIS, 'CPU', raw, 'millicores');
  if (typeof raw !== 'string') throw new QuantityError(`${describeValue(raw)} is not a CPU quantity (expected e.g. Cpu.millis(500) or '2')`);
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(raw.trim());
  if (!m) throw new QuantityError(`${describeValue(raw)} is not a CPU quantity (expected e.g. '500m' or '2')`);
  const n = Number(m[1]);
  return checkedAmount(m[2] === 'm' ? Math.round(n) : Math.round(n * 1000), MAX_CPU_MILLIS, 'CPU', raw, 'millicores');
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1 / (1024 * 1024),
  'Ki': 1 / 1024,
  'Mi': 1,
  'Gi': 1024,
  'Ti': 1024 * 1024,
  'Pi': 1024 * 1024 * 1024,
  'k': 1000 / (1024 * 1024),
  'M': 1e6 / (1024 * 1024),
  'G': 1e9 / (1024 * 1024),
  'T': 1e12 / (1024 * 1024),
};

let cdk8sModule: typeof import('cdk8s') | undefined;

/**
 * The cdk8s module, loaded on first use and kept: the tools that read an
 * output (plan, where) never get a Size and start faster without it, and a
 * `require` per call would resolve the module again each time (about a tenth
 * of a second over a fleet's quantities).
 */
function cdk8s(): typeof import('cdk8s') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cdk8sModule ??= require('cdk8s') as typeof import('cdk8s');
  return cdk8sModule;
}

/**
 * Parses a Kubernetes memory quantity (`512Mi`, `2Gi`, `1G`) or a cdk8s `Size`
 * into MiB. Throws a {@link QuantityError} for anything that is not a finite,
 * non-negative quantity of at most {@link MAX_MEMORY_MIB}.
 * @internal
 */
export function memoryToMiB(memory: Size | string): number {
  if (typeof memory === 'object' && memory !== null) {
    const { Size: SizeClass, SizeRoundingBehavior } = cdk8s();
    if (!(memory instanceof SizeClass)) throw new QuantityError(`${describeValue(memory)} is not a memory quantity (expected e.g. Size.gibibytes(2))`);
    const amount = (memory as unknown as { amount?: unknown }).amount;
    if (typeof amount !== 'number') throw new QuantityError(`${describeValue(amount)} is not a memory quantity (expected e.g. Size.gibibytes(2))`);
    return checkedAmount(memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE }), MAX_MEMORY_MIB, 'memory', amount, 'MiB');
  }
  if (typeof memory !== 'string') throw new QuantityError(`${describeValue(memory)} is not a memory quantity (expected e.g. Size.gibibytes(2))`);
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T)?$/.exec(memory.trim());
  if (!m) throw new QuantityError(`${describeValue(memory)} is not a memory quantity (expected e.g. '512Mi' or '2Gi')`);
  return checkedAmount(Number(m[1]) * MEMORY_UNITS[m[2] ?? ''], MAX_MEMORY_MIB, 'memory', memory, 'MiB');
}

/** Why a CPU value is not a usable quantity, or undefined when it is. @internal */
export function cpuProblem(cpu: unknown): string | undefined {
  return quantityProblem(() => cpuToMillis(cpu as Cpu));
}

/** Why a memory value is not a usable quantity, or undefined when it is. @internal */
export function memoryProblem(memory: unknown): string | undefined {
  return quantityProblem(() => memoryToMiB(memory as Size));
}

function quantityProblem(parse: () => number): string | undefined {
  try {
    parse();
    return undefined;
  } catch (e) {
    if (e instanceof QuantityError) return e.message;
    throw e;
  }
}

/**
 * The amounts `compute` returns, or undefined when one of the quantities it
 * reads is not usable (that is reported by the prop's own check): lets a
 * cross-construct check skip a construct whose props are already wrong.
 * @internal
 */
export function amountsIfValid<T>(compute: () => T): T | undefined {
  try {
    return compute();
  } catch (e) {
    if (e instanceof QuantityError) return undefined;
    throw e;
  }
}

/** Formats millicores as a Kubernetes quantity: whole cores as `4`, otherwise `1500m`. @internal */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${Math.round(millis)}m`;
}

/** Formats MiB as a Kubernetes quantity: `Gi` when whole, `Mi` otherwise (rounded up to a whole MiB). @internal */
export function formatMemory(mib: number): string {
  const whole = Math.ceil(mib);
  return whole % 1024 === 0 ? `${whole / 1024}Gi` : `${whole}Mi`;
}

/** The amounts as a Kubernetes resource list (`cpu`, `memory`, and `nvidia.com/gpu` when non-zero). @internal */
export function toResourceList(a: ResourceAmounts, gpuResource = 'nvidia.com/gpu'): Record<string, string> {
  const out: Record<string, string> = { cpu: formatCpu(a.cpuMillis), memory: formatMemory(a.memoryMiB) };
  if (a.gpus > 0) out[gpuResource] = String(a.gpus);
  return out;
}
