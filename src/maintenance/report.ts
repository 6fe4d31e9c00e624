/**
 * A cluster's maintenance report (`<cluster>/maintenance.json`): the drain of
 * every zone, the eviction review of every workload, the derived policy, and
 * what the cluster-loss simulation reads of the cluster (its apps and its
 * free room). `cdk8s-fleet plan` reads it; the cluster-loss simulation runs
 * over the reports of every cluster. Pure.
 */
import { ClusterLossApp, ClusterLossInput, ClusterRoom, DrainCapacity, DrainClusterInput, ZoneDrain } from './drain';
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

/** The report document. */
export interface MaintenanceReport {
  /** `MaintenanceReport`. */
  readonly kind: typeof MAINTENANCE_REPORT_KIND;
  /** Cluster name. */
  readonly cluster: string;
  /** The drain of every zone. */
  readonly zones: readonly ZoneDrain[];
  /** Every workload's eviction paths. */
  readonly evictions: readonly EvictionReview[];
  /** The derived policy. */
  readonly policy: MaintenancePolicySpec;
  /** The apps the cluster runs. */
  readonly apps: readonly ReportApp[];
  /** Room per node profile, before any drain. */
  readonly room: readonly ReportRoom[];
  /** The zones of its pools node rollouts are updating now. */
  readonly updating: readonly UpdatingZone[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The report of a cluster. @internal */
export function maintenanceReport(input: DrainClusterInput, zones: readonly ZoneDrain[], evictions: readonly EvictionReview[],
  policy: MaintenancePolicySpec, updating: readonly UpdatingZone[] = []): MaintenanceReport {
  const apps: ReportApp[] = input.workloads.filter(w => w.nodeProfile !== undefined && w.replicas > 0).map(w => ({
    app: `${w.namespace}/${w.name}`,
    kind: w.kind,
    replicas: w.replicas,
    requests: w.requests,
    nodeProfile: w.nodeProfile!,
    minReplicas: w.disruptionBudget === undefined ? w.replicas : Math.max(0, w.replicas - w.disruptionBudget),
  })).sort((a, b) => cmp(a.app, b.app) || cmp(a.kind, b.kind));
  const profiles = [...new Set(input.pools.map(p => p.nodeProfile))].sort(cmp);
  const room = profiles.map(profile => {
    let resources: ResourceAmounts = ZERO;
    let pods = 0;
    for (const p of input.pools) {
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
  return { kind: MAINTENANCE_REPORT_KIND, cluster: input.cluster, zones, evictions, policy, apps, room, updating };
}

/** The report as the file's text. @internal */
export function maintenanceReportDocument(input: DrainClusterInput, zones: readonly ZoneDrain[], evictions: readonly EvictionReview[],
  policy: MaintenancePolicySpec, updating: readonly UpdatingZone[] = []): string {
  return `${JSON.stringify(maintenanceReport(input, zones, evictions, policy, updating), null, 2)}\n`;
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
  if (!d || d.kind !== MAINTENANCE_REPORT_KIND || typeof d.cluster !== 'string' || !Array.isArray(d.zones) || !Array.isArray(d.evictions)
    || !Array.isArray(d.apps) || !Array.isArray(d.room) || typeof d.policy !== 'object') return undefined;
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
    free: new Map(r.room.map(x => [x.nodeProfile, x.free])),
  }));
  const apps = new Map<string, { minReplicas: number; shares: ClusterLossApp['shares'][number][] }>();
  for (const r of reports) {
    for (const a of r.apps) {
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
