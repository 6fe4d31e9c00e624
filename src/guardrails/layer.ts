/**
 * The guardrails layer, registered last: it sees every object the other layers
 * rendered.
 *
 * The policy they enforce (the Guardrails construct, resolved) is published by
 * the policy layer at the bottom (`policy.ts`) as `spec.guardrails`; the layers
 * in between obey it where they render (the protection label on namespaces
 * holding workloads, the canary bound). This layer edits nothing they rendered.
 *
 * - render: records the configuration on the hub (GuardrailConfiguration
 *   `fleet-guardrails`, with its CRD), and adds to every cluster the
 *   ValidatingAdmissionPolicies and bindings, in the admissionregistration
 *   version the cluster's Kubernetes version serves, with the
 *   GuardrailParameters they bind (the stable replicas of every canary's app)
 *   and its CRD;
 * - check: one pass over the whole rendered fleet with the state rules
 *   (maxSurge, canary share) and, given the previous output, the change-aware
 *   rules (scale-down, deletion of protected objects, namespace moves).
 */
import { BUILT_IN_API_GROUPS, CanaryFact, admissionApiVersion, guardrailParameters, guardrailPolicies, renderPolicy } from './admission';
import { GuardrailFinding, appKey, batchQueueFindings, canaryFindings, changeFindings, judge, maxSurgeFindings, stableReplicasByApp } from './checks';
import { guardrailConfiguration } from './record';
import { GuardrailsSlots } from './slots';
import { StateObject, fleetState, readPreviousState } from './state';
import { PlainObject, appNameOf, groupOf, guardedKindOf, trackOf } from './workload-objects';
import { Violations } from '../core/errors';
import { FleetModel, pathOf } from '../core/model';
import { parseKubeVersion } from '../core/versions';
import { guardrailConfigurationCrd, guardrailParametersCrd } from '../crds/guardrails';
import { JobsStack } from '../jobs/slots';
import { KubeObject, RenderContext, RenderedObject } from '../synth/context';
import { objectYaml } from '../synth/emit';
import { Layer } from '../synth/layer';

function render(ctx: RenderContext<JobsStack['spec'], JobsStack['plan']>): void {
  const { config, construct } = ctx.spec.guardrails;
  // what the in-cluster policies read off the objects (a rendered object is a state object);
  // the objects themselves are not changed: each layer rendered what the policy asks of its objects
  const rendered: readonly StateObject[] = ctx.objects;
  const stable = stableReplicasByApp(rendered);
  const canaries = new Map<string, CanaryFact[]>();
  const customGroups = new Map<string, Set<string>>();
  for (const o of ctx.objects) {
    const obj = o.object;
    const group = groupOf(obj.apiVersion);
    if (!BUILT_IN_API_GROUPS.has(group)) customGroups.set(o.cluster, (customGroups.get(o.cluster) ?? new Set()).add(group));
    if (guardedKindOf(obj) && trackOf(obj) === 'canary') {
      const app = appNameOf(obj) ?? obj.metadata.name;
      const stableReplicas = stable.get(appKey({ cluster: o.cluster, object: obj, source: o.source }, app)) ?? 0;
      const list = canaries.get(o.cluster) ?? [];
      list.push({ namespace: obj.metadata.namespace ?? '', name: obj.metadata.name, app, stableReplicas });
      canaries.set(o.cluster, list);
    }
  }

  // the configuration the synth enforced, recorded once on the hub for the tools that read the output
  const hub = ctx.spec.clusters.hub.construct;
  ctx.add(hub, guardrailConfigurationCrd() as KubeObject, construct);
  ctx.add(hub, guardrailConfiguration(config), construct);

  if (!config.admissionPolicies) return;
  for (const clusterSpec of ctx.spec.clusters.clusters) {
    const cluster = clusterSpec.construct;
    const version = clusterSpec.kubernetesVersion;
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
      openKruise: clusterSpec.openKruise,
      canaries: facts,
      customResourceGroups: [...(customGroups.get(name) ?? [])],
      platformNamespaces: [ctx.spec.clusters.systemNamespace],
    });
    // the facts the canary policy binds as params, and their CRD
    ctx.add(cluster, guardrailParametersCrd() as KubeObject, construct);
    ctx.add(cluster, guardrailParameters(facts), construct);
    for (const p of policies) {
      for (const obj of renderPolicy(p, apiVersion)) ctx.add(cluster, obj, construct);
    }
  }
}

function check(objects: readonly RenderedObject[], model: FleetModel, spec: JobsStack['spec'], _plan: unknown, v: Violations): void {
  const { config, path } = spec.guardrails;
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
    ...(previous ? batchQueueFindings(previous, next) : []),
  ];
  for (const violation of judge(findings, config, model.options.overrides ?? [], path, previous !== undefined).violations) v.add(violation);
}

/** The guardrails layer. @internal */
export const guardrailsLayer: Layer<JobsStack, GuardrailsSlots> = {
  name: 'guardrails',
  render,
  check,
};
