/**
 * The Kubernetes SIG Scalability thresholds as pure synth-time checks.
 *
 * Source: kubernetes/community, sig-scalability/configs-and-limits/thresholds.md
 * (the limits within which the scalability SLOs are tested). A cluster beyond
 * them is not impossible, but it runs outside what the project has measured,
 * so each finding says which limit, by how much, and what to do.
 */
import { ErrorRuleId, WarningRuleId } from '../core/rules';

/** The tested limits (per cluster unless stated). @internal */
export const SCALABILITY_THRESHOLDS = {
  /** Nodes per cluster. */
  nodesPerCluster: 5000,
  /** Pods per node, absolute. */
  podsPerNode: 110,
  /** Pods per node per CPU core. */
  podsPerCore: 10,
  /** Pods per cluster. */
  podsPerCluster: 150_000,
  /** Namespaces per cluster. */
  namespacesPerCluster: 10_000,
  /** Services per cluster. */
  servicesPerCluster: 10_000,
} as const;

/** Share of a limit at which a count is reported as a warning before it becomes an error. @internal */
export const THRESHOLD_WARNING_RATIO = 0.9;

/** One threshold finding; errors fail the synth, warnings are printed. @internal */
export type ThresholdFinding = {
  /** What is over (or near) which limit. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
} & (
  /** An error, of a rule catalogued as one. */
  | { readonly severity: 'error'; readonly rule: ErrorRuleId }
  /** A warning, of a rule catalogued as one. */
  | { readonly severity: 'warning'; readonly rule: WarningRuleId });

/**
 * Nodes of a cluster against the 5,000-node threshold. Above it the synth fails
 * unless the cluster acknowledges a higher node count explicitly; then it is a
 * warning, and an acknowledged count that is exceeded is an error again.
 * @internal
 */
export function nodeCountFinding(nodes: number, acknowledgedNodes?: number): ThresholdFinding | undefined {
  const limit = SCALABILITY_THRESHOLDS.nodesPerCluster;
  if (nodes <= limit) return undefined;
  if (acknowledgedNodes === undefined) {
    return {
      severity: 'error',
      rule: 'control-plane.threshold.nodes',
      message: `the cluster has ${nodes} nodes, above the ${limit}-node SIG Scalability threshold`,
      fix: `split the pools over more clusters, or acknowledge the size explicitly with ControlPlane's acknowledgeNodesAbove5000 (>= ${nodes})`,
    };
  }
  if (nodes > acknowledgedNodes) {
    return {
      severity: 'error',
      rule: 'control-plane.threshold.nodes',
      message: `the cluster has ${nodes} nodes, above the acknowledged ${acknowledgedNodes}`,
      fix: `raise acknowledgeNodesAbove5000 to at least ${nodes} after testing at that size, or remove capacity`,
    };
  }
  return {
    severity: 'warning',
    rule: 'control-plane.threshold.nodes.acknowledged',
    message: `the cluster has ${nodes} nodes, beyond the tested ${limit}-node threshold (acknowledged up to ${acknowledgedNodes})`,
    fix: 'keep the control plane and etcd under close watch; this size is outside what SIG Scalability tests',
  };
}

/** The pods-per-node threshold of a machine: min(110, 10 × cores). @internal */
export function podsPerNodeLimit(cpuCores: number): number {
  return Math.min(SCALABILITY_THRESHOLDS.podsPerNode, SCALABILITY_THRESHOLDS.podsPerCore * cpuCores);
}

/** A node profile's maxPods against min(110, 10 × cores): above is a warning (the kubelet accepts it, but it is untested). @internal */
export function podsPerNodeFinding(profile: string, maxPods: number, cpuCores: number): ThresholdFinding | undefined {
  const limit = podsPerNodeLimit(cpuCores);
  if (maxPods <= limit) return undefined;
  return {
    severity: 'warning',
    rule: 'control-plane.threshold.pods-per-node',
    message: `node profile '${profile}' allows ${maxPods} pods per node, above the threshold min(110, 10 × ${cpuCores} cores) = ${limit}`,
    fix: `lower the profile's maxPods to ${limit} or less, or accept running beyond the tested limit`,
  };
}

/** What is counted per cluster. @internal */
export type CountedKind = 'pods' | 'namespaces' | 'services';

const COUNT_LIMITS: Record<CountedKind, number> = {
  pods: SCALABILITY_THRESHOLDS.podsPerCluster,
  namespaces: SCALABILITY_THRESHOLDS.namespacesPerCluster,
  services: SCALABILITY_THRESHOLDS.servicesPerCluster,
};

/** A per-cluster count against its threshold: above is an error, from 90% a warning. @internal */
export function countFinding(kind: CountedKind, count: number): ThresholdFinding | undefined {
  const limit = COUNT_LIMITS[kind];
  if (count > limit) {
    return {
      severity: 'error',
      rule: `control-plane.threshold.${kind}`,
      message: `the cluster has ${count} ${kind}, above the SIG Scalability threshold of ${limit}`,
      fix: `move tenants to another cluster until the cluster has at most ${limit} ${kind}`,
    };
  }
  if (count >= Math.ceil(limit * THRESHOLD_WARNING_RATIO)) {
    return {
      severity: 'warning',
      rule: `control-plane.threshold.${kind}.near`,
      message: `the cluster has ${count} ${kind}, ${Math.round((count / limit) * 100)}% of the SIG Scalability threshold of ${limit}`,
      fix: `plan new tenants onto another cluster before the cluster passes ${limit} ${kind}`,
    };
  }
  return undefined;
}
