/**
 * CRDs of node maintenance: the handover of a node between Kubernetes and the
 * maintenance actor (NodeDisruption), and each cluster's rules for it
 * (MaintenancePolicy). Status conditions follow Cluster API's style: one
 * `metav1.Condition` per type, `Ready` summarizing.
 *
 * The handshake a NodeDisruption records:
 *
 * ```
 * Requested ─► Draining (cordoned, pods evicted) ─► Drained ─► Approved ─► InMaintenance ─► Returning (disruption removed) ─► Completed (uncordoned)
 *     └─────────────► Rejected (policy: too many nodes or zones in flight, approval refused)
 * ```
 */
import { FLEET_GROUP, FLEET_VERSION } from './pools';
import { CrdSpec, boolean, customResourceDefinition, integer, list, object, optional, required, statusSchema, string } from './schema';

/** Kinds of disruption: planned (upgrades, switch work, decommission) or unplanned (host remediation). @internal */
export const DISRUPTION_KINDS = ['Planned', 'Unplanned'] as const;

/** Why a node is disrupted. @internal */
export const DISRUPTION_REASONS = ['OSUpgrade', 'KernelUpgrade', 'KubeletUpgrade', 'NodeConfig', 'SwitchMaintenance', 'Decommission', 'HostRemediation'] as const;

/** The phases of the handshake, in order (Rejected ends it early). @internal */
export const DISRUPTION_PHASES = ['Requested', 'Draining', 'Drained', 'Approved', 'InMaintenance', 'Returning', 'Completed', 'Rejected'] as const;

/** Who must approve a disruption before the maintenance actor takes the node. @internal */
export const APPROVERS = ['None', 'StatefulOperator', 'PlatformOnCall'] as const;

/** The NodeDisruption CRD spec. @internal */
export const NODE_DISRUPTION_CRD: CrdSpec = {
  group: FLEET_GROUP,
  version: FLEET_VERSION,
  kind: 'NodeDisruption',
  plural: 'nodedisruptions',
  shortNames: ['ndis'],
  scope: 'Cluster',
  spec: object('A request of the maintenance actor to take a node out of the cluster and give it back afterwards.', {
    nodeName: required(string('The node to disrupt.', { minLength: 1, maxLength: 253 })),
    kind: required(string('Planned (upgrades, switch work, decommission) or Unplanned (host remediation).', { enum: [...DISRUPTION_KINDS] })),
    reason: required(string('Why the node is disrupted.', { enum: [...DISRUPTION_REASONS] })),
    requester: required(string('Who asks: the maintenance actor or person, for audit.', { minLength: 1, maxLength: 253 })),
    maintenanceZone: optional(string('The node\'s maintenance zone (the controller fills it from the node label when absent).', { maxLength: 63 })),
    rollout: optional(string('The NodeRollout this disruption belongs to, if any.', { maxLength: 253 })),
    expectedDurationSeconds: optional(integer('How long the maintenance is expected to take.', { minimum: 0, maximum: 2592000 })),
  }, [
    { rule: 'self.kind == \'Unplanned\' || self.reason != \'HostRemediation\'', message: 'host remediation is an unplanned disruption' },
  ]),
  status: statusSchema('Where the handshake stands, written by the maintenance controller.', {
    phase: optional(string('The handshake\'s phase.', { enum: [...DISRUPTION_PHASES] })),
    approvedBy: optional(string('Who approved the disruption (one of the policy\'s approvers).', { enum: [...APPROVERS] })),
    podsRemaining: optional(integer('Pods on the node still to be evicted.', { minimum: 0 })),
  }),
  printerColumns: [
    { name: 'Node', type: 'string', jsonPath: '.spec.nodeName' },
    { name: 'Kind', type: 'string', jsonPath: '.spec.kind' },
    { name: 'Reason', type: 'string', jsonPath: '.spec.reason' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Zone', type: 'string', jsonPath: '.spec.maintenanceZone', priority: 1 },
  ],
};

const approvalRule = object('Who approves a kind of disruption, and when.', {
  when: required(string('Which disruptions the rule covers: every planned or unplanned one, those of nodes running shard holders, or those beyond the node budget.', {
    enum: ['Planned', 'Unplanned', 'ShardHolders', 'BeyondNodeBudget'],
  })),
  approver: required(string('Who approves them.', { enum: [...APPROVERS] })),
});

/** The MaintenancePolicy CRD spec. @internal */
export const MAINTENANCE_POLICY_CRD: CrdSpec = {
  group: FLEET_GROUP,
  version: FLEET_VERSION,
  kind: 'MaintenancePolicy',
  plural: 'maintenancepolicies',
  shortNames: ['mpol'],
  scope: 'Cluster',
  spec: object('How much of the cluster the maintenance controller may disrupt at once, derived by the synth from the cluster\'s spare capacity.', {
    cluster: required(string('The cluster.', { minLength: 1, maxLength: 63 })),
    maxNodesInFlight: required(integer('Nodes disrupted at once, all profiles: what the spare allocatable absorbs.', { minimum: 0 })),
    maxNodesInFlightByProfile: required(list('Nodes disrupted at once per node profile.', object('One node profile\'s budget.', {
      nodeProfile: required(string('Node profile.', { minLength: 1, maxLength: 63 })),
      nodes: required(integer('Nodes of the profile disrupted at once.', { minimum: 0 })),
      nodesTotal: required(integer('Nodes of the profile in the cluster.', { minimum: 0 })),
    }), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['nodeProfile'] })),
    maxZonesInFlight: required(integer('Whole maintenance zones drained at once (0 when a zone\'s drain would stall or find no room).', { minimum: 0, maximum: 1 })),
    drainTimeoutSeconds: required(integer('How long a drain may take before the disruption is rejected and the node uncordoned.', { minimum: 60 })),
    unplannedCountsAgainstBudget: required(boolean('Whether unplanned disruptions use up the node budget (they are never refused).')),
    approvals: required(list('Who approves what.', approvalRule, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['when'] })),
  }, [{ rule: 'self.maxNodesInFlight == self.maxNodesInFlightByProfile.map(p, p.nodes).sum()', message: 'maxNodesInFlight is the sum of the profiles\' budgets' }]),
  status: statusSchema('What the maintenance controller sees now.', {
    nodesInFlight: optional(integer('Nodes disrupted now.', { minimum: 0 })),
    zonesInFlight: optional(list('Zones being drained now.', string('Zone name.'), { 'x-kubernetes-list-type': 'set' })),
  }),
  printerColumns: [
    { name: 'Max-Nodes', type: 'integer', jsonPath: '.spec.maxNodesInFlight' },
    { name: 'Max-Zones', type: 'integer', jsonPath: '.spec.maxZonesInFlight' },
    { name: 'In-Flight', type: 'integer', jsonPath: '.status.nodesInFlight' },
  ],
};

/** Both CRD objects. @internal */
export function maintenanceCrds(): Record<string, unknown>[] {
  return [customResourceDefinition(NODE_DISRUPTION_CRD), customResourceDefinition(MAINTENANCE_POLICY_CRD)];
}
