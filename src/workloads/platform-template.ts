/**
 * PlatformPodTemplate: the infrastructure part of every application pod,
 * owned by the platform team and declared once per fleet (optionally
 * overridden per cluster). Workloads merge it with the app's intent; an app
 * cannot override what the platform owns.
 */
import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { Cluster } from '../clusters/cluster';
import { timeIn } from '../core/durations';

/** Resources of a platform container: requests, with memory limit = request and CPU limit = request. */
export interface PlatformContainerResources {
  /** CPU request (and limit). */
  readonly cpu: Cpu;
  /** Memory request (and limit). */
  readonly memory: Size;
}

/** A volume mount of a platform container. */
export interface PlatformVolumeMount {
  /** Name of a volume of the template's `volumes`. */
  readonly volume: string;
  /** Absolute path in the container. */
  readonly mountPath: string;
  /** Mount read-only. @default true */
  readonly readOnly?: boolean;
}

/** An init container or sidecar the platform adds to every app pod. */
export interface PlatformContainer {
  /** Container name (DNS-1123 label), unique in the pod. */
  readonly name: string;
  /** Image with a pinned tag or digest. */
  readonly image: string;
  /** Command. @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** Arguments. @default [] */
  readonly args?: readonly string[];
  /** Environment variables. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Resources (carved out of the app's pod budget). */
  readonly resources: PlatformContainerResources;
  /** Container ports (names are platform-owned in the pod). @default [] */
  readonly ports?: ReadonlyArray<{ readonly name: string; readonly containerPort: number }>;
  /** Volume mounts. @default [] */
  readonly volumeMounts?: readonly PlatformVolumeMount[];
  /** HTTP readiness probe of a sidecar (ignored for init containers). @default - none */
  readonly readinessProbe?: { readonly path: string; readonly port: string };
}

/** A volume of every app pod. Only types the restricted Pod Security Standard allows. */
export interface PlatformVolume {
  /** Volume name (DNS-1123 label), unique in the pod. */
  readonly name: string;
  /** An emptyDir volume. @default - not an emptyDir */
  readonly emptyDir?: { readonly sizeLimit?: Size; readonly memory?: boolean };
  /** A CSI inline volume (e.g. a certificate driver). @default - not a CSI volume */
  readonly csi?: { readonly driver: string; readonly readOnly?: boolean; readonly volumeAttributes?: Readonly<Record<string, string>> };
  /** A Secret volume. @default - not a secret volume */
  readonly secret?: { readonly secretName: string };
  /** Where the app container mounts it. @default - not mounted in the app container */
  readonly appMountPath?: string;
  /** Whether the app container mounts it read-only. @default true */
  readonly appMountReadOnly?: boolean;
}

/** A PriorityClass the platform defines in every cluster that runs apps. */
export interface PlatformPriorityClass {
  /** Name (DNS-1123 subdomain, not starting with `system-`). */
  readonly name: string;
  /** Priority value (higher schedules first, may preempt lower). */
  readonly value: number;
  /** What it is for. */
  readonly description: string;
}

/** Props of {@link PlatformPodTemplate}. On a per-cluster template, every prop given replaces the fleet's. */
export interface PlatformPodTemplateProps {
  /** Image registry app images are pulled from: `<registry>/<application>:<version.app>`. @default 'registry.internal' */
  readonly registry?: string;
  /** Init containers run before the app (e.g. certificate bootstrap from the internal PKI). @default [] */
  readonly initContainers?: readonly PlatformContainer[];
  /** Sidecars beside the app (service discovery proxy, log shipping). @default [] */
  readonly sidecars?: readonly PlatformContainer[];
  /** Volumes of every pod. @default [] */
  readonly volumes?: readonly PlatformVolume[];
  /** Labels on every pod (platform-owned keys). @default {} */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Annotations on every pod (platform-owned keys). @default {} */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Environment every app container gets (platform-owned names). @default {} */
  readonly appEnv?: Readonly<Record<string, string>>;
  /** Priority classes apps may use. @default - `fleet-stateless` (100000) and `fleet-stateful` (200000) */
  readonly priorityClasses?: readonly PlatformPriorityClass[];
  /** Priority class of stateless workloads. @default 'fleet-stateless' */
  readonly statelessPriorityClass?: string;
  /** Priority class of stateful workloads. @default 'fleet-stateful' */
  readonly statefulPriorityClass?: string;
  /** User id every container runs as (non-root). @default 10001 */
  readonly runAsUser?: number;
  /** Group id of every container and of mounted volumes (fsGroup). @default 10001 */
  readonly runAsGroup?: number;
  /**
   * Largest canary, in percent.
   * @deprecated The fleet has one canary bound, `Guardrails.maxCanaryPercent`
   * (percent of all the app's pods, canary + stable; default 25). Setting this
   * to another value is a validation error (`platform-template.max-canary`),
   * setting it to the same value a warning.
   * @default - the guardrails' bound
   */
  readonly maxCanaryPercent?: number;
  /** Least CPU the app container must keep after the sidecars' share of the pod. @default 50m */
  readonly minAppCpu?: Cpu;
  /** Least memory the app container must keep after the sidecars' share of the pod. @default 64Mi */
  readonly minAppMemory?: Size;
  /** Storage class of local-SSD volumes of stateful workloads (a `no-provisioner` class the library renders). @default 'local-ssd' */
  readonly localStorageClass?: string;
  /** Directory the app's config is mounted at. @default '/etc/app/config' */
  readonly configMountPath?: string;
  /** Seconds a pod gets to stop: whole, 0 to 3600; or give `terminationGracePeriod`. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** How long a pod gets to stop: whole seconds, at most an hour; or give `terminationGracePeriodSeconds`. @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
}

/** A fully resolved platform template (every default applied). @internal */
export interface ResolvedPlatformTemplate {
  readonly registry: string;
  readonly initContainers: readonly PlatformContainer[];
  readonly sidecars: readonly PlatformContainer[];
  readonly volumes: readonly PlatformVolume[];
  readonly podLabels: Readonly<Record<string, string>>;
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly appEnv: Readonly<Record<string, string>>;
  readonly priorityClasses: readonly PlatformPriorityClass[];
  readonly statelessPriorityClass: string;
  readonly statefulPriorityClass: string;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly minAppCpu: Cpu;
  readonly minAppMemory: Size;
  readonly localStorageClass: string;
  readonly configMountPath: string;
  readonly terminationGracePeriodSeconds: number;
}

/** The default priority classes. */
export const DEFAULT_PRIORITY_CLASSES: readonly PlatformPriorityClass[] = [
  { name: 'fleet-stateless', value: 100000, description: 'Stateless application pods (LiDeployment).' },
  { name: 'fleet-stateful', value: 200000, description: 'Stateful application pods holding data shards (LiStatefulSet); scheduled before stateless pods.' },
];

/** Resolves props (a fleet template, then a cluster's override) into a complete template. @internal */
export function resolvePlatformTemplate(...layers: ReadonlyArray<PlatformPodTemplateProps | undefined>): ResolvedPlatformTemplate {
  // a layer's time is its Duration or its number: the later layer's wins, whichever form it has
  const p: PlatformPodTemplateProps = Object.assign({}, ...layers.filter(l => l !== undefined).map(l => stripUndefined({
    ...l!,
    terminationGracePeriod: undefined,
    terminationGracePeriodSeconds: timeIn('seconds', l!.terminationGracePeriod, l!.terminationGracePeriodSeconds),
  })));
  return {
    registry: p.registry ?? 'registry.internal',
    initContainers: p.initContainers ?? [],
    sidecars: p.sidecars ?? [],
    volumes: p.volumes ?? [],
    podLabels: p.podLabels ?? {},
    podAnnotations: p.podAnnotations ?? {},
    appEnv: p.appEnv ?? {},
    priorityClasses: p.priorityClasses ?? DEFAULT_PRIORITY_CLASSES,
    statelessPriorityClass: p.statelessPriorityClass ?? 'fleet-stateless',
    statefulPriorityClass: p.statefulPriorityClass ?? 'fleet-stateful',
    runAsUser: p.runAsUser ?? 10001,
    runAsGroup: p.runAsGroup ?? 10001,
    minAppCpu: p.minAppCpu ?? Cpu.millis(50),
    minAppMemory: p.minAppMemory ?? Size.mebibytes(64),
    localStorageClass: p.localStorageClass ?? 'local-ssd',
    configMountPath: p.configMountPath ?? '/etc/app/config',
    terminationGracePeriodSeconds: p.terminationGracePeriodSeconds ?? 30,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The platform's pod template. Declare it once on the fleet
 * (`new PlatformPodTemplate(fleet, 'platform', {...})`); a template declared
 * on a Cluster overrides the fleet's props for that cluster's workloads.
 */
export class PlatformPodTemplate extends Construct {
  /** The props as given. */
  public readonly props: PlatformPodTemplateProps;

  constructor(scope: Construct, id: string, props: PlatformPodTemplateProps = {}) {
    super(scope, id);
    this.props = props;
  }

  /** The cluster this template overrides, or undefined for the fleet's template. */
  public get cluster(): Cluster | undefined {
    for (let s: IConstruct | undefined = this.node.scope; s; s = s.node.scope) {
      if (s instanceof Cluster) return s as Cluster;
    }
    return undefined;
  }
}
