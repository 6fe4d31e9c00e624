/**
 * The guardrails layer, registered last: it sees every object the other layers
 * rendered in a cluster.
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
 * - check: cluster by cluster, the state rules (maxSurge, canary share) and,
 *   given the previous output, the change-aware rules (scale-down, deletion
 *   of protected objects) over the cluster's directory there; across
 *   clusters, namespace moves and the clusters the fleet no longer has.
 */
import { BUILT_IN_API_GROUPS, CanaryFact, admissionApiVersion, celHasQuantities, guardrailParameters, guardrailPolicies, renderPolicy } from './admission';
import { GuardrailFinding, ObjectChangeFinding, appKey, batchQueueFindings, canaryFindings, judge, maxSurgeFindings, namespaceClusters, namespaceMoves, namespacesOf, objectChangeFindings, stableReplicasByApp, withoutMoved } from './checks';
import { guardrailConfiguration } from './record';
import { GuardrailsSlots } from './slots';
import { FleetState, StateObject, StateReadProblem, UnchangedFile, fleetState, previousClusterNames, previousOutputProblem, readPreviousCluster } from './state';
import { PlainObject, appNameOf, groupOf, guardedKindOf, trackOf } from './workload-objects';
import { Violations } from '../core/errors';
import { FleetModel, pathOf } from '../core/model';
import { parseKubeVersion } from '../core/versions';
import { guardrailConfigurationCrd, guardrailParametersCrd } from '../crds/guardrails';
import { MaintenanceStack } from '../maintenance/slots';
import { KubeObject, RenderContext } from '../synth/context';
import { objectYaml } from '../synth/emit';
import { ClusterCheck, ClusterRender, Layer } from '../synth/layer';
import { PreviousOutput } from '../synth/previous';

function render(ctx: RenderContext<MaintenanceStack['spec'], MaintenanceStack['plan']>): ClusterRender {
  const { config, construct } = ctx.spec.guardrails;
  const hub = ctx.spec.clusters.hub.construct;
  const byName = new Map(ctx.spec.clusters.clusters.map(c => [c.name, c]));
  return name => {
    // what the in-cluster policies read off the cluster's objects (a rendered object is a state object);
    // the objects themselves are not changed: each layer rendered what the policy asks of its objects
    const rendered: readonly StateObject[] = ctx.objects;
    const stable = stableReplicasByApp(rendered);
    const canaries: CanaryFact[] = [];
    const customGroups = new Set<string>();
    for (const o of ctx.objects) {
      const obj = o.object;
      const group = groupOf(obj.apiVersion);
      if (!BUILT_IN_API_GROUPS.has(group)) customGroups.add(group);
      if (guardedKindOf(obj) && trackOf(obj) === 'canary') {
        const app = appNameOf(obj) ?? obj.metadata.name;
        const stableReplicas = stable.get(appKey({ cluster: o.cluster, object: obj, source: o.source }, app)) ?? 0;
        canaries.push({ namespace: obj.metadata.namespace ?? '', name: obj.metadata.name, app, stableReplicas });
      }
    }

    const clusterSpec = byName.get(name)!;
    const cluster = clusterSpec.construct;
    if (cluster === hub) {
      // the configuration the synth enforced, recorded once on the hub for the tools that read the output
      ctx.add(hub, guardrailConfigurationCrd() as KubeObject, construct);
      ctx.add(hub, guardrailConfiguration(config), construct);
    }

    if (!config.admissionPolicies) return;
    const version = clusterSpec.kubernetesVersion;
    const parsed = parseKubeVersion(version);
    const apiVersion = parsed && admissionApiVersion(parsed);
    if (!apiVersion) {
      ctx.violations.warning(pathOf(cluster), 'guardrails.admission.version',
        `Kubernetes ${version} serves no ValidatingAdmissionPolicy API (v1beta1 from 1.28, v1 from 1.30); cluster '${cluster.clusterName}' gets no in-cluster guardrails`,
        'upgrade the cluster to Kubernetes 1.28 or later');
      return;
    }
    const policies = guardrailPolicies(config, {
      cluster: name,
      apiVersion,
      openKruise: clusterSpec.openKruise,
      canaries,
      customResourceGroups: [...customGroups],
      platformNamespaces: [ctx.spec.clusters.systemNamespace],
      quantities: celHasQuantities(parsed),
    });
    const partial = policies.filter(p => p.notEnforced !== undefined);
    for (const p of partial) {
      ctx.violations.warning(pathOf(cluster), 'guardrails.admission.partial',
        `cluster '${cluster.clusterName}' runs Kubernetes ${version}: its ${p.name} policy does not enforce ${p.notEnforced}`,
        'upgrade the cluster to Kubernetes 1.29 or later for the in-cluster check');
    }
    // the facts the canary policy binds as params, and their CRD
    ctx.add(cluster, guardrailParametersCrd() as KubeObject, construct);
    ctx.add(cluster, guardrailParameters(canaries), construct);
    for (const p of policies) {
      for (const obj of renderPolicy(p, apiVersion)) ctx.add(cluster, obj, construct);
    }
  };
}

/**
 * The guardrail checks, cluster by cluster: the state rules over each
 * cluster's objects and, given the previous output, the change rules over its
 * directory there (read when the cluster is checked); across clusters, the
 * namespace moves (from each cluster's Namespaces), the clusters the previous
 * output has and the fleet no longer does, and the judgement (exemptions and
 * overrides over every finding).
 */
function check(model: FleetModel, spec: MaintenanceStack['spec'], _plan: unknown, v: Violations, previousOutput?: PreviousOutput): ClusterCheck {
  const { config, path } = spec.guardrails;
  const previousDir = model.options.previousOutdir;
  const problems: StateReadProblem[] = [];
  const missing = previousDir ? previousOutputProblem(previousDir) : undefined;
  if (missing) problems.push(missing);
  const readPrevious = previousDir !== undefined && !missing;
  // the findings, and what the checks across clusters need: every cluster's Namespaces, before and after
  const stateFindings: GuardrailFinding[] = [];
  const surgeWithoutPrevious: GuardrailFinding[] = [];
  const objectFindings: ObjectChangeFinding[] = [];
  const queueFindings: GuardrailFinding[] = [];
  const nextNamespaces = new Map<string, string[]>();
  const previousNamespaces: StateObject[] = [];
  const checked = new Set<string>();

  const changes = (cluster: string, next: FleetState, unchanged?: UnchangedFile): FleetState => {
    // a cluster being written: through the synth's reader of the previous output, so that the write does not read its files again
    const reader = unchanged && previousOutput?.dir === previousDir ? (file: string) => previousOutput!.read(file) : undefined;
    const read = readPreviousCluster(previousDir!, cluster, unchanged, new Map(), problems, reader);
    objectFindings.push(...objectChangeFindings(read.state, next, config));
    queueFindings.push(...batchQueueFindings(read.state, next));
    previousNamespaces.push(...namespacesOf(read.state.values()));
    return read.state;
  };

  return {
    cluster(name, objects) {
      checked.add(name);
      const next = fleetState(objects);
      namespaceClusters(next.values(), nextNamespaces);
      let previous: FleetState | undefined;
      if (readPrevious) {
        const byFile = new Map(objects.map(o => [o.file, o]));
        previous = changes(name, next, (file, text) => {
          const o = byFile.get(file);
          return o && objectYaml(o.object) === text ? o.object as PlainObject : undefined;
        });
      }
      const surge = maxSurgeFindings(next, config, previous);
      stateFindings.push(...surge);
      // the same findings' messages without the previous state, in case it turns out unreadable elsewhere
      if (surge.length > 0 && previous) surgeWithoutPrevious.push(...maxSurgeFindings(next, config));
      stateFindings.push(...canaryFindings(next, config));
    },
    fleet() {
      // the clusters the previous output has and the fleet no longer does: all of their objects go
      if (readPrevious) {
        for (const cluster of previousClusterNames(previousDir)) if (!checked.has(cluster)) changes(cluster, new Map());
      }
      for (const p of problems) {
        v.error(path, 'guardrails.previous.unreadable', `previous output ${p.file}: ${p.message}`,
          'point the previous output (--previous, env CDK8S_FLEET_PREVIOUS or SynthOptions.previousOutdir) at the last synthesized output directory, as committed');
      }
      const changeRulesRan = readPrevious && problems.length === 0;
      let findings: GuardrailFinding[];
      if (changeRulesRan) {
        const moves = namespaceMoves(previousNamespaces, nextNamespaces);
        findings = [...stateFindings, ...moves.findings, ...withoutMoved(objectFindings, moves.moved), ...queueFindings];
      } else {
        // without a (readable) previous output, the state rules alone, as if none was given
        const surge = new Set(surgeWithoutPrevious.map(f => f.target));
        findings = [...stateFindings.filter(f => !(f.rule === 'max-surge' && surge.has(f.target))), ...surgeWithoutPrevious];
      }
      for (const violation of judge(findings, config, model.options.overrides ?? [], path, changeRulesRan).violations) v.add(violation);
    },
  };
}

/** The guardrails layer. @internal */
export const guardrailsLayer: Layer<MaintenanceStack, GuardrailsSlots> = {
  name: 'guardrails',
  render,
  check,
};
