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
  readonly namespace?: string;
  readonly name: string;
  readonly object?: unknown;
  readonly oldObject?: unknown;
  readonly username?: string;
  readonly groups?: readonly string[];
}

/** The outcome of one policy for one request. */
export interface AdmissionOutcome {
  /** The policy's match rules and conditions selected the request. */
  readonly matched: boolean;
  /** No validation failed. */
  readonly allowed: boolean;
  /** Messages of the failed validations (messageExpression when set). */
  readonly messages: readonly string[];
}

type Policy = { spec: any };

function matchesRules(policy: Policy, r: AdmissionRequest): boolean {
  const resource = r.subResource ? `${r.resource}/${r.subResource}` : r.resource;
  return (policy.spec.matchConstraints.resourceRules as any[]).some(rule =>
    (rule.operations.includes(r.operation) || rule.operations.includes('*'))
    && (rule.apiGroups.includes('*') || rule.apiGroups.includes(r.group))
    && (rule.resources.includes(resource) || (rule.resources.includes('*') && !r.subResource)));
}

/** Evaluates a synthesized ValidatingAdmissionPolicy object against a request. */
export function admit(policy: Policy, r: AdmissionRequest): AdmissionOutcome {
  if (!matchesRules(policy, r)) return { matched: false, allowed: true, messages: [] };
  const request = {
    operation: r.operation,
    name: r.name,
    namespace: r.namespace ?? '',
    resource: { group: r.group, version: 'v1', resource: r.resource },
    subResource: r.subResource ?? '',
    userInfo: { username: r.username ?? 'alice@example.com', ...(r.groups ? { groups: r.groups } : {}) },
  };
  const vars: Record<string, unknown> = { object: r.object ?? null, oldObject: r.oldObject ?? null, request };
  for (const m of policy.spec.matchConditions ?? []) {
    const v = evaluateCel(m.expression, vars);
    if (typeof v !== 'boolean') throw new Error(`matchCondition ${m.name} is not a bool: ${String(v)}`);
    if (!v) return { matched: false, allowed: true, messages: [] };
  }
  const variables: Record<string, unknown> = {};
  for (const v of policy.spec.variables ?? []) {
    variables[v.name] = evaluateCel(v.expression, { ...vars, variables });
  }
  const messages: string[] = [];
  for (const v of policy.spec.validations) {
    const ok = evaluateCel(v.expression, { ...vars, variables });
    if (typeof ok !== 'boolean') throw new Error(`validation is not a bool: ${v.expression}`);
    if (!ok) {
      const msg = v.messageExpression ? evaluateCel(v.messageExpression, { ...vars, variables }) : v.message;
      if (typeof msg !== 'string') throw new Error(`messageExpression is not a string: ${v.messageExpression}`);
      messages.push(msg);
    }
  }
  return { matched: true, allowed: messages.length === 0, messages };
}
