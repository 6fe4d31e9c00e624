/**
 * A cluster's maintenance report (`<cluster>/maintenance.json`): what the
 * drain simulation reads of the cluster (its pools' room per zone, its
 * workloads), the eviction review of every workload, the derived policy, and
 * the zones node rollouts are updating. `cdk8s-fleet plan` reads it and runs
 * the zone drains and, over every cluster's report, the cluster loss. Pure.
 */
import { ClusterLossApp, ClusterLossInput, ClusterRoom, DrainCapacity, DrainClusterInput, ZoneDrain, simulateZoneDrains } from './drain';
import { EvictionReview } from './eviction';
import { MaintenancePolicySpec } from './policy';
import { UpdatingZone } from './slots';
import { ResourceAmounts, ZERO, addResources, scaleResources, subtractResources } from '../core/resources';

/** The report file of a cluster, relative to the output directory. @internal */
export function maintenanceReportFile(cluster: string): string {
  return `${cluster}/maintenance.json`;
}

/** The `kind` of the report document. */
export const MAINTENANCE_REPORT_KIND = 'MaintenanceReport';

/** One app of the cluster, as the cluster-loss simulation reads it. */
export interface ReportApp {
  /** `<namespace>/<name>`. */
  readonly app: string;
  /** Kind of the workload object. */
  readonly kind: string;
  /** Pods. */
  readonly replicas: number;
  /** What one pod requests. */
  readonly requests: ResourceAmounts;
  /** Node profile. */
  readonly nodeProfile: string;
  /** Pods it needs at the least: replicas minus what its budget lets go. */
  readonly minReplicas: number;
}

/** The room of one node profile of the cluster. */
export interface ReportRoom {
  /** Node profile. */
  readonly nodeProfile: string;
  /** What its nodes leave for app pods. */
  readonly capacity: DrainCapacity;
  /** What the pods on it request. */
  readonly requested: DrainCapacity;
  /** Free. */
  readonly free: DrainCapacity;
}

/**
 * The report document. It records the drain simulation's input (the pools'
 * room per zone and every workload's pods, spread, budget and priority), not
 * its twenty zones of output: `plan` runs the same pure simulation on it
 * (`zoneDrainsOf`), so the report stays small and says what was simulated.
 */
export interface MaintenanceReport {
  /** `MaintenanceReport`. */
  readonly kind: typeof MAINTENANCE_REPORT_KIND;
  /** Cluster name. */
  readonly cluster: string;
  /** The cluster's pools with nodes, as the drain simulation reads them. */
  readonly pools: DrainClusterInput['pools'];
  /** The cluster's workloads (batch pods and node agents left out), as the drain simulation reads them. */
  readonly workloads: DrainClusterInput['workloads'];
  /** Every workload's eviction paths. */
  readonly evictions: readonly EvictionReview[];
  /** The derived policy. */
  readonly policy: MaintenancePolicySpec;
  /** The zones of its pools node rollouts are updating now. */
  readonly updating: readonly UpdatingZone[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The report of a cluster. @internal */
export function maintenanceReport(input: DrainClusterInput, evictions: readonly EvictionReview[], policy: MaintenancePolicySpec,
  updating: readonly UpdatingZone[] = []): MaintenanceReport {
  const workloads = input.workloads.slice().sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.kind, b.kind));
  return { kind: MAINTENANCE_REPORT_KIND, cluster: input.cluster, pools: input.pools, workloads, evictions, policy, updating };
}

/** The report as the file's text. @internal */
export function maintenanceReportDocument(input: DrainClusterInput, evictions: readonly EvictionReview[], policy: MaintenancePolicySpec,
  updating: readonly UpdatingZone[] = []): string {
  return `${JSON.stringify(maintenanceReport(input, evictions, policy, updating), null, 2)}\n`;
}

/** Every zone's drain of a report's cluster: the simulation run on the recorded input. */
export function zoneDrainsOf(report: MaintenanceReport): ZoneDrain[] {
  return simulateZoneDrains({ cluster: report.cluster, pools: report.pools, workloads: report.workloads });
}

/** The apps of a report's cluster, as the cluster-loss simulation reads them. */
export function reportApps(report: MaintenanceReport): ReportApp[] {
  return report.workloads.filter(w => w.nodeProfile !== undefined && w.replicas > 0).map(w => ({
    app: `${w.namespace}/${w.name}`,
    kind: w.kind,
    replicas: w.replicas,
    requests: w.requests,
    nodeProfile: w.nodeProfile!,
    minReplicas: w.disruptionBudget === undefined ? w.replicas : Math.max(0, w.replicas - w.disruptionBudget),
  })).sort((a, b) => cmp(a.app, b.app) || cmp(a.kind, b.kind));
}

/** The room per node profile of a report's cluster, before any drain. */
export function reportRoom(report: MaintenanceReport): ReportRoom[] {
  const apps = reportApps(report);
  const profiles = [...new Set(report.pools.map(p => p.nodeProfile))].sort(cmp);
  return profiles.map(profile => {
    let resources: ResourceAmounts = ZERO;
    let pods = 0;
    for (const p of report.pools) {
      if (p.nodeProfile !== profile) continue;
      const nodes = p.zones.reduce((n, z) => n + Math.max(0, z.nodes), 0);
      resources = addResources(resources, scaleResources(p.forPodsPerNode, nodes));
      pods += p.podSlotsPerNode * nodes;
    }
    let req: ResourceAmounts = ZERO;
    let reqPods = 0;
    for (const a of apps) {
      if (a.nodeProfile !== profile) continue;
      req = addResources(req, scaleResources(a.requests, a.replicas));
      reqPods += a.replicas;
    }
    return {
      nodeProfile: profile,
      capacity: { resources, pods },
      requested: { resources: req, pods: reqPods },
      free: { resources: subtractResources(resources, req), pods: pods - reqPods },
    };
  });
}

/** Parses a report file; undefined when it is not one. */
export function parseMaintenanceReport(text: string): MaintenanceReport | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const d = doc as Partial<MaintenanceReport> | null;
  if (!d || d.kind !== MAINTENANCE_REPORT_KIND || typeof d.cluster !== 'string' || !Array.isArray(d.pools) || !Array.isArray(d.workloads)
    || !Array.isArray(d.evictions) || !d.policy || typeof d.policy !== 'object') return undefined;
  return { ...d, updating: Array.isArray(d.updating) ? d.updating : [] } as MaintenanceReport;
}

/**
 * What the cluster-loss simulation reads of the clusters' reports: every
 * cluster's free room, and every app with its share of each cluster (an app
 * is named `<namespace>/<name>`; one that only one cluster runs has one
 * share). Apps do not fail over: each cluster runs its own; a federated app
 * is given with `failover` by the caller that knows its shares.
 */
export function clusterLossInputOf(reports: readonly MaintenanceReport[]): ClusterLossInput {
  const clusters: ClusterRoom[] = reports.map(r => ({
    cluster: r.cluster,
    free: new Map(reportRoom(r).map(x => [x.nodeProfile, x.free])),
  }));
  const apps = new Map<string, { minReplicas: number; shares: ClusterLossApp['shares'][number][] }>();
  for (const r of reports) {
    for (const a of reportApps(r)) {
      const key = `${a.app}|${a.kind}`;
      const e = apps.get(key) ?? { minReplicas: 0, shares: [] };
      e.minReplicas += a.minReplicas;
      e.shares.push({ cluster: r.cluster, replicas: a.replicas, requests: a.requests, nodeProfile: a.nodeProfile });
      apps.set(key, e);
    }
  }
  return {
    clusters,
    apps: [...apps].map(([key, e]) => ({ app: key.split('|')[0], minReplicas: e.minReplicas, shares: e.shares, failover: false })),
  };
}
