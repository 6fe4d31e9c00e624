/**
 * Test support for the guardrails: workload objects added by hand to a
 * cluster, and an admission simulator that evaluates a synthesized
 * ValidatingAdmissionPolicy (match rules, matchConditions, variables,
 * validations) with the real CEL engine, as the API server does.
 */
import { ApiObject } from 'cdk8s';
import { Cluster, Labels } from '../../src';
import { evaluateCel } from '../support/cel';

/** Options of a hand-made workload. */
export interface WorkloadOptions {
  readonly namespace?: string;
  readonly replicas?: number;
  readonly maxSurge?: number | string;
  readonly track?: 'stable' | 'canary';
  readonly app?: string;
  readonly labels?: Record<string, string>;
}

function podTemplate(app: string) {
  return {
    metadata: { labels: { 'app.kubernetes.io/name': app } },
    spec: { containers: [{ name: 'app', image: 'registry.internal/app:1.0.0' }] },
  };
}

function labelsOf(name: string, o: WorkloadOptions): Record<string, string> {
  return {
    'app.kubernetes.io/name': o.app ?? name,
    ...(o.track ? { [Labels.TRACK]: o.track } : {}),
    ...(o.labels ?? {}),
  };
}

/** A Namespace added to a cluster as a raw ApiObject. */
export function namespace(cluster: Cluster, name: string, labels: Record<string, string> = {}): ApiObject {
  return new ApiObject(cluster, `ns-${name}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

/** A Deployment added to a cluster as a raw ApiObject. */
export function deployment(cluster: Cluster, name: string, o: WorkloadOptions = {}): ApiObject {
  const app = o.app ?? name;
  return new ApiObject(cluster, `deploy-${name}`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: o.namespace ?? 'feed', labels: labelsOf(name, o) },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { 'app.kubernetes.io/name': app } },
      ...(o.maxSurge !== undefined ? { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.maxSurge, maxUnavailable: 0 } } } : {}),
      template: podTemplate(app),
    },
  });
}

/** An OpenKruise CloneSet added to a cluster as a raw ApiObject. */
export function cloneSet(cluster: Cluster, name: string, o: WorkloadOptions = {}): ApiObject {
  const app = o.app ?? name;
  return new ApiObject(cluster, `cloneset-${name}`, {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'CloneSet',
    metadata: { name, namespace: o.namespace ?? 'feed', labels: labelsOf(name, o) },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { 'app.kubernetes.io/name': app } },
      ...(o.maxSurge !== undefined ? { updateStrategy: { maxSurge: o.maxSurge } } : {}),
      template: podTemplate(app),
    },
  });
}

/** An admission request, as the API server hands it to a policy. */
export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly group: string;
  readonly resource: string;
  readonly subResource?: string;
  /** Namespace of a namespaced request; unset for cluster-scoped resources. */
  readonly namespace?: string;
  readonly name: string;
  /** The new object: required for CREATE and UPDATE, never given for DELETE (the API server passes null). */
  readonly object?: unknown;
  /** The stored object: required for UPDATE and DELETE, never given for CREATE (the API server passes null). */
  readonly oldObject?: unknown;
  readonly username?: string;
  readonly groups?: readonly string[];
  /** Labels of the request's namespace besides `kubernetes.io/metadata.name`, which is always set. @default {} */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

/** The outcome of one policy (with one binding) for one request. */
export interface AdmissionOutcome {
  /** The policy's match rules, the binding's selectors and the match conditions selected the request. */
  readonly matched: boolean;
  /** The request is admitted (no `Deny` failure). */
  readonly allowed: boolean;
  /** Messages of the failed validations (messageExpression when set), and of failures the failurePolicy turned into denials. */
  readonly messages: readonly string[];
  /** Evaluation errors and missing parameters (decided by the failurePolicy). A test of a policy's logic expects none. */
  readonly errors: readonly string[];
  /** Messages the client sees as warnings (`Warn`). */
  readonly warnings: readonly string[];
}

type Obj = { apiVersion?: string; kind?: string; metadata?: { name?: string; labels?: Record<string, string> }; spec?: any };

function checkRequest(r: AdmissionRequest): void {
  // what the API server hands a policy, per operation: CREATE has no oldObject, DELETE no object
  if (r.operation === 'CREATE' && (r.oldObject !== undefined || r.object === undefined)) throw new Error('a CREATE has an object and no oldObject');
  if (r.operation === 'UPDATE' && (r.oldObject === undefined || r.object === undefined)) throw new Error('an UPDATE has an object and an oldObject');
  if (r.operation === 'DELETE' && (r.oldObject === undefined || r.object !== undefined)) throw new Error('a DELETE has an oldObject and no object');
}

function matchesRules(policy: { spec: any }, r: AdmissionRequest): boolean {
  const resource = r.subResource ? `${r.resource}/${r.subResource}` : r.resource;
  return (policy.spec.matchConstraints.resourceRules as any[]).some(rule =>
    (rule.operations.includes(r.operation) || rule.operations.includes('*'))
    && (rule.apiGroups.includes('*') || rule.apiGroups.includes(r.group))
    // '*' is every resource but no subresource; '*/scale' or 'x/*' are not used by the policies
    && (rule.resources.includes(resource) || (rule.resources.includes('*') && !r.subResource) || rule.resources.includes('*/*'))
    && (rule.scope === undefined || rule.scope === '*' || (rule.scope === 'Namespaced') === (r.namespace !== undefined)));
}

function selectorMatches(selector: any, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in l;
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(l[e.key])) return false; break;
      case 'NotIn': if (has && e.values.includes(l[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: throw new Error(`unknown selector operator ${e.operator}`);
    }
  }
  return true;
}

/**
 * The binding's matchResources, as the API server applies them: its
 * resourceRules (and their resourceNames), the namespaceSelector against the request's namespace (for a Namespace, against
 * the Namespace itself; other cluster-scoped objects always match); the
 * objectSelector against the new or the old object (either matching suffices;
 * a null object never matches a non-empty selector).
 */
function bindingMatches(binding: { spec: any } | undefined, r: AdmissionRequest): boolean {
  const m = binding?.spec.matchResources;
  if (!m) return true;
  // resourceRules narrow the policy's resources; resourceNames (when given) the names
  const narrowing = (m.resourceRules ?? []) as any[];
  const selects = (rule: any) => matchesRules({ spec: { matchConstraints: { resourceRules: [rule] } } }, r)
    && ((rule.resourceNames ?? []).length === 0 || rule.resourceNames.includes(r.name));
  if (narrowing.length > 0 && !narrowing.some(selects)) return false;
  if (m.namespaceSelector) {
    if (r.group === '' && r.resource === 'namespaces') {
      const ns = (r.object ?? r.oldObject) as Obj;
      const labels = { 'kubernetes.io/metadata.name': r.name, ...(ns?.metadata?.labels ?? {}) };
      if (!selectorMatches(m.namespaceSelector, labels)) return false;
    } else if (r.namespace !== undefined) {
      if (!selectorMatches(m.namespaceSelector, { ...(r.namespaceLabels ?? {}), 'kubernetes.io/metadata.name': r.namespace })) return false;
    }
  }
  if (m.objectSelector && (Object.keys(m.objectSelector.matchLabels ?? {}).length > 0 || (m.objectSelector.matchExpressions ?? []).length > 0)) {
    const objs = [r.object, r.oldObject].filter(o => o !== undefined && o !== null) as Obj[];
    if (!objs.some(o => selectorMatches(m.objectSelector, o.metadata?.labels))) return false;
  }
  return true;
}

/** Options of {@link admit}. */
export interface AdmitOptions {
  /** The policy's binding (its matchResources, paramRef, validationActions). @default - a binding that selects everything and denies */
  readonly binding?: { spec: any };
  /** Objects the binding's paramRef may name (cluster-scoped parameters). @default [] */
  readonly params?: readonly unknown[];
}

/**
 * Evaluates a synthesized ValidatingAdmissionPolicy and its binding against a
 * request the way the API server does: match rules, the binding's selectors,
 * parameters (a missing one is decided by `parameterNotFoundAction` and then
 * the failurePolicy), match conditions, variables and validations with the real
 * CEL engine; an evaluation error is decided by the failurePolicy. Variables
 * are evaluated eagerly (the API server evaluates them when first used), which
 * is stricter: a variable that fails fails the request even when unused.
 */
export function admit(policy: { spec: any }, r: AdmissionRequest, opts: AdmitOptions = {}): AdmissionOutcome {
  checkRequest(r);
  const none: AdmissionOutcome = { matched: false, allowed: true, messages: [], errors: [], warnings: [] };
  if (!matchesRules(policy, r) || !bindingMatches(opts.binding, r)) return none;
  const actions: string[] = opts.binding?.spec.validationActions ?? ['Deny'];
  const failClosed = (policy.spec.failurePolicy ?? 'Fail') === 'Fail';
  // failures of a Fail policy are enforced by the binding's validationActions; an Ignore policy ignores them
  const failed = (error: string): AdmissionOutcome => ({
    matched: true,
    allowed: !(failClosed && actions.includes('Deny')),
    messages: failClosed && actions.includes('Deny') ? [error] : [],
    errors: [error],
    warnings: failClosed && actions.includes('Warn') ? [error] : [],
  });

  let params: unknown = null;
  if (policy.spec.paramKind) {
    const ref = opts.binding?.spec.paramRef;
    if (!ref) return failed('the policy has a paramKind but the binding no paramRef');
    const kind = policy.spec.paramKind;
    const found = (opts.params ?? []).find(p => {
      const o = p as Obj;
      return o.apiVersion === kind.apiVersion && o.kind === kind.kind && o.metadata?.name === ref.name;
    });
    if (!found) {
      if (ref.parameterNotFoundAction === 'Allow') return { ...none, matched: true };
      return failed(`no ${kind.kind} '${ref.name}' found (parameterNotFoundAction: Deny)`);
    }
    params = found;
  }

  const request = {
    operation: r.operation,
    name: r.name,
    namespace: r.namespace ?? '',
    resource: { group: r.group, version: 'v1', resource: r.resource },
    subResource: r.subResource ?? '',
    userInfo: { username: r.username ?? 'alice@example.com', ...(r.groups ? { groups: r.groups } : {}) },
  };
  const vars: Record<string, unknown> = { object: r.object ?? null, oldObject: r.oldObject ?? null, request, params };
  const run = (expr: string, extra: Record<string, unknown> = {}): unknown => evaluateCel(expr, { ...vars, ...extra });
  try {
    for (const m of policy.spec.matchConditions ?? []) {
      const v = run(m.expression);
      if (typeof v !== 'boolean') throw new Error(`matchCondition ${m.name} is not a bool: ${String(v)}`);
      if (!v) return none;
    }
    const variables: Record<string, unknown> = {};
    for (const v of policy.spec.variables ?? []) {
      variables[v.name] = run(v.expression, { variables });
    }
    const messages: string[] = [];
    for (const v of policy.spec.validations) {
      const ok = run(v.expression, { variables });
      if (typeof ok !== 'boolean') throw new Error(`validation is not a bool: ${v.expression}`);
      if (!ok) {
        const msg = v.messageExpression ? run(v.messageExpression, { variables }) : v.message;
        if (typeof msg !== 'string') throw new Error(`messageExpression is not a string: ${v.messageExpression}`);
        messages.push(msg);
      }
    }
    const deny = actions.includes('Deny');
    return {
      matched: true,
      allowed: !(deny && messages.length > 0),
      messages: deny ? messages : [],
      errors: [],
      warnings: actions.includes('Warn') ? messages : [],
    };
  } catch (e) {
    return failed(`evaluation error: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The outcome of a request in a cluster: every guardrail policy with its binding. */
export interface ClusterOutcome {
  /** No policy denied the request. */
  readonly allowed: boolean;
  /** Denial messages, as `<policy>: <message>`. */
  readonly denials: readonly string[];
  /** Evaluation errors of any policy. */
  readonly errors: readonly string[];
  /** Warnings of any policy. */
  readonly warnings: readonly string[];
  /** Policies that matched the request. */
  readonly matched: readonly string[];
}

/**
 * Evaluates a request against everything a cluster's synthesized output
 * holds: every ValidatingAdmissionPolicyBinding with its policy and the
 * parameters it names.
 */
export function admitInCluster(objects: readonly unknown[], r: AdmissionRequest): ClusterOutcome {
  const all = objects as Obj[];
  const policies = new Map(all.filter(o => o.kind === 'ValidatingAdmissionPolicy').map(o => [o.metadata!.name!, o]));
  const params = all.filter(o => !String(o.apiVersion).startsWith('admissionregistration.k8s.io/'));
  const denials: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const matched: string[] = [];
  for (const b of all.filter(o => o.kind === 'ValidatingAdmissionPolicyBinding')) {
    const p = policies.get(b.spec.policyName);
    if (!p) throw new Error(`binding ${b.metadata?.name} names no policy`);
    const out = admit(p as { spec: any }, r, { binding: b as { spec: any }, params });
    if (out.matched) matched.push(p.metadata!.name!);
    denials.push(...out.messages.map(m => `${p.metadata!.name}: ${m}`));
    errors.push(...out.errors.map(m => `${p.metadata!.name}: ${m}`));
    warnings.push(...out.warnings);
  }
  return { allowed: denials.length === 0, denials, errors, warnings, matched };
}
