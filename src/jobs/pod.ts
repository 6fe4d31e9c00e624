/**
 * The pod of a batch task: the platform pod template (init containers,
 * volumes, pod labels and annotations, the app environment, user and group)
 * merged with the task's intent, under the same restricted security as app
 * pods. Pure.
 *
 * The template's sidecars are not added: a sidecar runs until the pod is
 * deleted, so a batch pod with one would never complete (Kubernetes' native
 * sidecars, which stop with the pod, are off by default before 1.29).
 */
import { k8s } from 'cdk8s-plus-28';
import { BatchJobSpec, BatchTaskSpec } from './slots';
import { LABEL_PREFIX, Labels } from '../core/names';
import { ResolvedPlatformTemplate } from '../workloads/platform-template';
import {
  AppLabels, LIBRARY_VOLUMES, PodPlacement, platformContainer, platformVolumes, resourceList, restrictedContainerSecurity, restrictedPodSecurity,
  sortedEnv, taintTolerations,
} from '../workloads/pod';

/** Label of a batch pod's job. @internal */
export const JOB_LABEL = `${LABEL_PREFIX}/batch-job`;
/** Label of a batch pod's task. @internal */
export const TASK_LABEL = `${LABEL_PREFIX}/batch-task`;

/** Environment variables the library sets in every batch container. @internal */
export const BATCH_ENV: readonly string[] = ['JOB_NAME', 'TASK_NAME', 'POD_NAME', 'POD_NAMESPACE', 'NODE_NAME'];

/** The pod template of one task of a job. @internal */
export function batchPodTemplate(
  job: BatchJobSpec,
  task: BatchTaskSpec,
  input: {
    readonly partOf: string;
    readonly template: ResolvedPlatformTemplate;
    readonly placement: PodPlacement;
    readonly priorityClassName: string;
    readonly podDeadline: boolean;
  },
): k8s.PodTemplateSpec {
  const t = input.template;
  const labels: Record<string, string> = {
    ...t.podLabels,
    [AppLabels.NAME]: job.name,
    [AppLabels.PART_OF]: input.partOf,
    [AppLabels.COMPONENT]: task.name,
    [JOB_LABEL]: job.name,
    [TASK_LABEL]: task.name,
    [Labels.NODE_PROFILE]: input.placement.nodeProfile,
  };
  const fieldEnv = (name: string, fieldPath: string): k8s.EnvVar => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  const env: k8s.EnvVar[] = [
    ...sortedEnv({ ...task.env, ...t.appEnv, JOB_NAME: job.name, TASK_NAME: task.name }),
    fieldEnv('NODE_NAME', 'spec.nodeName'),
    fieldEnv('POD_NAME', 'metadata.name'),
    fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
  ];
  const resources = resourceList(task.resources, input.placement.gpuResourceName);
  const container: k8s.Container = {
    name: task.name,
    image: job.image,
    imagePullPolicy: 'IfNotPresent',
    ...(task.command ? { command: [...task.command] } : {}),
    ...(task.args.length > 0 ? { args: [...task.args] } : {}),
    env,
    // Guaranteed: what the queue counts is what the pod holds
    resources: { requests: resources, limits: { ...resources } },
    securityContext: restrictedContainerSecurity(),
    volumeMounts: [
      { name: LIBRARY_VOLUMES.TMP, mountPath: '/tmp' },
      ...t.volumes.filter(v => v.appMountPath).map(v => ({ name: v.name, mountPath: v.appMountPath!, readOnly: v.appMountReadOnly ?? true })),
    ],
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  const volumes: k8s.Volume[] = [
    { name: LIBRARY_VOLUMES.TMP, emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
    ...platformVolumes(t),
  ];
  const tolerations = taintTolerations(input.placement.taints);
  return {
    metadata: { labels, ...(Object.keys(t.podAnnotations).length > 0 ? { annotations: { ...t.podAnnotations } } : {}) },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      priorityClassName: input.priorityClassName,
      nodeSelector: { [Labels.NODE_PROFILE]: input.placement.nodeProfile },
      ...(tolerations.length > 0 ? { tolerations } : {}),
      securityContext: restrictedPodSecurity(t),
      terminationGracePeriodSeconds: t.terminationGracePeriodSeconds,
      ...(input.podDeadline && job.deadlineSeconds !== undefined ? { activeDeadlineSeconds: job.deadlineSeconds } : {}),
      ...(t.initContainers.length > 0 ? { initContainers: t.initContainers.map(c => platformContainer(c, true)) } : {}),
      containers: [container],
      volumes,
    },
  };
}
