/**
 * Maintenance zones and zone striping: pure planning logic.
 *
 * A datacenter is striped into maintenance zones (20 by default, as LinkedIn
 * does); each zone can be drained for maintenance on its own. A pool's nodes
 * are spread so evenly that no two zones differ by more than one node, so
 * taking any one zone down removes at most ceil(capacity / zones) nodes.
 */

/** Default number of maintenance zones per datacenter. @internal */
export const DEFAULT_MAINTENANCE_ZONE_COUNT = 20;

/**
 * Most maintenance zones a fleet may declare. Zones are drained one at a time,
 * so each is a step of every fleet-wide maintenance; LinkedIn runs 20, and more
 * than 64 would make a pass over the fleet take months. Every pool must also
 * put at least one node in each of its zones.
 */
export const MAX_MAINTENANCE_ZONES = 64;

/**
 * Why a maintenance zone count is not acceptable, or undefined: a whole number
 * from 1 to {@link MAX_MAINTENANCE_ZONES}.
 * @internal
 */
export function maintenanceZoneCountProblem(count: number): string | undefined {
  if (!Number.isInteger(count) || count < 1) return `maintenance zone count ${count} is not a positive whole number`;
  if (count > MAX_MAINTENANCE_ZONES) return `${count} maintenance zones are more than the ${MAX_MAINTENANCE_ZONES} a fleet may declare`;
  return undefined;
}

/** The zone names for `count` zones: `mz-01` … `mz-20` (zero-padded so they sort). @internal */
export function maintenanceZoneNames(count: number): string[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`maintenance zone count must be a positive integer, got ${count}`);
  }
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => `mz-${String(i + 1).padStart(width, '0')}`);
}

/** The nodes a pool places in one zone. */
export interface ZoneShare {
  /** Maintenance zone name. */
  readonly zone: string;
  /** Nodes of the pool in that zone. */
  readonly nodes: number;
}

/**
 * Splits `capacity` nodes over `zones` as evenly as possible: every zone gets
 * `floor(capacity / zones)` and `capacity % zones` zones get one more. The
 * extra nodes go to the zones starting at `offset` (mod the zone count), so a
 * caller striping several pools can rotate the remainder and keep the zone
 * totals balanced too. Result is in the order of `zones`.
 * @internal
 */
export function stripe(capacity: number, zones: readonly string[], offset = 0): ZoneShare[] {
  if (!Number.isInteger(capacity) || capacity < 0) {
    throw new Error(`capacity must be a non-negative integer, got ${capacity}`);
  }
  if (zones.length === 0) {
    throw new Error('cannot stripe over zero maintenance zones');
  }
  const n = zones.length;
  const base = Math.floor(capacity / n);
  const remainder = capacity % n;
  const start = ((offset % n) + n) % n;
  return zones.map((zone, i) => {
    const distance = (i - start + n) % n;
    return { zone, nodes: base + (distance < remainder ? 1 : 0) };
  });
}

/** A pool to stripe together with the others of its cluster. @internal */
export interface StripeRequest {
  /** Nodes in the pool. */
  readonly capacity: number;
  /** Zones the pool may use (a subset of the fleet's zones, in fleet order). */
  readonly zones: readonly string[];
}

/**
 * Stripes several pools of one cluster: each pool is striped evenly on its own,
 * and the remainder of each pool starts where the previous one stopped, so the
 * cluster's per-zone totals stay balanced as well.
 * @internal
 */
export function stripePools(requests: readonly StripeRequest[]): ZoneShare[][] {
  let offset = 0;
  return requests.map(r => {
    const shares = stripe(r.capacity, r.zones, offset);
    offset = (offset + (r.capacity % r.zones.length)) % Math.max(1, r.zones.length);
    return shares;
  });
}

/**
 * Why a pool cannot be striped, or undefined when it can: a non-empty pool
 * must put at least `minNodesPerZone` nodes in each of its zones, otherwise a
 * zone would be empty and maintenance would no longer be evenly spread.
 * @internal
 */
export function stripingProblem(capacity: number, zoneCount: number, minNodesPerZone: number): string | undefined {
  if (capacity === 0) return undefined;
  const needed = zoneCount * minNodesPerZone;
  if (capacity < needed) {
    return `${capacity} nodes cannot be striped over ${zoneCount} maintenance zones with at least ${minNodesPerZone} node(s) per zone (needs ${needed})`;
  }
  return undefined;
}
