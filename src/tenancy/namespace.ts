/**
 * The namespace objects of an app: the Namespace (labels, Pod Security), its
 * ResourceQuota (sized from the declared workloads with headroom) and its
 * LimitRange.
 */
import { k8s } from 'cdk8s-plus-28';
import { Capacity } from './capacity';
import { NamespaceSpec } from './slots';
import { LABEL_PREFIX, Labels } from '../core/names';
import { podSecurityLabels } from '../core/network';
import { ResourceAmounts, formatCpu, formatMemory } from '../core/resources';
import { KubeObject } from '../synth/context';

/** Annotation listing an app's owners. @internal */
export const OWNERS_ANNOTATION = `${LABEL_PREFIX}/owners`;
/** Annotation stating why a namespace runs below the `restricted` Pod Security level. @internal */
export const POD_SECURITY_EXCEPTION_ANNOTATION = `${LABEL_PREFIX}/pod-security-exception`;
/** Label of the app on its namespace objects. @internal */
export const APP_LABEL = `${LABEL_PREFIX}/app`;
/** Label of the tenant class on the namespace. @internal */
export const TENANT_LABEL = `${LABEL_PREFIX}/tenant`;

/** Default CPU request of a container that states none, in millicores. @internal */
export const DEFAULT_CONTAINER_CPU_REQUEST_MILLIS = 100;
/** Default memory request of a container that states none, in MiB. @internal */
export const DEFAULT_CONTAINER_MEMORY_REQUEST_MIB = 128;

/**
 * The app's Namespace. A namespace that holds workloads carries the
 * guardrails' protection label (`protectedLabel`: true): the in-cluster
 * policy cannot see what a namespace holds, so the label says it.
 * @internal
 */
export function renderAppNamespace(ns: NamespaceSpec, protectedLabel: string): KubeObject {
  const level = ns.podSecurity;
  const annotations: Record<string, string> = {};
  if (ns.owners.length > 0) annotations[OWNERS_ANNOTATION] = ns.owners.join(',');
  if (ns.podSecurityReason !== undefined) annotations[POD_SECURITY_EXCEPTION_ANNOTATION] = ns.podSecurityReason;
  return k8s.KubeNamespace.manifest({
    metadata: {
      name: ns.namespace,
      labels: {
        'app.kubernetes.io/part-of': ns.app,
        ...(ns.workloads.length > 0 ? { [protectedLabel]: 'true' } : {}),
        [APP_LABEL]: ns.app,
        [TENANT_LABEL]: ns.tenant,
        [Labels.NODE_PROFILE]: ns.nodeProfile.name,
        ...podSecurityLabels(level),
      },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
  }) as KubeObject;
}

function objectLabels(ns: NamespaceSpec): Record<string, string> {
  return { 'app.kubernetes.io/component': 'app-namespace', [APP_LABEL]: ns.app };
}

/**
 * The ResourceQuota: requests (CPU, memory, GPUs) and pods as reserved by
 * routing, and no LoadBalancer or NodePort Services (exposure goes through the
 * platform's ingress).
 * @internal
 */
export function renderAppResourceQuota(ns: NamespaceSpec, demand: Capacity, gpuResourceName: string): KubeObject {
  const hard: Record<string, k8s.Quantity> = {
    'requests.cpu': k8s.Quantity.fromString(formatCpu(demand.resources.cpuMillis)),
    'requests.memory': k8s.Quantity.fromString(formatMemory(demand.resources.memoryMiB)),
    [`requests.${gpuResourceName}`]: k8s.Quantity.fromString(String(demand.resources.gpus)),
    'pods': k8s.Quantity.fromString(String(demand.pods)),
    'services.loadbalancers': k8s.Quantity.fromString('0'),
    'services.nodeports': k8s.Quantity.fromString('0'),
  };
  return k8s.KubeResourceQuota.manifest({
    metadata: { name: 'app-quota', namespace: ns.namespace, labels: objectLabels(ns) },
    spec: { hard },
  }) as KubeObject;
}

/**
 * The LimitRange: a default request for containers that state none (so the
 * quota can account for them), and no container larger than one node of the
 * app's profile can hold next to its node agents.
 * @internal
 */
export function renderAppLimitRange(ns: NamespaceSpec, largestPod: ResourceAmounts): KubeObject {
  const cpu = Math.max(largestPod.cpuMillis, DEFAULT_CONTAINER_CPU_REQUEST_MILLIS);
  const memory = Math.max(Math.floor(largestPod.memoryMiB), DEFAULT_CONTAINER_MEMORY_REQUEST_MIB);
  return k8s.KubeLimitRange.manifest({
    metadata: { name: 'app-limits', namespace: ns.namespace, labels: objectLabels(ns) },
    spec: {
      limits: [{
        type: 'Container',
        defaultRequest: {
          cpu: k8s.Quantity.fromString(formatCpu(DEFAULT_CONTAINER_CPU_REQUEST_MILLIS)),
          memory: k8s.Quantity.fromString(formatMemory(DEFAULT_CONTAINER_MEMORY_REQUEST_MIB)),
        },
        max: {
          cpu: k8s.Quantity.fromString(formatCpu(cpu)),
          memory: k8s.Quantity.fromString(formatMemory(memory)),
        },
      }],
    },
  }) as KubeObject;
}
