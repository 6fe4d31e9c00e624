/**
 * Rendering of workloads into plain Kubernetes objects (and OpenKruise
 * objects on clusters that declare it). Pure: every input is passed in, the
 * workloads as resolved specs (every default applied once, in `resolve.ts`).
 */
import { k8s } from 'cdk8s-plus-28';
import { configMapName } from './config-hash';
import { SHARD_MANAGER_COORDINATED } from './crds';
import { PlatformPriorityClass, ResolvedPlatformTemplate } from './platform-template';
import { AppLabels, LIBRARY_VOLUMES, PodIntent, PodPlacement, Track, buildPodTemplate, podStartBudget } from './pod';
import { RolloutPlan, planRollout } from './rollout';
import { DeploymentSpec, StatefulSetSpec, WorkloadSpec } from './slots';
import { AppVersion } from './workload-props';
import { LABEL_PREFIX, Labels } from '../core/names';
import { formatCpu, formatMemory } from '../core/resources';
import { OPENKRUISE_GROUP, apiVersionOf, workloadKind } from '../core/workload-kinds';
import { FLEET_API_VERSION } from '../crds/pools';
import { KubeObject } from '../synth/context';

/** API version of OpenKruise CloneSet (`apps.kruise.io/v1alpha1`, from the workload-kind table). @internal */
export const CLONESET_API_VERSION = apiVersionOf(workloadKind(OPENKRUISE_GROUP, 'CloneSet')!);
/** API version of OpenKruise Advanced StatefulSet (`apps.kruise.io/v1beta1`, from the workload-kind table). @internal */
export const ADVANCED_STATEFULSET_API_VERSION = apiVersionOf(workloadKind(OPENKRUISE_GROUP, 'StatefulSet')!);

/** Annotation on stateful objects naming who coordinates their disruptions. @internal */
export const DISRUPTION_POLICY_ANNOTATION = `${LABEL_PREFIX}/disruption-policy`;
/** Annotation on stateful objects explaining their PodDisruptionBudget (no voluntary eviction: drains wait for the stateful operator). @internal */
export const PDB_ANNOTATION = `${LABEL_PREFIX}/pod-disruption-budget`;
/** Annotation on stateful objects naming the shard manager endpoint. @internal */
export const SHARD_MANAGER_ANNOTATION = `${LABEL_PREFIX}/shard-manager`;

/** Minimal OpenKruise CloneSet (apps.kruise.io/v1alpha1), the fields the library sets. @internal */
export interface CloneSet extends KubeObject {
  readonly spec: {
    readonly replicas: number;
    readonly selector: k8s.LabelSelector;
    readonly template: Record<string, unknown>;
    readonly minReadySeconds: number;
    readonly progressDeadlineSeconds: number;
    readonly revisionHistoryLimit: number;
    readonly updateStrategy: { readonly type: 'ReCreate' | 'InPlaceIfPossible' | 'InPlaceOnly'; readonly maxSurge: number; readonly maxUnavailable: number };
  };
}

/** Minimal OpenKruise Advanced StatefulSet (apps.kruise.io/v1beta1), the fields the library sets. @internal */
export interface AdvancedStatefulSet extends KubeObject {
  readonly spec: {
    readonly replicas: number;
    readonly serviceName: string;
    readonly selector: k8s.LabelSelector;
    readonly podManagementPolicy: 'OrderedReady' | 'Parallel';
    readonly template: Record<string, unknown>;
    readonly volumeClaimTemplates: Array<Record<string, unknown>>;
    readonly updateStrategy: { readonly type: 'RollingUpdate' | 'OnDelete' };
    readonly persistentVolumeClaimRetentionPolicy: { readonly whenDeleted: 'Retain' | 'Delete'; readonly whenScaled: 'Retain' | 'Delete' };
    readonly revisionHistoryLimit: number;
  };
}

/** Where and how a workload renders. @internal */
export interface WorkloadTarget {
  /** Namespace name. */
  readonly namespace: string;
  /** The app namespace's app name. */
  readonly partOf: string;
  /** Whether the cluster runs OpenKruise. */
  readonly openKruise: boolean;
  /** The platform template for the cluster. */
  readonly template: ResolvedPlatformTemplate;
  /** Node placement. */
  readonly placement: PodPlacement;
}

/** The image of a version: the explicit image (its tag replaced for another version), or `<registry>/<app>:<version>`. @internal */
export function imageFor(application: string, image: string | undefined, version: AppVersion, registry: string, replaceTag: boolean): string {
  if (!image) return `${registry}/${application}:${version.app}`;
  if (!replaceTag) return image;
  const at = image.indexOf('@');
  const base = at >= 0 ? image.slice(0, at) : image;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  const repo = colon > slash ? base.slice(0, colon) : base;
  return `${repo}:${version.app}`;
}

function objectLabels(application: string, partOf: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [AppLabels.NAME]: application, [AppLabels.PART_OF]: partOf, ...extra };
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(r).sort().map(k => [k, r[k]]));
}

/** Formats a storage size: `Ti` when whole, else as memory (`Gi`/`Mi`). @internal */
export function formatStorage(mib: number): string {
  return mib % (1024 * 1024) === 0 ? `${mib / (1024 * 1024)}Ti` : formatMemory(mib);
}

/** The immutable ConfigMap of config values. @internal */
export function renderConfigMap(
  application: string, namespace: string, partOf: string, data: Readonly<Record<string, string>>, configVersion: string,
): KubeObject {
  return k8s.KubeConfigMap.manifest({
    metadata: {
      name: configMapName(application, data),
      namespace,
      labels: objectLabels(application, partOf, { [AppLabels.CONFIG_VERSION]: configVersion }),
    },
    immutable: true,
    data: sortedRecord(data),
  }) as KubeObject;
}

/** The ServiceAccount of an app: no token unless asked. @internal */
export function renderServiceAccount(application: string, namespace: string, partOf: string, automount: boolean): KubeObject {
  return k8s.KubeServiceAccount.manifest({
    metadata: { name: application, namespace, labels: objectLabels(application, partOf) },
    automountServiceAccountToken: automount,
  }) as KubeObject;
}

/** A PriorityClass of the platform. @internal */
export function renderPriorityClass(pc: PlatformPriorityClass): KubeObject {
  return k8s.KubePriorityClass.manifest({
    metadata: { name: pc.name },
    value: pc.value,
    globalDefault: false,
    preemptionPolicy: 'PreemptLowerPriority',
    description: pc.description,
  }) as KubeObject;
}

/** The local-SSD storage class (statically provisioned local volumes, bound where the pod is scheduled). @internal */
export function renderLocalStorageClass(name: string): KubeObject {
  return k8s.KubeStorageClass.manifest({
    metadata: { name, annotations: { 'fleet.cdk8s.io/description': 'Local SSD volumes discovered by the local-volume provisioner; bound when the pod is scheduled.' } },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'WaitForFirstConsumer',
    reclaimPolicy: 'Retain',
    allowVolumeExpansion: false,
  }) as KubeObject;
}

interface TrackSpec {
  readonly track: Track;
  readonly name: string;
  readonly replicas: number;
  readonly version: AppVersion;
  readonly image: string;
  readonly config?: Readonly<Record<string, string>>;
}

/** What every pod of an app takes from the spec both workload kinds share. */
function appPodIntent(w: WorkloadSpec, partOf: string) {
  return {
    application: w.application,
    partOf,
    command: w.command,
    args: w.args,
    env: w.env,
    probes: w.probes,
    labels: w.labels,
    priorityClass: w.priorityClass,
    automountServiceAccountToken: w.automountServiceAccountToken,
    budget: w.budget,
    limits: w.limits,
    ports: w.ports,
  };
}

/** The tracks of a LiDeployment: stable, and canary when set. @internal */
export function deploymentTracks(d: DeploymentSpec, registry: string): TrackSpec[] {
  const out: TrackSpec[] = [{
    track: 'stable',
    name: d.application,
    replicas: d.replicas,
    version: d.version,
    image: imageFor(d.application, d.image, d.version, registry, false),
    config: d.config,
  }];
  if (d.canary) {
    out.push({
      track: 'canary',
      name: d.canary.name,
      replicas: d.canary.replicas,
      version: d.canary.version,
      image: imageFor(d.application, d.image, d.canary.version, registry, true),
      config: d.canary.config,
    });
  }
  return out;
}

/** The rollout of one track of a LiDeployment. @internal */
export function deploymentRollout(d: DeploymentSpec, replicas: number): RolloutPlan {
  return planRollout(replicas, d.maxSurge, d.maxUnavailable, podStartBudget(d.probes, d.minReadySeconds));
}

/** Every object of a LiDeployment in its cluster. @internal */
export function renderLiDeployment(d: DeploymentSpec, target: WorkloadTarget): KubeObject[] {
  const p = d;
  const { namespace, partOf, template } = target;
  const out: KubeObject[] = [renderServiceAccount(p.application, namespace, partOf, p.automountServiceAccountToken)];
  const configMaps = new Set<string>();
  const refs: Record<Track, { apiVersion: string; kind: string; name: string } | undefined> = { stable: undefined, canary: undefined };
  const rollouts: Record<Track, RolloutPlan | undefined> = { stable: undefined, canary: undefined };
  const minReadySeconds = d.minReadySeconds;

  for (const t of deploymentTracks(d, template.registry)) {
    const configVersion = t.version.config!;
    let cmName: string | undefined;
    if (t.config) {
      cmName = configMapName(p.application, t.config);
      if (!configMaps.has(cmName)) {
        configMaps.add(cmName);
        out.push(renderConfigMap(p.application, namespace, partOf, t.config, configVersion));
      }
    }
    const intent: PodIntent = {
      ...appPodIntent(d, partOf),
      kind: 'stateless',
      track: t.track,
      version: t.version,
      image: t.image,
      annotations: d.annotations,
      configMapName: cmName,
    };
    const pod = buildPodTemplate(intent, template, target.placement);
    const rollout = deploymentRollout(d, t.replicas);
    rollouts[t.track] = rollout;
    const labels = objectLabels(p.application, partOf, { [Labels.TRACK]: t.track, [AppLabels.VERSION]: t.version.app });
    const metadata = { name: t.name, namespace, labels };
    if (target.openKruise) {
      const cs: CloneSet = {
        apiVersion: CLONESET_API_VERSION,
        kind: 'CloneSet',
        metadata,
        spec: {
          replicas: t.replicas,
          selector: { matchLabels: pod.selector },
          template: k8s.toJson_PodTemplateSpec(pod.template)!,
          minReadySeconds,
          progressDeadlineSeconds: rollout.progressDeadlineSeconds,
          revisionHistoryLimit: 5,
          updateStrategy: { type: 'InPlaceIfPossible', maxSurge: rollout.maxSurge, maxUnavailable: rollout.maxUnavailable },
        },
      };
      out.push(cs);
      refs[t.track] = { apiVersion: CLONESET_API_VERSION, kind: 'CloneSet', name: t.name };
    } else {
      out.push(k8s.KubeDeployment.manifest({
        metadata,
        spec: {
          replicas: t.replicas,
          selector: { matchLabels: pod.selector },
          minReadySeconds,
          progressDeadlineSeconds: rollout.progressDeadlineSeconds,
          revisionHistoryLimit: 5,
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: {
              maxSurge: k8s.IntOrString.fromNumber(rollout.maxSurge),
              maxUnavailable: k8s.IntOrString.fromNumber(rollout.maxUnavailable),
            },
          },
          template: pod.template,
        },
      }) as KubeObject);
      refs[t.track] = { apiVersion: 'apps/v1', kind: 'Deployment', name: t.name };
    }
    out.push(k8s.KubePodDisruptionBudget.manifest({
      metadata: { name: t.name, namespace, labels: objectLabels(p.application, partOf, { [Labels.TRACK]: t.track }) },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(rollout.disruptionBudget),
        selector: { matchLabels: pod.selector },
        // a crash-looping pod must never block a node drain
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    }) as KubeObject);
  }

  if (d.ports.length > 0) {
    out.push(k8s.KubeService.manifest({
      metadata: { name: p.application, namespace, labels: objectLabels(p.application, partOf) },
      spec: {
        type: 'ClusterIP',
        // stable and canary pods both serve traffic, in proportion to their pods
        selector: { [AppLabels.NAME]: p.application },
        ports: d.ports.map(port => ({ name: port.name, port: port.port, targetPort: k8s.IntOrString.fromString(port.name), protocol: 'TCP' })),
      },
    }) as KubeObject);
  }

  const stableRollout = rollouts.stable!;
  const stableConfig = p.config ? configMapName(p.application, p.config) : undefined;
  out.push({
    apiVersion: FLEET_API_VERSION,
    kind: 'LiDeployment',
    metadata: { name: p.application, namespace, labels: objectLabels(p.application, partOf) },
    spec: {
      application: p.application,
      version: { app: p.version.app, config: p.version.config },
      replicas: p.replicas,
      resources: resourcesRecord(p),
      ...(p.canary ? {
        canary: {
          replicas: p.canary.replicas,
          version: { app: p.canary.version.app, config: p.canary.version.config },
          workload: refs.canary,
        },
      } : {}),
      ports: d.ports.map(x => ({ name: x.name, port: x.port })),
      ...(stableConfig ? { configMap: stableConfig } : {}),
      workload: refs.stable,
      maxSurge: stableRollout.maxSurge,
      maxUnavailable: stableRollout.maxUnavailable,
    },
  });
  return out;
}

/** The pod's resources as the custom resources record them. */
function resourcesRecord(w: WorkloadSpec): Record<string, unknown> {
  return {
    cpu: formatCpu(w.budget.cpuMillis),
    memory: formatMemory(w.budget.memoryMiB),
    cpuLimit: formatCpu(w.limits.cpuMillis),
    ...(w.budget.gpus ? { gpus: w.budget.gpus } : {}),
  };
}

/** Every object of a LiStatefulSet in its cluster. @internal */
export function renderLiStatefulSet(s: StatefulSetSpec, target: WorkloadTarget): KubeObject[] {
  const p = s;
  const { namespace, partOf, template } = target;
  const ports = s.ports;
  const dataMountPath = s.dataMountPath;
  const configVersion = p.version.config;
  const out: KubeObject[] = [renderServiceAccount(p.application, namespace, partOf, p.automountServiceAccountToken)];
  const cmName = p.config ? configMapName(p.application, p.config) : undefined;
  if (p.config) out.push(renderConfigMap(p.application, namespace, partOf, p.config, configVersion));

  const disruption = {
    [DISRUPTION_POLICY_ANNOTATION]: SHARD_MANAGER_COORDINATED,
    [PDB_ANNOTATION]: 'maxUnavailable 0: no eviction through the API (kubectl drain, the eviction API) moves a shard; a drain waits until the stateful operator, once the shard manager agrees, deletes the pod itself',
    [SHARD_MANAGER_ANNOTATION]: p.acmEndpoint,
  };
  const intent: PodIntent = {
    ...appPodIntent(s, partOf),
    kind: 'stateful',
    track: 'stable',
    version: p.version,
    image: imageFor(p.application, p.image, p.version, template.registry, false),
    annotations: { ...p.annotations, [DISRUPTION_POLICY_ANNOTATION]: SHARD_MANAGER_COORDINATED },
    configMapName: cmName,
    dataMountPath,
  };
  const pod = buildPodTemplate(intent, template, target.placement);
  const serviceName = p.application;
  const claim: k8s.KubePersistentVolumeClaimProps = {
    metadata: { name: LIBRARY_VOLUMES.DATA, labels: { ...pod.selector } },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: template.localStorageClass,
      volumeMode: 'Filesystem',
      resources: { requests: { storage: k8s.Quantity.fromString(formatStorage(s.storageMiB)) } },
    },
  };
  const metadata = {
    name: p.application,
    namespace,
    labels: objectLabels(p.application, partOf, { [Labels.TRACK]: 'stable', [AppLabels.VERSION]: p.version.app }),
    annotations: disruption,
  };
  const retention = { whenDeleted: 'Retain', whenScaled: 'Retain' } as const;
  let ref: { apiVersion: string; kind: string; name: string };
  if (target.openKruise) {
    const asts: AdvancedStatefulSet = {
      apiVersion: ADVANCED_STATEFULSET_API_VERSION,
      kind: 'StatefulSet',
      metadata,
      spec: {
        replicas: p.replicas,
        serviceName,
        selector: { matchLabels: pod.selector },
        podManagementPolicy: 'Parallel',
        template: k8s.toJson_PodTemplateSpec(pod.template)!,
        volumeClaimTemplates: [k8s.toJson_KubePersistentVolumeClaimProps(claim)!],
        updateStrategy: { type: 'OnDelete' },
        persistentVolumeClaimRetentionPolicy: retention,
        revisionHistoryLimit: 5,
      },
    };
    out.push(asts);
    ref = { apiVersion: ADVANCED_STATEFULSET_API_VERSION, kind: 'StatefulSet', name: p.application };
  } else {
    out.push(k8s.KubeStatefulSet.manifest({
      metadata,
      spec: {
        replicas: p.replicas,
        serviceName,
        selector: { matchLabels: pod.selector },
        // pods hold different shards: the operator replaces them one by one once the shard manager agrees
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'OnDelete' },
        persistentVolumeClaimRetentionPolicy: retention,
        revisionHistoryLimit: 5,
        template: pod.template,
        volumeClaimTemplates: [claim],
      },
    }) as KubeObject);
    ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: p.application };
  }
  out.push(k8s.KubeService.manifest({
    metadata: { name: serviceName, namespace, labels: objectLabels(p.application, partOf) },
    spec: {
      clusterIp: 'None',
      // peers and the shard manager address pods by name, ready or not
      publishNotReadyAddresses: true,
      selector: { ...pod.selector },
      ports: ports.map(port => ({ name: port.name, port: port.port, targetPort: k8s.IntOrString.fromString(port.name), protocol: 'TCP' })),
    },
  }) as KubeObject);
  // Voluntary evictions of shard holders go through the stateful operator: the
  // budget allows none, so a drain (or any other actor using the eviction API)
  // waits on the pod while the operator asks the shard manager and, once it
  // agrees, deletes the pod (a deletion is not an eviction, the budget does not
  // stop it). Unhealthy pods are held too: they may still hold the last copy.
  out.push(k8s.KubePodDisruptionBudget.manifest({
    metadata: {
      name: p.application, namespace, labels: objectLabels(p.application, partOf), annotations: { [PDB_ANNOTATION]: disruption[PDB_ANNOTATION] },
    },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(0),
      selector: { matchLabels: { ...pod.selector } },
      unhealthyPodEvictionPolicy: 'IfHealthyBudget',
    },
  }) as KubeObject);
  out.push({
    apiVersion: FLEET_API_VERSION,
    kind: 'LiStatefulSet',
    metadata: { name: p.application, namespace, labels: objectLabels(p.application, partOf), annotations: disruption },
    spec: {
      application: p.application,
      version: { app: p.version.app, config: configVersion },
      replicas: p.replicas,
      resources: resourcesRecord(p),
      storage: { size: formatStorage(s.storageMiB), storageClassName: template.localStorageClass, mountPath: dataMountPath },
      acmEndpoint: p.acmEndpoint,
      serviceName,
      workload: ref,
      disruption: { policy: SHARD_MANAGER_COORDINATED, podDisruptionBudget: true, maxUnavailable: 0 },
    },
  });
  return out;
}
