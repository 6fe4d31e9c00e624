/**
 * The maintenance layer: what draining a maintenance zone, or losing a node
 * to any of Kubernetes' eviction paths, does to the workloads a cluster runs,
 * and each cluster's maintenance policy.
 *
 * plan gathers, per cluster, what the simulations read of the layers below
 * (each pool's room per zone, each profile's thresholds); render, cluster by
 * cluster, reads the cluster's rendered objects (every workload, budget and
 * priority class the layers below rendered, hand-added ones included),
 * simulates the drain of every zone (`drain.ts`), reviews every workload's
 * eviction paths (`eviction.ts`), derives the cluster's MaintenancePolicy
 * (`policy.ts`), and writes the cluster's maintenance report
 * (`<cluster>/maintenance.json`, which `cdk8s-fleet plan` reads).
 */
import { DrainClusterInput, DrainWorkload, ZoneDrain, simulateZoneDrains } from './drain';
import { EvictionReview, ReviewProfile, reviewEvictions } from './eviction';
import { budgetOf, readClusterPods } from './pods';
import { derivePolicy, renderMaintenancePolicy } from './policy';
import { maintenanceReportDocument, maintenanceReportFile } from './report';
import { ClusterMaintenanceFacts, MaintenanceSlots } from './slots';
import { Violations } from '../core/errors';
import { FleetModel } from '../core/model';
import { maintenanceCrds } from '../crds/maintenance';
import { JobsStack } from '../jobs/slots';
import { KubeObject, RenderContext } from '../synth/context';
import { ClusterRender, Layer } from '../synth/layer';

type Spec = JobsStack['spec'];
type Plan = JobsStack['plan'] & MaintenanceSlots['plan'];

function plan(_model: FleetModel, spec: Spec, below: JobsStack['plan'], _v: Violations): MaintenanceSlots['plan'] {
  const clusters = new Map<string, ClusterMaintenanceFacts>();
  for (const c of spec.clusters.clusters) {
    const pools = below.clusters.poolsOf(c.construct).filter(pp => pp.spec.hasNodes);
    const profiles = new Map<string, ReviewProfile>();
    for (const pp of pools) {
      const p = pp.profileSpec;
      profiles.set(p.name, {
        name: p.name,
        evictionHardMemoryMiB: p.evictionHardMemoryMiB,
        nodefsAvailablePercent: p.kubelet.nodefsAvailablePercent,
        imagefsAvailablePercent: p.kubelet.imagefsAvailablePercent,
        staticCpuManager: p.kubelet.cpuManagerPolicy === 'static',
      });
    }
    clusters.set(c.name, {
      cluster: c.name,
      pools: pools.map(pp => ({
        pool: pp.spec.name,
        nodeProfile: pp.profileSpec.name,
        forPodsPerNode: pp.appAllocatablePerNode,
        podSlotsPerNode: pp.appPodsPerNode,
        zones: pp.zones.map(z => ({ zone: z.zone, nodes: z.nodes })),
      })),
      profiles,
      updating: pools.flatMap(pp => (pp.rollout?.zones ?? []).filter(z => z.state === 'updating').map(z => ({ zone: z.zone, pool: pp.spec.name, rollout: pp.rollout!.name }))),
    });
  }
  return { maintenance: { clusters } };
}

/** The blocked drains of a cluster, by workload: the zones whose drain each would stall. */
function blockedByWorkload(drains: readonly ZoneDrain[]): Map<string, { zones: string[]; pending: number; budget?: number }> {
  const out = new Map<string, { zones: string[]; pending: number; budget?: number }>();
  for (const d of drains) {
    for (const w of d.workloads) {
      if (w.outcome !== 'blocked') continue;
      const key = `${w.kind}|${w.namespace}|${w.name}`;
      const e = out.get(key) ?? { zones: [], pending: 0, ...(w.disruptionBudget !== undefined ? { budget: w.disruptionBudget } : {}) };
      e.zones.push(d.zone);
      e.pending = Math.max(e.pending, w.pending);
      out.set(key, e);
    }
  }
  return out;
}

function render(ctx: RenderContext<Spec, Plan>): ClusterRender {
  const byName = new Map(ctx.spec.clusters.clusters.map(c => [c.name, c.construct]));
  return name => {
    const facts = ctx.plan.maintenance.clusters.get(name);
    const cluster = byName.get(name)!;
    if (!facts || facts.pools.length === 0) return;
    const rendered = ctx.objects;
    const sources = new Map<string, string>();
    for (const o of rendered) sources.set(`${o.object.kind}|${o.object.metadata.namespace ?? ''}|${o.object.metadata.name}`, o.source);
    const pods = readClusterPods(rendered.map(o => o.object), facts.pools);
    // batch pods are retried by their job controller and hold quota, not service capacity: the drain moves services
    const workloads: DrainWorkload[] = pods.workloads.filter(w => !w.perNode && !w.batch).map(w => {
      const allowed = budgetOf(w, pods.budgetsByNamespace.get(w.namespace) ?? []).allowed;
      return {
        namespace: w.namespace,
        name: w.name,
        kind: w.kind,
        replicas: w.replicas,
        requests: w.requests,
        ...(w.nodeProfile !== undefined ? { nodeProfile: w.nodeProfile } : {}),
        priority: w.priority,
        ...(w.zoneSpread ? { zoneSpread: w.zoneSpread } : {}),
        ...(allowed !== undefined ? { disruptionBudget: allowed } : {}),
        operatorCoordinated: w.operatorCoordinated,
      };
    });
    const input: DrainClusterInput = { cluster: name, pools: facts.pools, workloads };
    const drains = simulateZoneDrains(input);
    const reviews: EvictionReview[] = reviewEvictions(name, pods, facts.profiles);
    const sourceOf = (kind: string, ns: string, n: string) => sources.get(`${kind}|${ns}|${n}`) ?? `<cluster ${name}>`;
    for (const r of reviews) {
      for (const f of r.findings) {
        if (f.severity === 'error') ctx.violations.error(sourceOf(r.kind, r.namespace, r.name), f.rule as 'maintenance.drain.deadlock', f.message, f.fix);
        else ctx.violations.warning(sourceOf(r.kind, r.namespace, r.name), f.rule as 'maintenance.drain.blocked', f.message, f.fix);
      }
    }
    for (const [key, b] of blockedByWorkload(drains)) {
      const [kind, ns, n] = key.split('|');
      ctx.violations.warning(sourceOf(kind, ns, n), 'maintenance.drain.blocked',
        `${kind} ${ns}/${n} in cluster '${name}': draining ${b.zones.length === 1 ? `zone ${b.zones[0]}` : `any of zones ${b.zones.join(', ')}`} leaves ${b.pending} pod(s) with no room on the rest of its node profile, more than its PodDisruptionBudget allows (${b.budget}): the drain stalls`,
        'add nodes of the profile, lower the workload\'s requests, or spread it over more zones');
    }
    const policy = derivePolicy(input, drains, pods.workloads.filter(w => !w.perNode));
    for (const crd of maintenanceCrds()) ctx.add(cluster, crd as KubeObject, cluster);
    ctx.add(cluster, renderMaintenancePolicy(policy), cluster);
    ctx.addFile(maintenanceReportFile(name), maintenanceReportDocument(input, reviews, policy, facts.updating), cluster);
  };
}

/** The maintenance layer. @internal */
export const maintenanceLayer: Layer<JobsStack, MaintenanceSlots> = {
  name: 'maintenance',
  plan,
  render,
};
