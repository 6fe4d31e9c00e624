/**
 * `cdk8s-fleet where`: where an app or namespace runs, answered from the
 * placements lock and a few hub records only (never by parsing the whole
 * output). Pure: the verb reads the files and hands their contents here.
 *
 * - the lock names the cluster, namespace and node profile of every app;
 * - the app's NamespacePlacement record names the cluster's region;
 * - the cluster's KubernetesPool records name its pools and maintenance zones;
 * - the GuardrailConfiguration record holds every exemption with its reason;
 * - the namespace directory's file names name its workloads (the file of an
 *   object is `<kind in lower case>-<name>.yaml`).
 *
 * Overrides are inputs of one synth and are not recorded in the output: the
 * verb shows those it is given (`--override`, env CDK8S_FLEET_OVERRIDES) that
 * touch the app.
 */
import { WORKLOAD_KINDS } from '../core/workload-kinds';

/** One app's entry in the placements lock. */
export interface LockedPlacement {
  /** Cluster. */
  readonly cluster: string;
  /** Namespace. */
  readonly namespace: string;
  /** Node profile. */
  readonly nodeProfile: string;
  /** A federated app's clusters, in order (the first is `cluster`). @default - one cluster */
  readonly clusters?: readonly string[];
  /** A federated app's shares: workload → cluster → replicas. @default - not federated */
  readonly shares?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** One cluster of a federated app. */
export interface WhereCluster {
  /** Cluster (the kubectl context). */
  readonly cluster: string;
  /** It runs the app's canaries (the first cluster). */
  readonly canary: boolean;
  /** The cluster's pools of the app's node profile. */
  readonly pools: readonly WherePool[];
  /** The workload objects of the namespace in this cluster. */
  readonly workloads: readonly WhereWorkload[];
  /** Each workload's replicas in this cluster. */
  readonly shares: Readonly<Record<string, number>>;
  /** The kubectl prefix for the app in this cluster. */
  readonly kubectl: string;
}

/** A pool of the app's cluster, as its KubernetesPool record states it. */
export interface WherePool {
  /** Pool name. */
  readonly pool: string;
  /** Node profile of its nodes. */
  readonly nodeProfile: string;
  /** Nodes (the pool's capacity). */
  readonly nodes: number;
  /** Maintenance zones with their nodes. */
  readonly zones: ReadonlyArray<{ readonly zone: string; readonly nodes: number }>;
}

/** A workload object of the app's namespace. */
export interface WhereWorkload {
  /** Kind. */
  readonly kind: string;
  /** Name. */
  readonly name: string;
  /** File, relative to the output directory. */
  readonly file: string;
}

/** A guardrail exemption or override that touches the app. */
export interface WhereGuardrailException {
  /** Guardrail rule name. */
  readonly rule: string;
  /** Target, as the rule names its targets. */
  readonly target: string;
  /** Reason (exemptions only). @default - none, for an override */
  readonly reason?: string;
}

/** Where one app runs. */
export interface WhereEntry {
  /** App. */
  readonly app: string;
  /** Cluster (the kubectl context). */
  readonly cluster: string;
  /** Region of the cluster. @default - absent when the hub record does not state it */
  readonly region?: string;
  /** Namespace. */
  readonly namespace: string;
  /** Node profile the app's pods run on. */
  readonly nodeProfile: string;
  /** The cluster's pools of that node profile. */
  readonly pools: readonly WherePool[];
  /** The workload objects of the namespace. */
  readonly workloads: readonly WhereWorkload[];
  /** Recorded guardrail exemptions that touch the app. */
  readonly exemptions: readonly WhereGuardrailException[];
  /** Given overrides (`<rule>:<target>`) that touch the app. */
  readonly overrides: readonly WhereGuardrailException[];
  /** The kubectl prefix for the app: `kubectl --context <cluster> -n <namespace>`. */
  readonly kubectl: string;
  /** A federated app: every cluster it runs in, the first included, in order. @default - one cluster */
  readonly clusters?: readonly WhereCluster[];
}

/** The apps a query names: the app of that name, else every app placed in a namespace of that name. */
export function matchPlacements(lock: Readonly<Record<string, LockedPlacement>>, query: string): string[] {
  if (Object.prototype.hasOwnProperty.call(lock, query)) return [query];
  return Object.keys(lock).filter(app => lock[app].namespace === query).sort();
}

/** Levenshtein edit distance. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The names closest to a query by edit distance (ties by name), at most
 * `max`; a name that contains the query (or is contained in it) counts as
 * close whatever its distance, others only within half the query's length.
 */
export function closestNames(query: string, names: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.ceil(query.length / 2));
  return [...new Set(names)]
    .map(n => ({ n, d: editDistance(query, n), contains: n.includes(query) || query.includes(n) }))
    .filter(x => x.d <= limit || x.contains)
    .sort((x, y) => x.d - y.d || (x.n < y.n ? -1 : x.n > y.n ? 1 : 0))
    .slice(0, max)
    .map(x => x.n);
}

/**
 * True when a guardrail target (named as its rule names targets) touches the
 * app in `cluster`/`namespace`. Targets of the rules:
 * `<cluster>/<namespace>/<workload>` (scale-down, max-surge),
 * `<cluster>/<namespace>/<app>` (canary-percent), `<namespace>`
 * (namespace-move), `<cluster>/<kind>/<name>` or
 * `<cluster>/<kind>/<namespace>/<name>` (delete-protected: the namespace
 * itself, or an object in it). An unknown rule's target touches the app when
 * it names the cluster and namespace as its first two parts.
 */
export function targetTouches(rule: string, target: string, cluster: string, namespace: string): boolean {
  const parts = target.split('/');
  switch (rule) {
    case 'namespace-move':
      return target === namespace;
    case 'delete-protected':
      if (parts[0] !== cluster) return false;
      if (parts.length === 4) return parts[2] === namespace;
      return parts.length === 3 && parts[1] === 'namespace' && parts[2] === namespace;
    default:
      return parts.length >= 3 && parts[0] === cluster && parts[1] === namespace;
  }
}

/** Splits an override `<rule>:<target>`; undefined when it has no rule. */
export function parseOverride(name: string): { rule: string; target: string } | undefined {
  const i = name.indexOf(':');
  if (i <= 0) return undefined;
  return { rule: name.slice(0, i), target: name.slice(i + 1) };
}

const WORKLOAD_PREFIXES = [...new Map(WORKLOAD_KINDS.map(k => [k.kind.toLowerCase(), k.kind])).entries()]
  .sort((a, b) => b[0].length - a[0].length);

/**
 * The workload objects among a namespace directory's file names: a file
 * `<kind in lower case>-<name>.yaml` of a kind in the workload-kinds table.
 * Sorted by kind, then name.
 */
export function workloadFiles(dir: string, fileNames: readonly string[]): WhereWorkload[] {
  const out: WhereWorkload[] = [];
  for (const f of fileNames) {
    if (!f.endsWith('.yaml')) continue;
    const hit = WORKLOAD_PREFIXES.find(([p]) => f.startsWith(`${p}-`));
    if (!hit) continue;
    out.push({ kind: hit[1], name: f.slice(hit[0].length + 1, -'.yaml'.length), file: `${dir}/${f}` });
  }
  return out.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What the verb read for one app. */
export interface WhereFacts {
  /** App. */
  readonly app: string;
  /** Its lock entry. */
  readonly placement: LockedPlacement;
  /** Region from the app's NamespacePlacement record. @default - not recorded */
  readonly region?: string;
  /** Every pool of the app's cluster. */
  readonly pools: readonly WherePool[];
  /** File names in the namespace directory (`<cluster>/namespaces/<namespace>`). */
  readonly namespaceFiles: readonly string[];
  /** A federated app: the pools and namespace file names of each of its clusters. @default - one cluster */
  readonly clusters?: ReadonlyArray<{ readonly cluster: string; readonly pools: readonly WherePool[]; readonly namespaceFiles: readonly string[] }>;
  /** Every recorded exemption. */
  readonly exemptions: readonly WhereGuardrailException[];
  /** Every given override, `<rule>:<target>`. */
  readonly overrides: readonly string[];
}

/** Where one app runs, from what was read. */
export function whereEntry(f: WhereFacts): WhereEntry {
  const { cluster, namespace, nodeProfile } = f.placement;
  const all = f.placement.clusters ?? [cluster];
  const touches = (rule: string, target: string) => all.some(c => targetTouches(rule, target, c, namespace));
  const overrides: WhereGuardrailException[] = [];
  for (const o of [...new Set(f.overrides)].sort()) {
    const p = parseOverride(o);
    if (p && touches(p.rule, p.target)) overrides.push(p);
  }
  const ofProfile = (pools: readonly WherePool[]) => pools.filter(p => p.nodeProfile === nodeProfile)
    .sort((a, b) => (a.pool < b.pool ? -1 : a.pool > b.pool ? 1 : 0));
  const clusters = f.placement.clusters && f.clusters ? f.placement.clusters.map((c, i) => {
    const facts = f.clusters!.find(x => x.cluster === c);
    const shares = Object.fromEntries(Object.entries(f.placement.shares ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([w, byCluster]) => [w, byCluster[c] ?? 0]));
    return {
      cluster: c,
      canary: i === 0,
      pools: ofProfile(facts?.pools ?? []),
      workloads: workloadFiles(`${c}/namespaces/${namespace}`, facts?.namespaceFiles ?? []),
      shares,
      kubectl: `kubectl --context ${c} -n ${namespace}`,
    };
  }) : undefined;
  return {
    app: f.app,
    cluster,
    ...(f.region ? { region: f.region } : {}),
    namespace,
    nodeProfile,
    pools: ofProfile(f.pools),
    workloads: workloadFiles(`${cluster}/namespaces/${namespace}`, f.namespaceFiles),
    exemptions: f.exemptions.filter(e => touches(e.rule, e.target)),
    overrides,
    kubectl: `kubectl --context ${cluster} -n ${namespace}`,
    ...(clusters ? { clusters } : {}),
  };
}

/** One entry as text lines. */
export function formatWhere(e: WhereEntry): string {
  const lines: string[] = [];
  lines.push(`app ${e.app}`);
  lines.push(`  cluster       ${e.cluster}${e.region ? ` (region ${e.region})` : ''}${e.clusters ? `, the first of ${e.clusters.length} (federated)` : ''}`);
  lines.push(`  namespace     ${e.namespace}`);
  lines.push(`  node profile  ${e.nodeProfile}`);
  lines.push(`  pools         ${e.pools.length > 0
    ? e.pools.map(p => `${p.pool} (${p.nodes.toLocaleString('en-US')} nodes in ${p.zones.length} maintenance zone(s))`).join(', ')
    : '-'}`);
  lines.push(`  workloads     ${e.workloads.length > 0 ? '' : '-'}`.trimEnd());
  for (const w of e.workloads) lines.push(`    ${w.kind}/${w.name}  ${w.file}`);
  lines.push(`  exemptions    ${e.exemptions.length > 0 ? '' : '-'}`.trimEnd());
  for (const x of e.exemptions) lines.push(`    ${x.rule}:${x.target}  ${x.reason ?? ''}`.trimEnd());
  lines.push(`  overrides     ${e.overrides.length > 0 ? '' : '-'}`.trimEnd());
  for (const x of e.overrides) lines.push(`    ${x.rule}:${x.target}`);
  lines.push(`  kubectl       ${e.kubectl}`);
  if (e.clusters) {
    lines.push('  clusters');
    for (const c of e.clusters) {
      const shares = Object.entries(c.shares).map(([w, n]) => `${w} ${n}`).join(', ') || '-';
      lines.push(`    ${c.cluster}${c.canary ? ' (canaries first)' : ''}  shares: ${shares}`);
      lines.push(`      pools     ${c.pools.length > 0 ? c.pools.map(p => `${p.pool} (${p.nodes.toLocaleString('en-US')} nodes)`).join(', ') : '-'}`);
      for (const w of c.workloads) lines.push(`      ${w.kind}/${w.name}  ${w.file}`);
      lines.push(`      kubectl   ${c.kubectl}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
