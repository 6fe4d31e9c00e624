/**
 * Where a node rollout stands, zone by zone: pure planning logic.
 *
 * The zones of the declared order are updated `zonesAtOnce` at a time: the
 * first `completedZones` are updated, the next `zonesAtOnce` are being updated
 * now, the rest are pending. A zone being updated gets the new node
 * configuration now (the maintenance controller drains it and applies it);
 * a pending zone keeps the current one.
 */

/** A zone's place in a rollout. */
export type RolloutZoneState = 'updated' | 'updating' | 'pending';

/** The node configuration a zone gets now. */
export interface ZoneNodeConfig {
  /** Kubelet version. */
  readonly kubeletVersion: string;
  /** Node configuration revision; undefined when the rollout does not change it (or the zone has not got it yet). */
  readonly nodeConfig?: string;
  /** OS image; undefined when the rollout does not change it (or the zone has not got it yet). */
  readonly osImage?: string;
}

/** One zone of one pool in a rollout. */
export interface RolloutZone {
  /** Zone name. */
  readonly zone: string;
  /** Its place in the rollout. */
  readonly state: RolloutZoneState;
  /** What its nodes get now. */
  readonly config: ZoneNodeConfig;
}

/** The states of a rollout's zones, in order: the index of each zone in the order decides it. @internal */
export function zoneStates(order: readonly string[], completedZones: number, zonesAtOnce: number): Map<string, RolloutZoneState> {
  return new Map(order.map((zone, i) => [zone, i < completedZones ? 'updated' : i < completedZones + zonesAtOnce ? 'updating' : 'pending']));
}

/** What each zone of a pool gets now, in the pool's zone order. @internal */
export function poolRolloutZones(poolZones: readonly string[], states: ReadonlyMap<string, RolloutZoneState>,
  current: ZoneNodeConfig, target: Partial<ZoneNodeConfig>): RolloutZone[] {
  return poolZones.map(zone => {
    const state = states.get(zone) ?? 'pending';
    const config: ZoneNodeConfig = state === 'pending' ? current : {
      kubeletVersion: target.kubeletVersion ?? current.kubeletVersion,
      ...(target.nodeConfig ?? current.nodeConfig ? { nodeConfig: target.nodeConfig ?? current.nodeConfig } : {}),
      ...(target.osImage ?? current.osImage ? { osImage: target.osImage ?? current.osImage } : {}),
    };
    return { zone, state, config };
  });
}

/** The zones of one pool of a cluster in a rollout. @internal */
export interface ClusterRolloutZones {
  /** Cluster name. */
  readonly cluster: string;
  /** The pool's zones. */
  readonly zones: readonly RolloutZone[];
}

/** The zones of each cluster being updated at once, over rollouts (`cluster → zones`). @internal */
export function updatingZonesPerCluster(rollouts: ReadonlyArray<ClusterRolloutZones>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of rollouts) {
    for (const z of r.zones) {
      if (z.state !== 'updating') continue;
      const s = out.get(r.cluster) ?? new Set<string>();
      s.add(z.zone);
      out.set(r.cluster, s);
    }
  }
  return out;
}
