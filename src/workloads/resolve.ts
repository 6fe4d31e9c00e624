/**
 * The resolve stage of the workloads layer: every LiDeployment, LiStatefulSet
 * and PlatformPodTemplate resolved once into a readonly, defaults-applied spec
 * (ports, rollout, canary, data mount path, storage...), each bad prop
 * reported once. A construct with a bad prop gets no spec, so the later
 * stages, which read only specs, skip it.
 */
import { DEFAULT_MIN_READY_SECONDS, dataMountPathOf, maxSurgeOf, maxUnavailableOf, portsOf } from './defaults';
import { LiDeployment } from './li-deployment';
import { LiStatefulSet } from './li-stateful-set';
import { PlatformContainer, PlatformPodTemplate, PlatformPodTemplateProps, resolvePlatformTemplate } from './platform-template';
import { containerAmounts, probeProblem } from './pod';
import { canaryFixText, canaryPods, canaryProblem, rolloutProblem } from './rollout';
import { DeploymentSpec, PlatformTemplateSpecs, StatefulSetSpec, WorkloadSpec } from './slots';
import { AppPort, AppResources, AppVersion, appBudget, appLimits } from './workload-props';
import { Cluster } from '../clusters/cluster';
import { ClustersSpec } from '../clusters/slots';
import { PropShape, describeValue, shapeProblems } from '../core/checks';
import { TimeProp, timeIn, timeProblems, timeProp } from '../core/durations';
import { Violations } from '../core/errors';
import { FleetModel, pathOf } from '../core/model';
import { dns1123LabelFix, isDns1123Label, isDns1123Subdomain, labelsProblems } from '../core/names';
import { ResourceAmounts, cpuProblem, formatCpu, formatMemory, memoryProblem, memoryToMiB } from '../core/resources';
import { imagePinProblem } from '../core/versions';
import { appNamespaceOf } from '../tenancy/app-namespace';

/** A workload of this layer. @internal */
export type LiWorkload = LiDeployment | LiStatefulSet;

/** Longest application name: a StatefulSet's pods need room for the revision hash label, a canary for `-canary`. */
export const MAX_APPLICATION_NAME_LENGTH = 52;

const VERSION_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Most replicas a workload may declare: above the pods a 5,000-node cluster
 * runs at 110 pods per node minus its agents, so more is always a typo.
 */
export const MAX_WORKLOAD_REPLICAS = 100_000;

const VERSION_SHAPE: PropShape = { app: 'string', config: 'string?' };
const WORKLOAD_SHAPE: PropShape = {
  application: 'string',
  version: 'object',
  replicas: 'number',
  resources: 'object',
  ports: 'list?',
  env: 'string-map?',
  config: 'string-map?',
  probes: 'object?',
  image: 'string?',
  command: 'strings?',
  args: 'strings?',
  labels: 'string-map?',
  annotations: 'string-map?',
  priorityClass: 'string?',
  automountServiceAccountToken: 'boolean?',
};
const DEPLOYMENT_SHAPE: PropShape = { canary: 'object?', maxSurge: 'number-or-string?', maxUnavailable: 'number-or-string?', minReadySeconds: 'number?' };
const STATEFUL_SHAPE: PropShape = { storage: 'object', dataMountPath: 'string?', acmEndpoint: 'string' };
const RESOURCES_SHAPE: PropShape = { cpu: 'object', memory: 'object', cpuLimit: 'object?', gpus: 'number?' };
const PORT_SHAPE: PropShape = { name: 'string', port: 'number' };
const PROBE_SHAPE: PropShape = {
  path: 'string?',
  port: 'number-or-string?',
  command: 'strings?',
  initialDelaySeconds: 'number?',
  periodSeconds: 'number?',
  timeoutSeconds: 'number?',
  failureThreshold: 'number?',
};
const CANARY_SHAPE: PropShape = { version: 'object', config: 'string-map?', percent: 'number?', count: 'number?' };

/** Type problems of a workload's props (a JavaScript caller may pass anything); the other checks need the types right. @internal */
export function workloadShapeProblems(w: LiWorkload): string[] {
  const p: unknown = w.props;
  const out = shapeProblems(p, { ...WORKLOAD_SHAPE, ...(w instanceof LiDeployment ? DEPLOYMENT_SHAPE : STATEFUL_SHAPE) });
  if (out.length > 0) return out;
  const props = w.props as LiWorkload['props'] & { canary?: unknown };
  out.push(...shapeProblems(props.version, VERSION_SHAPE, 'version.'));
  out.push(...shapeProblems(props.resources, RESOURCES_SHAPE, 'resources.'));
  (props.ports ?? []).forEach((port, i) => out.push(...shapeProblems(port, PORT_SHAPE, `ports[${i}].`)));
  for (const [kind, probe] of Object.entries(props.probes ?? {})) {
    if (probe !== undefined) out.push(...shapeProblems(probe, PROBE_SHAPE, `probes.${kind}.`));
  }
  if (props.canary !== undefined) {
    const canaryProblems = shapeProblems(props.canary, CANARY_SHAPE, 'canary.');
    out.push(...canaryProblems);
    if (canaryProblems.length === 0) out.push(...shapeProblems((props.canary as { version: unknown }).version, VERSION_SHAPE, 'canary.version.'));
  }
  return out;
}

/** Every workload of the fleet, in tree order per kind. @internal */
export function workloadsOf(model: FleetModel): LiWorkload[] {
  return [...model.ofType(LiDeployment), ...model.ofType(LiStatefulSet)];
}

const TEMPLATE_SHAPE: PropShape = {
  registry: 'string?',
  initContainers: 'list?',
  sidecars: 'list?',
  volumes: 'list?',
  podLabels: 'string-map?',
  podAnnotations: 'string-map?',
  appEnv: 'string-map?',
  priorityClasses: 'list?',
  statelessPriorityClass: 'string?',
  statefulPriorityClass: 'string?',
  runAsUser: 'number?',
  runAsGroup: 'number?',
  maxCanaryPercent: 'number?',
  minAppCpu: 'object?',
  minAppMemory: 'object?',
  localStorageClass: 'string?',
  configMountPath: 'string?',
  terminationGracePeriodSeconds: 'number?',
};
const CONTAINER_SHAPE: PropShape = {
  name: 'string',
  image: 'string',
  command: 'strings?',
  args: 'strings?',
  env: 'string-map?',
  resources: 'object',
  ports: 'list?',
  volumeMounts: 'list?',
  readinessProbe: 'object?',
};
const CONTAINER_PORT_SHAPE: PropShape = { name: 'string', containerPort: 'number' };
const MOUNT_SHAPE: PropShape = { volume: 'string', mountPath: 'string', readOnly: 'boolean?' };
const VOLUME_SHAPE: PropShape = { name: 'string', emptyDir: 'object?', csi: 'object?', secret: 'object?', appMountPath: 'string?', appMountReadOnly: 'boolean?' };
const PRIORITY_CLASS_SHAPE: PropShape = { name: 'string', value: 'number', description: 'string' };

/** Type problems of a platform template's props (a JavaScript caller may pass anything); the other checks need the types right. @internal */
export function templateShapeProblems(t: PlatformPodTemplate): string[] {
  const out = shapeProblems(t.props, TEMPLATE_SHAPE);
  if (out.length > 0) return out;
  const p = t.props;
  for (const key of ['initContainers', 'sidecars'] as const) {
    (p[key] ?? []).forEach((c, i) => {
      const at = `${key}[${i}].`;
      const problems = shapeProblems(c, CONTAINER_SHAPE, at);
      out.push(...problems);
      if (problems.length > 0) return;
      out.push(...shapeProblems(c.resources, { cpu: 'object', memory: 'object' }, `${at}resources.`));
      (c.ports ?? []).forEach((port, j) => out.push(...shapeProblems(port, CONTAINER_PORT_SHAPE, `${at}ports[${j}].`)));
      (c.volumeMounts ?? []).forEach((m, j) => out.push(...shapeProblems(m, MOUNT_SHAPE, `${at}volumeMounts[${j}].`)));
      if (c.readinessProbe !== undefined) out.push(...shapeProblems(c.readinessProbe, { path: 'string', port: 'string' }, `${at}readinessProbe.`));
    });
  }
  (p.volumes ?? []).forEach((vol, i) => {
    const problems = shapeProblems(vol, VOLUME_SHAPE, `volumes[${i}].`);
    out.push(...problems);
    if (problems.length > 0) return;
    if (vol.csi !== undefined) out.push(...shapeProblems(vol.csi, { driver: 'string', readOnly: 'boolean?', volumeAttributes: 'string-map?' }, `volumes[${i}].csi.`));
    if (vol.secret !== undefined) out.push(...shapeProblems(vol.secret, { secretName: 'string' }, `volumes[${i}].secret.`));
    if (vol.emptyDir !== undefined) out.push(...shapeProblems(vol.emptyDir, { sizeLimit: 'object?', memory: 'boolean?' }, `volumes[${i}].emptyDir.`));
  });
  (p.priorityClasses ?? []).forEach((pc, i) => out.push(...shapeProblems(pc, PRIORITY_CLASS_SHAPE, `priorityClasses[${i}].`)));
  return out;
}

/** Checks of a template's own values that its other checks do not cover. */
function validateTemplateValues(p: PlatformPodTemplateProps, path: string, v: Violations): void {
  for (const [key, cpu] of [['minAppCpu', p.minAppCpu]] as const) {
    const problem = cpu === undefined ? undefined : cpuProblem(cpu);
    if (problem) v.error(path, 'platform-template.min-app', `${key}: ${problem}`, 'use Cpu.millis(…)');
  }
  const mem = p.minAppMemory === undefined ? undefined : memoryProblem(p.minAppMemory);
  if (mem) v.error(path, 'platform-template.min-app', `minAppMemory: ${mem}`, 'use Size.mebibytes(…)');
  for (const vol of p.volumes ?? []) {
    const limit = vol.emptyDir?.sizeLimit;
    const problem = limit === undefined ? undefined : memoryProblem(limit);
    if (problem) v.error(path, 'platform-template.volume.size-limit', `volume '${vol.name}' sizeLimit: ${problem}`, 'use Size.mebibytes(…)');
  }
  for (const t of timeProblems([timeProp('', p, 'terminationGracePeriod', 'terminationGracePeriodSeconds', 'seconds')])) {
    v.error(path, 'platform-template.time', t.message, t.fix);
  }
  const grace = timeIn('seconds', p.terminationGracePeriod, p.terminationGracePeriodSeconds);
  if (grace !== undefined && !(Number.isInteger(grace) && grace >= 0 && grace <= 3600)) {
    v.error(path, 'platform-template.termination-grace', `terminationGracePeriodSeconds is ${grace}`, 'use whole seconds from 0 to 3600 (default 30)');
  }
  if (p.registry !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]([-a-z0-9._]*[a-z0-9])?)*$/.test(p.registry)) {
    v.error(path, 'platform-template.registry', `registry ${describeValue(p.registry)} is not an image registry path`, "use a registry like 'registry.internal/apps'");
  }
  if (p.localStorageClass !== undefined && !isDns1123Subdomain(p.localStorageClass)) {
    v.error(path, 'platform-template.local-storage-class', `localStorageClass ${describeValue(p.localStorageClass)} is not a DNS subdomain`, "name a StorageClass, e.g. 'local-ssd'");
  }
  if (p.configMountPath !== undefined && !(p.configMountPath.startsWith('/') && p.configMountPath.length > 1)) {
    v.error(path, 'platform-template.config-mount-path', `configMountPath ${describeValue(p.configMountPath)} is not an absolute path`, "use e.g. '/etc/app/config'");
  }
  for (const [key, labels] of [['podLabels', p.podLabels]] as const) {
    for (const problem of labelsProblems(labels)) v.error(path, 'platform-template.pod-labels', `${key}: ${problem}`, 'use label keys and values as Kubernetes accepts them');
  }
}

/**
 * Resolves the platform pod templates: the fleet's, and for each cluster the
 * fleet's overridden by the cluster's own; each bad prop reported once.
 * Returns undefined when a template's props have the wrong types (the
 * workloads, which are checked against the templates, are then not checked).
 * @internal
 */
export function resolvePlatformTemplates(
  model: FleetModel, clusters: ClustersSpec, canaryBound: number, v: Violations,
): PlatformTemplateSpecs | undefined {
  const seen = new Map<Cluster | undefined, string>();
  let shapesOk = true;
  for (const t of model.ofType(PlatformPodTemplate)) {
    const path = pathOf(t);
    const shape = templateShapeProblems(t);
    for (const problem of shape) v.error(path, 'platform-template.props.type', problem, 'give each prop the type its documentation states');
    if (shape.length > 0) {
      shapesOk = false;
      continue;
    }
    validateTemplateValues(t.props, path, v);
    deprecatedCanaryBound(t, path, canaryBound, v);
    const other = seen.get(t.cluster);
    if (other) {
      v.error(path, 'platform-template.unique', `a platform pod template for ${t.cluster ? `cluster '${t.cluster.clusterName}'` : 'the fleet'} is also declared at ${other}`,
        'declare one template on the fleet and at most one override per cluster');
    } else {
      seen.set(t.cluster, path);
    }
    const p = t.props;
    const names = new Set<string>();
    const volumes = new Set((p.volumes ?? []).map(vol => vol.name));
    const containers: Array<[PlatformContainer, string]> = [
      ...(p.initContainers ?? []).map((c): [PlatformContainer, string] => [c, 'init container']),
      ...(p.sidecars ?? []).map((c): [PlatformContainer, string] => [c, 'sidecar']),
    ];
    for (const [c, what] of containers) {
      if (!isDns1123Label(c.name)) v.error(path, 'platform-template.container.name', `${what} name '${c.name}' is not a DNS-1123 label`, dns1123LabelFix(c.name));
      if (names.has(c.name)) v.error(path, 'platform-template.container.unique', `container '${c.name}' is declared twice`, 'give each platform container a unique name');
      names.add(c.name);
      const problem = imagePinProblem(c.image);
      if (problem) v.error(path, 'platform-template.image.pinned', `${what} '${c.name}' image '${c.image}': ${problem}`, 'pin the image to a version tag or digest, e.g. registry.internal/platform/proxy:2.1.0');
      let amounts: ResourceAmounts | undefined;
      try {
        amounts = containerAmounts(c);
      } catch (e) {
        v.error(path, 'platform-template.container.resources', `${what} '${c.name}': ${(e as Error).message}`, 'use Cpu.millis(…) and Size.mebibytes(…)');
      }
      if (amounts && (amounts.cpuMillis <= 0 || amounts.memoryMiB <= 0)) {
        v.error(path, 'platform-template.container.resources', `${what} '${c.name}' must request CPU and memory`, 'set resources.cpu and resources.memory above zero');
      }
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.has(m.volume)) v.error(path, 'platform-template.volume.known', `${what} '${c.name}' mounts unknown volume '${m.volume}'`, `declare '${m.volume}' in volumes`);
      }
    }
    const volNames = new Set<string>();
    for (const vol of p.volumes ?? []) {
      if (!isDns1123Label(vol.name)) v.error(path, 'platform-template.volume.name', `volume name '${vol.name}' is not a DNS-1123 label`, dns1123LabelFix(vol.name));
      if (volNames.has(vol.name)) v.error(path, 'platform-template.volume.unique', `volume '${vol.name}' is declared twice`, 'give each volume a unique name');
      volNames.add(vol.name);
      const sources = [vol.emptyDir, vol.csi, vol.secret].filter(s => s !== undefined).length;
      if (sources !== 1) v.error(path, 'platform-template.volume.source', `volume '${vol.name}' must have exactly one of emptyDir, csi and secret (has ${sources})`, 'set exactly one volume source');
      if (vol.appMountPath !== undefined && !vol.appMountPath.startsWith('/')) v.error(path, 'platform-template.volume.mount-path', `volume '${vol.name}' appMountPath '${vol.appMountPath}' is not absolute`, 'use an absolute path');
    }
    for (const pc of p.priorityClasses ?? []) {
      if (!isDns1123Subdomain(pc.name) || pc.name.startsWith('system-')) {
        v.error(path, 'platform-template.priority-class.name', `priority class '${pc.name}' is not a valid name (DNS-1123 subdomain, not 'system-…')`, 'use a name like fleet-stateless');
      }
      if (!Number.isInteger(pc.value) || pc.value < -2147483648 || pc.value > 1000000000) {
        v.error(path, 'platform-template.priority-class.value', `priority class '${pc.name}' has value ${pc.value}`, 'use a whole number of at most 1000000000 (higher values are reserved for system classes)');
      }
    }
    for (const key of ['runAsUser', 'runAsGroup'] as const) {
      const id = p[key];
      if (id !== undefined && !(Number.isInteger(id) && id > 0)) v.error(path, 'platform-template.non-root', `${key} is ${id}; app pods never run as root`, `set ${key} to a non-zero user id, e.g. 10001`);
    }
  }
  if (!shapesOk) return undefined;
  const specs = platformTemplateSpecs(model, clusters);
  // the priority classes named as defaults must exist (checked per resolved template)
  for (const c of [undefined, ...clusters.workloadClusters.map(w => w.construct)]) {
    const t = c ? specs.byCluster.get(c)! : specs.fleet;
    for (const name of [t.statelessPriorityClass, t.statefulPriorityClass]) {
      if (!t.priorityClasses.some(pc => pc.name === name)) {
        v.error(c ? pathOf(c) : '<fleet>', 'platform-template.priority-class.known', `default priority class '${name}' is not among the template's priorityClasses`,
          `add '${name}' to priorityClasses or choose one of: ${t.priorityClasses.map(pc => pc.name).join(', ')}`);
      }
    }
  }
  return specs;
}

/**
 * PlatformPodTemplate.maxCanaryPercent is deprecated: the fleet's one canary
 * bound is the guardrails' (`spec.guardrails`), one denominator everywhere.
 */
function deprecatedCanaryBound(t: PlatformPodTemplate, path: string, bound: number, v: Violations): void {
  const mcp = t.props.maxCanaryPercent;
  if (mcp === undefined) return;
  const message = `PlatformPodTemplate.maxCanaryPercent is deprecated: the fleet's one canary bound is Guardrails.maxCanaryPercent (${bound}% of all the app's pods, canary + stable)`;
  if (mcp !== bound) {
    v.error(path, 'platform-template.max-canary', `${message}, and this template sets ${mcp}`, `remove maxCanaryPercent from the template, and set Guardrails.maxCanaryPercent to the bound you mean (${bound} now)`);
  } else {
    v.warning(path, 'platform-template.max-canary', `${message}; this template sets the same value`, 'remove maxCanaryPercent from the template');
  }
}

/** The resolved templates of the fleet and of each cluster (props of the right types). */
function platformTemplateSpecs(model: FleetModel, clusters: ClustersSpec): PlatformTemplateSpecs {
  let fleetTemplate: PlatformPodTemplate | undefined;
  const own = new Map<Cluster, PlatformPodTemplate>();
  for (const t of model.ofType(PlatformPodTemplate)) {
    const c = t.cluster;
    if (c) {
      if (!own.has(c)) own.set(c, t);
    } else if (fleetTemplate === undefined) {
      fleetTemplate = t;
    }
  }
  const byCluster = new Map<Cluster, ReturnType<typeof resolvePlatformTemplate>>();
  const sources = new Map<Cluster, PlatformPodTemplate>();
  for (const { construct: c } of clusters.clusters) {
    byCluster.set(c, resolvePlatformTemplate(fleetTemplate?.props, own.get(c)?.props));
    const source = own.get(c) ?? fleetTemplate;
    if (source) sources.set(c, source);
  }
  return { fleet: resolvePlatformTemplate(fleetTemplate?.props), byCluster, sources };
}

function validateResources(path: string, r: AppResources, v: Violations): boolean {
  let budget: ResourceAmounts;
  let limits: ResourceAmounts;
  try {
    budget = appBudget(r);
    limits = appLimits(r);
  } catch (e) {
    v.error(path, 'workload.resources.parse', (e as Error).message, 'use Cpu.millis(…) / Cpu.units(…) and Size.mebibytes(…) / Size.gibibytes(…)');
    return false;
  }
  let ok = true;
  if (!(budget.cpuMillis > 0) || !(budget.memoryMiB > 0)) {
    v.error(path, 'workload.resources.positive', `the pod budget is cpu ${formatCpu(budget.cpuMillis)}, memory ${formatMemory(budget.memoryMiB)}`, 'request CPU and memory above zero, e.g. Cpu.units(2) and Size.gibibytes(4)');
    ok = false;
  }
  if (limits.cpuMillis < budget.cpuMillis) {
    v.error(path, 'workload.resources.cpu-limit', `cpuLimit ${formatCpu(limits.cpuMillis)} is below the CPU request ${formatCpu(budget.cpuMillis)}`, 'raise cpuLimit to at least cpu, or omit it');
    ok = false;
  }
  if (!Number.isInteger(budget.gpus) || budget.gpus < 0) {
    v.error(path, 'workload.resources.gpus', `gpus is ${budget.gpus}`, 'use a whole number of GPUs, 0 or more');
    ok = false;
  }
  return ok;
}

function validateVersion(path: string, field: string, version: AppVersion, v: Violations): void {
  if (!VERSION_PATTERN.test(version.app)) {
    v.error(path, 'workload.version', `${field}.app '${version.app}' is not a valid image tag and label value`, "use letters, digits, '.', '_' and '-', at most 63 characters, e.g. '1.42.0'");
  }
  if (version.config !== undefined && !VERSION_PATTERN.test(version.config)) {
    v.error(path, 'workload.version', `${field}.config '${version.config}' is not a valid label value`, "use letters, digits, '.', '_' and '-', at most 63 characters, e.g. '2024-06-01.1'");
  }
}

function validatePorts(path: string, ports: readonly AppPort[], v: Violations): void {
  const names = new Set<string>();
  const numbers = new Set<number>();
  for (const p of ports) {
    if (!(p.name.length <= 15 && PORT_NAME.test(p.name))) v.error(path, 'workload.ports.name', `port name '${p.name}' is not a valid port name`, 'use at most 15 lower-case letters, digits and \'-\', with at least one letter (e.g. \'http\')');
    if (!(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) v.error(path, 'workload.ports.number', `port ${p.name} is ${p.port}`, 'use a port from 1 to 65535');
    if (names.has(p.name) || numbers.has(p.port)) v.error(path, 'workload.ports.unique', `port ${p.name}/${p.port} is declared twice`, 'give each port a unique name and number');
    names.add(p.name);
    numbers.add(p.port);
  }
}

/** The version with its config version defaulted to the app version. */
function resolveVersion(version: AppVersion): Required<AppVersion> {
  return { app: version.app, config: version.config ?? version.app };
}

/**
 * Resolves the props both workload kinds share (ports with their default
 * applied once), or undefined when one of them is reported.
 */
function resolveCommon(w: LiWorkload, v: Violations): Omit<WorkloadSpec, 'kind'> | undefined {
  const path = pathOf(w);
  const errors = v.errorCount;
  const p = w.props;
  const app = p.application;
  const ns = appNamespaceOf(w);
  if (!ns) {
    v.error(path, 'workload.namespace', `${w.constructor.name} '${app}' is not inside an AppNamespace`, `create it as a child of an AppNamespace: new ${w.constructor.name}(appNamespace, '${w.node.id}', {...})`);
  }
  if (!isDns1123Label(app) || app.length > MAX_APPLICATION_NAME_LENGTH) {
    v.error(path, 'workload.name', `application '${app}' is not a DNS-1123 label of at most ${MAX_APPLICATION_NAME_LENGTH} characters`, dns1123LabelFix(app).replace('63', String(MAX_APPLICATION_NAME_LENGTH)));
  }
  if (!Number.isInteger(p.replicas) || p.replicas < 1) {
    v.error(path, 'workload.replicas.positive', `replicas is ${p.replicas}`, 'run at least 1 replica (2 or more to survive a node or zone going down); to retire an app, remove it');
  } else if (p.replicas > MAX_WORKLOAD_REPLICAS) {
    v.error(path, 'workload.replicas.max', `replicas is ${p.replicas}, more than the ${MAX_WORKLOAD_REPLICAS} a workload may run`, `run at most ${MAX_WORKLOAD_REPLICAS} replicas; split a larger app over several workloads`);
  } else if (p.replicas === 1) {
    v.warning(path, 'workload.replicas.single', 'one replica: every node drain or zone maintenance takes the app down', 'run at least 2 replicas, spread over maintenance zones');
  }
  validateVersion(path, 'version', p.version, v);
  if (p.image !== undefined) {
    const problem = imagePinProblem(p.image);
    if (problem) v.error(path, 'workload.image.pinned', `image '${p.image}': ${problem}`, `pin the image to a version tag or digest, e.g. '${p.image.split('@')[0].replace(/:[^/:]*$/, '')}:${p.version.app}'`);
  }
  const resourcesOk = validateResources(path, p.resources, v);
  for (const name of Object.keys(p.env ?? {})) {
    if (!ENV_NAME.test(name)) v.error(path, 'workload.env.name', `env name '${name}' is not a valid variable name`, 'use letters, digits and \'_\', not starting with a digit');
  }
  for (const key of Object.keys(p.config ?? {})) {
    if (!CONFIG_KEY.test(key) || key.length > 253) v.error(path, 'workload.config.key', `config key '${key}' is not a valid ConfigMap key`, 'use letters, digits, \'-\', \'_\' and \'.\'');
  }
  const ports = portsOf(p);
  validatePorts(path, ports, v);
  const probe = probeProblem(p.probes, ports);
  if (probe) v.error(path, 'workload.probes', probe, 'declare a port for the probe, or give the probe a command');
  if (!ns || !resourcesOk || v.errorCount > errors) return undefined;
  return {
    construct: w,
    path,
    namespace: ns,
    application: app,
    version: resolveVersion(p.version),
    replicas: p.replicas,
    budget: appBudget(p.resources),
    limits: appLimits(p.resources),
    ports,
    env: p.env ?? {},
    config: p.config,
    probes: p.probes,
    image: p.image,
    command: p.command,
    args: p.args,
    labels: p.labels ?? {},
    annotations: p.annotations ?? {},
    priorityClass: p.priorityClass,
    automountServiceAccountToken: p.automountServiceAccountToken ?? false,
  };
}

/**
 * Resolves a LiDeployment: rollout (maxSurge, maxUnavailable, minReadySeconds)
 * and canary with their defaults, the canary within the guardrails' bound
 * (`canaryBound`, percent of all the app's pods). Undefined when a prop is
 * reported.
 * @internal
 */
export function resolveDeployment(d: LiDeployment, canaryBound: number, v: Violations): DeploymentSpec | undefined {
  const path = pathOf(d);
  const errors = v.errorCount;
  const common = resolveCommon(d, v);
  const p = d.props;
  const replicasOk = Number.isInteger(p.replicas) && p.replicas >= 1;
  const maxSurge = maxSurgeOf(p);
  const maxUnavailable = maxUnavailableOf(p);
  if (replicasOk) {
    const problem = rolloutProblem(p.replicas, maxSurge, maxUnavailable);
    if (problem) v.error(path, 'workload.rollout', problem, "let the rollout progress: e.g. maxSurge '25%' (rounded up) with maxUnavailable 0");
  }
  const minReady = timeIn('seconds', p.minReady, p.minReadySeconds);
  if (minReady !== undefined && !(Number.isInteger(minReady) && minReady >= 0)) v.error(path, 'workload.min-ready-seconds', `minReadySeconds is ${minReady}`, 'use a whole number of seconds, 0 or more');
  if (p.canary) {
    validateVersion(path, 'canary.version', p.canary.version, v);
    for (const key of Object.keys(p.canary.config ?? {})) {
      if (!CONFIG_KEY.test(key)) v.error(path, 'workload.config.key', `canary config key '${key}' is not a valid ConfigMap key`, 'use letters, digits, \'-\', \'_\' and \'.\'');
    }
    // one canary bound, one denominator: the guardrails' share of all the app's pods
    // (the admission policy enforces the same bound in the cluster)
    if (replicasOk) {
      const problem = canaryProblem(p.replicas, p.canary, canaryBound);
      if (problem) v.error(path, 'workload.canary.bound', problem, canaryFixText(p.replicas, canaryBound));
    }
  }
  if (!common || v.errorCount > errors) return undefined;
  const canary = p.canary ? {
    name: `${p.application}-canary`,
    version: resolveVersion(p.canary.version),
    replicas: canaryPods(p.replicas, p.canary),
    // the canary's config: the stable config with the canary's values over it (none when neither has any)
    config: p.config || p.canary.config ? { ...(p.config ?? {}), ...(p.canary.config ?? {}) } : undefined,
  } : undefined;
  return { ...common, construct: d, kind: 'deployment', maxSurge, maxUnavailable, minReadySeconds: minReady ?? DEFAULT_MIN_READY_SECONDS, canary };
}

/** Resolves a LiStatefulSet: data mount path with its default, storage as MiB. Undefined when a prop is reported. @internal */
export function resolveStatefulSet(s: LiStatefulSet, v: Violations): StatefulSetSpec | undefined {
  const path = pathOf(s);
  const errors = v.errorCount;
  const common = resolveCommon(s, v);
  const p = s.props;
  if (!/^https?:\/\/[^\s/]+/.test(p.acmEndpoint)) v.error(path, 'workload.stateful.acm-endpoint', `acmEndpoint '${p.acmEndpoint}' is not an http(s) URL`, "give the shard manager's endpoint, e.g. 'https://acm.internal/clusters/kafka-tracking'");
  const dataMountPath = dataMountPathOf(p);
  if (!dataMountPath.startsWith('/') || dataMountPath === '/tmp') v.error(path, 'workload.stateful.mount-path', `dataMountPath '${dataMountPath}' must be an absolute path other than /tmp`, "use e.g. '/data'");
  let storageMiB = 0;
  try {
    storageMiB = memoryToMiB(p.storage);
    if (!(storageMiB > 0)) v.error(path, 'workload.stateful.storage', 'storage must be above zero', 'request local storage, e.g. Size.tebibytes(2)');
  } catch (e) {
    v.error(path, 'workload.stateful.storage', (e as Error).message, 'use Size.gibibytes(…)');
  }
  if (!common || v.errorCount > errors) return undefined;
  return { ...common, construct: s, kind: 'stateful', storageMiB, dataMountPath, acmEndpoint: p.acmEndpoint };
}

/** A workload's time props: each a Duration or the number prop beside it. */
function workloadTimes(w: LiWorkload): TimeProp[] {
  const out: TimeProp[] = w instanceof LiDeployment ? [timeProp('', w.props, 'minReady', 'minReadySeconds', 'seconds')] : [];
  for (const [kind, probe] of Object.entries(w.props.probes ?? {})) {
    for (const [key, numberKey] of [['initialDelay', 'initialDelaySeconds'], ['period', 'periodSeconds'], ['timeout', 'timeoutSeconds']]) {
      out.push(timeProp(`probes.${kind}.`, probe, key, numberKey, 'seconds'));
    }
  }
  return out;
}

/** Resolves every workload of the fleet (props of the right types first); those with a reported prop are left out. @internal */
export function resolveWorkloads(model: FleetModel, canaryBound: number, v: Violations): Array<DeploymentSpec | StatefulSetSpec> {
  const out: Array<DeploymentSpec | StatefulSetSpec> = [];
  for (const w of workloadsOf(model)) {
    const shape = workloadShapeProblems(w);
    for (const problem of shape) v.error(pathOf(w), 'workload.props.type', problem, 'give each prop the type its documentation states');
    if (shape.length > 0) continue;
    const times = timeProblems(workloadTimes(w));
    for (const t of times) v.error(pathOf(w), 'workload.time', t.message, t.fix);
    if (times.length > 0) continue;
    const spec = w instanceof LiDeployment ? resolveDeployment(w, canaryBound, v) : resolveStatefulSet(w, v);
    if (spec) out.push(spec);
  }
  return out;
}
