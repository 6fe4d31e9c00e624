/**
 * LiStatefulSet: an in-house data system (Kafka-, Pinot-like) whose pods hold
 * different shards on local SSDs. Evictions and restarts are coordinated by
 * the stateful operator with the shard manager, never by a
 * PodDisruptionBudget.
 */
import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { AppPort, AppProbes, AppResources, AppVersion, appBudget, appLimits } from './workload-props';
import { INamespacedWorkload, WorkloadDemand } from '../core/workload';

/** Props of {@link LiStatefulSet}. */
export interface LiStatefulSetProps {
  /** Application name (DNS-1123 label, at most 52 characters). */
  readonly application: string;
  /** Version of the app (image tag) and its config. */
  readonly version: AppVersion;
  /** Replicas (shard hosts), at least 1. */
  readonly replicas: number;
  /** The pod's compute budget (sidecars included). */
  readonly resources: AppResources;
  /** Local SSD storage per replica (a PersistentVolumeClaim on the local storage class). */
  readonly storage: Size;
  /** Where the data is mounted in the app container. @default '/data' */
  readonly dataMountPath?: string;
  /**
   * Endpoint of the shard manager (ACM) the stateful operator asks before it
   * moves a pod, e.g. `https://acm.internal/clusters/kafka-tracking`.
   */
  readonly acmEndpoint: string;
  /** Ports the app serves. @default [{ name: 'http', port: 8080 }] */
  readonly ports?: readonly AppPort[];
  /** Environment variables of the app container. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Config values, mounted from an immutable ConfigMap named after their hash. @default - no config */
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
  /** Priority class (one of the platform's). @default - the platform's stateful class */
  readonly priorityClass?: string;
  /** Mount a service account token. @default false */
  readonly automountServiceAccountToken?: boolean;
}

/** Default data mount path of a LiStatefulSet. */
export const DEFAULT_DATA_MOUNT_PATH = '/data';

/**
 * A shard-managed stateful application: a StatefulSet (OpenKruise Advanced
 * StatefulSet where declared) on local SSD, a headless Service and the
 * LiStatefulSet custom resource the stateful operator reconciles. Create it
 * as a child of an AppNamespace on a node profile with local SSD.
 */
export class LiStatefulSet extends Construct implements INamespacedWorkload {
  /** The props as given. */
  public readonly props: LiStatefulSetProps;

  constructor(scope: Construct, id: string, props: LiStatefulSetProps) {
    super(scope, id);
    this.props = props;
  }

  /** Application name. */
  public get application(): string {
    return this.props.application;
  }

  /** What the workload asks of its cluster (no surge: pods are replaced one at a time by the operator). */
  public get workloadDemand(): WorkloadDemand {
    return {
      pods: Math.max(0, this.props.replicas),
      podRequests: appBudget(this.props.resources),
      podLimits: appLimits(this.props.resources),
      surgePods: 0,
    };
  }
}
