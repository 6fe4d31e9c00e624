/**
 * Rollout arithmetic of stateless workloads: pure functions, no cdk8s.
 *
 * Kubernetes resolves a percentage `maxSurge` by rounding up and a percentage
 * `maxUnavailable` by rounding down; the functions here do the same, so the
 * PodDisruptionBudget and the progress deadline agree with what the
 * controller will actually do.
 */

import { parseKubePercent } from '../core/int-or-percent';

/** A count of pods or a percentage of the replicas (`'25%'`). */
export type PodCountOrPercent = number | string;

/** How a canary is sized: a percentage of the stable replicas or a pod count. */
export interface CanarySize {
  /** Canary pods as a percentage of the stable replicas (rounded up, at least one pod). @default - use `count` */
  readonly percent?: number;
  /** Canary pods. @default - use `percent` */
  readonly count?: number;
}

/**
 * Parses `'25%'` into 25, as Kubernetes parses percentages (`'050%'` is 50,
 * see `parseKubePercent` in core/int-or-percent.ts); undefined when it is not a percentage from 0 to 100.
 * @internal
 */
export function parsePercent(v: string): number | undefined {
  const n = parseKubePercent(v);
  return n !== undefined && n <= 100 ? n : undefined;
}

/** Why a count-or-percentage is invalid, or undefined when it is valid. @internal */
export function podCountProblem(v: PodCountOrPercent): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? undefined : `${v} is not a whole number of pods, 0 or more`;
  return parsePercent(v) === undefined ? `'${v}' is not a percentage from 0% to 100%` : undefined;
}

/** Resolves a count or percentage against `replicas`, rounding up (`maxSurge`) or down (`maxUnavailable`). @internal */
export function resolvePods(v: PodCountOrPercent, replicas: number, round: 'up' | 'down'): number {
  if (typeof v === 'number') return v;
  const pct = parsePercent(v) ?? 0;
  const exact = (replicas * pct) / 100;
  return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
}

/** Canary pods for a size; 0 when no canary. Throws nothing: invalid sizes are reported by {@link canaryProblem}. @internal */
export function canaryPods(replicas: number, canary: CanarySize | undefined): number {
  if (!canary) return 0;
  if (canary.count !== undefined) return canary.count;
  if (canary.percent !== undefined) return Math.max(1, Math.ceil((replicas * canary.percent) / 100));
  return 0;
}

/**
 * The canary bound, in one place. A canary may hold at most `boundPercent` of
 * all pods of its app, canary and stable together: the Service selects both
 * tracks, so that share is the share of requests a bad canary version serves
 * (its blast radius). Integers only, as the in-cluster policy computes it:
 * `canary * 100 <= boundPercent * (canary + stable)`.
 * @internal
 */
export function canaryAllowed(canary: number, stable: number, boundPercent: number): boolean {
  return canary * 100 <= boundPercent * (canary + stable);
}

/**
 * The most canary pods {@link canaryAllowed} lets run beside `stable` pods:
 * `floor(bound * stable / (100 - bound))`; unbounded (`Infinity`) for a bound of 100.
 * @internal
 */
export function maxCanaryPods(stable: number, boundPercent: number): number {
  if (boundPercent >= 100) return Number.POSITIVE_INFINITY;
  return Math.floor((boundPercent * stable) / (100 - boundPercent));
}

/** The fewest stable pods beside which a one-pod canary stays within the bound (`Infinity` for a bound of 0). @internal */
export function minStableForOneCanaryPod(boundPercent: number): number {
  if (boundPercent <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.ceil(100 / boundPercent) - 1);
}

/** A canary size that passes the bound beside `replicas` stable pods, for a fix text. @internal */
export interface CanaryFix {
  /** The largest passing `canary.count`; 0 when no canary fits (raise `replicas` to {@link minReplicas}). */
  readonly maxCount: number;
  /** The largest whole `canary.percent` that passes, when one does. */
  readonly maxPercent?: number;
  /** The fewest stable replicas beside which a one-pod canary passes. */
  readonly minReplicas: number;
}

/** The sizes a fix can suggest; each of them passes {@link canaryAllowed} when applied. @internal */
export function canaryFix(replicas: number, boundPercent: number): CanaryFix {
  const cap = maxCanaryPods(replicas, boundPercent);
  const maxCount = Number.isFinite(cap) ? cap : replicas;
  // canary.percent p runs max(1, ceil(replicas * p / 100)) pods: at most maxCount exactly when p <= 100 * maxCount / replicas
  const p = maxCount >= 1 ? Math.min(100, Math.floor((100 * maxCount) / replicas)) : 0;
  return { maxCount, maxPercent: p >= 1 ? p : undefined, minReplicas: minStableForOneCanaryPod(boundPercent) };
}

/** The fix text of a canary above the bound: sizes that pass. @internal */
export function canaryFixText(replicas: number, boundPercent: number): string {
  const f = canaryFix(replicas, boundPercent);
  if (f.maxCount < 1) {
    return Number.isFinite(f.minReplicas)
      ? `raise replicas to at least ${f.minReplicas} to run a one-pod canary within ${boundPercent}% of the app's pods, or remove the canary`
      : 'remove the canary (the fleet\'s canary bound is 0%)';
  }
  return `use canary.count ≤ ${f.maxCount}${f.maxPercent !== undefined ? ` or canary.percent ≤ ${f.maxPercent}` : ''}`;
}

/**
 * Why a canary size is not allowed, or undefined: exactly one of percent and
 * count, positive, and the canary's pods at most `boundPercent` of all the
 * app's pods (canary + `replicas` stable; {@link canaryAllowed}).
 * @internal
 */
export function canaryProblem(replicas: number, canary: CanarySize, boundPercent: number): string | undefined {
  const hasPercent = canary.percent !== undefined;
  const hasCount = canary.count !== undefined;
  if (hasPercent === hasCount) return 'set exactly one of canary.percent and canary.count';
  if (hasPercent && !(canary.percent! > 0 && canary.percent! <= 100)) return `canary.percent is ${canary.percent}, not in (0, 100]`;
  if (hasCount && !(Number.isInteger(canary.count) && canary.count! >= 1)) return `canary.count is ${canary.count}, not a whole number of at least 1`;
  const pods = canaryPods(replicas, canary);
  if (!canaryAllowed(pods, replicas, boundPercent)) {
    return `the canary runs ${pods} of ${pods + replicas} pods (${Math.round((pods * 1000) / (pods + replicas)) / 10}%, beside ${replicas} stable replica(s)) — above the fleet's bound of ${boundPercent}% of the app's pods`;
  }
  return undefined;
}

/** A resolved rolling update. @internal */
export interface RolloutPlan {
  /** Extra pods during the rollout. */
  readonly maxSurge: number;
  /** Pods that may be unavailable during the rollout. */
  readonly maxUnavailable: number;
  /** Pods the PodDisruptionBudget lets voluntary evictions take down at once (never 0). */
  readonly disruptionBudget: number;
  /** Waves the rollout needs (pods replaced per wave: surge + unavailable). */
  readonly waves: number;
  /** `progressDeadlineSeconds`: how long one wave may go without progress before the rollout is reported stuck. */
  readonly progressDeadlineSeconds: number;
}

/** Time budget of one pod becoming available, in seconds. @internal */
export interface PodStartBudget {
  /** Time allowed to pull the image. @default 120 */
  readonly imagePullSeconds?: number;
  /** Worst-case startup-probe time (period × failure threshold). */
  readonly startupSeconds: number;
  /** Time until the readiness probe can first succeed (initial delay + period × success threshold). */
  readonly readinessSeconds: number;
  /** minReadySeconds of the workload. */
  readonly minReadySeconds: number;
}

/** Lower bound of the progress deadline, in seconds. @internal */
export const MIN_PROGRESS_DEADLINE_SECONDS = 300;

/**
 * Resolves a rolling update for `replicas`: surge rounds up, unavailable rounds
 * down (as the Deployment controller does); at least one must be positive.
 * The disruption budget equals the rollout's unavailability, raised to one
 * pod so a PDB never blocks every eviction (node drains must always progress).
 * The progress deadline is twice the worst-case time of one wave (a pod
 * pulled, started and ready), at least {@link MIN_PROGRESS_DEADLINE_SECONDS}:
 * the Deployment controller resets its deadline whenever a pod becomes
 * available, so a stuck wave is detected after that long.
 * @internal
 */
export function planRollout(replicas: number, maxSurge: PodCountOrPercent, maxUnavailable: PodCountOrPercent, start: PodStartBudget): RolloutPlan {
  const surge = resolvePods(maxSurge, replicas, 'up');
  const unavailable = resolvePods(maxUnavailable, replicas, 'down');
  const perWave = Math.max(1, surge + unavailable);
  const waveSeconds = (start.imagePullSeconds ?? 120) + start.startupSeconds + start.readinessSeconds + start.minReadySeconds;
  return {
    maxSurge: surge,
    maxUnavailable: unavailable,
    disruptionBudget: Math.max(1, unavailable),
    waves: Math.ceil(replicas / perWave),
    progressDeadlineSeconds: Math.max(MIN_PROGRESS_DEADLINE_SECONDS, 2 * waveSeconds),
  };
}

/** Why a surge/unavailable pair cannot roll out `replicas`, or undefined. @internal */
export function rolloutProblem(replicas: number, maxSurge: PodCountOrPercent, maxUnavailable: PodCountOrPercent): string | undefined {
  const p = podCountProblem(maxSurge) ?? podCountProblem(maxUnavailable);
  if (p) return p;
  if (resolvePods(maxSurge, replicas, 'up') + resolvePods(maxUnavailable, replicas, 'down') === 0) {
    return `maxSurge ${maxSurge} and maxUnavailable ${maxUnavailable} both resolve to 0 pods for ${replicas} replicas: the rollout could never progress`;
  }
  return undefined;
}
