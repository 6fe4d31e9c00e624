/**
 * The example fleet's maintenance: a node rollout in progress. The general
 * pools of both lva1 clusters move to a new OS image and node configuration
 * revision, one zone at a time (a zone of each cluster at once), each zone
 * soaking two hours; five zones are done, the sixth is being updated.
 */
import { Duration } from 'cdk8s';
import { Fleet, KubernetesPool, NodeRollout } from '../src';

/** Adds the example's node rollout over the given pools (the lva1 clusters' general pools). */
export function addExampleMaintenance(fleet: Fleet, pools: readonly KubernetesPool[]): NodeRollout {
  return new NodeRollout(fleet, 'general-os-2026-11', {
    targets: pools,
    osImage: 'azl3-2026.11.2',
    nodeConfig: 'kcfg-2026-11',
    soak: Duration.hours(2),
    completedZones: 5,
  });
}
