/**
 * The props app developers write, shared by LiDeployment and LiStatefulSet.
 */
import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ResourceAmounts, cpuToMillis, memoryToMiB } from '../core/resources';

/** What version of the app and of its config runs. */
export interface AppVersion {
  /** Version of the app: the image tag (`1.42.0`). */
  readonly app: string;
  /** Version of the app's config, recorded on the pods. @default - the app version */
  readonly config?: string;
}

/**
 * The pod's compute budget. The platform's sidecars and init containers are
 * carved out of it; the app container gets the rest. Memory limit = request.
 */
export interface AppResources {
  /** CPU request of the whole pod: positive, at most `MAX_CPU_MILLIS`. */
  readonly cpu: Cpu;
  /** Memory of the whole pod (request and limit): positive, at most `MAX_MEMORY_MIB`. */
  readonly memory: Size;
  /** CPU limit of the whole pod. @default - equal to `cpu` (Guaranteed QoS) */
  readonly cpuLimit?: Cpu;
  /** Whole GPUs for the app container (the node profile's GPU resource). @default 0 */
  readonly gpus?: number;
}

/** A port the app serves. */
export interface AppPort {
  /** Port name (IANA service name: at most 15 lower-case characters). */
  readonly name: string;
  /** Container port (also the Service port). */
  readonly port: number;
}

/** An HTTP or command probe. */
export interface AppProbe {
  /** HTTP path to GET. @default - the platform's default path for the probe */
  readonly path?: string;
  /** Port name or number to probe. @default - the first port */
  readonly port?: string | number;
  /** Run this command instead of an HTTP GET. @default - HTTP GET */
  readonly command?: readonly string[];
  /** Seconds before the first probe (whole); or give `initialDelay`. @default 0 */
  readonly initialDelaySeconds?: number;
  /** Time before the first probe: whole seconds; or give `initialDelaySeconds`. @default - none */
  readonly initialDelay?: Duration;
  /** Seconds between probes (whole); or give `period`. @default 10 (startup: 5) */
  readonly periodSeconds?: number;
  /** Time between probes: whole seconds; or give `periodSeconds`. @default Duration.seconds(10) (startup: 5 seconds) */
  readonly period?: Duration;
  /** Seconds before a probe times out (whole); or give `timeout`. @default 2 */
  readonly timeoutSeconds?: number;
  /** Time before a probe times out: whole seconds; or give `timeoutSeconds`. @default Duration.seconds(2) */
  readonly timeout?: Duration;
  /** Consecutive failures before the probe fails. @default 3 (liveness: 6) */
  readonly failureThreshold?: number;
}

/** Probe overrides; anything not given keeps the platform default. */
export interface AppProbes {
  /** Readiness probe. @default - HTTP GET /health/ready on the first port */
  readonly readiness?: AppProbe;
  /** Liveness probe. @default - HTTP GET /health/live on the first port */
  readonly liveness?: AppProbe;
  /** Startup probe: how long the app may take to start. @default - HTTP GET /health/live, every 5s, up to 5 minutes */
  readonly startup?: AppProbe;
}

/** What every app workload (LiDeployment, LiStatefulSet) declares: the app developer's intent. */
export interface LiWorkloadProps {
  /** Application name (DNS-1123 label, at most 52 characters): names the workload, Service and ServiceAccount. */
  readonly application: string;
  /** Version of the app (image tag) and its config. */
  readonly version: AppVersion;
  /** Replicas (stable replicas of a LiDeployment, shard hosts of a LiStatefulSet): a whole number from 1 to `MAX_WORKLOAD_REPLICAS` (100,000). */
  readonly replicas: number;
  /** The pod's compute budget (sidecars included). */
  readonly resources: AppResources;
  /** Ports the app serves (and its Service exposes). @default [{ name: 'http', port: 8080 }] */
  readonly ports?: readonly AppPort[];
  /** Environment variables of the app container. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Config values, mounted as files from an immutable ConfigMap named after their hash. @default - no config */
  readonly config?: Readonly<Record<string, string>>;
  /** Probe overrides. @default - the platform's HTTP probes on the first port */
  readonly probes?: AppProbes;
  /** Full image reference with a pinned tag or digest. @default - `<registry>/<application>:<version.app>` */
  readonly image?: string;
  /** Command. @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** Arguments. @default [] */
  readonly args?: readonly string[];
  /** Extra pod labels (keys must not be platform-owned). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra pod annotations (keys must not be platform-owned). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Priority class (one of the platform's). @default - the platform's stateless class for a LiDeployment, its stateful class for a LiStatefulSet */
  readonly priorityClass?: string;
  /** Mount a service account token (only apps that call the Kubernetes API need one). @default false */
  readonly automountServiceAccountToken?: boolean;
}

/** The app's budget in internal units. @internal */
export function appBudget(r: AppResources): ResourceAmounts {
  return { cpuMillis: cpuToMillis(r.cpu), memoryMiB: memoryToMiB(r.memory), gpus: r.gpus ?? 0 };
}

/** The pod's limits in internal units. @internal */
export function appLimits(r: AppResources): ResourceAmounts {
  return { cpuMillis: cpuToMillis(r.cpuLimit ?? r.cpu), memoryMiB: memoryToMiB(r.memory), gpus: r.gpus ?? 0 };
}
