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
import { Capacity, NO_CAPACITY, addCapacity, capacityFits, capacityShortfalls, formatCapacity, subtractCapacity } from './capacity';
import { DividedNamespace, ShareRequest, divideNamespace } from './shares';
import { ErrorRuleId } from '../core/rules';
import { carryOverride } from '../synth/inputs';

/** A workload cluster as routing sees it: what its pools offer to app namespaces, per node profile. @internal */
export interface CandidateCluster {
  /** Cluster name. */
  readonly name: string;
  /** The cluster's region. */
  readonly region: string;
  /** Capacity available to app namespaces (after node agents), per node profile name. */
  readonly capacity: ReadonlyMap<string, Capacity>;
}

/** A namespace that spans several clusters of one region. @internal */
export interface FederationRequest {
  /** How many clusters (2 or more). */
  readonly clusters: number;
  /** The clusters the placement lock records for it, in its order. @default - none recorded */
  readonly locked?: readonly string[];
  /** What its workloads divide over the clusters. */
  readonly shares: ShareRequest;
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
  /** The regions it may run in. @default - every region */
  readonly regions?: readonly string[];
  /** It spans several clusters of a region. @default - one cluster */
  readonly federation?: FederationRequest;
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
  /** Chosen cluster (a federated namespace's first cluster, which runs its canaries). */
  readonly cluster: string;
  /** Every chosen cluster, in order: the one cluster, or a federated namespace's clusters (the most available first, as first chosen). */
  readonly clusters: readonly string[];
  /** A federated namespace's shares: replicas per workload name, aligned with `clusters`. @default - not federated */
  readonly shares?: ReadonlyMap<string, readonly number[]>;
  /** A federated namespace's reservation (its quota) in each cluster, aligned with `clusters`. @default - not federated: `demand` in its one cluster */
  readonly clusterDemands?: readonly Capacity[];
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
  | {
    readonly key: string;
    readonly kind: 'no-room';
    readonly nodeProfile: string;
    readonly demand: Capacity;
    readonly candidates: readonly CandidateFreeCapacity[];
    readonly regions?: readonly string[];
  }
  | { readonly key: string; readonly kind: 'unknown-cluster'; readonly cluster: string; readonly pinned: boolean }
  | { readonly key: string; readonly kind: 'pinned-profile'; readonly cluster: string; readonly nodeProfile: string }
  | { readonly key: string; readonly kind: 'locked-profile'; readonly cluster: string; readonly nodeProfile: string }
  | { readonly key: string; readonly kind: 'pinned-full' | 'locked-full'; readonly cluster: string; readonly nodeProfile: string; readonly demand: Capacity; readonly free: Capacity }
  | { readonly key: string; readonly kind: 'move-not-approved'; readonly from: string; readonly to: string }
  | { readonly key: string; readonly kind: 'region-no-pool'; readonly nodeProfile: string; readonly regions: readonly string[] }
  | { readonly key: string; readonly kind: 'locked-region'; readonly cluster: string; readonly region: string; readonly regions: readonly string[] }
  | { readonly key: string; readonly kind: 'federation-too-few'; readonly nodeProfile: string; readonly clusters: number; readonly byRegion: ReadonlyArray<{ readonly region: string; readonly clusters: readonly string[] }> }
  | { readonly key: string; readonly kind: 'federation-no-room'; readonly nodeProfile: string; readonly clusters: number; readonly locked: boolean; readonly workload?: string; readonly candidates: readonly CandidateFreeCapacity[] };

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

/** The largest fraction of `total` that `used` takes on any dimension (0 for an empty total). */
function utilization(used: Capacity, total: Capacity): number {
  const pairs: Array<[number, number]> = [
    [used.resources.cpuMillis, total.resources.cpuMillis],
    [used.resources.memoryMiB, total.resources.memoryMiB],
    [used.resources.gpus, total.resources.gpus],
    [used.pods, total.pods],
  ];
  let max = 0;
  for (const [u, t] of pairs) if (t > 0) max = Math.max(max, u / t);
  return max;
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
  const totalOf = (cluster: string, profile: string) => byName.get(cluster)!.capacity.get(profile) ?? NO_CAPACITY;
  const freeOf = (cluster: string, profile: string) => subtractCapacity(totalOf(cluster, profile), usedOf(cluster, profile));
  const take = (cluster: string, profile: string, d: Capacity) => used.get(cluster)!.set(profile, addCapacity(usedOf(cluster, profile), d));
  const hasProfile = (cluster: string, profile: string) => {
    const c = byName.get(cluster)!.capacity.get(profile);
    return c !== undefined && (c.pods > 0 || c.resources.cpuMillis > 0);
  };
  const inRegions = (cluster: string, r: PlacementRequest) => r.regions === undefined || r.regions.includes(byName.get(cluster)!.region);
  const freeReport = (): CandidateFreeCapacity[] => [...byName.values()].map(c => ({
    cluster: c.name,
    free: [...c.capacity.keys()].sort(cmp).map(p => ({ nodeProfile: p, free: freeOf(c.name, p) })),
  }));
  /** Candidates of a region for a profile, the most available first (least utilized, then name). */
  const ranked = (region: string, profile: string, except: ReadonlySet<string>) => [...byName.values()]
    .filter(c => c.region === region && !except.has(c.name) && hasProfile(c.name, profile))
    .map(c => ({ name: c.name, score: utilization(usedOf(c.name, profile), totalOf(c.name, profile)) }))
    .sort((a, b) => a.score - b.score || cmp(a.name, b.name))
    .map(c => c.name);
  const divideOn = (names: readonly string[], r: PlacementRequest): DividedNamespace | { readonly workload?: string } =>
    divideNamespace(names.map(name => ({ name, free: freeOf(name, r.nodeProfile) })), r.federation!.shares);

  const decisions = new Map<string, PlacementDecision>();
  const problems: PlacementProblem[] = [];
  const sorted = [...requests].sort((a, b) => cmp(a.key, b.key));
  const decideFederated = (r: PlacementRequest, names: readonly string[], division: DividedNamespace, reason: PlacementReason) => {
    names.forEach((name, i) => take(name, r.nodeProfile, division.demands[i]));
    decisions.set(r.key, { key: r.key, cluster: names[0], clusters: [...names], reason, shares: division.shares, clusterDemands: division.demands });
  };

  // 1 and 2: pinned and locked namespaces keep their cluster (a federated one its recorded clusters)
  const fresh: PlacementRequest[] = [];
  for (const r of sorted) {
    const fed = r.federation;
    const recorded = fed ? (fed.locked ?? (r.locked !== undefined ? [r.locked] : [])) : [];
    if (fed && recorded.length > 0) {
      const kept = recorded.slice(0, fed.clusters);
      const bad = kept.find(c => !byName.has(c) || !hasProfile(c, r.nodeProfile) || !inRegions(c, r));
      if (bad !== undefined) {
        problems.push(!byName.has(bad) ? { key: r.key, kind: 'unknown-cluster', cluster: bad, pinned: false }
          : !hasProfile(bad, r.nodeProfile) ? { key: r.key, kind: 'locked-profile', cluster: bad, nodeProfile: r.nodeProfile }
            : { key: r.key, kind: 'locked-region', cluster: bad, region: byName.get(bad)!.region, regions: r.regions ?? [] });
        continue;
      }
      // more clusters than recorded: the most available others of the first recorded cluster's region
      const names = [...kept, ...ranked(byName.get(kept[0])!.region, r.nodeProfile, new Set(kept)).slice(0, fed.clusters - kept.length)];
      if (names.length < fed.clusters) {
        const region = byName.get(kept[0])!.region;
        problems.push({ key: r.key, kind: 'federation-too-few', nodeProfile: r.nodeProfile, clusters: fed.clusters, byRegion: [{ region, clusters: [...names] }] });
        continue;
      }
      const division = divideOn(names, r);
      if (!('shares' in division)) {
        problems.push({ key: r.key, kind: 'federation-no-room', nodeProfile: r.nodeProfile, clusters: fed.clusters, locked: true, ...(division.workload !== undefined ? { workload: division.workload } : {}), candidates: freeReport() });
        continue;
      }
      decideFederated(r, names, division, 'locked');
      continue;
    }
    const target = fed ? undefined : r.pinned ?? r.locked;
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
    if (!pinned && !inRegions(target, r)) {
      problems.push({ key: r.key, kind: 'locked-region', cluster: target, region: byName.get(target)!.region, regions: r.regions ?? [] });
      continue;
    }
    const free = freeOf(target, r.nodeProfile);
    if (!capacityFits(r.demand, free)) {
      problems.push({ key: r.key, kind: pinned ? 'pinned-full' : 'locked-full', cluster: target, nodeProfile: r.nodeProfile, demand: r.demand, free });
      continue;
    }
    take(target, r.nodeProfile, r.demand);
    const movedFrom = pinned && r.locked !== undefined && r.locked !== r.pinned ? r.locked : undefined;
    decisions.set(r.key, { key: r.key, cluster: target, clusters: [target], reason: pinned ? 'pinned' : 'locked', ...(movedFrom ? { movedFrom } : {}) });
  }

  // 3: new namespaces, largest first. Federated ones first (the most constrained: N clusters of one
  // region), each to a region's most available clusters; then each namespace of one cluster to the least
  // utilized fitting candidate. Every such request looks at every candidate of its node profile (and
  // clusters grow with the apps), so that loop works on plain numbers, per node profile, allocating
  // nothing per candidate.
  fresh.sort((a, b) => weight(b.demand) - weight(a.demand) || cmp(a.key, b.key));
  const noPool = (r: PlacementRequest): PlacementProblem => (r.regions !== undefined && [...byName.keys()].some(c => hasProfile(c, r.nodeProfile))
    ? { key: r.key, kind: 'region-no-pool', nodeProfile: r.nodeProfile, regions: r.regions }
    : { key: r.key, kind: 'no-pool', nodeProfile: r.nodeProfile });
  for (const r of fresh) {
    const fed = r.federation;
    if (!fed) continue;
    const candidates = [...byName.keys()].filter(c => hasProfile(c, r.nodeProfile) && inRegions(c, r));
    if (candidates.length === 0) {
      problems.push(noPool(r));
      continue;
    }
    const regions = [...new Set(candidates.map(c => byName.get(c)!.region))].sort(cmp);
    let best: { names: string[]; division: DividedNamespace; score: number } | undefined;
    let failedOn: string | undefined;
    let anyLargeEnough = false;
    for (const region of regions) {
      const names = ranked(region, r.nodeProfile, new Set()).slice(0, fed.clusters);
      if (names.length < fed.clusters) continue;
      anyLargeEnough = true;
      const division = divideOn(names, r);
      if (!('shares' in division)) {
        failedOn ??= division.workload;
        continue;
      }
      const after = (name: string, i: number) =>
        utilization(addCapacity(usedOf(name, r.nodeProfile), division.demands[i]), totalOf(name, r.nodeProfile));
      const score = Math.max(...names.map(after));
      if (!best || score < best.score) best = { names, division, score };
    }
    if (best) {
      decideFederated(r, best.names, best.division, 'routed');
    } else if (!anyLargeEnough) {
      problems.push({
        key: r.key,
        kind: 'federation-too-few',
        nodeProfile: r.nodeProfile,
        clusters: fed.clusters,
        byRegion: regions.map(region => ({ region, clusters: candidates.filter(c => byName.get(c)!.region === region) })),
      });
    } else {
      problems.push({
        key: r.key,
        kind: 'federation-no-room',
        nodeProfile: r.nodeProfile,
        clusters: fed.clusters,
        locked: false,
        ...(failedOn !== undefined ? { workload: failedOn } : {}),
        candidates: freeReport(),
      });
    }
  }
  // the slots are made after every federated namespace took its room, from what is used then
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
    if (r.federation) continue;
    const all = slotsOf(r.nodeProfile);
    const candidates = r.regions === undefined ? all : all.filter(c => inRegions(c.cluster, r));
    if (candidates.length === 0) {
      problems.push(noPool(r));
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
        ...(r.regions !== undefined ? { regions: r.regions } : {}),
        candidates: freeReport().filter(c => inRegions(c.cluster, r)),
      });
      continue;
    }
    best.usedCpu += dCpu;
    best.usedMemory += dMemory;
    best.usedGpus += dGpus;
    best.usedPods += dPods;
    best.placed = true;
    decisions.set(r.key, { key: r.key, cluster: best.cluster, clusters: [best.cluster], reason: 'routed' });
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
        message: `no workload cluster${p.regions ? ` of ${p.regions.join(', ')}` : ''} with a '${p.nodeProfile}' pool has room for the namespace's demand (${formatCapacity(p.demand)}); free capacity per cluster and node profile: ${list.join(' | ')}`,
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
    case 'region-no-pool':
      return {
        rule: 'tenancy.region.no-capacity',
        message: `no workload cluster of region${p.regions.length === 1 ? '' : 's'} ${p.regions.map(r => `'${r}'`).join(', ')} has a non-empty pool of node profile '${p.nodeProfile}'`,
        fix: `add a pool of '${p.nodeProfile}' to a cluster of ${p.regions.join(' or ')}, or let the app run in another region`,
      };
    case 'locked-region':
      return {
        rule: 'tenancy.region.locked',
        message: `the namespace is recorded on cluster '${p.cluster}' of region '${p.region}', which its regions (${p.regions.join(', ')}) no longer include; routing will not move a recorded namespace (a move is an outage)`,
        fix: `keep '${p.region}' among the app's regions, or move it explicitly: pin it to a cluster of its regions and approve the move with the override ${move}`,
      };
    case 'federation-too-few': {
      const list = p.byRegion.length === 0 ? 'none' : p.byRegion.map(r => `${r.region}: ${r.clusters.length === 0 ? 'none' : r.clusters.join(', ')}`).join('; ');
      return {
        rule: 'tenancy.federation.too-few-clusters',
        message: `the namespace spans ${p.clusters} clusters of one region, but no region it may run in has ${p.clusters} workload clusters with a pool of node profile '${p.nodeProfile}' (clusters per region: ${list})`,
        fix: `lower federation.clusters, or add pools of '${p.nodeProfile}' to more clusters of a region`,
      };
    }
    case 'federation-no-room': {
      const list = p.candidates.map(c => `${c.cluster}: ${c.free.filter(f => f.nodeProfile === p.nodeProfile).map(f => formatCapacity(f.free)).join('; ') || '(no pool)'}`);
      return {
        rule: 'tenancy.federation.no-room',
        message: `the ${p.locked ? 'recorded ' : ''}clusters of the federated namespace have no room for ${p.workload !== undefined ? `the replicas of '${p.workload}'` : 'its reserve'} on node profile '${p.nodeProfile}' (over ${p.clusters} clusters); free capacity per cluster: ${list.join(' | ')}`,
        fix: `grow the '${p.nodeProfile}' pools of the region's clusters, lower the app's replicas, requests or reserve, or raise federation.clusters`,
      };
    }
  }
}
