/**
 * The guardrail checks as pure functions over fleet states: state rules over
 * the new output (maxSurge, canary share) and change-aware rules over the
 * previous and the new output (scale-down, deletion of protected objects,
 * namespace moves). Each returns findings; {@link judge} turns findings into
 * violations, applying exemptions and overrides. Every function is one pass
 * over the objects with maps built once.
 */
import { GuardrailConfig, GuardrailRuleName, guardrailRule, overrideName, scaleDownAllowed } from './rules';
import { FleetState, StateObject } from './state';
import { appNameOf, groupOf, guardedKindOf, maxSurgeOf, replicasOf, surgeAllowed, trackOf } from './workload-objects';
import { CataloguedViolation } from '../core/errors';
import { cpuToMillis, memoryToMiB } from '../core/resources';
import { workloadKindOf } from '../core/workload-kinds';
import { FLEET_GROUP } from '../crds/pools';
import { carryOverride } from '../synth/inputs';
import { canaryAllowed, maxCanaryPods } from '../workloads/rollout';

/** One broken guardrail, before exemptions and overrides. @internal */
export interface GuardrailFinding {
  /** The rule. */
  readonly rule: GuardrailRuleName;
  /** The target, named as the rule names targets (see GUARDRAIL_RULES). */
  readonly target: string;
  /** Construct path (new state) or previous output file the finding is about. */
  readonly source: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** The target name of a workload: `<cluster>/<namespace>/<name>`. @internal */
export function workloadTarget(o: StateObject): string {
  return `${o.cluster}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`;
}

/** The target name of any object: `<cluster>/<kind>/[<namespace>/]<name>` (kind in lower case). @internal */
export function objectTarget(o: StateObject): string {
  const ns = o.object.metadata.namespace;
  return `${o.cluster}/${o.object.kind.toLowerCase()}/${ns ? ns + '/' : ''}${o.object.metadata.name}`;
}

function describe(o: StateObject): string {
  const ns = o.object.metadata.namespace;
  return `${o.object.kind} '${ns ? ns + '/' : ''}${o.object.metadata.name}' in cluster '${o.cluster}'`;
}

/** maxSurge above the bound, for every workload of the new state. @internal */
export function maxSurgeFindings(next: FleetState, config: GuardrailConfig, previous?: FleetState): GuardrailFinding[] {
  const out: GuardrailFinding[] = [];
  for (const [key, o] of next) {
    const surge = maxSurgeOf(o.object);
    if (surge === undefined) continue;
    const replicas = replicasOf(o.object);
    if (surgeAllowed(surge, replicas, config.maxSurgePercent)) continue;
    const before = previous?.get(key);
    const was = before ? maxSurgeOf(before.object) : undefined;
    const change = before ? (was === undefined ? ' (newly set)' : ` (was ${JSON.stringify(was)})`) : '';
    out.push({
      rule: 'max-surge',
      target: workloadTarget(o),
      source: o.source,
      message: `${describe(o)} has maxSurge ${JSON.stringify(surge)}${change} with ${replicas} replica(s), above the bound of ${config.maxSurgePercent}%`,
      fix: `lower maxSurge to at most '${config.maxSurgePercent}%'`,
    });
  }
  return out;
}

/** The stable replicas per (cluster, namespace, app), from objects labelled with the stable track. @internal */
export function stableReplicasByApp(objects: Iterable<StateObject>): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of objects) {
    if (!guardedKindOf(o.object) || trackOf(o.object) !== 'stable') continue;
    const app = appNameOf(o.object);
    if (!app) continue;
    const key = appKey(o, app);
    out.set(key, (out.get(key) ?? 0) + replicasOf(o.object));
  }
  return out;
}

/** Key of an app within a cluster's namespace. @internal */
export function appKey(o: StateObject, app: string): string {
  return `${o.cluster}/${o.object.metadata.namespace ?? ''}/${app}`;
}

/** Canaries holding more than the bound of their app's pods, for every canary of the new state. @internal */
export function canaryFindings(next: FleetState, config: GuardrailConfig): GuardrailFinding[] {
  const stable = stableReplicasByApp(next.values());
  const canaries = new Map<string, { replicas: number; first: StateObject }>();
  for (const o of next.values()) {
    if (!guardedKindOf(o.object) || trackOf(o.object) !== 'canary') continue;
    const app = appNameOf(o.object) ?? o.object.metadata.name;
    const key = appKey(o, app);
    const c = canaries.get(key);
    canaries.set(key, { replicas: (c?.replicas ?? 0) + replicasOf(o.object), first: c?.first ?? o });
  }
  const out: GuardrailFinding[] = [];
  for (const [key, c] of canaries) {
    const s = stable.get(key) ?? 0;
    if (canaryAllowed(c.replicas, s, config.maxCanaryPercent)) continue;
    const share = c.replicas + s > 0 ? Math.round((c.replicas * 1000) / (c.replicas + s)) / 10 : 0;
    out.push({
      rule: 'canary-percent',
      target: key,
      source: c.first.source,
      message: s === 0
        ? `the canary of app '${key}' (${c.replicas} replica(s)) has no stable track labelled 'app.kubernetes.io/name' in its namespace`
        : `the canary of app '${key}' holds ${c.replicas} of ${c.replicas + s} pods (${share}%), above the bound of ${config.maxCanaryPercent}%`,
      fix: s === 0
        ? 'label the stable workload with the same app.kubernetes.io/name and track \'stable\''
        : `lower the canary to at most ${maxCanaryPods(s, config.maxCanaryPercent)} replica(s), or raise the stable track`,
    });
  }
  return out;
}

/**
 * Namespaces holding workloads of any kind of the workload-kind table
 * (DaemonSets too: the platform's node agents), as `<cluster>/<namespace>`.
 * @internal
 */
export function namespacesWithWorkloads(objects: Iterable<StateObject>): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    const ns = o.object.metadata.namespace;
    if (ns && workloadKindOf(o.object)) out.add(`${o.cluster}/${ns}`);
  }
  return out;
}

/** Why an object of the previous state is protected against deletion, or undefined. */
function protection(o: StateObject, config: GuardrailConfig, busyNamespaces: ReadonlySet<string>,
  crGroupsKinds: ReadonlySet<string>): string | undefined {
  const obj = o.object;
  const group = groupOf(obj.apiVersion);
  if (group === '' && obj.kind === 'Namespace' && busyNamespaces.has(`${o.cluster}/${obj.metadata.name}`)) return 'the namespace holds workloads';
  if (obj.metadata.labels?.[config.protectedLabel] === 'true') return `it is labelled ${config.protectedLabel}=true`;
  if (group === FLEET_GROUP) return `it is a user-facing custom resource of ${FLEET_GROUP}`;
  if (group === 'apiextensions.k8s.io' && obj.kind === 'CustomResourceDefinition') {
    const spec = (obj as { spec?: { group?: string; names?: { kind?: string } } }).spec;
    if (spec?.group === FLEET_GROUP) return `it defines custom resources of ${FLEET_GROUP}`;
    if (spec?.group && spec.names?.kind && crGroupsKinds.has(`${o.cluster}|${spec.group}|${spec.names.kind}`)) return 'custom resources of it exist';
  }
  return undefined;
}

/**
 * Change-aware rules: compares the previous state with the new one by identity.
 * Scale-down (a removed workload counts as scaled to 0; canaries are exempt:
 * traffic falls back to the stable track), deletion of protected objects, and
 * Namespaces moving between clusters (whose deletions in the old cluster are
 * reported once, as the move). The synth runs the same rules cluster by
 * cluster: {@link objectChangeFindings} over one cluster's states, then
 * {@link namespaceMoves} over every cluster's Namespaces.
 * @internal
 */
export function changeFindings(previous: FleetState, next: FleetState, config: GuardrailConfig): GuardrailFinding[] {
  const moves = namespaceMoves(namespacesOf(previous.values()), namespaceClusters(next.values()));
  return [...moves.findings, ...withoutMoved(objectChangeFindings(previous, next, config), moves.moved)];
}

/** The core Namespaces of a state. @internal */
export function namespacesOf(objects: Iterable<StateObject>): StateObject[] {
  const out: StateObject[] = [];
  for (const o of objects) if (o.object.kind === 'Namespace' && groupOf(o.object.apiVersion) === '') out.push(o);
  return out;
}

/** Adds to `into` the clusters each core Namespace of a state is in, by namespace name. @internal */
export function namespaceClusters(objects: Iterable<StateObject>, into = new Map<string, string[]>()): Map<string, string[]> {
  for (const o of namespacesOf(objects)) {
    const list = into.get(o.object.metadata.name) ?? [];
    list.push(o.cluster);
    into.set(o.object.metadata.name, list);
  }
  return into;
}

/** The namespaces that move between clusters (`<old cluster>/<namespace>`) and their findings. @internal */
export interface NamespaceMoves {
  readonly moved: ReadonlySet<string>;
  readonly findings: readonly GuardrailFinding[];
}

/**
 * Namespaces moving between clusters: a previous Namespace whose name is now
 * in other clusters only.
 * @internal
 */
export function namespaceMoves(previousNamespaces: Iterable<StateObject>,
  nextNamespaceClusters: ReadonlyMap<string, readonly string[]>): NamespaceMoves {
  const findings: GuardrailFinding[] = [];
  const moved = new Set<string>(); // `<old cluster>/<namespace>`
  for (const o of previousNamespaces) {
    const name = o.object.metadata.name;
    const now = nextNamespaceClusters.get(name) ?? [];
    if (now.length === 0 || now.includes(o.cluster)) continue;
    moved.add(`${o.cluster}/${name}`);
    findings.push({
      rule: 'namespace-move',
      target: name,
      source: o.source,
      message: `namespace '${name}' moves from cluster '${o.cluster}' to ${now.map(c => `'${c}'`).join(', ')}; its workloads in '${o.cluster}' would be deleted`,
      fix: `keep the namespace in '${o.cluster}' (pin it), or carry the override ${carryOverride(overrideName('namespace-move', name))} after the workloads run in the new cluster`,
    });
  }
  return { moved, findings };
}

/** A finding about an object of the previous state, with the namespaces (`<cluster>/<namespace>`) whose move exempts it. @internal */
export interface ObjectChangeFinding {
  readonly finding: GuardrailFinding;
  readonly movedWith: readonly string[];
}

/** The findings whose namespace does not move. @internal */
export function withoutMoved(findings: Iterable<ObjectChangeFinding>, moved: ReadonlySet<string>): GuardrailFinding[] {
  const out: GuardrailFinding[] = [];
  for (const f of findings) if (!f.movedWith.some(k => moved.has(k))) out.push(f.finding);
  return out;
}

/**
 * Scale-down and deletion of protected objects, over the previous and the new
 * state of the same clusters (one cluster, or the whole fleet), whatever
 * moves between clusters.
 * @internal
 */
export function objectChangeFindings(previous: FleetState, next: FleetState, config: GuardrailConfig): ObjectChangeFinding[] {
  const out: ObjectChangeFinding[] = [];
  const busy = namespacesWithWorkloads(previous.values());
  const crs = new Set<string>();
  for (const o of previous.values()) {
    const g = groupOf(o.object.apiVersion);
    if (g !== '' && g.includes('.')) crs.add(`${o.cluster}|${g}|${o.object.kind}`);
  }

  for (const [key, before] of previous) {
    const after = next.get(key);
    const ns = before.object.metadata.namespace;
    const movedWith = [`${before.cluster}/${ns ?? ''}`, ...(before.object.kind === 'Namespace' ? [`${before.cluster}/${before.object.metadata.name}`] : [])];
    const kind = guardedKindOf(before.object);
    if (kind && trackOf(before.object) !== 'canary') {
      const was = replicasOf(before.object);
      const now = after ? replicasOf(after.object) : 0;
      if (!scaleDownAllowed(was, now, config)) {
        out.push({
          movedWith,
          finding: {
            rule: 'scale-down',
            target: workloadTarget(before),
            source: after?.source ?? before.source,
            message: `${describe(before)} ${after ? 'scales' : 'is removed, scaling'} from ${was} to ${now} replica(s) in one step; at most ${Math.round(config.maxScaleDownFraction * 100 * 10) / 10}% may go at once`,
            fix: `scale down in steps (to at least ${Math.ceil(was - was * config.maxScaleDownFraction)} now), or carry the override ${carryOverride(overrideName('scale-down', workloadTarget(before)))}`,
          },
        });
      }
    }
    if (after) continue;
    const why = protection(before, config, busy, crs);
    if (why) {
      out.push({
        movedWith,
        finding: {
          rule: 'delete-protected',
          target: objectTarget(before),
          source: before.source,
          message: `${describe(before)} would be deleted, but it is protected: ${why}`,
          fix: `keep the object, or carry the override ${carryOverride(overrideName('delete-protected', objectTarget(before)))}`,
        },
      });
    }
  }
  return out;
}

/** A team queue of a batch scheduler: a Volcano Queue under a region queue, or a Kueue ClusterQueue. */
function isTeamQueue(o: StateObject): boolean {
  const g = groupOf(o.object.apiVersion);
  const spec = (o.object as { spec?: { parent?: unknown } }).spec;
  return (g === 'scheduling.volcano.sh' && o.object.kind === 'Queue' && typeof spec?.parent === 'string' && spec.parent !== 'root')
    || (g === 'kueue.x-k8s.io' && o.object.kind === 'ClusterQueue');
}

/** What a team queue holds, per resource: Volcano's `deserved`, or the sum of a ClusterQueue's nominal quotas over its flavors. */
function queueQuota(o: StateObject): Map<string, number> {
  const out = new Map<string, number>();
  const add = (resource: string, q: unknown) => {
    const v = amountOf(resource, q);
    if (v !== undefined) out.set(resource, (out.get(resource) ?? 0) + v);
  };
  const spec = (o.object as { spec?: any }).spec ?? {};
  if (o.object.kind === 'Queue') {
    for (const [r, q] of Object.entries(spec.deserved ?? {})) add(r, q);
  } else {
    for (const g of spec.resourceGroups ?? []) {
      for (const f of g.flavors ?? []) for (const r of f.resources ?? []) add(String(r.name), r.nominalQuota);
    }
  }
  return out;
}

/** A quantity in the library's units (millicores, MiB, count); undefined when it does not parse. */
function amountOf(resource: string, q: unknown): number | undefined {
  try {
    if (resource === 'cpu') return cpuToMillis(String(q));
    if (resource === 'memory') return memoryToMiB(String(q));
    const n = Number(q);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The queue a batch job object is submitted to, if it is one: Volcano's `spec.queue`, or Kueue's queue label. */
function jobQueueOf(o: StateObject): string | undefined {
  const g = groupOf(o.object.apiVersion);
  const obj = o.object as { spec?: any; metadata: { labels?: Record<string, string> } };
  if (g === 'batch.volcano.sh') return obj.spec?.queue ?? obj.spec?.jobTemplate?.spec?.queue;
  if (g === 'batch') return obj.metadata.labels?.[KUEUE_QUEUE_LABEL] ?? obj.spec?.jobTemplate?.metadata?.labels?.[KUEUE_QUEUE_LABEL];
  return undefined;
}

/** Kueue's LocalQueue label on a Job. */
const KUEUE_QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';

/**
 * Batch queues, compared by identity: a team queue that shrinks on any
 * resource (its admitted jobs beyond the new quota are preempted), or that is
 * removed while the new state still declares jobs of it in that cluster.
 * @internal
 */
export function batchQueueFindings(previous: FleetState, next: FleetState): GuardrailFinding[] {
  const out: GuardrailFinding[] = [];
  const jobsOf = new Map<string, string[]>(); // `<cluster>/<queue>` → jobs of the new state
  for (const o of next.values()) {
    const q = jobQueueOf(o);
    if (q === undefined) continue;
    const key = `${o.cluster}/${q}`;
    jobsOf.set(key, [...(jobsOf.get(key) ?? []), `${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`]);
  }
  for (const [key, before] of previous) {
    if (!isTeamQueue(before)) continue;
    const target = `${before.cluster}/${before.object.metadata.name}`;
    const after = next.get(key);
    if (!after) {
      const jobs = jobsOf.get(target) ?? [];
      if (jobs.length === 0) continue;
      out.push({
        rule: 'batch-queue-shrink',
        target,
        source: before.source,
        message: `${describe(before)} would be deleted, but jobs are still submitted to it: ${jobs.sort().join(', ')}`,
        fix: `remove the queue's jobs first, or carry the override ${carryOverride(overrideName('batch-queue-shrink', target))}`,
      });
      continue;
    }
    const was = queueQuota(before);
    const now = queueQuota(after);
    const shrunk = [...was.entries()].filter(([r, v]) => (now.get(r) ?? 0) < v).map(([r]) => r).sort();
    if (shrunk.length === 0) continue;
    out.push({
      rule: 'batch-queue-shrink',
      target,
      source: after.source,
      message: `${describe(before)} shrinks on ${shrunk.join(', ')}: jobs it admitted beyond the new quota are preempted or evicted`,
      fix: `shrink the queue once its admitted jobs fit the new quota, or carry the override ${carryOverride(overrideName('batch-queue-shrink', target))}`,
    });
  }
  return out;
}

/** The outcome of judging findings. @internal */
export interface Judgement {
  /** Violations to report (errors, warnings). */
  readonly violations: readonly CataloguedViolation[];
}

/**
 * Applies the configuration to findings: exempt findings are dropped; findings
 * whose override the change carries become warnings that name the override;
 * the rest are reported with the rule's severity. Unused exemptions and
 * overrides are reported as warnings, malformed overrides as errors.
 * `changeRulesRan` is false when no previous output was given (a change-aware
 * override cannot be judged unused then).
 * @internal
 */
export function judge(findings: readonly GuardrailFinding[], config: GuardrailConfig, overrides: readonly string[],
  configPath: string, changeRulesRan: boolean): Judgement {
  const out: CataloguedViolation[] = [];
  const exemptions = new Map(config.exemptions.map(e => [overrideName(e.rule, e.target), e]));
  const usedExemptions = new Set<string>();
  const carried = new Set(overrides);
  const usedOverrides = new Set<string>();
  for (const f of findings) {
    const name = overrideName(f.rule, f.target);
    const rule = guardrailRule(f.rule)!;
    if (exemptions.has(name)) {
      usedExemptions.add(name);
      continue;
    }
    if (carried.has(name)) {
      usedOverrides.add(name);
      out.push({ rule: rule.id, severity: 'warning', path: f.source, message: `${f.message} — allowed by the override '${name}' this change carries`, fix: 'remove the override once the change is applied' });
      continue;
    }
    // every fix names the exact override that would allow the change
    const fix = f.fix.includes(`'${name}'`) ? f.fix : `${f.fix}, or carry the override ${carryOverride(name)}`;
    out.push({ rule: rule.id, severity: config.severities[f.rule], path: f.source, message: f.message, fix });
  }
  for (const o of overrides) {
    const [r] = o.split(':', 1);
    const rule = guardrailRule(r);
    if (!rule || o.length <= r.length + 1) {
      out.push({ rule: 'guardrails.override.malformed', severity: 'error', path: configPath, message: `override '${o}' does not name a rule and a target`, fix: "write overrides as '<rule>:<target>', e.g. 'scale-down:lva1-prod-1/feed/feed-api'" });
      continue;
    }
    if (!usedOverrides.has(o) && (rule.scope === 'state' || (rule.scope === 'change' && changeRulesRan))) {
      out.push({ rule: 'guardrails.override.unused', severity: 'warning', path: configPath, message: `override '${o}' matches no guarded change`, fix: 'remove the override, or correct its target' });
    }
  }
  for (const [name] of exemptions) {
    const rule = guardrailRule(name.split(':', 1)[0]);
    // a change rule's exemption is a standing exception that only matters when such a change comes
    if (!usedExemptions.has(name) && rule?.scope === 'state') {
      out.push({ rule: 'guardrails.exemption.unused', severity: 'warning', path: configPath, message: `exemption '${name}' matches nothing`, fix: 'remove the exemption, or correct its target' });
    }
  }
  return { violations: out };
}
