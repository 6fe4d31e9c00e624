/**
 * Node rollouts resolved (every prop checked, defaults applied), validated
 * across rollouts and pools (version skew, one zone of a cluster at once, a
 * pool in one unfinished rollout), and planned: the state of every zone of
 * every target pool.
 */
import { Duration } from 'cdk8s';
import { Cluster } from './cluster';
import { KubernetesPool } from './kubernetes-pool';
import { MAX_ROLLOUT_SOAK_SECONDS, NodeRollout } from './node-rollout';
import { RolloutZone, poolRolloutZones, updatingZonesPerCluster, zoneStates } from './rollout-state';
import { ClusterSpec, NodeRolloutSpec, PoolRolloutPlan, PoolSpec } from './slots';
import { describeValue, shapeProblems, wholeNumberProblem } from '../core/checks';
import { durationIn, timeProblems, timeProp } from '../core/durations';
import { Violations } from '../core/errors';
import { pathOf } from '../core/model';
import { dns1123LabelFix, isDns1123Label, labelValueProblem } from '../core/names';
import { kubeletSkewProblem, kubeletVersionProblem, parseKubeVersion } from '../core/versions';

/** Default soak of a zone, in seconds (one hour). @internal */
export const DEFAULT_ROLLOUT_SOAK_SECONDS = 3600;

const SHAPE = {
  targets: 'list',
  kubeletVersion: 'string?',
  nodeConfig: 'string?',
  osImage: 'string?',
  zoneOrder: 'strings?',
  zonesAtOnce: 'number?',
  soakSeconds: 'number?',
  completedZones: 'number?',
} as const;

/** What a rollout resolves against. @internal */
export interface RolloutFacts {
  /** The fleet's zones, in order. */
  readonly fleetZones: readonly string[];
  /** Every cluster's spec, by construct. */
  readonly clusters: ReadonlyMap<Cluster, ClusterSpec>;
  /** Every pool's spec, by construct. */
  readonly pools: ReadonlyMap<KubernetesPool, PoolSpec>;
}

/** Resolves one rollout; undefined when a prop is reported. @internal */
export function resolveRollout(r: NodeRollout, facts: RolloutFacts, v: Violations): NodeRolloutSpec | undefined {
  const path = pathOf(r);
  const before = v.errorCount;
  const p = r.props as unknown;
  const shape = shapeProblems(p, SHAPE);
  for (const s of shape) v.error(path, 'rollout.props.type', s, 'give each prop the type its documentation states');
  if (shape.length > 0) return undefined;
  const props = r.props;
  if (!isDns1123Label(r.rolloutName)) v.error(path, 'rollout.name', `rollout name '${r.rolloutName}' is not a DNS-1123 label`, dns1123LabelFix(r.rolloutName));

  // targets: pools and clusters of this fleet, each pool once
  const pools: PoolSpec[] = [];
  for (const t of props.targets as readonly unknown[]) {
    const cluster = t instanceof Cluster ? facts.clusters.get(t as Cluster) : undefined;
    const found = t instanceof KubernetesPool ? [facts.pools.get(t)] : cluster ? cluster.pools : [undefined];
    if (found.some(x => x === undefined) || found.length === 0) {
      v.error(path, 'rollout.targets', cluster ? `cluster '${cluster.name}' has no pools` : `a target is ${t instanceof KubernetesPool || t instanceof Cluster ? 'a pool or cluster of another fleet' : describeValue(t)}`,
        'list KubernetesPools and Clusters of this fleet');
      continue;
    }
    for (const pool of found as PoolSpec[]) {
      if (pools.includes(pool)) v.error(path, 'rollout.targets', `pool '${pool.clusterName}/${pool.name}' is a target twice`, 'list each pool once (a cluster stands for all its pools)');
      else pools.push(pool);
    }
  }
  if (props.targets.length === 0) v.error(path, 'rollout.targets', 'the rollout has no targets', 'list the pools or clusters to roll over');

  // what changes
  if (props.kubeletVersion === undefined && props.nodeConfig === undefined && props.osImage === undefined) {
    v.error(path, 'rollout.change', 'the rollout changes nothing', 'give kubeletVersion, nodeConfig or osImage');
  }
  if (props.kubeletVersion !== undefined) {
    const problem = kubeletVersionProblem(props.kubeletVersion);
    if (problem) v.error(path, 'rollout.change', `kubeletVersion: ${problem}`, 'use a kubelet version like \'1.29.4\' within the skew policy of the targets\' control planes');
  }
  for (const key of ['nodeConfig', 'osImage'] as const) {
    const value = props[key];
    const problem = value === undefined ? undefined : labelValueProblem(value);
    if (problem) v.error(path, 'rollout.change', `${key}: ${problem}`, `give ${key} as a label value, e.g. '${key === 'nodeConfig' ? 'kcfg-2026-11' : 'azl3-2026.11.2'}'`);
  }

  // order and gates
  const fleetZones = new Set(facts.fleetZones);
  const order = props.zoneOrder ?? facts.fleetZones;
  const unknown = order.filter(z => !fleetZones.has(z));
  if (unknown.length > 0) v.error(path, 'rollout.zone-order', `unknown maintenance zone(s): ${unknown.join(', ')}`, `use zones of the fleet: ${facts.fleetZones.join(', ')}`);
  if (new Set(order).size !== order.length) v.error(path, 'rollout.zone-order', 'a zone is listed twice in zoneOrder', 'list each zone once');
  const inOrder = new Set(order);
  const missing = [...new Set(pools.flatMap(pool => pool.zones))].filter(z => !inOrder.has(z)).sort();
  if (missing.length > 0) {
    v.error(path, 'rollout.zone-order', `zoneOrder leaves out zone(s) the targets have nodes in: ${missing.join(', ')}`, 'list every zone of the targets in zoneOrder, or omit it for the fleet\'s order');
  }
  const zonesAtOnce = props.zonesAtOnce ?? 1;
  const atOnce = wholeNumberProblem(zonesAtOnce, 'zonesAtOnce', 1, Math.max(1, order.length));
  if (atOnce) v.error(path, 'rollout.zones-at-once', atOnce, `set zonesAtOnce to a whole number from 1 to ${Math.max(1, order.length)}`);
  const completedZones = props.completedZones ?? 0;
  const done = wholeNumberProblem(completedZones, 'completedZones', 0, order.length);
  if (done) v.error(path, 'rollout.completed-zones', done, `set completedZones to the zones already updated, 0 to ${order.length}`);
  const soak = timeProblems([timeProp('', p, 'soak', 'soakSeconds', 'seconds')]);
  for (const s of soak) v.error(path, 'rollout.soak', s.message, s.fix);
  const soakSeconds = props.soak instanceof Duration ? durationIn(props.soak, 'seconds') : props.soakSeconds ?? DEFAULT_ROLLOUT_SOAK_SECONDS;
  const soakProblem = soak.length > 0 ? undefined : wholeNumberProblem(soakSeconds, 'soak (seconds)', 0, MAX_ROLLOUT_SOAK_SECONDS);
  if (soakProblem) v.error(path, 'rollout.soak', soakProblem, `soak a zone from 0 seconds to ${MAX_ROLLOUT_SOAK_SECONDS / 86400} days, e.g. Duration.hours(1)`);
  if (v.errorCount > before) return undefined;
  return {
    construct: r,
    path,
    name: r.rolloutName,
    pools,
    ...(props.kubeletVersion !== undefined ? { kubeletVersion: props.kubeletVersion } : {}),
    ...(props.nodeConfig !== undefined ? { nodeConfig: props.nodeConfig } : {}),
    ...(props.osImage !== undefined ? { osImage: props.osImage } : {}),
    zoneOrder: order,
    zonesAtOnce,
    soakSeconds,
    completedZones,
  };
}

/** The zones of every target pool of a rollout, as the rollout stands. @internal */
export function planRollout(r: NodeRolloutSpec): Map<PoolSpec, PoolRolloutPlan> {
  const states = zoneStates(r.zoneOrder, r.completedZones, r.zonesAtOnce);
  const out = new Map<PoolSpec, PoolRolloutPlan>();
  for (const pool of r.pools) {
    const zones: RolloutZone[] = poolRolloutZones(pool.zones, states, { kubeletVersion: pool.kubeletVersion }, {
      ...(r.kubeletVersion !== undefined ? { kubeletVersion: r.kubeletVersion } : {}),
      ...(r.nodeConfig !== undefined ? { nodeConfig: r.nodeConfig } : {}),
      ...(r.osImage !== undefined ? { osImage: r.osImage } : {}),
    });
    out.set(pool, {
      name: r.name,
      path: r.path,
      zoneOrder: r.zoneOrder.filter(z => pool.zones.includes(z)),
      zonesAtOnce: r.zonesAtOnce,
      soakSeconds: r.soakSeconds,
      completedZones: zones.filter(z => z.state === 'updated').length,
      changes: {
        ...(r.kubeletVersion !== undefined ? { kubeletVersion: r.kubeletVersion } : {}),
        ...(r.nodeConfig !== undefined ? { nodeConfig: r.nodeConfig } : {}),
        ...(r.osImage !== undefined ? { osImage: r.osImage } : {}),
      },
      zones,
    });
  }
  return out;
}

/**
 * Checks across rollouts: the kubelet version within the skew policy of each
 * target's control plane; a pool in at most one unfinished rollout; at most
 * one zone of a cluster being updated at once, over every rollout.
 * @internal
 */
export function validateRollouts(rollouts: readonly NodeRolloutSpec[], clusterOf: (pool: PoolSpec) => ClusterSpec, v: Violations): void {
  const owner = new Map<PoolSpec, string>();
  const updating: Array<{ cluster: string; zones: readonly RolloutZone[]; rollout: NodeRolloutSpec }> = [];
  for (const r of rollouts) {
    const unfinished = r.completedZones < r.zoneOrder.length;
    const planned = planRollout(r);
    for (const pool of r.pools) {
      const cluster = clusterOf(pool);
      if (r.kubeletVersion !== undefined && cluster.kubernetesVersionValid) {
        const problem = kubeletSkewProblem(parseKubeVersion(r.kubeletVersion)!, parseKubeVersion(cluster.kubernetesVersion)!);
        if (problem) {
          v.error(r.path, 'rollout.kubelet-version-skew', `${problem}: the rollout gives pool '${pool.clusterName}/${pool.name}' kubelet ${r.kubeletVersion}, its cluster runs ${cluster.kubernetesVersion}`,
            `roll a kubelet version not newer than ${cluster.kubernetesVersion} and at most three minor versions older, or upgrade the control plane first`);
        }
      }
      if (unfinished) {
        const other = owner.get(pool);
        if (other) v.error(r.path, 'rollout.unique-target', `pool '${pool.clusterName}/${pool.name}' is also in unfinished rollout ${other}`, 'finish one rollout before starting another on the same pool');
        else owner.set(pool, r.path);
      }
      updating.push({ cluster: pool.clusterName, zones: planned.get(pool)!.zones, rollout: r });
    }
  }
  for (const [cluster, zones] of updatingZonesPerCluster(updating)) {
    if (zones.size <= 1) continue;
    const by = [...new Set(updating.filter(u => u.cluster === cluster && u.zones.some(z => z.state === 'updating')).map(u => u.rollout))];
    for (const r of by) {
      v.error(r.path, 'rollout.zones-per-cluster', `cluster '${cluster}' would have ${zones.size} zones updated at once (${[...zones].sort().join(', ')}), over ${by.map(x => x.name).join(', ')}`,
        'update one zone of a cluster at a time: lower zonesAtOnce, order the zones so that the zones updated together are in different clusters, or finish one rollout first');
    }
  }
}
