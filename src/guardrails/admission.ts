/**
 * The guardrails in the cluster: ValidatingAdmissionPolicy and
 * ValidatingAdmissionPolicyBinding objects enforcing the same rules as the
 * synth, for changes that do not come through the synth (kubectl).
 *
 * Decisions:
 * - Nothing a request carries decides whether it is guarded or how far it may
 *   go. A workload's track is fixed at creation (the scale-down policy denies
 *   changing it, and reads it from the stored object); the canary bound's
 *   denominator is the stable replicas the synth records in the cluster's
 *   GuardrailParameters (bound as `params`), not an annotation of the canary;
 *   in-cluster exemptions name workloads by name, which never changes.
 * - Deleting a workload is scaling it to 0; removing the protection label is
 *   itself guarded; CRDs of every API group whose custom resources the fleet
 *   renders into the cluster (the fleet's own, OpenKruise's) are protected.
 * - `failurePolicy` per policy (see {@link GuardrailPolicy.failurePolicyReason}):
 *   `Fail` where blocking the guarded change is harmless and letting it through
 *   is not, `Ignore` for maxSurge, whose failure would block every rollout.
 * - Bindings exclude the namespaces where a policy must never block healing:
 *   Kubernetes' own (`kube-system`, `kube-node-lease`) for every policy, and
 *   the platform's system namespace for the workload policies.
 * - `validationActions`: `[Deny, Audit]` for rules of severity `error` (the
 *   request is refused and the failure recorded in the audit log), `[Warn,
 *   Audit]` for rules configured as `warning` (the client sees a warning).
 * - The platform's own controllers (garbage collector, namespace controller,
 *   autoscaler, configured identities) are exempt through `matchConditions` on
 *   `request.userInfo`.
 * - Every expression uses CEL integers only: JSON integers are `int` and
 *   `int * double` is a runtime error, so fractions are per-mille integers;
 *   int-or-string percentages are read as Kubernetes reads them (`'050%'` is
 *   50) by a pattern, never parsed into a double.
 *
 * Not enforceable in the cluster (the synth enforces them): namespace moves
 * (no cross-cluster view), "a Namespace holding workloads" (the synth labels
 * such namespaces with the protection label instead). A Scale carries no
 * labels: the canary bound reaches the `scale` subresource through a second
 * binding naming the synth's canaries; a canary scaled down through it is
 * bound like a stable workload.
 */
import { k8s } from 'cdk8s-plus-28';
import { GuardrailConfig, GuardrailRuleName, guardrailRule, keptPermille } from './rules';
import { GUARDED_WORKLOAD_KINDS } from './workload-objects';
import { percentAtMostPattern } from '../core/int-or-percent';
import { LABEL_PREFIX, Labels } from '../core/names';
import { KubeVersion } from '../core/versions';
import { JsonPath, OPENKRUISE_GROUP, WorkloadKind, rollingUpdateLayouts } from '../core/workload-kinds';
import { GUARDRAIL_PARAMETERS_CRD } from '../crds/guardrails';
import { FLEET_API_VERSION, FLEET_GROUP } from '../crds/pools';
import { KubeObject } from '../synth/context';
import { NAMESPACE_NAME_LABEL } from '../tenancy/network';

/** Prefix of every guardrail policy's name. @internal */
export const POLICY_PREFIX = 'fleet-guardrails';

/** The admissionregistration API version serving ValidatingAdmissionPolicy in a Kubernetes version, if any. @internal */
export function admissionApiVersion(v: KubeVersion): string | undefined {
  if (v.major !== 1 || v.minor < 28) return undefined;
  return v.minor >= 30 ? 'admissionregistration.k8s.io/v1' : 'admissionregistration.k8s.io/v1beta1';
}


/** Name of the GuardrailParameters object of every cluster, which the canary policy binds as `params`. @internal */
export const GUARDRAIL_PARAMETERS_NAME = POLICY_PREFIX;

/** Namespaces of Kubernetes itself, where no guardrail policy applies (their controllers heal the cluster). @internal */
export const KUBERNETES_SYSTEM_NAMESPACES: readonly string[] = ['kube-node-lease', 'kube-system'];

/** The API groups a cluster serves without CRDs (Kubernetes 1.28–1.31); any other group is a custom resource's. @internal */
export const BUILT_IN_API_GROUPS: ReadonlySet<string> = new Set([
  '', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps', 'authentication.k8s.io',
  'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io',
  'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'internal.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io',
  'policy', 'rbac.authorization.k8s.io', 'resource.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io',
  'storagemigration.k8s.io',
]);

export { OPENKRUISE_GROUP } from '../core/workload-kinds';

/** A canary workload the synth rendered into a cluster, and the facts its bound is computed from. @internal */
export interface CanaryFact {
  /** Namespace of the canary workload. */
  readonly namespace: string;
  /** Name of the canary workload. */
  readonly name: string;
  /** Its app (label `app.kubernetes.io/name`). */
  readonly app: string;
  /** Replicas of the app's stable track in the same namespace, as synthesized. */
  readonly stableReplicas: number;
}

/** What the policies of one cluster depend on. @internal */
export interface ClusterPolicyInput {
  /** Cluster name (selects the cluster's exemptions). */
  readonly cluster: string;
  /** admissionregistration apiVersion (see {@link admissionApiVersion}). */
  readonly apiVersion: string;
  /** The cluster runs OpenKruise (CloneSet, Advanced StatefulSet are guarded too). @default false */
  readonly openKruise?: boolean;
  /** The canary workloads the synth rendered into the cluster (for exemptions by name). @default [] */
  readonly canaries?: readonly CanaryFact[];
  /**
   * API groups of the custom resources the synth renders into the cluster
   * (their CRDs are delete-protected, besides the fleet's and, with
   * OpenKruise, OpenKruise's). @default []
   */
  readonly customResourceGroups?: readonly string[];
  /** Namespaces of the platform itself (its node agents and controllers), besides Kubernetes' own. @default [] */
  readonly platformNamespaces?: readonly string[];
  /**
   * The cluster's CEL environment has the Kubernetes quantity library
   * (`quantity()`, Kubernetes 1.29+; see {@link celHasQuantities}): without
   * it the batch queue policy guards deletions only. @default false
   */
  readonly quantities?: boolean;
}

/** Whether a Kubernetes version's CEL environment has the quantity library (`quantity()`, from 1.29). @internal */
export function celHasQuantities(v: KubeVersion): boolean {
  return v.major > 1 || (v.major === 1 && v.minor >= 29);
}

/** API group of Volcano's Queue. @internal */
export const VOLCANO_SCHEDULING_GROUP = 'scheduling.volcano.sh';
/** API group of Kueue's ClusterQueue. @internal */
export const KUEUE_GROUP = 'kueue.x-k8s.io';
/**
 * Annotation that approves, in the cluster, one guarded change of the object
 * that carries it: its value is the change's override in the synth's
 * vocabulary (`batch-queue-shrink:<cluster>/<queue>`). Read from the new
 * object on UPDATE and from the stored object on DELETE (annotate first, then
 * delete). @internal
 */
export const GUARDRAIL_OVERRIDE_ANNOTATION = `${LABEL_PREFIX}/guardrail-override`;

/** One CEL validation of a policy. @internal */
export interface PolicyValidation {
  readonly expression: string;
  readonly message: string;
  readonly messageExpression?: string;
  readonly reason: 'Forbidden' | 'Invalid';
}

/** How a policy's binding selects requests and its parameters. @internal */
export interface GuardrailBinding {
  /** Binding name. @default - the policy's name */
  readonly name?: string;
  /**
   * Only these requests, narrowing the policy's resources (`resourceNames`
   * never empty: an empty list would select every name). @default - every request the policy matches
   */
  readonly resources?: ReadonlyArray<{
    readonly apiGroups: readonly string[];
    readonly resources: readonly string[];
    readonly operations: readonly string[];
    readonly resourceNames: readonly string[];
  }>;
  /** Namespaces the binding never applies in (for a Namespace object: its own name). */
  readonly excludedNamespaces: readonly string[];
  /** Labels the object (new or old) must carry for the binding to apply. @default - every object */
  readonly objectLabels?: Readonly<Record<string, string>>;
  /** The parameters object (cluster-scoped) bound as `params`; a missing one fails the request (failurePolicy). @default - no params */
  readonly paramName?: string;
}

/** A policy, before it becomes an object: what the tests evaluate. @internal */
export interface GuardrailPolicy {
  /** Policy (and binding) name. */
  readonly name: string;
  /** The rule it enforces. */
  readonly rule: GuardrailRuleName;
  /** Operations it intercepts. */
  readonly operations: readonly string[];
  /** Resource rules: API group → resources. */
  readonly resources: ReadonlyArray<{ readonly apiGroups: readonly string[]; readonly resources: readonly string[] }>;
  /** `Fail` or `Ignore`: what an evaluation error (or missing parameters) does to the request. */
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** Why the failurePolicy is what it is (documented in docs/GUARDRAILS.md). */
  readonly failurePolicyReason: string;
  /** What of its rule the policy cannot enforce in this cluster, and why (annotated on the policy). @default - it enforces all it states */
  readonly notEnforced?: string;
  /** The kind of the parameters object, when the policy reads `params`. @default - none */
  readonly paramKind?: { readonly apiVersion: string; readonly kind: string };
  /** Conditions a request must meet to be checked at all (exempt identities and workloads, cheap pre-filters). */
  readonly matchConditions: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  /** Named variables, in order (later ones may use earlier ones). */
  readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  /** The validations; a request is denied when one is false. */
  readonly validations: readonly PolicyValidation[];
  /** `validationActions` of the binding. */
  readonly validationActions: readonly string[];
  /** The bindings: their selection and parameters (the first is named like the policy). */
  readonly bindings: readonly GuardrailBinding[];
}

/** A CEL string literal. @internal */
export function celString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function celList(items: readonly string[]): string {
  return `[${items.map(celString).join(', ')}]`;
}

/** CEL: the label `key` of `obj` equals `value` (false when `obj` is null or has no such label). */
function celLabelIs(obj: string, key: string, value: string): string {
  return `(${obj} != null && has(${obj}.metadata.labels) && ${celString(key)} in ${obj}.metadata.labels && ${obj}.metadata.labels[${celString(key)}] == ${celString(value)})`;
}

/** CEL: the label `key` of `obj`, `''` when `obj` is null or has no such label. */
function celLabel(obj: string, key: string): string {
  return `${obj} != null && has(${obj}.metadata.labels) && ${celString(key)} in ${obj}.metadata.labels ? ${obj}.metadata.labels[${celString(key)}] : ''`;
}

/** CEL: `spec.replicas` of `obj`, `fallback` when `obj` is null or has none (a Scale omits replicas when 0). */
function celReplicas(obj: string, fallback: number): string {
  return `${obj} != null && has(${obj}.spec) && has(${obj}.spec.replicas) ? ${obj}.spec.replicas : ${fallback}`;
}

/**
 * An RE2 pattern matching exactly the percentage strings Kubernetes reads as
 * `0%`…`<bound>%`, leading zeros included (`'050%'` is 50).
 * @internal
 */
export function percentPattern(bound: number): string {
  return percentAtMostPattern(bound);
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

/**
 * The in-cluster exemptions of a rule, as `<namespace>/<name>` of the workloads
 * they exempt: scale-down and max-surge name workloads; a canary-percent
 * exemption names an app, which reaches the cluster as the names of the app's
 * canary workloads (a name never changes; a label could be rewritten to an
 * exempt app's).
 */
function exemptionCondition(c: GuardrailConfig, rule: GuardrailRuleName, input: ClusterPolicyInput): Array<{ name: string; expression: string }> {
  const prefix = `${input.cluster}/`;
  const targets = new Set(c.exemptions.filter(e => e.rule === rule && e.target.startsWith(prefix)).map(e => e.target.slice(prefix.length)));
  const names = rule === 'canary-percent'
    ? (input.canaries ?? []).filter(k => targets.has(`${k.namespace}/${k.app}`)).map(k => `${k.namespace}/${k.name}`)
    : [...targets];
  if (names.length === 0) return [];
  return [{ name: 'not-exempt', expression: `!((request.namespace + '/' + request.name) in ${celList([...new Set(names)].sort())})` }];
}

function actions(c: GuardrailConfig, rule: GuardrailRuleName): string[] {
  return c.severities[rule] === 'error' ? ['Deny', 'Audit'] : ['Warn', 'Audit'];
}

/** The guarded kinds with a maxSurge, in the table's order. */
const SURGE_KINDS = GUARDED_WORKLOAD_KINDS.filter(k => k.rollingUpdate?.maxSurge !== undefined);

function workloadResources(openKruise: boolean, withScale: boolean, onlySurge = false): GuardrailPolicy['resources'] {
  const kinds = GUARDED_WORKLOAD_KINDS.filter(k => (onlySurge ? SURGE_KINDS.includes(k) : true) && (openKruise || k.group !== OPENKRUISE_GROUP));
  const groups = [...new Set(kinds.map(k => k.group))];
  return groups.map(g => ({
    apiGroups: [g],
    resources: kinds.filter(k => k.group === g).flatMap(k => (withScale ? [k.resource, `${k.resource}/scale`] : [k.resource])),
  }));
}

/** CEL: all fields on the way to `path` of `object` are set (the object itself always is). */
function celHas(path: JsonPath): string {
  return path.slice(1).map((_, i) => `has(object.${path.slice(0, i + 2).join('.')})`).join(' && ');
}

/**
 * CEL: the value at the first of `paths` whose fields are set in `object`, 0
 * where none is. The layouts of a kind's served versions name different fields
 * (a structural schema prunes the others), so at most one of them is set.
 */
function celFirstValueOrZero(paths: readonly JsonPath[]): string {
  return `(${paths.map(p => `${celHas(p)} ? object.${p.join('.')} : `).join('')}0)`;
}

/** CEL: the maxSurge of an object of a kind, read at the path of whichever of its versions' layouts it has. */
function celSurgeOf(kind: WorkloadKind): string {
  return celFirstValueOrZero(rollingUpdateLayouts(kind).flatMap(l => (l.maxSurge ? [l.maxSurge] : [])));
}

/**
 * CEL: the maxSurge of the request's object, read at its kind's path (of every
 * served version: OpenKruise's CloneSet moved it in v1beta1): the first kind
 * with a maxSurge is the fallback, every other is told by its resource (their
 * resources differ, a test asserts).
 */
function surgeExpression(): string {
  const [fallback, ...others] = SURGE_KINDS;
  return others.map(k => `request.resource.resource == ${celString(k.resource)} ? ${celSurgeOf(k)} : `).join('') + celSurgeOf(fallback);
}

/** The CRD groups protected against deletion in a cluster: the fleet's, OpenKruise's where it runs, and those of rendered custom resources. @internal */
export function protectedCrdGroups(input: ClusterPolicyInput): string[] {
  const groups = new Set([FLEET_GROUP, ...(input.openKruise ? [OPENKRUISE_GROUP] : []), ...(input.customResourceGroups ?? [])]);
  return [...groups].filter(g => !BUILT_IN_API_GROUPS.has(g)).sort();
}

/** CEL: the override annotation of `obj` names `override` (false when `obj` is null or has none). */
function celOverrideIs(obj: string, override: string): string {
  const k = celString(GUARDRAIL_OVERRIDE_ANNOTATION);
  return `(${obj} != null && has(${obj}.metadata.annotations) && ${k} in ${obj}.metadata.annotations && ${obj}.metadata.annotations[${k}] == ${override})`;
}

/** CEL: the integer status field `field` of the stored object, 0 where unset. */
function celStatusCount(field: string): string {
  return `(has(oldObject.status) && has(oldObject.status.${field}) ? oldObject.status.${field} : 0)`;
}

/** CEL: an int-or-string quantity as a Kubernetes quantity (JSON integers are ints, `string()` makes them quantity strings). */
function celQuantity(v: string): string {
  return `quantity(string(${v}))`;
}

/**
 * CEL (Volcano): the resources of `field` (`capability` or `deserved`) the
 * request lowers below what the queue has allocated. A resource absent from
 * the stored capability was unlimited, one absent from the stored deserved
 * was none; a resource the request removes from capability becomes unlimited
 * (no shrink).
 */
function volcanoLowered(field: 'capability' | 'deserved'): string {
  const next = `object.spec.${field}[r]`;
  const before = `oldObject.spec.${field}`;
  const absentBefore = field === 'capability' ? 'true' : 'false';
  const lowered = `(has(${before}) && r in ${before} ? ${celQuantity(next)}.isLessThan(${celQuantity(`${before}[r]`)}) : ${absentBefore})`;
  const belowAllocated = `(has(oldObject.status) && has(oldObject.status.allocated) && r in oldObject.status.allocated && ${celQuantity(next)}.isLessThan(${celQuantity('oldObject.status.allocated[r]')}))`;
  return `object != null && has(object.spec.${field}) ? object.spec.${field}.filter(r, ${lowered} && ${belowAllocated}) : []`;
}

/**
 * CEL (Kueue): the request lowers the nominal quota of a resource of a
 * flavor, as the stored spec has it, below what the queue's admitted
 * workloads use or reserve (`status.flavorsUsage`, `status.flavorsReservation`);
 * a resource the request removes has a quota of 0. Lists are searched with
 * `exists` only (no list library beyond the core macros).
 */
function kueueLowered(): string {
  const q = celQuantity;
  const usedAbove = (amount: string) => ['flavorsUsage', 'flavorsReservation'].map(list =>
    `(has(oldObject.status) && has(oldObject.status.${list}) && oldObject.status.${list}.exists(u, u.name == of.name && u.resources.exists(ur, ur.name == oq.name && has(ur.total) && ${amount}.isLessThan(${q('ur.total')}))))`).join(' || ');
  const newHas = 'object.spec.resourceGroups.exists(g, g.flavors.exists(f, f.name == of.name && f.resources.exists(r, r.name == oq.name)))';
  const newLowered = `object.spec.resourceGroups.exists(g, g.flavors.exists(f, f.name == of.name && f.resources.exists(r, r.name == oq.name && ${q('r.nominalQuota')}.isLessThan(${q('oq.nominalQuota')}) && (${usedAbove(q('r.nominalQuota'))}))))`;
  const removedWhileUsed = `!(${newHas}) && (${usedAbove("quantity('0')")})`;
  return `object != null && oldObject.spec.resourceGroups.exists(og, og.flavors.exists(of, of.resources.exists(oq, (${removedWhileUsed}) || (${newLowered}))))`;
}

/**
 * The batch queue policy of a cluster that runs Volcano or Kueue (undefined
 * for one that runs neither): deleting a queue while its status shows work,
 * and (with the quantity library, Kubernetes 1.29+) lowering its quota below
 * what its status says is allocated or used, need the override annotation.
 */
function batchQueuePolicy(
  c: GuardrailConfig, input: ClusterPolicyInput, ids: ReadonlyArray<{ name: string; expression: string }>,
): GuardrailPolicy | undefined {
  const groups = new Set(input.customResourceGroups ?? []);
  const scheduler = groups.has(VOLCANO_SCHEDULING_GROUP) ? 'volcano' : groups.has(KUEUE_GROUP) ? 'kueue' : undefined;
  if (!scheduler) return undefined;
  const quantities = input.quantities ?? false;
  const override = `${celString(`batch-queue-shrink:${input.cluster}/`)} + request.name`;
  const prefix = `${input.cluster}/`;
  const exempt = [...new Set(c.exemptions.filter(e => e.rule === 'batch-queue-shrink' && e.target.startsWith(prefix)).map(e => e.target.slice(prefix.length)))].sort();
  const kind = scheduler === 'volcano' ? 'Queue' : 'ClusterQueue';
  const work = scheduler === 'volcano'
    ? ['running', 'pending', 'inqueue', 'unknown'].map(celStatusCount).join(' + ')
    : ['admittedWorkloads', 'reservingWorkloads', 'pendingWorkloads'].map(celStatusCount).join(' + ');
  const workText = scheduler === 'volcano' ? 'running, pending, inqueue or unknown PodGroups' : 'admitted, reserving or pending workloads';
  const annotate = `annotate the ${kind} with ${GUARDRAIL_OVERRIDE_ANNOTATION}=batch-queue-shrink:${input.cluster}/<queue>`;
  const variables: Array<{ name: string; expression: string }> = [{ name: 'work', expression: work }];
  const validations: PolicyValidation[] = [{
    expression: "request.operation != 'DELETE' || variables.work == 0",
    message: `deleting a batch ${kind} while its status shows ${workText} takes their quota away; drain it first, or ${annotate}`,
    messageExpression: `'deleting ${kind} ' + request.name + ' while its status shows ' + string(variables.work) + ' ${workText} takes their quota away; drain it first, or annotate it with ${GUARDRAIL_OVERRIDE_ANNOTATION}=batch-queue-shrink:${input.cluster}/' + request.name`,
    reason: 'Forbidden',
  }];
  if (quantities && scheduler === 'volcano') {
    variables.push({ name: 'capability', expression: volcanoLowered('capability') }, { name: 'deserved', expression: volcanoLowered('deserved') });
    for (const field of ['capability', 'deserved'] as const) {
      validations.push({
        expression: `request.operation != 'UPDATE' || size(variables.${field}) == 0`,
        message: `lowering a Queue's ${field} below what it has allocated (status.allocated) preempts or evicts its running jobs; drain them first, or ${annotate}`,
        messageExpression: `'lowering the ${field} of Queue ' + request.name + ' on ' + variables.${field}[0] + ' to ' + string(object.spec.${field}[variables.${field}[0]]) + ' is below what it has allocated (' + string(oldObject.status.allocated[variables.${field}[0]]) + '); drain its jobs first, or annotate it with ${GUARDRAIL_OVERRIDE_ANNOTATION}=batch-queue-shrink:${input.cluster}/' + request.name`,
        reason: 'Forbidden',
      });
    }
  }
  if (quantities && scheduler === 'kueue') {
    variables.push({ name: 'lowered', expression: kueueLowered() });
    validations.push({
      expression: "request.operation != 'UPDATE' || !variables.lowered",
      message: `lowering a ClusterQueue's nominal quota below what its admitted workloads use or reserve (status.flavorsUsage, status.flavorsReservation) preempts or evicts them; drain them first, or ${annotate}`,
      messageExpression: `'lowering the nominal quota of ClusterQueue ' + request.name + ' below what its admitted workloads use or reserve preempts or evicts them; drain them first, or annotate it with ${GUARDRAIL_OVERRIDE_ANNOTATION}=batch-queue-shrink:${input.cluster}/' + request.name`,
      reason: 'Forbidden',
    });
  }
  return {
    name: `${POLICY_PREFIX}-batch-queue-shrink`,
    rule: 'batch-queue-shrink',
    operations: quantities ? ['DELETE', 'UPDATE'] : ['DELETE'],
    resources: [scheduler === 'volcano' ? { apiGroups: [VOLCANO_SCHEDULING_GROUP], resources: ['queues'] } : { apiGroups: [KUEUE_GROUP], resources: ['clusterqueues'] }],
    failurePolicy: 'Fail',
    failurePolicyReason: 'blocking the deletion or shrink of a queue leaves its jobs running at the quota they have, while letting one through preempts or evicts them at once; the schedulers write status, which the policy does not intercept, and only deletes and updates of the queues reach it',
    ...(quantities ? {} : {
      notEnforced: 'lowering a queue\'s quota below what it has allocated: the CEL quantity library this needs is served from Kubernetes 1.29; the synth\'s batch-queue-shrink rule still guards every shrink that comes through it',
    }),
    matchConditions: [
      ...ids,
      ...(exempt.length > 0 ? [{ name: 'not-exempt', expression: `!(request.name in ${celList(exempt)})` }] : []),
      { name: 'not-overridden', expression: `!(request.operation == 'DELETE' ? ${celOverrideIs('oldObject', override)} : ${celOverrideIs('object', override)})` },
    ],
    variables,
    validations,
    validationActions: actions(c, 'batch-queue-shrink'),
    bindings: [{ excludedNamespaces: [...KUBERNETES_SYSTEM_NAMESPACES] }],
  };
}

/** The guardrail policies of one cluster (pure). @internal */
export function guardrailPolicies(c: GuardrailConfig, input: ClusterPolicyInput): GuardrailPolicy[] {
  const ids = identityConditions(c);
  const kept = keptPermille(c);
  const openKruise = input.openKruise ?? false;
  const kubeNamespaces = [...KUBERNETES_SYSTEM_NAMESPACES];
  const workloadNamespaces = [...new Set([...KUBERNETES_SYSTEM_NAMESPACES, ...(input.platformNamespaces ?? [])])].sort();
  const oldProtected = celLabelIs('oldObject', c.protectedLabel, 'true');
  const newProtected = celLabelIs('object', c.protectedLabel, 'true');
  const isCrd = "request.resource.group == 'apiextensions.k8s.io' && request.resource.resource == 'customresourcedefinitions'";
  const crdGroups = protectedCrdGroups(input);
  const percentOf = (f: number) => Math.round(f * 1000) / 10;
  const B = c.maxCanaryPercent;
  const T = Labels.TRACK;
  const canaryNames = [...new Set((input.canaries ?? []).map(k => k.name))].sort();
  const batch = batchQueuePolicy(c, input, ids);
  return [
    {
      name: `${POLICY_PREFIX}-delete-protected`,
      rule: 'delete-protected',
      operations: ['DELETE', 'UPDATE'],
      resources: [{ apiGroups: ['*'], resources: ['*'] }],
      failurePolicy: 'Fail',
      failurePolicyReason: 'a deletion cannot be undone, and the policy only sees requests that delete or unprotect a protected object (its match condition filters the rest), so failing closed blocks nothing but the changes it guards',
      matchConditions: [
        ...ids,
        {
          name: 'guarded-change',
          expression: `request.operation == 'DELETE' ? (${oldProtected} || request.resource.group == ${celString(FLEET_GROUP)} || (${isCrd})) : ${oldProtected}`,
        },
      ],
      variables: [],
      validations: [
        {
          expression: `request.operation != 'DELETE' || !${oldProtected}`,
          message: `the object is protected against deletion (label ${c.protectedLabel}=true); remove it through the fleet's synth`,
          reason: 'Forbidden',
        },
        {
          expression: `request.operation != 'UPDATE' || ${newProtected}`,
          message: `removing the protection label ${c.protectedLabel}=true is itself a guarded change (it would allow the deletion that follows); change it through the fleet's synth`,
          reason: 'Forbidden',
        },
        {
          expression: `request.operation != 'DELETE' || request.resource.group != ${celString(FLEET_GROUP)}`,
          message: `${FLEET_GROUP} custom resources are user-facing and protected against deletion; remove them through the fleet's synth`,
          reason: 'Forbidden',
        },
        {
          expression: `!(request.operation == 'DELETE' && ${isCrd} && oldObject != null && has(oldObject.spec) && has(oldObject.spec.group) && oldObject.spec.group in ${celList(crdGroups)})`,
          message: `the CustomResourceDefinitions of ${crdGroups.join(', ')} are protected against deletion (deleting one deletes every custom resource of it, which the fleet runs on)`,
          messageExpression: '\'the CustomResourceDefinition \' + request.name + \' is protected against deletion: deleting it deletes every custom resource of \' + oldObject.spec.group + \', which the fleet runs on\'',
          reason: 'Forbidden',
        },
      ],
      validationActions: actions(c, 'delete-protected'),
      bindings: [{ excludedNamespaces: kubeNamespaces }],
    },
    {
      name: `${POLICY_PREFIX}-scale-down`,
      rule: 'scale-down',
      operations: ['UPDATE', 'DELETE'],
      resources: workloadResources(openKruise, true),
      failurePolicy: 'Fail',
      failurePolicyReason: 'blocking a scale-down leaves the workload running at its size while letting one through removes capacity at once; the autoscaler and garbage collector are exempt, and controllers write status, which the policy does not intercept',
      matchConditions: [...ids, ...exemptionCondition(c, 'scale-down', input)],
      variables: [
        // a Scale omits replicas when they are 0; workloads always carry them after defaulting; a deleted workload has none
        { name: 'oldReplicas', expression: celReplicas('oldObject', 0) },
        { name: 'newReplicas', expression: celReplicas('object', 0) },
        // the track is read from the stored object: a request cannot make a stable workload a canary to escape the bound
        { name: 'oldTrack', expression: celLabel('oldObject', T) },
        { name: 'newTrack', expression: celLabel('object', T) },
      ],
      validations: [
        {
          expression: "request.operation != 'UPDATE' || request.subResource != '' || variables.newTrack == variables.oldTrack",
          message: `the release track (label ${T}) of a workload is fixed at creation; create a new workload for another track`,
          messageExpression: `'the release track (label ${T}) of a workload is fixed at creation: ' + (variables.oldTrack == '' ? 'no track' : '\\'' + variables.oldTrack + '\\'') + ' cannot become ' + (variables.newTrack == '' ? 'no track' : '\\'' + variables.newTrack + '\\'') + '; create a new workload for another track'`,
          reason: 'Forbidden',
        },
        {
          expression: `variables.oldTrack == 'canary' || variables.newReplicas >= variables.oldReplicas || variables.newReplicas * 1000 >= variables.oldReplicas * ${kept}`,
          message: `scaling down by more than ${percentOf(c.maxScaleDownFraction)}% of the replicas in one step is forbidden (deleting a workload scales it to 0)`,
          messageExpression: `request.operation == 'DELETE' ? 'deleting a workload with ' + string(variables.oldReplicas) + ' replicas scales it to 0, more than ${percentOf(c.maxScaleDownFraction)}% in one step; remove it through the fleet\\'s synth' : 'scaling from ' + string(variables.oldReplicas) + ' to ' + string(variables.newReplicas) + ' replicas removes more than ${percentOf(c.maxScaleDownFraction)}% in one step; scale down in steps'`,
          reason: 'Forbidden',
        },
      ],
      validationActions: actions(c, 'scale-down'),
      bindings: [{ excludedNamespaces: workloadNamespaces }],
    },
    {
      name: `${POLICY_PREFIX}-max-surge`,
      rule: 'max-surge',
      operations: ['CREATE', 'UPDATE'],
      resources: workloadResources(openKruise, false, true),
      failurePolicy: 'Ignore',
      failurePolicyReason: 'failing closed would stop every rollout and rollback of the cluster\'s Deployments, while a surge above the bound costs temporary capacity; the synth checks every change that comes through it',
      matchConditions: [...ids, ...exemptionCondition(c, 'max-surge', input)],
      variables: [
        {
          name: 'surge',
          expression: surgeExpression(),
        },
        { name: 'replicas', expression: 'has(object.spec.replicas) && object.spec.replicas > 0 ? object.spec.replicas : 1' },
      ],
      validations: [{
        // a percentage as Kubernetes reads it ('050%' is 50); a count against the bound's pods, rounded up
        expression: `type(variables.surge) == string ? variables.surge.matches(${celString(percentPattern(c.maxSurgePercent))}) : variables.surge * 100 <= ${c.maxSurgePercent} * variables.replicas + 99`,
        message: `maxSurge may be at most ${c.maxSurgePercent}% of the replicas`,
        reason: 'Invalid',
      }],
      validationActions: actions(c, 'max-surge'),
      bindings: [{ excludedNamespaces: workloadNamespaces }],
    },
    {
      name: `${POLICY_PREFIX}-canary-percent`,
      rule: 'canary-percent',
      operations: ['CREATE', 'UPDATE'],
      resources: workloadResources(openKruise, true),
      failurePolicy: 'Fail',
      failurePolicyReason: `only canaries (label ${T}=canary, or through the scale subresource a workload the synth recorded as a canary) reach the policy, and blocking a canary change leaves the stable track serving; missing parameters fail the request, since a canary bound without the synth's facts bounds nothing`,
      paramKind: { apiVersion: FLEET_API_VERSION, kind: GUARDRAIL_PARAMETERS_CRD.kind },
      matchConditions: [...ids, ...exemptionCondition(c, 'canary-percent', input)],
      variables: [
        // a Scale carries no labels: through the scale subresource, a canary is a workload the synth recorded as one
        { name: 'isScale', expression: "request.subResource == 'scale'" },
        { name: 'key', expression: "request.namespace + '/' + request.name" },
        { name: 'recorded', expression: 'has(params.spec) && has(params.spec.canaries) && variables.key in params.spec.canaries' },
        { name: 'isCanary', expression: `variables.isScale ? variables.recorded : (${celLabelIs('object', T, 'canary')} || ${celLabelIs('oldObject', T, 'canary')})` },
        { name: 'stableReplicas', expression: 'variables.recorded ? params.spec.canaries[variables.key].stableReplicas : 0' },
        // a Scale omits replicas when they are 0; a workload without replicas runs Kubernetes' default of 1
        { name: 'replicas', expression: `variables.isScale ? (${celReplicas('object', 0)}) : (${celReplicas('object', 1)})` },
      ],
      validations: [
        {
          expression: '!variables.isCanary || variables.recorded',
          message: `the fleet's synth recorded no canary of this name (GuardrailParameters ${GUARDRAIL_PARAMETERS_NAME}), so its app's stable replicas are unknown; create canaries through the fleet's synth`,
          messageExpression: `'the fleet\\'s synth recorded no canary ' + variables.key + ' (GuardrailParameters ${GUARDRAIL_PARAMETERS_NAME}), so its app\\'s stable replicas are unknown; create canaries through the fleet\\'s synth'`,
          reason: 'Forbidden',
        },
        {
          expression: `!variables.isCanary || !variables.recorded || variables.replicas * 100 <= ${B} * (variables.replicas + variables.stableReplicas)`,
          message: `a canary may hold at most ${B}% of its app's pods (canary + stable, the stable replicas as the synth recorded them)`,
          ...(B < 100 ? {
            messageExpression: `'the canary holds ' + string(variables.replicas) + ' of ' + string(variables.replicas + variables.stableReplicas) + ' pods of its app, above ${B}%; beside ' + string(variables.stableReplicas) + ' stable replicas it may run at most ' + string((${B} * variables.stableReplicas) / ${100 - B})`,
          } : {}),
          reason: 'Invalid',
        },
      ],
      validationActions: actions(c, 'canary-percent'),
      bindings: [
        // workloads labelled as canaries (new or stored object): no other workload needs the parameters
        { excludedNamespaces: workloadNamespaces, objectLabels: { [T]: 'canary' }, paramName: GUARDRAIL_PARAMETERS_NAME },
        // the scale subresource of the canaries the synth rendered, by name (a Scale carries no labels)
        ...(canaryNames.length > 0 ? [{
          name: `${POLICY_PREFIX}-canary-percent-scale`,
          resources: workloadResources(openKruise, false).map(r => ({
            apiGroups: r.apiGroups, resources: r.resources.map(x => `${x}/scale`), operations: ['UPDATE'], resourceNames: canaryNames,
          })),
          excludedNamespaces: workloadNamespaces,
          paramName: GUARDRAIL_PARAMETERS_NAME,
        }] : []),
      ],
    },
    ...(batch ? [batch] : []),
  ];
}

/** The cluster's GuardrailParameters object: the facts of every canary, keyed `<namespace>/<name>` in sorted order. @internal */
export function guardrailParameters(canaries: readonly CanaryFact[]): KubeObject {
  const sorted = [...canaries].sort((a, b) => {
    const ka = `${a.namespace}/${a.name}`;
    const kb = `${b.namespace}/${b.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const entries: Record<string, { app: string; stableReplicas: number }> = {};
  for (const k of sorted) entries[`${k.namespace}/${k.name}`] = { app: k.app, stableReplicas: k.stableReplicas };
  return {
    apiVersion: FLEET_API_VERSION,
    kind: GUARDRAIL_PARAMETERS_CRD.kind,
    metadata: { name: GUARDRAIL_PARAMETERS_NAME },
    spec: { canaries: entries },
  } as KubeObject;
}

/** The ValidatingAdmissionPolicy and binding objects of a policy (the policy first). @internal */
export function renderPolicy(p: GuardrailPolicy, apiVersion: string): KubeObject[] {
  const rule = guardrailRule(p.rule)!;
  const metadata = {
    name: p.name,
    annotations: {
      'fleet.cdk8s.io/rule': rule.id,
      'fleet.cdk8s.io/description': rule.summary,
      ...(p.notEnforced ? { 'fleet.cdk8s.io/not-enforced': p.notEnforced } : {}),
    },
  };
  const policy = k8s.KubeValidatingAdmissionPolicyV1Beta1.manifest({
    metadata,
    spec: {
      failurePolicy: p.failurePolicy,
      paramKind: p.paramKind ? { ...p.paramKind } : undefined,
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
  const bindings = p.bindings.map(b => k8s.KubeValidatingAdmissionPolicyBindingV1Beta1.manifest({
    metadata: { name: b.name ?? p.name, annotations: { 'fleet.cdk8s.io/rule': rule.id } },
    spec: {
      policyName: p.name,
      paramRef: b.paramName ? { name: b.paramName, parameterNotFoundAction: 'Deny' } : undefined,
      matchResources: {
        namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...b.excludedNamespaces] }] },
        objectSelector: b.objectLabels ? { matchLabels: { ...b.objectLabels } } : undefined,
        resourceRules: b.resources?.map(r => ({
          apiGroups: [...r.apiGroups],
          apiVersions: ['*'],
          resources: [...r.resources],
          operations: [...r.operations],
          resourceNames: [...r.resourceNames],
          scope: 'Namespaced',
        })),
      },
      validationActions: [...p.validationActions],
    },
  }) as KubeObject);
  return [{ ...policy, apiVersion }, ...bindings.map(b => ({ ...b, apiVersion }))];
}
