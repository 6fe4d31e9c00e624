/**
 * The control-plane layer: per cluster, kube-apiserver (static Pods, audit,
 * encryption, admission), etcd member configs, API Priority and Fairness,
 * etcd backups and the cluster-level kubelet configuration — all derived from
 * the same Cluster construct that declares the pools, so the control plane is
 * sized for the capacity it serves. Also turns the SIG Scalability thresholds
 * into synth-time checks.
 */
import { IConstruct } from 'constructs';
import { APISERVER_PORT, apiserverFlags, renderAdmissionConfig, renderApiserverPod, renderAuditPolicy, renderEncryptionConfig, renderEventRateLimitConfig } from './apiserver';
import { KUBE_APISERVER_1_28_FLAGS, flagsNotIn } from './apiserver-flags';
import { RESTORE_SCRIPT_FILE, renderEtcdBackup, renderRestoreScript } from './backup';
import { failedCisItems } from './cis';
import { ControlPlane, UnsafeApiserverSettings } from './control-plane';
import { controllerManagerFlags, overriddenControllerManagerFlags, renderControllerManagerPod } from './controller-manager';
import { KUBE_CONTROLLER_MANAGER_1_28_FLAGS } from './controller-manager-flags';
import { renderEtcdMemberConfig } from './etcd';
import { renderClusterKubeletConfiguration } from './kubelet';
import { platformPodsFinding } from './platform-pods';
import { renderApiPriority } from './priority-and-fairness';
import { renderSchedulerConfiguration, renderSchedulerPod, schedulerFlags, KUBE_SCHEDULER_1_28_FLAGS } from './scheduler';
import { renderServingCsrApprover } from './serving-csr-approver';
import { ControlPlaneSettings, resolveControlPlane } from './settings';
import { sizingRecord } from './sizing-record';
import { ControlPlaneSlots, ResolvedControlPlane } from './slots';
import { CountedKind, countFinding, nodeCountFinding, podsPerNodeFinding, ThresholdFinding } from './thresholds';
import { Cluster } from '../clusters/cluster';
import { daemonSetName } from '../clusters/daemonsets';
import { KUBE_PROXY_NAMESPACE, renderKubeProxy } from '../clusters/kube-proxy';
import { ClusterSpec, ClustersStack } from '../clusters/slots';
import { Violations } from '../core/errors';
import { FleetModel, pathOf } from '../core/model';
import { Labels } from '../core/names';
import { podTemplateOf, workloadKindOf, workloadReplicas } from '../core/workload-kinds';
import { NodeProfileSpec } from '../machines/slots';
import { RenderContext } from '../synth/context';
import { ClusterCheck, Layer } from '../synth/layer';
import { CONTROL_PLANE_DIR, SIZING_RECORD_FILE } from '../synth/layout';

/** The resolved control-plane settings of a cluster (after the plan stage). @internal */
export function controlPlaneSettingsOf(fleetPlan: ControlPlaneSlots['plan'], cluster: Cluster): ControlPlaneSettings | undefined {
  return fleetPlan.controlPlane.byCluster.get(cluster)?.settings;
}

/** CIS items each unsafe setting knowingly fails. */
const UNSAFE_CIS: Record<keyof UnsafeApiserverSettings, string> = {
  anonymousAuth: '1.2.1',
  profiling: '1.2.16',
  withoutAlwaysPullImages: '1.2.11',
  withoutEventRateLimit: '1.2.9',
  withoutDenyServiceExternalIPs: '1.2.3',
};

function report(v: Violations, path: string, f: ThresholdFinding | undefined): void {
  if (!f) return;
  if (f.severity === 'error') v.error(path, f.rule, f.message, f.fix);
  else v.warning(path, f.rule, f.message, f.fix);
}

function controlPlanesByCluster(model: FleetModel): Map<Cluster, ControlPlane> {
  const out = new Map<Cluster, ControlPlane>();
  for (const cp of model.ofType(ControlPlane)) {
    if (!out.has(cp.cluster)) out.set(cp.cluster, cp);
  }
  return out;
}


/** Nodes of a cluster as its pools declare them (a pool whose capacity is reported counts 0). */
function declaredNodes(cluster: ClusterSpec): number {
  return cluster.pools.reduce((nodes, pool) => nodes + pool.capacity, 0);
}

/**
 * Resolves every cluster's control plane from its props and its pools'
 * declared capacity, reporting each bad prop, the apiserver flags the props
 * make and the CIS items they fail: everything that depends on props alone
 * is checked here, before anything is planned.
 */
function resolve(model: FleetModel, below: ClustersStack['spec'], v: Violations): ControlPlaneSlots['spec'] {
  const seen = new Map<Cluster, string>();
  for (const cp of model.ofType(ControlPlane)) {
    if (!(cp.cluster instanceof Cluster) || cp.node.scope !== cp.cluster) {
      v.error(pathOf(cp), 'control-plane.scope', 'a ControlPlane must be added to a Cluster', 'create it as new ControlPlane(cluster, id, props)');
      continue;
    }
    const other = seen.get(cp.cluster);
    if (other) v.error(pathOf(cp), 'control-plane.unique', `cluster '${cp.cluster.clusterName}' already has a control plane at ${other}`, 'declare one ControlPlane per cluster');
    else seen.set(cp.cluster, pathOf(cp));
  }

  const explicit = controlPlanesByCluster(model);
  const resolved = new Map<Cluster, ResolvedControlPlane>();
  for (const cluster of below.clusters.clusters) {
    const cp = explicit.get(cluster.construct);
    const path = pathOf(cp ?? cluster.construct);
    const nodes = declaredNodes(cluster);
    const before = v.errorCount;
    const s = resolveControlPlane(cluster, cp, nodes, path, v);
    report(v, pathOf(cluster.construct), nodeCountFinding(nodes, s.acknowledgeNodesAbove5000));
    report(v, pathOf(cluster.construct), platformPodsFinding(cluster.pools));
    // flags and CIS are derived from settings; on settings with errors they would only repeat them
    if (v.errorCount > before) continue;
    const r = deriveFromSettings(s);
    // every component's flags against its 1.28 flag table (each rule raised where a reader finds it)
    const unknownApiserver = flagsNotIn(KUBE_APISERVER_1_28_FLAGS, r.flags.keys());
    if (unknownApiserver.length > 0) {
      v.error(path, 'control-plane.apiserver.unknown-flag', `kube-apiserver 1.28 does not accept: ${dashed(unknownApiserver)}`, 'remove the flags');
    }
    const unknownScheduler = flagsNotIn(KUBE_SCHEDULER_1_28_FLAGS, schedulerFlags(s).keys());
    if (unknownScheduler.length > 0) {
      v.error(path, 'control-plane.scheduler.unknown-flag', `kube-scheduler 1.28 does not accept: ${dashed(unknownScheduler)}`, 'remove the flags');
    }
    const unknownControllerManager = flagsNotIn(KUBE_CONTROLLER_MANAGER_1_28_FLAGS, controllerManagerFlags(s).keys());
    if (unknownControllerManager.length > 0) {
      v.error(path, 'control-plane.controller-manager.unknown-flag', `kube-controller-manager 1.28 does not accept: ${dashed(unknownControllerManager)}`, 'remove the flags');
    }
    const overridden = overriddenControllerManagerFlags(s);
    if (overridden.length > 0) {
      v.error(path, 'control-plane.controller-manager.flag-override', `controllerManager.extraFlags replaces flags the fleet sets: ${dashed(overridden)}`,
        'remove them from controllerManager.extraFlags (the fleet derives them from the cluster and the typed props)');
    }
    // CIS: every failed item must be an explicit unsafe choice
    const accepted = new Set(Object.entries(UNSAFE_CIS).filter(([k]) => s.apiserver.unsafe[k as keyof UnsafeApiserverSettings]).map(([, id]) => id));
    const subject = {
      apiserverFlags: r.flags,
      controllerManagerFlags: controllerManagerFlags(s),
      schedulerFlags: schedulerFlags(s),
      schedulerConfig: renderSchedulerConfiguration(s),
      encryptionConfig: r.encryption,
      etcdConfigs: r.etcdConfigs.map(c => c.config),
    };
    for (const item of failedCisItems(subject)) {
      if (!accepted.has(item.id)) v.error(path, 'control-plane.cis', `CIS ${item.id} fails: ${item.title}`, 'restore the secure setting');
    }
    resolved.set(cluster.construct, r);
  }
  profileChecks(below, v);
  return { controlPlane: { byCluster: resolved } };
}

/** The kubelet settings the control plane relies on, of every profile that has nodes (a pool with capacity). */
function profileChecks(spec: ClustersStack['spec'], v: Violations): void {
  const profilesInUse = new Map<NodeProfileSpec, true>();
  for (const cluster of spec.clusters.clusters) {
    for (const pool of cluster.pools) if (pool.profile && pool.hasNodes) profilesInUse.set(pool.profile, true);
  }
  for (const profile of profilesInUse.keys()) {
    const path = pathOf(profile.construct);
    // a profile whose machine or maxPods is reported is not checked against the thresholds
    if (Number.isInteger(profile.maxPods) && Number.isInteger(profile.cpuCores) && profile.cpuCores > 0) {
      report(v, path, podsPerNodeFinding(profile.name, profile.maxPods, profile.cpuCores));
    }
    if (!profile.kubelet.rotateCertificates) {
      v.error(path, 'control-plane.kubelet.rotate-certificates', 'the profile turns kubelet certificate rotation off: its client certificate expires and the node drops out',
        'remove rotateCertificates: false');
    }
    if (!profile.kubelet.serverTLSBootstrap) {
      v.error(path, 'control-plane.kubelet.server-tls-bootstrap', 'the profile turns serverTLSBootstrap off: the apiserver verifies kubelet serving certificates against the cluster CA (CIS 1.2.5)',
        'remove serverTLSBootstrap: false');
    }
  }
}

function deriveFromSettings(s: ControlPlaneSettings): ResolvedControlPlane {
  const etcdConfigs: Array<{ file: string; config: Record<string, unknown> }> = [];
  for (const c of [s.etcd.main, s.etcd.events]) {
    if (!c) continue;
    const sub = c.role === 'main' ? 'etcd' : 'etcd-events';
    for (const m of c.members) etcdConfigs.push({ file: `${sub}/${m.name}.yaml`, config: renderEtcdMemberConfig(c, m) });
  }
  return { settings: s, flags: apiserverFlags(s), encryption: renderEncryptionConfig(s), etcdConfigs };
}

/** The plan records each cluster's control plane as resolved (it depends on props and declared capacity alone). */
function plan(_model: FleetModel, spec: ControlPlaneSlots['spec']): ControlPlaneSlots['plan'] {
  return { controlPlane: { byCluster: spec.controlPlane.byCluster } };
}

type ControlPlaneContext = RenderContext<ClustersStack['spec'] & ControlPlaneSlots['spec'], ClustersStack['plan'] & ControlPlaneSlots['plan']>;

function shortHost(host: string): string {
  return host.split('.')[0];
}

function renderCluster(ctx: ControlPlaneContext, r: ResolvedControlPlane): void {
  const s = r.settings;
  const cluster = s.cluster;
  const source: IConstruct = s.construct ?? cluster;
  const dir = `${cluster.clusterName}/${CONTROL_PLANE_DIR}`;

  // kube-apiserver (its flags were checked in the validate stage)
  const flags = r.flags;
  for (const host of s.apiserver.hosts) {
    ctx.addFile(`${dir}/static-pods/${shortHost(host)}/kube-apiserver.yaml`, renderApiserverPod(s, host, flags), source);
    ctx.addFile(`${dir}/static-pods/${shortHost(host)}/kube-controller-manager.yaml`, renderControllerManagerPod(s, host), source);
    ctx.addFile(`${dir}/static-pods/${shortHost(host)}/kube-scheduler.yaml`, renderSchedulerPod(s, host), source);
  }
  ctx.addFile(`${dir}/scheduler/kube-scheduler-config.yaml`, renderSchedulerConfiguration(s), source);
  ctx.addFile(`${dir}/${SIZING_RECORD_FILE}`, sizingRecord(s), source);
  ctx.addFile(`${dir}/apiserver/audit-policy.yaml`, renderAuditPolicy(), source);
  ctx.addFile(`${dir}/apiserver/encryption-config.yaml`, r.encryption, source);
  ctx.addFile(`${dir}/apiserver/admission-config.yaml`, renderAdmissionConfig(s), source);
  if (!s.apiserver.unsafe.withoutEventRateLimit) ctx.addFile(`${dir}/apiserver/event-rate-limit.yaml`, renderEventRateLimitConfig(), source);

  // etcd
  for (const c of r.etcdConfigs) ctx.addFile(`${dir}/${c.file}`, c.config, source);
  ctx.addFile(`${dir}/${RESTORE_SCRIPT_FILE}`, renderRestoreScript(s), source);

  // kubelet per profile used in the cluster
  const profiles = new Map<NodeProfileSpec, true>();
  for (const pp of ctx.plan.clusters.poolsOf(cluster)) profiles.set(pp.profileSpec, true);
  for (const profile of profiles.keys()) {
    ctx.addFile(`${dir}/kubelet/${profile.name}.yaml`, renderClusterKubeletConfiguration(profile, s), source);
  }

  // applied objects: API Priority and Fairness, etcd backups
  for (const o of renderApiPriority({
    systemNamespace: ctx.spec.clusters.systemNamespace,
    platformControllers: s.apiPriority.platformControllers,
    platformControllerShares: s.apiPriority.platformControllerShares,
  })) ctx.add(cluster, o, source);
  for (const o of renderEtcdBackup(s)) ctx.add(cluster, o, source);
  for (const o of renderServingCsrApprover(s, ctx.spec.clusters.systemNamespace)) ctx.add(cluster, o, source);

  // kube-proxy on every node, when the cluster has nodes; it reaches the apiserver by its name, not the Service it programs
  if (ctx.plan.clusters.poolsOf(cluster).some(pp => pp.spec.hasNodes)) {
    const spec = ctx.spec.clusters.cluster(cluster).kubeProxy;
    for (const o of renderKubeProxy(spec, s.version, `https://api.${s.domain}:${APISERVER_PORT}`)) ctx.add(cluster, o, cluster);
  }
}

/** Counts each cluster's pods, namespaces and Services against the control plane's thresholds, cluster by cluster. */
function check(_model: FleetModel, spec: ClustersStack['spec'], fleetPlan: ClustersStack['plan'], v: Violations): ClusterCheck {
  const clusters = new Map(spec.clusters.clusters.map(c => [c.name, c.construct]));
  // the platform's own node agents: their pods are the clusters layer's decision (one per agent per node of a non-empty pool)
  const agentDaemonSets = new Set<string>();
  for (const pp of fleetPlan.clusters.pools.values()) {
    for (const agent of pp.agents) agentDaemonSets.add(`${pp.spec.clusterName}/${daemonSetName(agent, pp.spec.name)}`);
  }
  return {
    cluster(name, objects) {
      const cluster = clusters.get(name);
      if (!cluster || objects.length === 0) return;
      const c: Record<CountedKind, number> = { pods: fleetPlan.clusters.agents.get(cluster)?.pods ?? 0, namespaces: 0, services: 0 };
      for (const o of objects) {
        const obj = o.object as { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } };
        const workload = workloadKindOf(obj);
        if (obj.kind === 'Namespace') {c.namespaces++;} else if (obj.kind === 'Service') {c.services++;} else if (workload?.pods === 'replicas') {c.pods += workloadReplicas(workload, obj) ?? 1;} else if (workload?.pods === 'per-node') {
          if (obj.metadata?.namespace === spec.clusters.systemNamespace && agentDaemonSets.has(`${o.cluster}/${obj.metadata.name}`)) continue;
          // kube-proxy's pods are in the clusters layer's agent totals too
          if (obj.metadata?.namespace === KUBE_PROXY_NAMESPACE && obj.metadata.name === 'kube-proxy') continue;
          // a DaemonSet of another layer or added by hand: one pod per node of the pool it selects, else of the cluster
          const capacity = fleetPlan.clusters.capacity.get(cluster);
          const tpl = (podTemplateOf(workload, obj) ?? {}) as { spec?: { nodeSelector?: Record<string, string> } };
          const pool = tpl.spec?.nodeSelector?.[Labels.POOL];
          c.pods += pool ? capacity?.byPool.get(pool)?.nodes ?? 0 : capacity?.total.nodes ?? 0;
        }
      }
      const path = pathOf(cluster);
      for (const kind of ['pods', 'namespaces', 'services'] as const) report(v, path, countFinding(kind, c[kind]));
    },
  };
}

/** The control-plane layer. @internal */
export const controlPlaneLayer: Layer<ClustersStack, ControlPlaneSlots> = {
  name: 'control-plane',
  resolve,
  plan,
  render(ctx) {
    const byName = new Map(ctx.spec.clusters.clusters.map(c => [c.name, c.construct]));
    return name => {
      const r = ctx.plan.controlPlane.byCluster.get(byName.get(name)!);
      if (r) renderCluster(ctx, r);
    };
  },
  check,
};

/** Flag names as a reader writes them: `--a, --b`. */
function dashed(flags: readonly string[]): string {
  return flags.map(f => `--${f}`).join(', ');
}
