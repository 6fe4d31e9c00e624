/**
 * The guardrails layer, registered last: it sees every object the other layers
 * rendered.
 *
 * - render: marks Namespaces holding workloads with the protection label (a
 *   policy cannot see what a namespace holds), and adds to every cluster the
 *   ValidatingAdmissionPolicies and bindings, in the admissionregistration
 *   version the cluster's Kubernetes version serves, with the
 *   GuardrailParameters they bind (the stable replicas of every canary's app)
 *   and its CRD;
 * - check: one pass over the whole rendered fleet with the state rules
 *   (maxSurge, canary share) and, given the previous output, the change-aware
 *   rules (scale-down, deletion of protected objects, namespace moves).
 */
import { IConstruct } from 'constructs';
import { BUILT_IN_API_GROUPS, CanaryFact, admissionApiVersion, guardrailParameters, guardrailPolicies, renderPolicy } from './admission';
import { GuardrailFinding, appKey, canaryFindings, changeFindings, judge, maxSurgeFindings, namespacesWithWorkloads, stableReplicasByApp } from './checks';
import { Guardrails, GuardrailsProps } from './guardrails';
import { GuardrailConfig, GuardrailRuleName, guardrailConfigProblems, guardrailRule, resolveGuardrailConfig } from './rules';
import { GuardrailsSlots } from './slots';
import { StateObject, fleetState, readPreviousState } from './state';
import { PlainObject, appNameOf, groupOf, trackOf, workloadKindOf } from './workload-objects';
import { PropShape, describeValue, shapeProblems } from '../core/checks';
import { Violations } from '../core/errors';
import { parseKubeVersion } from '../core/versions';
import { guardrailParametersCrd } from '../crds/guardrails';
import { FleetModel, pathOf } from '../model';
import { KubeObject, RenderContext, RenderedObject } from '../synth/context';
import { objectYaml } from '../synth/emit';
import { Layer } from '../synth/layer';
import { templateShapeProblems, workloadShapeProblems } from '../workloads/layer';
import { LiDeployment } from '../workloads/li-deployment';
import { PlatformPodTemplate } from '../workloads/platform-template';
import { canaryFixText, canaryProblem } from '../workloads/rollout';
import { WorkloadsStack } from '../workloads/slots';

/** The fleet's guardrail configuration, the construct it comes from (if any) and its path. @internal */
export function guardrailsOf(model: FleetModel): { config: GuardrailConfig; construct: IConstruct; path: string } {
  const declared = model.ofType(Guardrails)[0];
  const construct: IConstruct = declared ?? model.fleet;
  return { config: declared?.config ?? resolveGuardrailConfig(), construct, path: pathOf(construct) };
}

function validate(model: FleetModel, _spec: unknown, v: Violations): void {
  const all = model.ofType(Guardrails);
  for (const extra of all.slice(1)) {
    v.error(pathOf(extra), 'guardrails.unique', `the fleet's guardrails are already configured at ${pathOf(all[0])}`, 'declare one Guardrails construct per fleet');
  }
  if (all.length > 0) {
    const path = pathOf(all[0]);
    const shape = guardrailsShapeProblems(all[0].props);
    for (const problem of shape) v.error(path, 'guardrails.props.type', problem, 'give each prop the type its documentation states');
    if (shape.length === 0) for (const p of guardrailConfigProblems(all[0].config)) v.error(path, p.rule, p.message, p.fix);
  }
  validateCanaryBound(model, guardrailsOf(model).config.maxCanaryPercent, v);
}

/**
 * One canary bound, one denominator: the guardrails' share of all the app's
 * pods, checked on every LiDeployment's canary at synth time (the admission
 * policy enforces the same bound in the cluster). Declarations whose props
 * have the wrong types are reported by the workloads layer and skipped here.
 */
function validateCanaryBound(model: FleetModel, bound: number, v: Violations): void {
  const templates = model.ofType(PlatformPodTemplate);
  for (const t of templates) {
    const mcp = t.props.maxCanaryPercent;
    if (mcp === undefined || templateShapeProblems(t).length > 0) continue;
    const path = pathOf(t);
    const message = `PlatformPodTemplate.maxCanaryPercent is deprecated: the fleet's one canary bound is Guardrails.maxCanaryPercent (${bound}% of all the app's pods, canary + stable)`;
    if (mcp !== bound) {
      v.error(path, 'platform-template.max-canary', `${message}, and this template sets ${mcp}`, `remove maxCanaryPercent from the template, and set Guardrails.maxCanaryPercent to the bound you mean (${bound} now)`);
    } else {
      v.warning(path, 'platform-template.max-canary', `${message}; this template sets the same value`, 'remove maxCanaryPercent from the template');
    }
  }
  if (templates.some(t => templateShapeProblems(t).length > 0)) return;
  for (const w of model.ofType(LiDeployment)) {
    const p = w.props;
    if (!p.canary || workloadShapeProblems(w).length > 0 || !(Number.isInteger(p.replicas) && p.replicas >= 1)) continue;
    const problem = canaryProblem(p.replicas, p.canary, bound);
    if (problem) v.error(pathOf(w), 'workload.canary.bound', problem, canaryFixText(p.replicas, bound));
  }
}

const GUARDRAILS_SHAPE: PropShape = {
  maxScaleDownFraction: 'number?',
  maxSurgePercent: 'number?',
  maxCanaryPercent: 'number?',
  protectedLabel: 'string?',
  exemptions: 'list?',
  platformIdentities: 'strings?',
  platformGroups: 'strings?',
  severities: 'object?',
  admissionPolicies: 'boolean?',
};
const EXEMPTION_SHAPE: PropShape = { rule: 'string', target: 'string', reason: 'string' };
const SEVERITIES: readonly unknown[] = ['error', 'warning'];

/** Type problems of the Guardrails props (a JavaScript caller may pass anything); the other checks need the types right. */
function guardrailsShapeProblems(props: unknown): string[] {
  const out = shapeProblems(props, GUARDRAILS_SHAPE);
  if (out.length > 0) return out;
  const p = props as GuardrailsProps;
  (p.exemptions ?? []).forEach((e, i) => out.push(...shapeProblems(e, EXEMPTION_SHAPE, `exemptions[${i}].`)));
  for (const [rule, severity] of Object.entries(p.severities ?? {})) {
    if (!guardrailRule(rule as GuardrailRuleName)) out.push(`severities names unknown rule ${describeValue(rule)}`);
    else if (!SEVERITIES.includes(severity)) out.push(`severities.${rule} is ${describeValue(severity)}, not 'error' or 'warning'`);
  }
  return out;
}

function render(ctx: RenderContext): void {
  const { config, construct } = guardrailsOf(ctx.model);
  // what the in-cluster policies read off the objects (a rendered object is a state object)
  const rendered: readonly StateObject[] = ctx.objects;
  const busy = namespacesWithWorkloads(rendered);
  const stable = stableReplicasByApp(rendered);
  const canaries = new Map<string, CanaryFact[]>();
  const customGroups = new Map<string, Set<string>>();
  for (const o of ctx.objects) {
    const obj = o.object;
    const group = groupOf(obj.apiVersion);
    if (!BUILT_IN_API_GROUPS.has(group)) customGroups.set(o.cluster, (customGroups.get(o.cluster) ?? new Set()).add(group));
    if (obj.kind === 'Namespace' && group === '' && busy.has(`${o.cluster}/${obj.metadata.name}`)) {
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [config.protectedLabel]: 'true' };
    } else if (workloadKindOf(obj) && trackOf(obj) === 'canary') {
      const app = appNameOf(obj) ?? obj.metadata.name;
      const stableReplicas = stable.get(appKey({ cluster: o.cluster, object: obj, source: o.source }, app)) ?? 0;
      const list = canaries.get(o.cluster) ?? [];
      list.push({ namespace: obj.metadata.namespace ?? '', name: obj.metadata.name, app, stableReplicas });
      canaries.set(o.cluster, list);
    }
  }

  if (!config.admissionPolicies) return;
  for (const cluster of ctx.model.clusters) {
    const version = ctx.model.versionOf(cluster);
    const parsed = parseKubeVersion(version);
    const apiVersion = parsed && admissionApiVersion(parsed);
    if (!apiVersion) {
      ctx.violations.warning(pathOf(cluster), 'guardrails.admission.version',
        `Kubernetes ${version} serves no ValidatingAdmissionPolicy API (v1beta1 from 1.28, v1 from 1.30); cluster '${cluster.clusterName}' gets no in-cluster guardrails`,
        'upgrade the cluster to Kubernetes 1.28 or later');
      continue;
    }
    const name = cluster.clusterName;
    const facts = canaries.get(name) ?? [];
    const policies = guardrailPolicies(config, {
      cluster: name,
      apiVersion,
      openKruise: cluster.props.openKruise ?? false,
      canaries: facts,
      customResourceGroups: [...(customGroups.get(name) ?? [])],
      platformNamespaces: [ctx.model.fleet.systemNamespace],
    });
    // the facts the canary policy binds as params, and their CRD
    ctx.add(cluster, guardrailParametersCrd() as KubeObject, construct);
    ctx.add(cluster, guardrailParameters(facts), construct);
    for (const p of policies) {
      for (const obj of renderPolicy(p, apiVersion)) ctx.add(cluster, obj, construct);
    }
  }
}

function check(objects: readonly RenderedObject[], model: FleetModel, _spec: unknown, _plan: unknown, v: Violations): void {
  const { config, path } = guardrailsOf(model);
  const next = fleetState(objects);
  const previousDir = model.options.previousOutdir;
  let previous;
  if (previousDir) {
    const byFile = new Map(objects.map(o => [o.file, o]));
    const read = readPreviousState(previousDir, (file, text) => {
      const o = byFile.get(file);
      return o && objectYaml(o.object) === text ? o.object as PlainObject : undefined;
    });
    for (const p of read.problems) {
      v.error(path, 'guardrails.previous.unreadable', `previous output ${p.file}: ${p.message}`,
        'point the previous output (--previous, env CDK8S_FLEET_PREVIOUS or SynthOptions.previousOutdir) at the last synthesized output directory, as committed');
    }
    if (read.problems.length === 0) previous = read.state;
  }
  const findings: GuardrailFinding[] = [
    ...maxSurgeFindings(next, config, previous),
    ...canaryFindings(next, config),
    ...(previous ? changeFindings(previous, next, config) : []),
  ];
  for (const violation of judge(findings, config, model.options.overrides ?? [], path, previous !== undefined).violations) v.add(violation);
}

/** The guardrails layer. @internal */
export const guardrailsLayer: Layer<WorkloadsStack, GuardrailsSlots> = {
  name: 'guardrails',
  validate,
  render,
  check,
};
