/**
 * Namespace routing: pure placement of app namespaces onto workload clusters.
 *
 * Rules, in order:
 * 1. Pinned namespaces go where their owner pinned them (a pin that differs
 *    from the recorded placement is a move and needs an explicit approval).
 * 2. Locked namespaces (recorded in the placement lock) stay where they are;
 *    a synth that would have to move one fails instead.
 * 3. New namespaces, largest first, go to the candidate cluster (a pool of the
 *    app's node profile, room for its demand) that is least utilized after
 *    placement; ties go to the cluster name.
 *
 * Fixed namespaces are placed before new ones, so adding, growing or removing
 * other apps never moves a recorded namespace. Nothing here reads the
 * construct tree: inputs are plain data, which keeps it property-testable.
 */
import { ResourceAmounts, ZERO, addResources, fitsIn, formatCpu, formatMemory, shortfalls, subtractResources } from '../core/resources';
import { ErrorRuleId } from '../core/rules';
import { carryOverride } from '../synth/inputs';

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

/** A workload cluster as routing sees it: what its pools offer to app namespaces, per node profile. @internal */
export interface CandidateCluster {
  /** Cluster name. */
  readonly name: string;
  /** Capacity available to app namespaces (after node agents), per node profile name. */
  readonly capacity: ReadonlyMap<string, Capacity>;
}

/** One namespace to place. @internal */
export interface PlacementRequest {
  /** Unique key (the app name). */
  readonly key: string;
  /** Node profile the namespace's pods need. */
  readonly nodeProfile: string;
  /** What it reserves (its quota). */
  readonly demand: Capacity;
  /** Cluster the owner pinned it to. @default - not pinned */
  readonly pinned?: string;
  /** Cluster the placement lock records for it. @default - not recorded (a new namespace) */
  readonly locked?: string;
  /** The owner approved moving it from its recorded cluster to the pinned one. @default false */
  readonly moveApproved?: boolean;
}

/**
 * Synth override that approves moving a namespace between clusters:
 * `namespace-move:<namespace>`, the same override the guardrails' change rule
 * for namespace moves accepts, so one approval covers both.
 * @internal
 */
export function moveOverride(namespace: string): string {
  return `namespace-move:${namespace}`;
}

/** Why a namespace is where it is. */
export type PlacementReason = 'pinned' | 'locked' | 'routed';

/** Where one namespace goes. */
export interface PlacementDecision {
  /** The request's key. */
  readonly key: string;
  /** Chosen cluster. */
  readonly cluster: string;
  /** Why. */
  readonly reason: PlacementReason;
  /** The cluster it moved from (an approved move). @default - it did not move */
  readonly movedFrom?: string;
}

/** Free capacity of one cluster per node profile, for error messages. @internal */
export interface CandidateFreeCapacity {
  /** Cluster name. */
  readonly cluster: string;
  /** Free capacity per node profile name, sorted by name. */
  readonly free: ReadonlyArray<{ readonly nodeProfile: string; readonly free: Capacity }>;
}

/** Why a namespace could not be placed. @internal */
export type PlacementProblem =
  | { readonly key: string; readonly kind: 'no-pool'; readonly nodeProfile: string }
  | { readonly key: string; readonly kind: 'no-room'; readonly nodeProfile: string; readonly demand: Capacity; readonly candidates: readonly CandidateFreeCapacity[] }
  | { readonly key: string; readonly kind: 'unknown-cluster'; readonly cluster: string; readonly pinned: boolean }
  | { readonly key: string; readonly kind: 'pinned-profile'; readonly cluster: string; readonly nodeProfile: string }
  | { readonly key: string; readonly kind: 'locked-profile'; readonly cluster: string; readonly nodeProfile: string }
  | { readonly key: string; readonly kind: 'pinned-full' | 'locked-full'; readonly cluster: string; readonly nodeProfile: string; readonly demand: Capacity; readonly free: Capacity }
  | { readonly key: string; readonly kind: 'move-not-approved'; readonly from: string; readonly to: string };

/** The outcome of routing. @internal */
export interface PlacementResult {
  /** Decisions, by key (sorted by key). */
  readonly decisions: ReadonlyMap<string, PlacementDecision>;
  /** Namespaces that could not be placed (sorted by key). */
  readonly problems: readonly PlacementProblem[];
  /** Capacity used by placed namespaces, per cluster and node profile. */
  readonly used: ReadonlyMap<string, ReadonlyMap<string, Capacity>>;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Size of a demand relative to a reference capacity, for largest-first ordering. */
function weight(d: Capacity): number {
  return d.resources.cpuMillis / 1000 + d.resources.memoryMiB / 4096 + d.resources.gpus * 8 + d.pods / 10;
}

/** One (cluster, node profile) while new namespaces are routed: its total and what is used of it, as plain numbers. */
interface RoutingSlot {
  readonly cluster: string;
  readonly totalCpu: number;
  readonly totalMemory: number;
  readonly totalGpus: number;
  readonly totalPods: number;
  usedCpu: number;
  usedMemory: number;
  usedGpus: number;
  usedPods: number;
  /** A new namespace was placed here. */
  placed: boolean;
}

function routingSlot(cluster: string, total: Capacity, used: Capacity): RoutingSlot {
  return {
    cluster,
    totalCpu: total.resources.cpuMillis,
    totalMemory: total.resources.memoryMiB,
    totalGpus: total.resources.gpus,
    totalPods: total.pods,
    usedCpu: used.resources.cpuMillis,
    usedMemory: used.resources.memoryMiB,
    usedGpus: used.resources.gpus,
    usedPods: used.pods,
    placed: false,
  };
}

function slotCapacity(c: RoutingSlot): Capacity {
  return { resources: { cpuMillis: c.usedCpu, memoryMiB: c.usedMemory, gpus: c.usedGpus }, pods: c.usedPods };
}

/**
 * Places namespaces onto clusters. Deterministic: the result does not depend
 * on the order of `clusters` or `requests`. Never over capacity: the demands
 * placed on a (cluster, node profile) never exceed its capacity.
 * @internal
 */
export function placeNamespaces(clusters: readonly CandidateCluster[], requests: readonly PlacementRequest[]): PlacementResult {
  const byName = new Map<string, CandidateCluster>();
  for (const c of [...clusters].sort((a, b) => cmp(a.name, b.name))) byName.set(c.name, c);
  const used = new Map<string, Map<string, Capacity>>();
  for (const name of byName.keys()) used.set(name, new Map());

  const usedOf = (cluster: string, profile: string) => used.get(cluster)!.get(profile) ?? NO_CAPACITY;
  const freeOf = (cluster: string, profile: string) => {
    const total = byName.get(cluster)!.capacity.get(profile) ?? NO_CAPACITY;
    return subtractCapacity(total, usedOf(cluster, profile));
  };
  const take = (cluster: string, profile: string, d: Capacity) => used.get(cluster)!.set(profile, addCapacity(usedOf(cluster, profile), d));
  const hasProfile = (cluster: string, profile: string) => {
    const c = byName.get(cluster)!.capacity.get(profile);
    return c !== undefined && (c.pods > 0 || c.resources.cpuMillis > 0);
  };

  const decisions = new Map<string, PlacementDecision>();
  const problems: PlacementProblem[] = [];
  const sorted = [...requests].sort((a, b) => cmp(a.key, b.key));

  // 1 and 2: pinned and locked namespaces keep their cluster
  const fresh: PlacementRequest[] = [];
  for (const r of sorted) {
    const target = r.pinned ?? r.locked;
    if (target === undefined) {
      fresh.push(r);
      continue;
    }
    const pinned = r.pinned !== undefined;
    if (pinned && r.locked !== undefined && r.locked !== r.pinned && !r.moveApproved) {
      problems.push({ key: r.key, kind: 'move-not-approved', from: r.locked, to: r.pinned! });
      continue;
    }
    if (!byName.has(target)) {
      problems.push({ key: r.key, kind: 'unknown-cluster', cluster: target, pinned });
      continue;
    }
    if (!hasProfile(target, r.nodeProfile)) {
      problems.push({ key: r.key, kind: pinned ? 'pinned-profile' : 'locked-profile', cluster: target, nodeProfile: r.nodeProfile });
      continue;
    }
    const free = freeOf(target, r.nodeProfile);
    if (!capacityFits(r.demand, free)) {
      problems.push({ key: r.key, kind: pinned ? 'pinned-full' : 'locked-full', cluster: target, nodeProfile: r.nodeProfile, demand: r.demand, free });
      continue;
    }
    take(target, r.nodeProfile, r.demand);
    const movedFrom = pinned && r.locked !== undefined && r.locked !== r.pinned ? r.locked : undefined;
    decisions.set(r.key, { key: r.key, cluster: target, reason: pinned ? 'pinned' : 'locked', ...(movedFrom ? { movedFrom } : {}) });
  }

  // 3: new namespaces, largest first, to the least utilized fitting candidate. Every request
  // looks at every candidate of its node profile (and clusters grow with the apps), so this loop
  // works on plain numbers, per node profile, allocating nothing per candidate.
  fresh.sort((a, b) => weight(b.demand) - weight(a.demand) || cmp(a.key, b.key));
  const slotsByProfile = new Map<string, RoutingSlot[]>();
  const slotsOf = (profile: string): RoutingSlot[] => {
    let slots = slotsByProfile.get(profile);
    if (slots === undefined) {
      slots = [...byName.keys()].filter(c => hasProfile(c, profile))
        .map(c => routingSlot(c, byName.get(c)!.capacity.get(profile)!, usedOf(c, profile)));
      slotsByProfile.set(profile, slots);
    }
    return slots;
  };
  for (const r of fresh) {
    const candidates = slotsOf(r.nodeProfile);
    if (candidates.length === 0) {
      problems.push({ key: r.key, kind: 'no-pool', nodeProfile: r.nodeProfile });
      continue;
    }
    const d = r.demand;
    const [dCpu, dMemory, dGpus, dPods] = [d.resources.cpuMillis, d.resources.memoryMiB, d.resources.gpus, d.pods];
    let best: RoutingSlot | undefined;
    let bestScore = Infinity;
    for (const c of candidates) {
      // fits: the demand is within total - used on every dimension
      if (dCpu > c.totalCpu - c.usedCpu || dMemory > c.totalMemory - c.usedMemory
        || dGpus > c.totalGpus - c.usedGpus || dPods > c.totalPods - c.usedPods) continue;
      // the largest fraction of the total that used + demand takes on any dimension (0 for an empty total)
      let score = 0;
      if (c.totalCpu > 0) score = Math.max(score, (c.usedCpu + dCpu) / c.totalCpu);
      if (c.totalMemory > 0) score = Math.max(score, (c.usedMemory + dMemory) / c.totalMemory);
      if (c.totalGpus > 0) score = Math.max(score, (c.usedGpus + dGpus) / c.totalGpus);
      if (c.totalPods > 0) score = Math.max(score, (c.usedPods + dPods) / c.totalPods);
      if (score < bestScore) {
        best = c;
        bestScore = score;
      }
    }
    if (best === undefined) {
      for (const [profile, slots] of slotsByProfile) for (const c of slots) if (c.placed) used.get(c.cluster)!.set(profile, slotCapacity(c));
      problems.push({
        key: r.key,
        kind: 'no-room',
        nodeProfile: r.nodeProfile,
        demand: r.demand,
        candidates: [...byName.values()].map(c => ({
          cluster: c.name,
          free: [...c.capacity.keys()].sort(cmp).map(p => ({ nodeProfile: p, free: freeOf(c.name, p) })),
        })),
      });
      continue;
    }
    best.usedCpu += dCpu;
    best.usedMemory += dMemory;
    best.usedGpus += dGpus;
    best.usedPods += dPods;
    best.placed = true;
    decisions.set(r.key, { key: r.key, cluster: best.cluster, reason: 'routed' });
  }
  for (const [profile, slots] of slotsByProfile) for (const c of slots) if (c.placed) used.get(c.cluster)!.set(profile, slotCapacity(c));

  const sortedDecisions = new Map([...decisions.entries()].sort(([a], [b]) => cmp(a, b)));
  problems.sort((a, b) => cmp(a.key, b.key));
  return { decisions: sortedDecisions, problems, used };
}

/**
 * A one-line explanation and a fix for a placement problem. `namespace` is the
 * app's namespace, which the fix's override names (`namespace-move:<namespace>`).
 * @param namespace the namespace of the request's app @default - the request's key
 * @internal
 */
export function describePlacementProblem(p: PlacementProblem, namespace: string = p.key): { rule: ErrorRuleId; message: string; fix: string } {
  const move = carryOverride(moveOverride(namespace));
  switch (p.kind) {
    case 'no-pool':
      return {
        rule: 'tenancy.routing.no-pool',
        message: `no workload cluster has a non-empty pool of node profile '${p.nodeProfile}'`,
        fix: `add a pool of '${p.nodeProfile}' to a workload cluster, or onboard the app on another node profile`,
      };
    case 'no-room': {
      const list = p.candidates.map(c => `${c.cluster}: ${c.free.length === 0 ? '(no pools)' : c.free.map(f => `${f.nodeProfile} [${formatCapacity(f.free)}]`).join('; ')}`);
      return {
        rule: 'tenancy.routing.no-room',
        message: `no workload cluster with a '${p.nodeProfile}' pool has room for the namespace's demand (${formatCapacity(p.demand)}); free capacity per cluster and node profile: ${list.join(' | ')}`,
        fix: `grow a '${p.nodeProfile}' pool, add a cluster, or lower the app's replicas, requests or reserve`,
      };
    }
    case 'unknown-cluster':
      return {
        rule: p.pinned ? 'tenancy.routing.pinned-unknown' : 'tenancy.routing.locked-unknown',
        message: p.pinned
          ? `pinned cluster '${p.cluster}' is not a workload cluster of this fleet`
          : `the placement lock records cluster '${p.cluster}', which is no longer a workload cluster of this fleet; the namespace would have to move`,
        fix: p.pinned
          ? 'pin the app to one of the fleet\'s workload clusters'
          : 'restore the cluster, or move the namespace explicitly: pin it to another cluster and approve the move with the override ' + move,
      };
    case 'pinned-profile':
      return {
        rule: 'tenancy.routing.pinned-profile',
        message: `pinned cluster '${p.cluster}' has no pool of node profile '${p.nodeProfile}'`,
        fix: `pin the app to a cluster with a '${p.nodeProfile}' pool, or add such a pool to '${p.cluster}'`,
      };
    case 'locked-profile':
      return {
        rule: 'tenancy.routing.locked-profile',
        message: `the namespace is recorded on cluster '${p.cluster}', which has no pool of node profile '${p.nodeProfile}' (any more); keeping it would leave its pods unschedulable and moving it is an outage`,
        fix: `add a '${p.nodeProfile}' pool to '${p.cluster}', keep the app's previous node profile, or move it explicitly: pin it to another cluster and approve the move with the override ${move}`,
      };
    case 'pinned-full':
    case 'locked-full':
      return {
        rule: p.kind === 'pinned-full' ? 'tenancy.routing.pinned-full' : 'tenancy.routing.locked-full',
        message: `${p.kind === 'pinned-full' ? 'pinned' : 'recorded'} cluster '${p.cluster}' has no room for the namespace on node profile '${p.nodeProfile}': `
          + `${capacityShortfalls(p.demand, p.free).join(', ')} (free: ${formatCapacity(p.free)})`
          + (p.kind === 'locked-full' ? '; routing will not move a recorded namespace (a move is an outage)' : ''),
        fix: `grow the '${p.nodeProfile}' pools of '${p.cluster}', lower the app's demand, or move it explicitly: pin it to another cluster and approve the move with the override ${move}`,
      };
    case 'move-not-approved':
      return {
        rule: 'tenancy.routing.move-not-approved',
        message: `the namespace is recorded on cluster '${p.from}' but pinned to '${p.to}': that moves it (an outage for the app) without approval`,
        fix: `pin it back to '${p.from}', or approve the move with the override ${move}`,
      };
  }
}
