/**
 * A cluster's maintenance policy, derived from its capacity: how many nodes
 * of each profile may be disrupted at once (no more than the spare room for
 * app pods absorbs), whether a whole zone may be, how long a drain may take
 * and who approves what. Pure.
 */
import { DrainClusterInput, ZoneDrain } from './drain';
import { RenderedPods } from './pods';
import { ResourceAmounts, addResources, scaleResources, subtractResources } from '../core/resources';
import { FLEET_API_VERSION } from '../crds/pools';
import { KubeObject } from '../synth/context';

/** A drain never gets less than this long (seconds). @internal */
export const MIN_DRAIN_TIMEOUT_SECONDS = 600;

/** One node profile's budget. */
export interface ProfileNodeBudget {
  /** Node profile. */
  readonly nodeProfile: string;
  /** Nodes of the profile that may be disrupted at once. */
  readonly nodes: number;
  /** Nodes of the profile in the cluster. */
  readonly nodesTotal: number;
}

/** Who approves what. */
export interface ApprovalRule {
  /** Which disruptions. */
  readonly when: 'Planned' | 'Unplanned' | 'ShardHolders' | 'BeyondNodeBudget';
  /** Who approves them. */
  readonly approver: 'None' | 'StatefulOperator' | 'PlatformOnCall';
}

/** A cluster's maintenance policy. */
export interface MaintenancePolicySpec {
  /** Cluster name. */
  readonly cluster: string;
  /** Nodes disrupted at once, all profiles. */
  readonly maxNodesInFlight: number;
  /** Per node profile, by name. */
  readonly maxNodesInFlightByProfile: readonly ProfileNodeBudget[];
  /** Whole zones drained at once: 1, or 0 when some zone's drain would stall or find no room. */
  readonly maxZonesInFlight: number;
  /** Seconds a drain may take. */
  readonly drainTimeoutSeconds: number;
  /** Unplanned disruptions use up the budget (they are never refused). */
  readonly unplannedCountsAgainstBudget: boolean;
  /** Who approves what. */
  readonly approvals: readonly ApprovalRule[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whole nodes of `perNode` that `spare` holds (each dimension a node offers counts). */
function nodesIn(spare: ResourceAmounts, sparePods: number, perNode: ResourceAmounts, podsPerNode: number): number {
  let n = Infinity;
  const dims: Array<keyof ResourceAmounts> = ['cpuMillis', 'memoryMiB', 'gpus'];
  for (const d of dims) if (perNode[d] > 0) n = Math.min(n, Math.floor(Math.max(0, spare[d]) / perNode[d]));
  if (podsPerNode > 0) n = Math.min(n, Math.floor(Math.max(0, sparePods) / podsPerNode));
  return Number.isFinite(n) ? n : 0;
}

/** Derives a cluster's policy from its pools, its workloads and its zones' drains. @internal */
export function derivePolicy(input: DrainClusterInput, drains: readonly ZoneDrain[], pods: readonly RenderedPods[]): MaintenancePolicySpec {
  const profiles = [...new Set(input.pools.map(p => p.nodeProfile))].sort(cmp);
  const byProfile = profiles.map(profile => {
    const pools = input.pools.filter(p => p.nodeProfile === profile);
    const nodesTotal = pools.reduce((n, p) => n + p.zones.reduce((m, z) => m + Math.max(0, z.nodes), 0), 0);
    // no drain stage yet: the whole cluster's room, minus what every pod of the profile requests
    let spare: ResourceAmounts = { cpuMillis: 0, memoryMiB: 0, gpus: 0 };
    let sparePods = 0;
    let largest = { cpuMillis: 0, memoryMiB: 0, gpus: 0 };
    let largestPods = 0;
    for (const p of pools) {
      const nodes = p.zones.reduce((m, z) => m + Math.max(0, z.nodes), 0);
      if (nodes === 0) continue;
      spare = addResources(spare, scaleResources(p.forPodsPerNode, nodes));
      sparePods += p.podSlotsPerNode * nodes;
      const f = p.forPodsPerNode;
      largest = {
        cpuMillis: Math.max(largest.cpuMillis, f.cpuMillis),
        memoryMiB: Math.max(largest.memoryMiB, f.memoryMiB),
        gpus: Math.max(largest.gpus, f.gpus),
      };
      largestPods = Math.max(largestPods, p.podSlotsPerNode);
    }
    for (const w of input.workloads) {
      if (w.nodeProfile !== profile) continue;
      spare = subtractResources(spare, scaleResources(w.requests, w.replicas));
      sparePods -= w.replicas;
    }
    // a disrupted node takes its whole room with it, counted at the largest node of the profile
    const nodes = Math.min(nodesTotal, nodesIn(spare, sparePods, largest, largestPods));
    return { nodeProfile: profile, nodes, nodesTotal };
  }).filter(b => b.nodesTotal > 0);
  const zoneSafe = drains.length > 0 && drains.every(d => d.workloads.every(w => w.outcome === 'moves' || w.outcome === 'waits-for-operator'));
  const grace = Math.max(30, ...pods.map(p => p.terminationGracePeriodSeconds));
  const progress = Math.max(0, ...pods.map(p => p.progressDeadlineSeconds ?? 0));
  const approvals: ApprovalRule[] = [
    { when: 'Planned', approver: 'None' },
    { when: 'Unplanned', approver: 'None' },
    ...(pods.some(p => p.operatorCoordinated) ? [{ when: 'ShardHolders', approver: 'StatefulOperator' } as const] : []),
    { when: 'BeyondNodeBudget', approver: 'PlatformOnCall' },
  ];
  return {
    cluster: input.cluster,
    maxNodesInFlight: byProfile.reduce((n, b) => n + b.nodes, 0),
    maxNodesInFlightByProfile: byProfile,
    maxZonesInFlight: zoneSafe ? 1 : 0,
    // the slowest pod's stop, then the time its replacement may take to become available
    drainTimeoutSeconds: Math.max(MIN_DRAIN_TIMEOUT_SECONDS, grace + progress),
    unplannedCountsAgainstBudget: true,
    approvals,
  };
}

/** The MaintenancePolicy object of a cluster (one per cluster, named after it). @internal */
export function renderMaintenancePolicy(p: MaintenancePolicySpec): KubeObject {
  return {
    apiVersion: FLEET_API_VERSION,
    kind: 'MaintenancePolicy',
    metadata: { name: p.cluster },
    spec: {
      cluster: p.cluster,
      maxNodesInFlight: p.maxNodesInFlight,
      maxNodesInFlightByProfile: p.maxNodesInFlightByProfile.map(b => ({ ...b })),
      maxZonesInFlight: p.maxZonesInFlight,
      drainTimeoutSeconds: p.drainTimeoutSeconds,
      unplannedCountsAgainstBudget: p.unplannedCountsAgainstBudget,
      approvals: p.approvals.map(a => ({ ...a })),
    },
  } as KubeObject;
}
