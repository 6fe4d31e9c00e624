/**
 * The props app developers write, shared by LiDeployment and LiStatefulSet.
 */
import { Size } from 'cdk8s';
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
  /** CPU request of the whole pod. */
  readonly cpu: Cpu;
  /** Memory of the whole pod (request and limit). */
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
  /** Seconds before the first probe. @default 0 */
  readonly initialDelaySeconds?: number;
  /** Seconds between probes. @default 10 */
  readonly periodSeconds?: number;
  /** Seconds before a probe times out. @default 2 */
  readonly timeoutSeconds?: number;
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

/** The app's budget in internal units. */
export function appBudget(r: AppResources): ResourceAmounts {
  return { cpuMillis: cpuToMillis(r.cpu), memoryMiB: memoryToMiB(r.memory), gpus: r.gpus ?? 0 };
}

/** The pod's limits in internal units. */
export function appLimits(r: AppResources): ResourceAmounts {
  return { cpuMillis: cpuToMillis(r.cpuLimit ?? r.cpu), memoryMiB: memoryToMiB(r.memory), gpus: r.gpus ?? 0 };
}
