/**
 * The guardrails in the cluster: ValidatingAdmissionPolicy and
 * ValidatingAdmissionPolicyBinding objects enforcing the same rules as the
 * synth, for changes that do not come through the synth (kubectl).
 *
 * Decisions:
 * - `failurePolicy: Fail`. The expressions guard every field they read with
 *   `has()`, so an evaluation error means a malformed request or policy; a
 *   guardrail that fails open would silently stop guarding. Policies run in the
 *   API server (no webhook to be unavailable), so failing closed costs no
 *   availability.
 * - `validationActions`: `[Deny, Audit]` for rules of severity `error` (the
 *   request is refused and the failure recorded in the audit log), `[Warn,
 *   Audit]` for rules configured as `warning` (the client sees a warning).
 * - The platform's own controllers (garbage collector, namespace controller,
 *   autoscaler, configured identities) are exempt through `matchConditions` on
 *   `request.userInfo`; recorded exemptions of workloads through a
 *   `matchConditions` on the request's namespace/name.
 * - Every expression uses CEL integers only: JSON integers are `int` and
 *   `int * double` is a runtime error, so fractions are per-mille integers.
 *
 * Not enforceable in the cluster (the synth enforces them): namespace moves
 * (no cross-cluster view), "a Namespace holding workloads" (the synth labels
 * such namespaces with the protection label instead), canary replicas changed
 * through the `scale` subresource (a Scale carries no labels).
 */
import { k8s } from 'cdk8s-plus-28';
import { GuardrailConfig, GuardrailRuleName, STABLE_REPLICAS_ANNOTATION, guardrailRule, keptPermille } from './rules';
import { Labels } from '../core/names';
import { KubeVersion } from '../core/versions';
import { FLEET_GROUP } from '../crds/pools';
import { KubeObject } from '../synth/context';

/** Prefix of every guardrail policy's name. */
export const POLICY_PREFIX = 'fleet-guardrails';

/** The admissionregistration API version serving ValidatingAdmissionPolicy in a Kubernetes version, if any. */
export function admissionApiVersion(v: KubeVersion): string | undefined {
  if (v.major !== 1 || v.minor < 28) return undefined;
  return v.minor >= 30 ? 'admissionregistration.k8s.io/v1' : 'admissionregistration.k8s.io/v1beta1';
}

/** What the policies of one cluster depend on. */
export interface ClusterPolicyInput {
  /** Cluster name (selects the cluster's exemptions). */
  readonly cluster: string;
  /** admissionregistration apiVersion (see {@link admissionApiVersion}). */
  readonly apiVersion: string;
  /** The cluster runs OpenKruise (CloneSet, Advanced StatefulSet are guarded too). */
  readonly openKruise: boolean;
}

/** One CEL validation of a policy. */
export interface PolicyValidation {
  readonly expression: string;
  readonly message: string;
  readonly messageExpression?: string;
  readonly reason: 'Forbidden' | 'Invalid';
}

/** A policy, before it becomes an object: what the tests evaluate. */
export interface GuardrailPolicy {
  /** Policy (and binding) name. */
  readonly name: string;
  /** The rule it enforces. */
  readonly rule: GuardrailRuleName;
  /** Operations it intercepts. */
  readonly operations: readonly string[];
  /** Resource rules: API group → resources. */
  readonly resources: ReadonlyArray<{ readonly apiGroups: readonly string[]; readonly resources: readonly string[] }>;
  /** Conditions a request must meet to be checked at all (exemptions). */
  readonly matchConditions: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  /** Named variables, in order (later ones may use earlier ones). */
  readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  /** The validations; a request is denied when one is false. */
  readonly validations: readonly PolicyValidation[];
  /** `validationActions` of the binding. */
  readonly validationActions: readonly string[];
}

/** A CEL string literal. */
export function celString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function celList(items: readonly string[]): string {
  return `[${items.map(celString).join(', ')}]`;
}

/** CEL: the label `key` of `obj` equals `value` (false when `obj` is null or has no such label). */
function celLabelIs(obj: string, key: string, value: string): string {
  return `${obj} != null && has(${obj}.metadata.labels) && ${celString(key)} in ${obj}.metadata.labels && ${obj}.metadata.labels[${celString(key)}] == ${celString(value)}`;
}

/** An RE2 pattern matching exactly the percentages `0%`…`<bound>%`. */
export function percentPattern(bound: number): string {
  const values = Array.from({ length: bound + 1 }, (_, i) => String(bound - i));
  return `^(?:${values.join('|')})%$`;
}

function identityConditions(c: GuardrailConfig): Array<{ name: string; expression: string }> {
  const out: Array<{ name: string; expression: string }> = [];
  if (c.platformIdentities.length > 0) {
    out.push({ name: 'not-platform-user', expression: `!(request.userInfo.username in ${celList([...c.platformIdentities].sort())})` });
  }
  if (c.platformGroups.length > 0) {
    out.push({ name: 'not-platform-group', expression: `!(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ${celList([...c.platformGroups].sort())}))` });
  }
  return out;
}

function exemptionCondition(c: GuardrailConfig, rule: GuardrailRuleName, cluster: string): Array<{ name: string; expression: string }> {
  const prefix = `${cluster}/`;
  const targets = c.exemptions.filter(e => e.rule === rule && e.target.startsWith(prefix)).map(e => e.target.slice(prefix.length)).sort();
  if (targets.length === 0) return [];
  // targets are <namespace>/<name> (canary: <namespace>/<app>)
  const subject = rule === 'canary-percent'
    ? 'request.namespace + \'/\' + (has(object.metadata.labels) && \'app.kubernetes.io/name\' in object.metadata.labels ? object.metadata.labels[\'app.kubernetes.io/name\'] : request.name)'
    : "request.namespace + '/' + request.name";
  return [{ name: 'not-exempt', expression: `!((${subject}) in ${celList(targets)})` }];
}

function actions(c: GuardrailConfig, rule: GuardrailRuleName): string[] {
  return c.severities[rule] === 'error' ? ['Deny', 'Audit'] : ['Warn', 'Audit'];
}

function workloadResources(openKruise: boolean, withScale: boolean, onlySurge = false): GuardrailPolicy['resources'] {
  const apps = onlySurge ? ['deployments'] : ['deployments', 'statefulsets'];
  const kruise = onlySurge ? ['clonesets'] : ['clonesets', 'statefulsets'];
  const withSub = (rs: string[]) => (withScale ? rs.flatMap(r => [r, `${r}/scale`]) : rs);
  const out = [{ apiGroups: ['apps'], resources: withSub(apps) }];
  if (openKruise) out.push({ apiGroups: ['apps.kruise.io'], resources: withSub(kruise) });
  return out;
}

const IS_CANARY = celLabelIs('object', Labels.TRACK, 'canary');

/** The guardrail policies of one cluster (pure). */
export function guardrailPolicies(c: GuardrailConfig, input: ClusterPolicyInput): GuardrailPolicy[] {
  const ids = identityConditions(c);
  const kept = keptPermille(c);
  return [
    {
      name: `${POLICY_PREFIX}-delete-protected`,
      rule: 'delete-protected',
      operations: ['DELETE'],
      resources: [{ apiGroups: ['*'], resources: ['*'] }],
      matchConditions: ids,
      variables: [],
      validations: [
        {
          expression: `!(${celLabelIs('oldObject', c.protectedLabel, 'true')})`,
          message: `the object is protected against deletion (label ${c.protectedLabel}=true); remove the label through the fleet's synth first`,
          reason: 'Forbidden',
        },
        {
          expression: `request.resource.group != ${celString(FLEET_GROUP)}`,
          message: `${FLEET_GROUP} custom resources are user-facing and protected against deletion; remove them through the fleet's synth`,
          reason: 'Forbidden',
        },
        {
          expression: `!(request.resource.group == 'apiextensions.k8s.io' && request.resource.resource == 'customresourcedefinitions' && oldObject != null && has(oldObject.spec.group) && oldObject.spec.group == ${celString(FLEET_GROUP)})`,
          message: `the CustomResourceDefinitions of ${FLEET_GROUP} are protected against deletion (deleting one deletes every custom resource of it)`,
          reason: 'Forbidden',
        },
      ],
      validationActions: actions(c, 'delete-protected'),
    },
    {
      name: `${POLICY_PREFIX}-scale-down`,
      rule: 'scale-down',
      operations: ['UPDATE'],
      resources: workloadResources(input.openKruise, true),
      matchConditions: [...ids, ...exemptionCondition(c, 'scale-down', input.cluster)],
      variables: [
        // a Scale omits replicas when they are 0; workloads always carry them after defaulting
        { name: 'oldReplicas', expression: 'has(oldObject.spec.replicas) ? oldObject.spec.replicas : 0' },
        { name: 'newReplicas', expression: 'has(object.spec.replicas) ? object.spec.replicas : 0' },
        { name: 'isCanary', expression: IS_CANARY },
      ],
      validations: [{
        expression: `variables.isCanary || variables.newReplicas >= variables.oldReplicas || variables.newReplicas * 1000 >= variables.oldReplicas * ${kept}`,
        message: `scaling down by more than ${Math.round(c.maxScaleDownFraction * 1000) / 10}% of the replicas in one step is forbidden`,
        messageExpression: `'scaling from ' + string(variables.oldReplicas) + ' to ' + string(variables.newReplicas) + ' replicas removes more than ${Math.round(c.maxScaleDownFraction * 1000) / 10}% in one step; scale down in steps'`,
        reason: 'Forbidden',
      }],
      validationActions: actions(c, 'scale-down'),
    },
    {
      name: `${POLICY_PREFIX}-max-surge`,
      rule: 'max-surge',
      operations: ['CREATE', 'UPDATE'],
      resources: workloadResources(input.openKruise, false, true),
      matchConditions: [...ids, ...exemptionCondition(c, 'max-surge', input.cluster)],
      variables: [
        {
          name: 'surge',
          expression: "request.resource.resource == 'clonesets'"
            + ' ? (has(object.spec.updateStrategy) && has(object.spec.updateStrategy.maxSurge) ? object.spec.updateStrategy.maxSurge : 0)'
            + ' : (has(object.spec.strategy) && has(object.spec.strategy.rollingUpdate) && has(object.spec.strategy.rollingUpdate.maxSurge) ? object.spec.strategy.rollingUpdate.maxSurge : 0)',
        },
        { name: 'replicas', expression: 'has(object.spec.replicas) && object.spec.replicas > 0 ? object.spec.replicas : 1' },
      ],
      validations: [{
        expression: `type(variables.surge) == string ? variables.surge.matches(${celString(percentPattern(c.maxSurgePercent))}) : variables.surge * 100 <= ${c.maxSurgePercent} * variables.replicas + 99`,
        message: `maxSurge may be at most ${c.maxSurgePercent}% of the replicas`,
        reason: 'Invalid',
      }],
      validationActions: actions(c, 'max-surge'),
    },
    {
      name: `${POLICY_PREFIX}-canary-percent`,
      rule: 'canary-percent',
      operations: ['CREATE', 'UPDATE'],
      resources: workloadResources(input.openKruise, false),
      matchConditions: [...ids, ...exemptionCondition(c, 'canary-percent', input.cluster)],
      variables: [
        { name: 'isCanary', expression: IS_CANARY },
        { name: 'replicas', expression: 'has(object.spec.replicas) ? object.spec.replicas : 1' },
        {
          name: 'stableReplicas',
          expression: `has(object.metadata.annotations) && ${celString(STABLE_REPLICAS_ANNOTATION)} in object.metadata.annotations`
            + ` && object.metadata.annotations[${celString(STABLE_REPLICAS_ANNOTATION)}].matches('^[0-9]{1,9}$')`
            + ` ? int(object.metadata.annotations[${celString(STABLE_REPLICAS_ANNOTATION)}]) : 0`,
        },
      ],
      validations: [{
        expression: `!variables.isCanary || variables.replicas * 100 <= ${c.maxCanaryPercent} * (variables.replicas + variables.stableReplicas)`,
        message: `a canary may hold at most ${c.maxCanaryPercent}% of its app's pods (stable replicas in annotation ${STABLE_REPLICAS_ANNOTATION})`,
        reason: 'Invalid',
      }],
      validationActions: actions(c, 'canary-percent'),
    },
  ];
}

/** The ValidatingAdmissionPolicy and binding objects of a policy. */
export function renderPolicy(p: GuardrailPolicy, apiVersion: string): KubeObject[] {
  const rule = guardrailRule(p.rule)!;
  const metadata = {
    name: p.name,
    annotations: { 'fleet.cdk8s.io/rule': rule.id, 'fleet.cdk8s.io/description': rule.summary },
  };
  const policy = k8s.KubeValidatingAdmissionPolicyV1Beta1.manifest({
    metadata,
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: p.resources.map(r => ({
          apiGroups: [...r.apiGroups],
          apiVersions: ['*'],
          resources: [...r.resources],
          operations: [...p.operations],
          scope: '*',
        })),
      },
      matchConditions: p.matchConditions.length > 0 ? p.matchConditions.map(m => ({ ...m })) : undefined,
      variables: p.variables.length > 0 ? p.variables.map(v => ({ ...v })) : undefined,
      validations: p.validations.map(v => ({ ...v })),
    },
  }) as KubeObject;
  const binding = k8s.KubeValidatingAdmissionPolicyBindingV1Beta1.manifest({
    metadata: { name: p.name, annotations: { 'fleet.cdk8s.io/rule': rule.id } },
    spec: { policyName: p.name, validationActions: [...p.validationActions] },
  }) as KubeObject;
  return [{ ...policy, apiVersion }, { ...binding, apiVersion }];
}
