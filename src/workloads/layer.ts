/**
 * The workloads layer: LiDeployment and LiStatefulSet, merged with the
 * platform pod template, rendered into each app namespace's cluster.
 *
 * resolve (`resolve.ts`) turns every workload and template into a spec, each
 * bad prop reported once; validate checks the specs across constructs; plan
 * checks what depends on the cluster a namespace was placed on; render reads
 * only specs and plan slots.
 */
import { liDeploymentCrd, liStatefulSetCrd } from './crds';
import { ResolvedPlatformTemplate } from './platform-template';
import { appContainerShare, containerAmounts, pinnedCpuSplit, pinsCpus, platformConflicts } from './pod';
import { renderLiDeployment, renderLiStatefulSet, renderLocalStorageClass, renderPriorityClass, imageFor } from './render';
import { resolvePlatformTemplates, resolveWorkloads } from './resolve';
import { DeploymentSpec, StatefulSetSpec, WorkloadsSlots, WorkloadsSpec } from './slots';
import { Cluster } from '../clusters/cluster';
import { Violations } from '../core/errors';
import { FleetModel } from '../core/model';
import { fitsIn, formatCpu, formatMemory, cpuToMillis, memoryToMiB, shortfalls } from '../core/resources';
import { NodeTaint } from '../machines/node-profile';
import { KubeObject, RenderContext } from '../synth/context';
import { ClusterRender, Layer } from '../synth/layer';
import { TenancyStack } from '../tenancy/slots';

export { MAX_APPLICATION_NAME_LENGTH, MAX_WORKLOAD_REPLICAS } from './resolve';

type Spec = TenancyStack['spec'] & WorkloadsSlots['spec'];

function resolve(model: FleetModel, spec: TenancyStack['spec'], v: Violations): WorkloadsSlots['spec'] {
  const bound = spec.guardrails.config.maxCanaryPercent;
  const templates = resolvePlatformTemplates(model, spec.clusters, bound, v);
  // workloads are checked against the templates, which need props of the right types
  const workloads: WorkloadsSpec = { workloads: templates ? resolveWorkloads(model, bound, v) : [], templates };
  return { workloads };
}

/** Checks across constructs: one pod against its node profile, identities in a namespace, local SSD. */
function validate(_model: FleetModel, spec: Spec, v: Violations): void {
  const names = new Map<string, string>();
  for (const w of spec.workloads.workloads) {
    const ns = w.namespace;
    const profile = spec.tenancy.namespace(ns)?.nodeProfile;
    if (profile) {
      // cluster-independent: the whole allocatable of one node (tenancy then checks the placed cluster's node agents too)
      const node = profile.usable ? profile.allocatable : undefined; // a profile with bad quantities is reported with its props
      if (node && !fitsIn(w.budget, node)) {
        v.error(w.path, 'workload.resources.fit', `one pod requests more than a '${profile.name}' node allocates: ${shortfalls(w.budget, node).join(', ')}`,
          `lower resources to at most cpu ${formatCpu(node.cpuMillis)}, memory ${formatMemory(node.memoryMiB)}${node.gpus > 0 ? `, gpus ${node.gpus}` : ''} and add replicas, or onboard the app on a larger node profile`);
      }
    }
    const key = `${ns.namespaceName}/${w.application}`;
    const other = names.get(key);
    if (other) v.error(w.path, 'workload.name.unique', `application '${w.application}' is also declared in namespace '${ns.namespaceName}' at ${other}`, 'give each workload of a namespace its own application name');
    else names.set(key, w.path);
    if (w.kind === 'deployment') {
      if (w.canary && names.has(`${ns.namespaceName}/${w.canary.name}`)) {
        v.error(w.path, 'workload.name.unique', `the canary '${w.canary.name}' collides with another application of namespace '${ns.namespaceName}'`, 'rename one of them');
      }
    } else {
      validateLocalStorage(spec, w, v);
    }
  }
}

function validateLocalStorage(spec: Spec, s: StatefulSetSpec, v: Violations): void {
  const ns = spec.tenancy.namespace(s.namespace);
  const profile = ns?.nodeProfile;
  if (ns && profile && !profile.hasLocalSsd) {
    v.error(s.path, 'workload.stateful.local-ssd', `node profile '${profile.name}' of app namespace '${ns.namespace}' has no local SSD`,
      `onboard the app on a node profile with machine.localSsd (${spec.machines.profiles.filter(n => n.hasLocalSsd).map(n => n.name).join(', ') || 'none declared'})`);
  } else if (profile && profile.localSsdMiB !== undefined && s.storageMiB > profile.localSsdMiB) {
    v.error(s.path, 'workload.stateful.storage-fit', `storage ${formatMemory(s.storageMiB)} exceeds the local SSD of a '${profile.name}' node (${formatMemory(profile.localSsdMiB)})`,
      'lower storage per replica and add replicas, or use a profile with more local SSD');
  }
}

/**
 * What depends on a decision: each workload against the platform template of
 * the cluster its namespace was placed on (platform-owned fields, priority
 * classes, the app container's share after the sidecars, init containers).
 */
function planWorkloads(_model: FleetModel, spec: Spec, fleetPlan: TenancyStack['plan'], v: Violations): WorkloadsSlots['plan'] {
  const templates = spec.workloads.templates;
  if (!templates) return {};
  for (const w of spec.workloads.workloads) {
    // a federated namespace's workloads meet the template of each of its clusters, reported once
    for (const cluster of fleetPlan.tenancy.namespaces.get(w.namespace)?.clusters ?? []) {
      const before = v.errorCount;
      planOnCluster(spec, w, cluster, templates, v);
      if (v.errorCount > before) break;
    }
  }
  return {};
}

function planOnCluster(spec: Spec, w: DeploymentSpec | StatefulSetSpec, cluster: Cluster, templates: NonNullable<Spec['workloads']['templates']>, v: Violations): void {
  {
    const path = w.path;
    const t = templates.byCluster.get(cluster)!;
    const where = `cluster '${cluster.clusterName}'`;
    const conflicts = platformConflicts({
      application: w.application,
      env: w.env,
      ports: w.ports,
      labels: w.labels,
      annotations: w.annotations,
      dataMountPath: w.kind === 'stateful' ? w.dataMountPath : undefined,
    }, t);
    for (const c of conflicts) {
      v.error(path, 'workload.platform-owned', `${c} (platform pod template of ${where}); the app cannot override it`, 'rename or remove the field in the app\'s props; platform-owned fields are changed in the PlatformPodTemplate');
    }
    const priority = w.priorityClass;
    if (priority !== undefined && !t.priorityClasses.some(pc => pc.name === priority)) {
      v.error(path, 'workload.priority-class.known', `priority class '${priority}' is not defined by the platform in ${where}`, `use one of: ${t.priorityClasses.map(pc => pc.name).join(', ')}`);
    }
    const budget = w.budget;
    const share = appContainerShare(budget, w.limits, t);
    const minCpu = cpuToMillis(t.minAppCpu);
    const minMem = memoryToMiB(t.minAppMemory);
    const sidecarNames = t.sidecars.map(s => s.name).join(', ') || 'none';
    if (share.requests.memoryMiB < minMem) {
      v.error(path, 'workload.resources.sidecars', `memory ${formatMemory(budget.memoryMiB)} leaves the app container ${formatMemory(Math.max(0, share.requests.memoryMiB))} after the platform sidecars (${sidecarNames}: ${formatMemory(budget.memoryMiB - share.requests.memoryMiB)}); at least ${formatMemory(minMem)} is needed`,
        `raise resources.memory to at least ${formatMemory(budget.memoryMiB - share.requests.memoryMiB + minMem)}`);
    }
    if (share.requests.cpuMillis < minCpu) {
      v.error(path, 'workload.resources.sidecars', `cpu ${formatCpu(budget.cpuMillis)} leaves the app container ${formatCpu(Math.max(0, share.requests.cpuMillis))} after the platform sidecars (${sidecarNames}); at least ${formatCpu(minCpu)} is needed`,
        `raise resources.cpu to at least ${formatCpu(budget.cpuMillis - share.requests.cpuMillis + minCpu)}`);
    }
    const profile = spec.tenancy.namespace(w.namespace)?.nodeProfile;
    if (profile && pinsCpus(budget, w.limits, profile.kubelet.cpuManagerPolicy === 'static') && share.requests.cpuMillis >= minCpu) {
      const split = pinnedCpuSplit(budget.cpuMillis, t.sidecars.map(s => containerAmounts(s).cpuMillis));
      if (!split.ok) {
        v.error(path, 'workload.resources.pinned-cpu', `node profile '${profile.name}' pins CPUs (static CPU manager) and the pod is Guaranteed, but ${split.problem} (platform sidecars of ${where}: ${sidecarNames})`, split.fix);
      }
    }
    for (const init of t.initContainers) {
      const a = containerAmounts(init);
      if (!fitsIn(a, budget)) {
        v.error(path, 'workload.resources.init-containers', `platform init container '${init.name}' requests more than the pod budget: ${shortfalls(a, budget).join(', ')}`, 'raise the pod\'s resources (or the platform lowers the init container\'s)');
      }
    }
  }
}

/**
 * A workload as one cluster of a federated namespace runs it: its share of
 * the replicas, and its canary in the first cluster only (the others run the
 * stable track alone). Everything else, config included, is the same in
 * every cluster.
 */
function shareOf<W extends DeploymentSpec | StatefulSetSpec>(w: W, replicas: number, first: boolean): W {
  if (w.kind === 'deployment' && !first && (w as DeploymentSpec).canary) {
    const { canary: _canary, ...stable } = w as DeploymentSpec;
    return { ...stable, replicas } as W;
  }
  return { ...w, replicas };
}

function poolTaintsOf(plan: TenancyStack['plan'], cluster: Cluster, profileName: string): NodeTaint[] {
  const out: NodeTaint[] = [];
  const seen = new Set<string>();
  for (const pp of plan.clusters.poolsOf(cluster)) {
    if (pp.profileSpec.name !== profileName) continue;
    for (const t of pp.spec.taints) {
      const k = `${t.key}=${t.value ?? ''}:${t.effect}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(t);
      }
    }
  }
  return out;
}

function render(ctx: RenderContext<Spec, TenancyStack['plan']>): ClusterRender {
  const templates = ctx.spec.workloads.templates!;
  const taints = new Map<string, NodeTaint[]>();
  // the workloads placed on each cluster, in the spec's order
  const placed = new Map<string, Array<Spec['workloads']['workloads'][number]>>();
  for (const w of ctx.spec.workloads.workloads) {
    const nsPlan = ctx.plan.tenancy.namespaces.get(w.namespace);
    if (!nsPlan) continue;
    const split = nsPlan.shares.get(w.construct);
    nsPlan.clusters.forEach((cluster, i) => {
      const list = placed.get(cluster.clusterName) ?? [];
      list.push(split ? shareOf(w, split[i], i === 0) : w);
      placed.set(cluster.clusterName, list);
    });
  }
  const byName = new Map(ctx.spec.clusters.clusters.map(c => [c.name, c.construct]));
  return name => {
    const here = placed.get(name);
    if (!here) return;
    const cluster = byName.get(name)!;
    const template = templates.byCluster.get(cluster)!;
    const seen = { deployments: false, stateful: false };
    for (const w of here) {
      const nsSpec = ctx.spec.tenancy.namespace(w.namespace)!;
      const profile = nsSpec.nodeProfile;
      const key = `${cluster.clusterName}|${profile.name}`;
      if (!taints.has(key)) taints.set(key, poolTaintsOf(ctx.plan, cluster, profile.name));
      const target = {
        namespace: nsSpec.namespace,
        partOf: nsSpec.app,
        openKruise: ctx.spec.clusters.cluster(cluster).openKruise,
        template,
        placement: {
          nodeProfile: profile.name,
          taints: taints.get(key)!,
          gpuResourceName: profile.gpuResourceName,
          staticCpuManager: profile.kubelet.cpuManagerPolicy === 'static',
        },
      };
      const objects: KubeObject[] = w.kind === 'deployment' ? renderLiDeployment(w, target) : renderLiStatefulSet(w, target);
      for (const o of objects) ctx.add(cluster, o, w.construct);
      if (w.kind === 'deployment') seen.deployments = true;
      else seen.stateful = true;
    }
    // cluster-wide objects, once per cluster that runs workloads
    const source = templates.sources.get(cluster) ?? cluster;
    for (const pc of template.priorityClasses) ctx.add(cluster, renderPriorityClass(pc), source);
    if (seen.deployments) ctx.add(cluster, liDeploymentCrd() as KubeObject, source);
    if (seen.stateful) {
      ctx.add(cluster, liStatefulSetCrd() as KubeObject, source);
      ctx.add(cluster, renderLocalStorageClass(template.localStorageClass), source);
    }
  };
}

/** The image a workload's stable pods run (for tools and tests). @internal */
export function stableImageOf(w: DeploymentSpec | StatefulSetSpec, template: ResolvedPlatformTemplate): string {
  return imageFor(w.application, w.image, w.version, template.registry, false);
}

/** The workloads layer. @internal */
export const workloadsLayer: Layer<TenancyStack, WorkloadsSlots> = {
  name: 'workloads',
  resolve,
  validate,
  plan: planWorkloads,
  render,
};
