/**
 * The plan report: what a reviewer wants to see at a glance, computed from a
 * synthesized output directory alone (so it works for any fleet program). Per
 * cluster, per pool and per maintenance zone: nodes, allocatable versus
 * requested CPU, memory and GPUs, the namespaces routed there (new ones
 * marked) and the control plane's sizing when the output records it.
 *
 * Pure: works on {@link OutputTree}s. Data-driven: reads the hub's
 * KubernetesPool records (which state each node's allocatable) and the
 * clusters' workloads.
 */
import { Labels } from '../core/names';
import { ResourceAmounts, ZERO, addResources, cpuToMillis, memoryToMiB, scaleResources } from '../core/resources';
import { podTemplateOf, workloadKindOf, workloadReplicas } from '../core/workload-kinds';
import { BATCH_CAPACITY_FILE } from '../jobs/accounting';
import { AppLoss, ClusterLossApp, ClusterLossInput, DrainCapacity, ZoneDrain, simulateClusterLoss } from '../maintenance/drain';
import { EvictionReview } from '../maintenance/eviction';
import { MaintenancePolicySpec } from '../maintenance/policy';
import { MaintenanceReport, clusterLossInputOf, parseMaintenanceReport, zoneDrainsOf } from '../maintenance/report';
import { UpdatingZone } from '../maintenance/slots';
import { OutputObject, OutputTree } from '../synth/read';
import { CLUSTER_LOSS_FILE, CLUSTER_LOSS_KIND, ClusterLossCheck, FederatedAppRecord } from '../tenancy/cluster-loss';

/** One pool of one cluster. */
export interface PoolReport {
  /** Pool name. */
  readonly pool: string;
  /** Node profile. */
  readonly profile: string;
  /** Nodes. */
  readonly nodes: number;
  /** Allocatable of one node. */
  readonly allocatablePerNode: ResourceAmounts;
  /** Allocatable of the whole pool. */
  readonly allocatable: ResourceAmounts;
  /** Requested by the workloads placed on the pool plus its DaemonSets. */
  readonly requested: ResourceAmounts;
  /** Of which DaemonSets (per node × nodes). */
  readonly daemonSets: ResourceAmounts;
  /** Nodes per maintenance zone. */
  readonly zones: Readonly<Record<string, number>>;
}

/** One maintenance zone of one cluster. */
export interface ZoneReport {
  /** Zone name. */
  readonly zone: string;
  /** Nodes in the zone, all pools. */
  readonly nodes: number;
  /** Nodes per pool. */
  readonly pools: Readonly<Record<string, number>>;
  /** Allocatable of the zone's nodes. */
  readonly allocatable: ResourceAmounts;
}

/** A namespace of a cluster. */
export interface NamespaceReport {
  /** Namespace name. */
  readonly name: string;
  /** True when it is not in the previous output (false when there is no previous output). */
  readonly new: boolean;
  /** Requested by the namespace's workloads. */
  readonly requested: ResourceAmounts;
  /** A federated app's namespace: every cluster it spans, in order. @default - one cluster */
  readonly federatedOver?: readonly string[];
}

/** The control plane's sizing, when the output records it. */
export interface ControlPlaneReport {
  /** Kind and name of the object that records it. */
  readonly source: string;
  /** Scalar fields of its spec (sizing choices and their reasons), flattened. */
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

/** One cluster. */
export interface ClusterReport {
  /** Cluster name. */
  readonly cluster: string;
  /** Its region, when the output records it (the cluster-loss report). @default - not recorded */
  readonly region?: string;
  /** Nodes, all pools. */
  readonly nodes: number;
  /** Allocatable, all pools. */
  readonly allocatable: ResourceAmounts;
  /** Requested, all workloads and DaemonSets. */
  readonly requested: ResourceAmounts;
  /** Requested by workloads that select no pool (the scheduler picks one). */
  readonly unplaced: ResourceAmounts;
  /** Pools, by name. */
  readonly pools: readonly PoolReport[];
  /** Maintenance zones, in the records' order. */
  readonly zones: readonly ZoneReport[];
  /** Namespaces, by name. */
  readonly namespaces: readonly NamespaceReport[];
  /** The control plane, when recorded. */
  readonly controlPlane?: ControlPlaneReport;
}

/** The whole report. */
/** One line of batch capacity: what batch work may use, the region's quota share, the queues' shares, what no quota holds. */
export interface BatchLineReport {
  /** Batch capacity. */
  readonly capacity: ResourceAmounts;
  /** The regional quota's share. */
  readonly quota: ResourceAmounts;
  /** The queues' shares. */
  readonly queues: ResourceAmounts;
  /** Capacity no quota holds. */
  readonly free: ResourceAmounts;
}

/** A team queue of a cluster or region: per node profile its quota and what it may use at most, borrowing included. */
export interface BatchQueueLineReport {
  /** Queue name. */
  readonly queue: string;
  /** Owning team. */
  readonly team: string;
  /** Per node profile. */
  readonly byProfile: Readonly<Record<string, { readonly quota: ResourceAmounts; readonly capability: ResourceAmounts }>>;
}

/** Batch capacity of one cluster or region, per node profile (and per pool for a cluster), from the output's batch capacity report. */
export interface BatchReport {
  /** Cluster or region name. */
  readonly name: string;
  /** The cluster's region (for a cluster). */
  readonly region?: string;
  /** The cluster's batch scheduler, `volcano` or `kueue` (for a cluster whose region has a batch quota). */
  readonly scheduler?: string;
  /** The team queues, by name. */
  readonly queues: readonly BatchQueueLineReport[];
  /** Per node profile with a batch quota. */
  readonly byProfile: Readonly<Record<string, BatchLineReport>>;
  /** Per pool (for a cluster). */
  readonly byPool?: Readonly<Record<string, BatchLineReport>>;
}

/** What the loss of one cluster does, from the output's cluster-loss report, with the cluster's region. */
export interface ClusterLossLine extends ClusterLossCheck {
  /** Its region. */
  readonly region: string;
}

/** A federated app and its shares, from the output's cluster-loss report. */
export type FederatedAppLine = FederatedAppRecord;

/** One cluster's maintenance: the drain of each zone, the eviction review, the derived policy (from the cluster's maintenance report). */
export interface ClusterMaintenanceReport {
  /** Cluster name. */
  readonly cluster: string;
  /** The drain of every zone, in the pools' zone order. */
  readonly zones: readonly ZoneDrain[];
  /** Every workload's eviction paths. */
  readonly evictions: readonly EvictionReview[];
  /** The cluster's maintenance policy. */
  readonly policy: MaintenancePolicySpec;
  /** The zones node rollouts are updating now, per pool. */
  readonly updating: readonly UpdatingZone[];
}

/** What losing one cluster does. */
export interface ClusterLossReport {
  /** The lost cluster. */
  readonly cluster: string;
  /** Each app with pods there: what it loses and what it keeps. */
  readonly apps: readonly AppLoss[];
  /** Apps that go down entirely. */
  readonly down: readonly string[];
  /** Apps that drop below their minimum. */
  readonly belowMinimum: readonly string[];
  /** The survivors' free room, per cluster and node profile. */
  readonly survivors: Readonly<Record<string, Readonly<Record<string, DrainCapacity>>>>;
}

/** Maintenance: every cluster's zone drains and eviction review, and what losing each cluster does. */
export interface MaintenancePlanReport {
  /** Per cluster, by name. */
  readonly clusters: readonly ClusterMaintenanceReport[];
  /** Losing each cluster in turn. */
  readonly clusterLoss: readonly ClusterLossReport[];
}

export interface PlanReport {
  /** Clusters, by name. */
  readonly clusters: readonly ClusterReport[];
  /** True when new namespaces were determined against a previous output. */
  readonly comparedWithPrevious: boolean;
  /** Batch capacity per region and per cluster, when the output has a jobs platform. */
  readonly batch?: { readonly regions: readonly BatchReport[]; readonly clusters: readonly BatchReport[] };
  /** The cluster-loss report and the federated apps, when the output has app namespaces. */
  readonly clusterLoss?: { readonly clusters: readonly ClusterLossLine[]; readonly federated: readonly FederatedAppLine[] };
  /** Zone drains, eviction reviews and cluster loss, when the output has maintenance reports. */
  readonly maintenance?: MaintenancePlanReport;
}

/** Builds the report of an output, marking namespaces that `previous` does not have. */
export function planReport(tree: OutputTree, previous?: OutputTree): PlanReport {
  const kpools: OutputObject[] = [];
  const byCluster = new Map<string, OutputObject[]>();
  for (const o of tree.objects.values()) {
    if (o.object.kind === 'KubernetesPool') kpools.push(o);
    const list = byCluster.get(o.cluster) ?? [];
    list.push(o);
    byCluster.set(o.cluster, list);
  }
  const previousNamespaces = new Set<string>();
  for (const o of previous?.objects.values() ?? []) {
    if (o.object.kind === 'Namespace') previousNamespaces.add(`${o.cluster}/${o.object.metadata.name}`);
  }

  interface MutablePool { report: Omit<PoolReport, 'requested' | 'daemonSets'>; requested: ResourceAmounts; daemonSets: ResourceAmounts }
  const poolsOf = new Map<string, MutablePool[]>();
  const controlPlanes = new Map<string, ControlPlaneReport>();
  for (const k of kpools) {
    const spec = k.object.spec as any;
    const cluster = String(spec?.cluster ?? '');
    const tpl = spec?.poolTemplate ?? {};
    const perNode = recordedAllocatable(tpl.nodeResources?.allocatable);
    const zones: Record<string, number> = {};
    for (const z of spec?.maintenanceZones ?? []) zones[String(z.zone)] = Number(z.capacity) || 0;
    const nodes = Number(tpl.capacity) || 0;
    const labels = k.object.metadata.labels as Record<string, string> | undefined;
    const pool = String(labels?.[Labels.POOL] ?? tpl.nodeLabels?.[Labels.POOL] ?? k.object.metadata.name);
    const list = poolsOf.get(cluster) ?? [];
    list.push({
      report: { pool, profile: String(tpl.nodeProfile ?? ''), nodes, allocatablePerNode: perNode, allocatable: scaleResources(perNode, nodes), zones },
      requested: ZERO,
      daemonSets: ZERO,
    });
    poolsOf.set(cluster, list);
  }
  for (const o of tree.objects.values()) {
    if (!/ControlPlane/.test(o.object.kind)) continue;
    const spec = (o.object.spec ?? {}) as Record<string, unknown>;
    const cluster = typeof spec.cluster === 'string' ? spec.cluster : o.cluster;
    controlPlanes.set(cluster, { source: `${o.object.kind} ${o.object.metadata.name}`, fields: flattenScalars(spec) });
  }

  const loss = clusterLossOf(tree.files.get(CLUSTER_LOSS_FILE));
  const regionOf = new Map((loss?.clusters ?? []).map(c => [c.cluster, c.region]));
  const federatedOver = new Map<string, readonly string[]>();
  for (const f of loss?.federated ?? []) for (const c of f.clusters) federatedOver.set(`${c.cluster}/${f.namespace}`, f.clusters.map(x => x.cluster));
  const clusterNames = new Set<string>([...poolsOf.keys(), ...[...byCluster.keys()].filter(c => c !== '' && byCluster.get(c)!.some(o => o.object.kind !== 'KubeletConfiguration'))]);
  const clusters: ClusterReport[] = [];
  for (const cluster of [...clusterNames].sort(cmp)) {
    const pools = (poolsOf.get(cluster) ?? []).sort((a, b) => cmp(a.report.pool, b.report.pool));
    const byPool = new Map(pools.map(p => [p.report.pool, p]));
    const byProfile = new Map<string, MutablePool>();
    for (const p of pools) if (!byProfile.has(p.report.profile)) byProfile.set(p.report.profile, p);
    let unplaced: ResourceAmounts = ZERO;
    const nsRequests = new Map<string, ResourceAmounts>();
    const namespaces: string[] = [];
    for (const o of byCluster.get(cluster) ?? []) {
      const obj = o.object as any;
      if (obj.kind === 'Namespace') namespaces.push(obj.metadata.name);
      const kind = workloadKindOf(obj);
      const podSpec = kind && podTemplateOf(kind, obj)?.spec as any;
      if (!kind || !podSpec) continue;
      const perPod = podRequests(podSpec);
      const target = targetPool(podSpec, byPool, byProfile);
      if (kind.pods === 'per-node') {
        const on = target ? [target] : pools;
        for (const p of on) {
          const total = scaleResources(perPod, p.report.nodes);
          p.daemonSets = addResources(p.daemonSets, total);
          p.requested = addResources(p.requested, total);
          addTo(nsRequests, obj.metadata.namespace, total);
        }
        continue;
      }
      const replicas = workloadReplicas(kind, obj) ?? 1;
      const total = scaleResources(perPod, replicas);
      addTo(nsRequests, obj.metadata.namespace, total);
      if (target) target.requested = addResources(target.requested, total);
      else unplaced = addResources(unplaced, total);
    }
    const poolReports: PoolReport[] = pools.map(p => ({ ...p.report, requested: p.requested, daemonSets: p.daemonSets }));
    const zoneNames: string[] = [];
    for (const p of poolReports) for (const z of Object.keys(p.zones)) if (!zoneNames.includes(z)) zoneNames.push(z);
    const zones: ZoneReport[] = zoneNames.map(zone => {
      const perPool: Record<string, number> = {};
      let nodes = 0;
      let allocatable: ResourceAmounts = ZERO;
      for (const p of poolReports) {
        const n = p.zones[zone] ?? 0;
        perPool[p.pool] = n;
        nodes += n;
        allocatable = addResources(allocatable, scaleResources(p.allocatablePerNode, n));
      }
      return { zone, nodes, pools: perPool, allocatable };
    });
    const cp = controlPlanes.get(cluster);
    const region = regionOf.get(cluster);
    clusters.push({
      cluster,
      ...(region ? { region } : {}),
      nodes: poolReports.reduce((n, p) => n + p.nodes, 0),
      allocatable: addResources(...poolReports.map(p => p.allocatable)),
      requested: addResources(unplaced, ...poolReports.map(p => p.requested)),
      unplaced,
      pools: poolReports,
      zones,
      namespaces: namespaces.sort(cmp).map(name => ({
        name,
        new: !!previous && !previousNamespaces.has(`${cluster}/${name}`),
        ...(federatedOver.has(`${cluster}/${name}`) ? { federatedOver: federatedOver.get(`${cluster}/${name}`)! } : {}),
        requested: nsRequests.get(name) ?? ZERO,
      })),
      ...(cp ? { controlPlane: cp } : {}),
    });
  }
  const batch = batchOf(tree.files.get(BATCH_CAPACITY_FILE));
  const maintenance = maintenanceOf(tree, loss?.federated);
  return {
    clusters,
    comparedWithPrevious: !!previous,
    ...(batch ? { batch } : {}),
    ...(loss ? { clusterLoss: loss } : {}),
    ...(maintenance ? { maintenance } : {}),
  };
}

/** A JSON report of the output whose `kind` is `kind`; undefined without the file, when it does not parse, or for another kind. */
function jsonDocumentOf(text: string | undefined, kind: string): any {
  if (text === undefined) return undefined;
  try {
    const doc = JSON.parse(text);
    return doc?.kind === kind ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** The cluster-loss report of an output; undefined without one (or when it does not parse). */
function clusterLossOf(text: string | undefined): PlanReport['clusterLoss'] {
  const doc = jsonDocumentOf(text, CLUSTER_LOSS_KIND);
  if (!Array.isArray(doc?.clusters) || !Array.isArray(doc.federated)) return undefined;
  const names = (l: unknown) => (Array.isArray(l) ? l.map(String) : []);
  return {
    clusters: doc.clusters.map((c: any) => ({
      cluster: String(c.cluster),
      region: String(c.region ?? ''),
      down: names(c.down),
      degraded: names(c.degraded),
      belowMinimum: (Array.isArray(c.belowMinimum) ? c.belowMinimum : []).map((b: any) => ({
        app: String(b.app),
        workload: String(b.workload),
        remaining: Number(b.remaining),
        minimum: Number(b.minimum),
        targetMissed: b.targetMissed === true,
      })),
      noCapacity: names(c.noCapacity),
    })),
    federated: doc.federated.map((f: any) => ({
      app: String(f.app),
      namespace: String(f.namespace),
      region: String(f.region),
      survive: String(f.survive),
      minAvailablePercent: Number(f.minAvailablePercent),
      minimums: Object.fromEntries(Object.entries(f.minimums ?? {}).map(([w, n]) => [w, Number(n)])),
      clusters: (Array.isArray(f.clusters) ? f.clusters : [])
        .map((c: any) => ({ cluster: String(c.cluster), canary: c.canary === true, shares: { ...(c.shares ?? {}) } })),
    })),
  };
}


/**
 * The cluster-loss input with each workload of a federated app as one app over
 * its clusters: the clusters' reports name it `<namespace>/<workload>` once per
 * cluster (and per kind: a Deployment in one, a CloneSet in another), each with
 * that cluster's share. Merged, its minimum is the federation's (the pods that
 * must survive one cluster's loss), and it fails over: the survivors' room is
 * asked for the lost share. Pure.
 */
export function federateLossInput(input: ClusterLossInput, federated: readonly FederatedAppLine[]): ClusterLossInput {
  if (federated.length === 0) return input;
  const minimumOf = new Map<string, number>();
  for (const f of federated) {
    const workloads = new Set([...Object.keys(f.minimums), ...f.clusters.flatMap(c => Object.keys(c.shares))]);
    for (const w of workloads) minimumOf.set(`${f.namespace}/${w}`, f.minimums[w] ?? 0);
  }
  const merged = new Map<string, ClusterLossApp>();
  const apps: ClusterLossApp[] = [];
  for (const a of input.apps) {
    const minimum = minimumOf.get(a.app);
    if (minimum === undefined) {
      apps.push(a);
      continue;
    }
    const before = merged.get(a.app);
    merged.set(a.app, { app: a.app, minReplicas: minimum, shares: [...(before?.shares ?? []), ...a.shares], failover: true });
  }
  return { clusters: input.clusters, apps: [...apps, ...merged.values()] };
}

/** The maintenance reports of an output (`<cluster>/maintenance.json`) and the cluster-loss simulation over them; undefined without any. */
export function maintenanceOf(tree: OutputTree, federated: readonly FederatedAppLine[] = []): MaintenancePlanReport | undefined {
  const reports: MaintenanceReport[] = [];
  for (const [file, text] of [...tree.files].sort(([a], [b]) => cmp(a, b))) {
    const parts = file.split('/');
    if (parts.length !== 2 || parts[1] !== 'maintenance.json') continue;
    const r = parseMaintenanceReport(text);
    if (r && r.cluster === parts[0]) reports.push(r);
  }
  if (reports.length === 0) return undefined;
  // a federated app's workload is one app over its clusters (each cluster's report has its share), not one per cluster
  const loss = simulateClusterLoss(federateLossInput(clusterLossInputOf(reports), federated));
  return {
    clusters: reports.map(r => ({ cluster: r.cluster, zones: zoneDrainsOf(r), evictions: r.evictions, policy: r.policy, updating: r.updating })),
    clusterLoss: loss.map(l => ({
      cluster: l.cluster,
      apps: l.apps,
      down: l.down,
      belowMinimum: l.belowMinimum,
      survivors: Object.fromEntries(l.survivors.map(s => [s.cluster, Object.fromEntries([...s.free].sort(([a], [b]) => cmp(a, b)))])),
    })),
  };
}

/** The batch capacity report of an output, its profiles without a quota left out; undefined without one (or when it does not parse). */
function batchOf(text: string | undefined): PlanReport['batch'] {
  const doc = jsonDocumentOf(text, 'BatchCapacity');
  if (!Array.isArray(doc?.regions) || !Array.isArray(doc.clusters)) return undefined;
  const held = (l: any) => l && (l.quota?.cpuMillis > 0 || l.quota?.memoryMiB > 0 || l.quota?.gpus > 0);
  const lines = (m: any): Record<string, BatchLineReport> =>
    Object.fromEntries(Object.entries(m ?? {}).filter(([, l]) => held(l)) as Array<[string, BatchLineReport]>);
  const amounts = (a: any): ResourceAmounts => ({
    cpuMillis: Number(a?.cpuMillis) || 0, memoryMiB: Number(a?.memoryMiB) || 0, gpus: Number(a?.gpus) || 0,
  });
  const queues = (qs: any): BatchQueueLineReport[] => (Array.isArray(qs) ? qs : []).map((q: any) => ({
    queue: String(q?.queue),
    team: String(q?.team ?? ''),
    byProfile: Object.fromEntries(Object.entries(q?.byProfile ?? {})
      .map(([p, l]: [string, any]) => [p, { quota: amounts(l?.quota), capability: amounts(l?.capability) }])),
  }));
  return {
    regions: doc.regions.map((r: any) => ({ name: String(r.region), byProfile: lines(r.byProfile), queues: queues(r.queues) })),
    clusters: doc.clusters.map((c: any) => ({
      name: String(c.cluster),
      region: String(c.region),
      ...(typeof c.scheduler === 'string' ? { scheduler: c.scheduler } : {}),
      byProfile: lines(c.byProfile),
      byPool: lines(c.byPool),
      queues: queues(c.queues),
    })),
  };
}

/**
 * Allocatable of one node as the hub's KubernetesPool record states it
 * (`spec.poolTemplate.nodeResources.allocatable`, written by the synth); zero
 * for a record without it.
 */
export function recordedAllocatable(amounts: any): ResourceAmounts {
  if (!amounts) return ZERO;
  return { cpuMillis: cpu(amounts.cpu), memoryMiB: mem(amounts.memory), gpus: Number(amounts.gpus) || 0 };
}

/** Effective requests of one pod: max(sum of containers, largest init container), per dimension. */
export function podRequests(podSpec: any): ResourceAmounts {
  const one = (c: any): ResourceAmounts => {
    const req = { ...(c?.resources?.limits ?? {}), ...(c?.resources?.requests ?? {}) };
    let gpus = 0;
    for (const [k, v] of Object.entries(req)) if (/(^|\/)gpu$/.test(k)) gpus += Number(v) || 0;
    return { cpuMillis: cpu(req.cpu), memoryMiB: mem(req.memory), gpus };
  };
  const sum = addResources(...(podSpec?.containers ?? []).map(one));
  let cpuMillis = sum.cpuMillis, memoryMiB = sum.memoryMiB, gpus = sum.gpus;
  for (const c of podSpec?.initContainers ?? []) {
    const r = one(c);
    cpuMillis = Math.max(cpuMillis, r.cpuMillis);
    memoryMiB = Math.max(memoryMiB, r.memoryMiB);
    gpus = Math.max(gpus, r.gpus);
  }
  return { cpuMillis, memoryMiB, gpus };
}

function targetPool<P>(podSpec: any, byPool: Map<string, P>, byProfile: Map<string, P>): P | undefined {
  const selected = (key: string): string | undefined => {
    const v = podSpec?.nodeSelector?.[key];
    if (typeof v === 'string') return v;
    const terms = podSpec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    for (const t of terms) {
      for (const e of t?.matchExpressions ?? []) {
        if (e?.key === key && e?.operator === 'In' && Array.isArray(e.values) && e.values.length > 0) return String(e.values[0]);
      }
    }
    return undefined;
  };
  const pool = selected(Labels.POOL);
  if (pool !== undefined) return byPool.get(pool);
  const profile = selected(Labels.NODE_PROFILE);
  return profile !== undefined ? byProfile.get(profile) : undefined;
}

function flattenScalars(o: Record<string, unknown>, prefix = '', out: Record<string, string | number | boolean> = {}): Record<string, string | number | boolean> {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) flattenScalars(v as Record<string, unknown>, key, out);
  }
  return out;
}

function addTo(m: Map<string, ResourceAmounts>, ns: string | undefined, a: ResourceAmounts): void {
  if (!ns) return;
  m.set(ns, addResources(m.get(ns) ?? ZERO, a));
}

function cpu(q: unknown): number {
  return q === undefined || q === null ? 0 : safe(() => cpuToMillis(typeof q === 'number' ? q : String(q)));
}

function mem(q: unknown): number {
  return q === undefined || q === null ? 0 : safe(() => memoryToMiB(String(q)));
}

function safe(f: () => number): number {
  try {
    const n = f();
    return Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
