/**
 * The maintenance layer's rules: zone drains, the eviction review and the
 * disruption policy. Each id here is a rule `Violations` accepts (see
 * `src/core/rules.ts`); the rule table in docs/maintenance.md is generated
 * from this catalogue.
 */
import { RuleIdsOf, ruleCatalogue } from '../core/rules';

/** The maintenance layer's rules. @internal */
export const MAINTENANCE_RULES = ruleCatalogue('maintenance', {
  'maintenance.drain.deadlock': {
    summary: 'draining a node or a maintenance zone ends: no workload has a PodDisruptionBudget that allows no eviction, unless an operator moves its pods itself',
    fix: 'let the budget allow at least one pod (maxUnavailable: 1), or have an operator own the workload\'s disruptions',
    severity: 'error',
  },
  'maintenance.drain.blocked': {
    summary: 'the pods a zone drain evicts fit on the rest of their node profile\'s nodes, or at least no more of them stay pending than their PodDisruptionBudget allows (else the drain stalls)',
    fix: 'add nodes of the profile, lower the workloads\' requests, or spread them over more zones',
    severity: 'warning',
  },
  'maintenance.eviction.shard-preemptible': {
    summary: 'pods holding shards cannot be preempted by pods of a higher priority on their node profile (preemption ignores their budget and moves a shard behind the stateful operator\'s back)',
    fix: 'give shard holders the highest priority of their node profile (the platform\'s stateful class), or move the other workloads to another profile',
    severity: 'error',
  },
  'maintenance.eviction.no-budget': {
    summary: 'a workload of more than one replica has a PodDisruptionBudget, so a drain does not evict all its pods on the nodes at once',
    fix: 'add a PodDisruptionBudget with maxUnavailable of at least 1',
    severity: 'warning',
  },
  'maintenance.eviction.single-replica': {
    summary: 'a workload runs more than one pod, so a drain of its node or zone does not take it down',
    fix: 'run at least two replicas, spread over zones',
    severity: 'warning',
  },
  'maintenance.eviction.memory-above-request': {
    summary: 'every container\'s memory limit equals its request, so node-pressure eviction does not pick it first',
    fix: 'set the memory limit equal to the request',
    severity: 'warning',
  },
});

declare module '../core/rules' {
  interface RuleIds extends RuleIdsOf<typeof MAINTENANCE_RULES> {}
}
