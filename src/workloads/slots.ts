/**
 * What the workloads layer publishes to the layers above it (the guardrails):
 * every workload and platform pod template, resolved once (`spec.workloads`).
 */
import { LiDeployment } from './li-deployment';
import { LiStatefulSet } from './li-stateful-set';
import { PlatformPodTemplate, ResolvedPlatformTemplate } from './platform-template';
import { PodCountOrPercent } from './rollout';
import { AppPort, AppProbes } from './workload-props';
import { Cluster } from '../clusters/cluster';
import { ResourceAmounts } from '../core/resources';
import { LayerSlots, Stacked } from '../synth/layer';
import { AppNamespace } from '../tenancy/app-namespace';
import { TenancyStack } from '../tenancy/slots';

/** A version with its config version resolved (the app version unless given). @internal */
export interface ResolvedVersion {
  /** Version of the app: the image tag. */
  readonly app: string;
  /** Version of the app's config. */
  readonly config: string;
}

/** What both workload kinds resolve to: the props, every default applied once. @internal */
export interface WorkloadSpec {
  /** `deployment` (LiDeployment) or `stateful` (LiStatefulSet). */
  readonly kind: 'deployment' | 'stateful';
  /** The construct (the source of what is rendered from it). */
  readonly construct: LiDeployment | LiStatefulSet;
  /** Its construct path. */
  readonly path: string;
  /** The app namespace it belongs to. */
  readonly namespace: AppNamespace;
  /** Application name. */
  readonly application: string;
  /** Version, config version defaulted. */
  readonly version: ResolvedVersion;
  /** Replicas (stable replicas of a LiDeployment). */
  readonly replicas: number;
  /** The pod's requests (sidecars included), in millicores, MiB and GPUs. */
  readonly budget: ResourceAmounts;
  /** The pod's limits, in millicores, MiB and GPUs. */
  readonly limits: ResourceAmounts;
  /** Ports, the default applied. */
  readonly ports: readonly AppPort[];
  /** Environment variables of the app container. */
  readonly env: Readonly<Record<string, string>>;
  /** Config values; undefined when the app has no config. */
  readonly config?: Readonly<Record<string, string>>;
  /** Probe overrides as given (the platform's defaults fill the rest). */
  readonly probes?: AppProbes;
  /** Explicit image; undefined for `<registry>/<application>:<version>`. */
  readonly image?: string;
  /** Command; undefined for the image's entrypoint. */
  readonly command?: readonly string[];
  /** Arguments; undefined for none. */
  readonly args?: readonly string[];
  /** Extra pod labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Extra pod annotations. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Priority class; undefined for the platform's class of the kind. */
  readonly priorityClass?: string;
  /** Mount a service account token. */
  readonly automountServiceAccountToken: boolean;
}

/** A LiDeployment's canary, resolved. @internal */
export interface CanarySpec {
  /** The canary workload's name: `<application>-canary`. */
  readonly name: string;
  /** The canary's version, config version defaulted. */
  readonly version: ResolvedVersion;
  /** Canary pods. */
  readonly replicas: number;
  /** Its config: the stable config with the canary's values over it; undefined when neither has any. */
  readonly config?: Readonly<Record<string, string>>;
}

/** A resolved LiDeployment. @internal */
export interface DeploymentSpec extends WorkloadSpec {
  /** A LiDeployment. */
  readonly kind: 'deployment';
  /** The construct. */
  readonly construct: LiDeployment;
  /** Extra pods during a rollout (default applied). */
  readonly maxSurge: PodCountOrPercent;
  /** Pods that may be unavailable during a rollout (default applied). */
  readonly maxUnavailable: PodCountOrPercent;
  /** Seconds a new pod must be ready before it counts as available (default applied). */
  readonly minReadySeconds: number;
  /** The canary, if any. */
  readonly canary?: CanarySpec;
}

/** A resolved LiStatefulSet. @internal */
export interface StatefulSetSpec extends WorkloadSpec {
  /** A LiStatefulSet. */
  readonly kind: 'stateful';
  /** The construct. */
  readonly construct: LiStatefulSet;
  /** Local SSD storage per replica, in MiB. */
  readonly storageMiB: number;
  /** Where the data is mounted in the app container (default applied). */
  readonly dataMountPath: string;
  /** The shard manager's endpoint. */
  readonly acmEndpoint: string;
}

/** The platform pod templates, resolved: the fleet's, and the one of each cluster. @internal */
export interface PlatformTemplateSpecs {
  /** The fleet's template (defaults applied). */
  readonly fleet: ResolvedPlatformTemplate;
  /** Each cluster's template: the fleet's overridden by the cluster's own. */
  readonly byCluster: ReadonlyMap<Cluster, ResolvedPlatformTemplate>;
  /** The template construct that applies to each cluster (the cluster's own, else the fleet's), where one is declared. */
  readonly sources: ReadonlyMap<Cluster, PlatformPodTemplate>;
}

/** The workloads layer's resolved specs. @internal */
export interface WorkloadsSpec {
  /** Every workload whose props are valid, in tree order per kind (LiDeployments first). */
  readonly workloads: ReadonlyArray<DeploymentSpec | StatefulSetSpec>;
  /** The platform pod templates; undefined when a template's props have the wrong types. */
  readonly templates?: PlatformTemplateSpecs;
}

/** The workloads layer's slots. @internal */
export interface WorkloadsSlots extends LayerSlots {
  /** Resolved specs of the workloads layer. */
  readonly spec: { readonly workloads: WorkloadsSpec };
  /** Decisions of the workloads layer. */
  readonly plan: {};
}

/** Everything the guardrails read of the workloads layer and below it. @internal */
export type WorkloadsStack = Stacked<TenancyStack, WorkloadsSlots>;
