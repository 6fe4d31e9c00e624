/**
 * The merged pod: the platform template plus the app's intent. Pure
 * functions over plain data; the constructs and the layer stay thin.
 */
import { k8s } from 'cdk8s-plus-28';
import { PlatformContainer, ResolvedPlatformTemplate } from './platform-template';
import { PodStartBudget } from './rollout';
import { AppPort, AppProbe, AppProbes, AppVersion } from './workload-props';
import { timeIn } from '../core/durations';
import { LABEL_PREFIX, Labels } from '../core/names';
import { ResourceAmounts, addResources, cpuToMillis, formatCpu, formatMemory, memoryToMiB } from '../core/resources';
import { NodeTaint } from '../machines/node-profile';

/** Release track of a workload's pods. @internal */
export type Track = 'stable' | 'canary';

/** Label keys of app pods. @internal */
export const AppLabels = {
  NAME: 'app.kubernetes.io/name',
  VERSION: 'app.kubernetes.io/version',
  PART_OF: 'app.kubernetes.io/part-of',
  COMPONENT: 'app.kubernetes.io/component',
  CONFIG_VERSION: `${LABEL_PREFIX}/config-version`,
  WORKLOAD_KIND: `${LABEL_PREFIX}/workload-kind`,
} as const;

/** Names of the volumes the library adds to every app pod. @internal */
export const LIBRARY_VOLUMES = { TMP: 'tmp', CONFIG: 'config', DATA: 'data' } as const;

/** Environment variables the library sets in every app container. @internal */
export const LIBRARY_ENV: readonly string[] = ['APP_NAME', 'APP_VERSION', 'CONFIG_VERSION', 'CONFIG_DIR', 'POD_NAME', 'POD_NAMESPACE', 'POD_IP', 'NODE_NAME'];

/** Everything the app decides about its pod. @internal */
export interface PodIntent {
  readonly application: string;
  /** The app namespace's app (part-of label). */
  readonly partOf: string;
  readonly kind: 'stateless' | 'stateful';
  readonly track: Track;
  readonly version: AppVersion;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly ports: readonly AppPort[];
  readonly probes?: AppProbes;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly priorityClass?: string;
  readonly automountServiceAccountToken: boolean;
  /** Requests of the whole pod (sidecars included). */
  readonly budget: ResourceAmounts;
  /** Limits of the whole pod (sidecars included). */
  readonly limits: ResourceAmounts;
  /** Name of the config map to mount, if any. */
  readonly configMapName?: string;
  /** Data volume (a claim template) mounted at this path, if any. */
  readonly dataMountPath?: string;
}

/** Where the pod runs. @internal */
export interface PodPlacement {
  /** Node profile name (nodeSelector). */
  readonly nodeProfile: string;
  /** Taints of the nodes it may run on (tolerated exactly). */
  readonly taints: readonly NodeTaint[];
  /** Extended resource name of GPUs. */
  readonly gpuResourceName: string;
  /** The node profile runs the static CPU manager: a Guaranteed pod's app container gets whole cores ({@link pinnedCpuSplit}). */
  readonly staticCpuManager: boolean;
}

/** Labels selecting a workload's pods (immutable). @internal */
export function selectorLabels(application: string, track: Track): Record<string, string> {
  return { [AppLabels.NAME]: application, [Labels.TRACK]: track };
}

/** Requests of one platform container. @internal */
export function containerAmounts(c: PlatformContainer): ResourceAmounts {
  return { cpuMillis: cpuToMillis(c.resources.cpu), memoryMiB: memoryToMiB(c.resources.memory), gpus: 0 };
}

/** Requests of all sidecars together. @internal */
export function sidecarAmounts(t: ResolvedPlatformTemplate): ResourceAmounts {
  return addResources(...t.sidecars.map(containerAmounts));
}

/** The app container's share of the pod budget: the budget minus the sidecars. @internal */
export function appContainerShare(
  budget: ResourceAmounts, limits: ResourceAmounts, t: ResolvedPlatformTemplate,
): { requests: ResourceAmounts; limits: ResourceAmounts } {
  const side = sidecarAmounts(t);
  return {
    requests: { cpuMillis: budget.cpuMillis - side.cpuMillis, memoryMiB: budget.memoryMiB - side.memoryMiB, gpus: budget.gpus },
    limits: { cpuMillis: limits.cpuMillis - side.cpuMillis, memoryMiB: limits.memoryMiB - side.memoryMiB, gpus: limits.gpus },
  };
}

/**
 * True when the pod is Guaranteed (CPU limit equal to its request; the memory
 * limit always equals the request) on a node whose static CPU manager pins
 * whole cores: then the app container's CPU must be whole cores.
 * @internal
 */
export function pinsCpus(budget: ResourceAmounts, limits: ResourceAmounts, staticCpuManager: boolean): boolean {
  return staticCpuManager && limits.cpuMillis === budget.cpuMillis;
}

/** How a pinned pod's CPU is split: the app's whole cores and what each sidecar gets on top of its own request. @internal */
export type PinnedCpuSplit =
  | { readonly ok: true; readonly appCpuMillis: number; readonly sidecarExtraMillis: readonly number[] }
  | { readonly ok: false; readonly problem: string; readonly fix: string };

/**
 * The CPU split of a Guaranteed pod on a static-CPU-manager node: the app
 * container's share (the budget minus the sidecars) rounded down to whole
 * cores, so the CPU manager gives it exclusive cores, and the remainder added
 * to the first sidecar (the pod's total stays the budget, so capacity and
 * quotas are unchanged). Not possible when the share is below one core, or
 * when the budget is not whole cores and there is no sidecar to take the
 * remainder: then the problem and the change that fixes it.
 * @internal
 */
export function pinnedCpuSplit(budgetCpuMillis: number, sidecarCpuMillis: readonly number[]): PinnedCpuSplit {
  const side = sidecarCpuMillis.reduce((a, b) => a + b, 0);
  const share = budgetCpuMillis - side;
  const app = Math.floor(share / 1000) * 1000;
  const rest = share - app;
  if (app < 1000) {
    return {
      ok: false,
      problem: `the app container's CPU share is ${formatCpu(Math.max(0, share))} after the sidecars' ${formatCpu(side)}: less than one whole core, so the static CPU manager pins no core to it`,
      fix: `raise resources.cpu to at least ${formatCpu(side + 1000)} (whole cores for the app plus the sidecars' ${formatCpu(side)}), or run the app on a profile without the static CPU manager`,
    };
  }
  if (rest > 0 && sidecarCpuMillis.length === 0) {
    return {
      ok: false,
      problem: `cpu ${formatCpu(budgetCpuMillis)} is not whole cores: the static CPU manager pins cores only to whole-core requests, so the app would share cores with every other pod`,
      fix: `set resources.cpu to whole cores, e.g. Cpu.units(${Math.floor(budgetCpuMillis / 1000)}) or Cpu.units(${Math.ceil(budgetCpuMillis / 1000)})`,
    };
  }
  return { ok: true, appCpuMillis: app, sidecarExtraMillis: sidecarCpuMillis.map((_, i) => (i === 0 ? rest : 0)) };
}

/**
 * Fields of the app's intent that collide with what the platform owns, as
 * messages naming the field. Empty when the app stays in its lane.
 * @internal
 */
export function platformConflicts(intent: Pick<PodIntent, 'application' | 'env' | 'ports' | 'labels' | 'annotations' | 'dataMountPath'>, t: ResolvedPlatformTemplate): string[] {
  const out: string[] = [];
  const platformEnv = new Set([...LIBRARY_ENV, ...Object.keys(t.appEnv)]);
  for (const name of Object.keys(intent.env)) {
    if (platformEnv.has(name)) out.push(`env '${name}' is set by the platform`);
  }
  for (const key of Object.keys(intent.labels)) {
    if (key in t.podLabels || key.startsWith(`${LABEL_PREFIX}/`) || key.startsWith('app.kubernetes.io/')) out.push(`pod label '${key}' is owned by the platform`);
  }
  for (const key of Object.keys(intent.annotations)) {
    if (key in t.podAnnotations || key.startsWith(`${LABEL_PREFIX}/`)) out.push(`pod annotation '${key}' is owned by the platform`);
  }
  const platformContainers = [...t.initContainers, ...t.sidecars];
  if (platformContainers.some(c => c.name === intent.application)) out.push(`container name '${intent.application}' is a platform container`);
  const sidecarPorts = t.sidecars.flatMap(c => c.ports ?? []);
  for (const p of intent.ports) {
    const clash = sidecarPorts.find(s => s.name === p.name || s.containerPort === p.port);
    if (clash) out.push(`port ${p.name}/${p.port} collides with platform sidecar port ${clash.name}/${clash.containerPort}`);
  }
  const platformMounts = t.volumes.filter(v => v.appMountPath).map(v => v.appMountPath!);
  const appMounts = ['/tmp', t.configMountPath, ...(intent.dataMountPath ? [intent.dataMountPath] : [])];
  for (const m of appMounts) {
    if (platformMounts.includes(m)) out.push(`mount path '${m}' is used by a platform volume`);
  }
  if (t.volumes.some(v => (Object.values(LIBRARY_VOLUMES) as string[]).includes(v.name))) {
    out.push(`platform volume names must not be ${Object.values(LIBRARY_VOLUMES).join(', ')} (reserved for the app)`);
  }
  return out;
}

/** Environment variables sorted by name. @internal */
export function sortedEnv(env: Readonly<Record<string, string>>): k8s.EnvVar[] {
  return Object.keys(env).sort().map(name => ({ name, value: env[name] }));
}

/** Amounts as a container's resource list (GPUs only when there are any). @internal */
export function resourceList(a: ResourceAmounts, gpuResource: string): Record<string, k8s.Quantity> {
  const out: Record<string, k8s.Quantity> = {
    cpu: k8s.Quantity.fromString(formatCpu(a.cpuMillis)),
    memory: k8s.Quantity.fromString(formatMemory(a.memoryMiB)),
  };
  if (a.gpus > 0) out[gpuResource] = k8s.Quantity.fromString(String(a.gpus));
  return out;
}

/** Tolerations of a pool's taints (each exactly: key, value and effect), so pods land on the pool they select. @internal */
export function taintTolerations(taints: readonly NodeTaint[]): k8s.Toleration[] {
  return taints.map(taint => ({ key: taint.key, operator: 'Equal', value: taint.value ?? '', effect: taint.effect }));
}

/** The pod-level security of every platform pod (restricted Pod Security: non-root, the template's user and group, RuntimeDefault seccomp). @internal */
export function restrictedPodSecurity(t: ResolvedPlatformTemplate): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: t.runAsUser,
    runAsGroup: t.runAsGroup,
    fsGroup: t.runAsGroup,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The platform template's volumes (CSI, secret or emptyDir) as pod volumes. @internal */
export function platformVolumes(t: ResolvedPlatformTemplate): k8s.Volume[] {
  return t.volumes.map((v): k8s.Volume => {
    if (v.csi) {
      const attrs = v.csi.volumeAttributes ? { volumeAttributes: { ...v.csi.volumeAttributes } } : {};
      return { name: v.name, csi: { driver: v.csi.driver, readOnly: v.csi.readOnly ?? true, ...attrs } };
    }
    if (v.secret) return { name: v.name, secret: { secretName: v.secret.secretName, defaultMode: 0o440 } };
    return {
      name: v.name,
      emptyDir: {
        ...(v.emptyDir?.memory ? { medium: 'Memory' } : {}),
        ...(v.emptyDir?.sizeLimit ? { sizeLimit: k8s.Quantity.fromString(formatMemory(memoryToMiB(v.emptyDir.sizeLimit))) } : {}),
      },
    };
  });
}

/** The restricted container security context every container gets. @internal */
export function restrictedContainerSecurity(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

/** A platform init container or sidecar, restricted, its requests equal to its limits. @internal */
export function platformContainer(c: PlatformContainer, init: boolean, extraCpuMillis = 0): k8s.Container {
  const own = containerAmounts(c);
  const amounts = { ...own, cpuMillis: own.cpuMillis + extraCpuMillis };
  const env = sortedEnv(c.env ?? {});
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    ...(c.command ? { command: [...c.command] } : {}),
    ...(c.args && c.args.length > 0 ? { args: [...c.args] } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(c.ports && c.ports.length > 0 ? { ports: c.ports.map(p => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })) } : {}),
    resources: { requests: resourceList(amounts, ''), limits: resourceList(amounts, '') },
    securityContext: restrictedContainerSecurity(),
    ...(c.volumeMounts && c.volumeMounts.length > 0 ? {
      volumeMounts: c.volumeMounts.map(m => ({ name: m.volume, mountPath: m.mountPath, readOnly: m.readOnly ?? true })),
    } : {}),
    ...(!init && c.readinessProbe ? {
      readinessProbe: {
        httpGet: { path: c.readinessProbe.path, port: k8s.IntOrString.fromString(c.readinessProbe.port) },
        periodSeconds: 10,
        timeoutSeconds: 2,
        failureThreshold: 3,
      },
    } : {}),
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

/** Default probe settings by kind. */
const PROBE_DEFAULTS = {
  readiness: { path: '/health/ready', periodSeconds: 10, failureThreshold: 3, initialDelaySeconds: 0 },
  liveness: { path: '/health/live', periodSeconds: 10, failureThreshold: 6, initialDelaySeconds: 0 },
  startup: { path: '/health/live', periodSeconds: 5, failureThreshold: 60, initialDelaySeconds: 0 },
} as const;

/** A resolved probe's timing. @internal */
export interface ProbeTiming { readonly initialDelaySeconds: number; readonly periodSeconds: number; readonly failureThreshold: number }

/** The timing of each probe, defaults applied. @internal */
export function probeTimings(probes: AppProbes | undefined): Record<keyof typeof PROBE_DEFAULTS, ProbeTiming> {
  const t = (k: keyof typeof PROBE_DEFAULTS): ProbeTiming => ({
    initialDelaySeconds: timeIn('seconds', probes?.[k]?.initialDelay, probes?.[k]?.initialDelaySeconds) ?? PROBE_DEFAULTS[k].initialDelaySeconds,
    periodSeconds: timeIn('seconds', probes?.[k]?.period, probes?.[k]?.periodSeconds) ?? PROBE_DEFAULTS[k].periodSeconds,
    failureThreshold: probes?.[k]?.failureThreshold ?? PROBE_DEFAULTS[k].failureThreshold,
  });
  return { readiness: t('readiness'), liveness: t('liveness'), startup: t('startup') };
}

/** How long one pod may take to become ready, from its probes. @internal */
export function podStartBudget(probes: AppProbes | undefined, minReadySeconds: number): PodStartBudget {
  const t = probeTimings(probes);
  return {
    startupSeconds: t.startup.initialDelaySeconds + t.startup.periodSeconds * t.startup.failureThreshold,
    readinessSeconds: t.readiness.initialDelaySeconds + t.readiness.periodSeconds,
    minReadySeconds,
  };
}

/** Why the probes cannot be built, or undefined (HTTP probes need a port). @internal */
export function probeProblem(probes: AppProbes | undefined, ports: readonly AppPort[]): string | undefined {
  for (const k of ['readiness', 'liveness', 'startup'] as const) {
    const p = probes?.[k];
    if (p?.command) continue;
    const port = p?.port;
    if (port === undefined && ports.length === 0) return `the ${k} probe is an HTTP probe but the app has no ports`;
    if (typeof port === 'string' && !ports.some(x => x.name === port)) return `the ${k} probe uses port '${port}', which the app does not declare`;
  }
  return undefined;
}

function probe(kind: keyof typeof PROBE_DEFAULTS, p: AppProbe | undefined, ports: readonly AppPort[]): k8s.Probe {
  const d = PROBE_DEFAULTS[kind];
  const timing = probeTimings({ [kind]: p })[kind];
  const port = p?.port ?? ports[0]?.name ?? 'http';
  const action: k8s.Probe = p?.command
    ? { exec: { command: [...p.command] } }
    : { httpGet: { path: p?.path ?? d.path, port: typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port), scheme: 'HTTP' } };
  return {
    ...action,
    ...(timing.initialDelaySeconds > 0 ? { initialDelaySeconds: timing.initialDelaySeconds } : {}),
    periodSeconds: timing.periodSeconds,
    timeoutSeconds: timeIn('seconds', p?.timeout, p?.timeoutSeconds) ?? 2,
    failureThreshold: timing.failureThreshold,
    successThreshold: 1,
  };
}

/** The pod template of a workload: the platform template merged with the app's intent. @internal */
export function buildPodTemplate(
  intent: PodIntent, t: ResolvedPlatformTemplate, placement: PodPlacement,
): { selector: Record<string, string>; template: k8s.PodTemplateSpec } {
  const selector = selectorLabels(intent.application, intent.track);
  const labels: Record<string, string> = {
    ...intent.labels,
    ...t.podLabels,
    ...selector,
    [AppLabels.VERSION]: intent.version.app,
    [AppLabels.PART_OF]: intent.partOf,
    [AppLabels.CONFIG_VERSION]: intent.version.config ?? intent.version.app,
    [Labels.NODE_PROFILE]: placement.nodeProfile,
  };
  const annotations: Record<string, string> = { ...intent.annotations, ...t.podAnnotations };
  const shared = appContainerShare(intent.budget, intent.limits, t);
  // on a static-CPU-manager node a Guaranteed app container gets whole cores; the remainder goes to the first sidecar
  const split = pinsCpus(intent.budget, intent.limits, placement.staticCpuManager)
    ? pinnedCpuSplit(intent.budget.cpuMillis, t.sidecars.map(c => containerAmounts(c).cpuMillis)) : undefined;
  const pinned = split?.ok ? split : undefined;
  const share = pinned ? {
    requests: { ...shared.requests, cpuMillis: pinned.appCpuMillis },
    limits: { ...shared.limits, cpuMillis: pinned.appCpuMillis },
  } : shared;
  const configVersion = intent.version.config ?? intent.version.app;
  const fieldEnv = (name: string, fieldPath: string): k8s.EnvVar => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  const libraryEnv: Record<string, string> = {
    APP_NAME: intent.application,
    APP_VERSION: intent.version.app,
    CONFIG_VERSION: configVersion,
    ...(intent.configMapName ? { CONFIG_DIR: t.configMountPath } : {}),
  };
  const env: k8s.EnvVar[] = [
    ...sortedEnv({ ...intent.env, ...t.appEnv, ...libraryEnv }),
    fieldEnv('NODE_NAME', 'spec.nodeName'),
    fieldEnv('POD_IP', 'status.podIP'),
    fieldEnv('POD_NAME', 'metadata.name'),
    fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
  ];
  const mounts: k8s.VolumeMount[] = [
    { name: LIBRARY_VOLUMES.TMP, mountPath: '/tmp' },
    ...(intent.configMapName ? [{ name: LIBRARY_VOLUMES.CONFIG, mountPath: t.configMountPath, readOnly: true }] : []),
    ...(intent.dataMountPath ? [{ name: LIBRARY_VOLUMES.DATA, mountPath: intent.dataMountPath }] : []),
    ...t.volumes.filter(v => v.appMountPath).map(v => ({ name: v.name, mountPath: v.appMountPath!, readOnly: v.appMountReadOnly ?? true })),
  ];
  const app: k8s.Container = {
    name: intent.application,
    image: intent.image,
    imagePullPolicy: 'IfNotPresent',
    ...(intent.command ? { command: [...intent.command] } : {}),
    ...(intent.args && intent.args.length > 0 ? { args: [...intent.args] } : {}),
    env,
    ...(intent.ports.length > 0 ? { ports: intent.ports.map(p => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })) } : {}),
    resources: { requests: resourceList(share.requests, placement.gpuResourceName), limits: resourceList(share.limits, placement.gpuResourceName) },
    securityContext: restrictedContainerSecurity(),
    startupProbe: probe('startup', intent.probes?.startup, intent.ports),
    readinessProbe: probe('readiness', intent.probes?.readiness, intent.ports),
    livenessProbe: probe('liveness', intent.probes?.liveness, intent.ports),
    volumeMounts: mounts,
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  const volumes: k8s.Volume[] = [
    { name: LIBRARY_VOLUMES.TMP, emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
    ...(intent.configMapName ? [{ name: LIBRARY_VOLUMES.CONFIG, configMap: { name: intent.configMapName, defaultMode: 0o444 } }] : []),
    ...platformVolumes(t),
  ];
  const spread = (key: string, hard: boolean): k8s.TopologySpreadConstraint => ({
    maxSkew: 1,
    topologyKey: key,
    whenUnsatisfiable: hard ? 'DoNotSchedule' : 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selector } },
    nodeAffinityPolicy: 'Honor',
    // cordoned nodes (a maintenance zone being drained) carry a NoSchedule taint:
    // honoring taints keeps a drained zone from blocking the spread
    nodeTaintsPolicy: 'Honor',
  });
  const tolerations = taintTolerations(placement.taints);
  const priorityClassName = intent.priorityClass ?? (intent.kind === 'stateful' ? t.statefulPriorityClass : t.statelessPriorityClass);
  return {
    selector,
    template: {
      metadata: { labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
      spec: {
        serviceAccountName: intent.application,
        automountServiceAccountToken: intent.automountServiceAccountToken,
        enableServiceLinks: false,
        priorityClassName,
        nodeSelector: { [Labels.NODE_PROFILE]: placement.nodeProfile },
        ...(tolerations.length > 0 ? { tolerations } : {}),
        topologySpreadConstraints: [
          spread(Labels.MAINTENANCE_ZONE, true),
          // shards of a stateful app must never share a host; stateless pods prefer not to
          spread('kubernetes.io/hostname', intent.kind === 'stateful'),
        ],
        securityContext: restrictedPodSecurity(t),
        terminationGracePeriodSeconds: t.terminationGracePeriodSeconds,
        ...(t.initContainers.length > 0 ? { initContainers: t.initContainers.map(c => platformContainer(c, true)) } : {}),
        containers: [app, ...t.sidecars.map((c, i) => platformContainer(c, false, pinned?.sidecarExtraMillis[i] ?? 0))],
        volumes,
      },
    },
  };
}
