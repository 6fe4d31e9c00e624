/**
 * The shape every control-plane static Pod shares (the form kubeadm uses):
 * host network, kube-system, node-critical priority, RuntimeDefault seccomp.
 */
import { k8s } from 'cdk8s-plus-28';
import { ControlPlaneSettings } from './settings';
import { KubeObject } from '../synth/context';
import { canonicalObject } from '../synth/emit';

/** Priority of `system-node-critical`, as the kubelet admits static Pods. @internal */
export const SYSTEM_NODE_CRITICAL_PRIORITY = 2000001000;

/** A static Pod running one control-plane component on one host; the Pod and label are named after the container. @internal */
export function staticControlPlanePod(s: ControlPlaneSettings, host: string, container: k8s.Container, volumes: readonly k8s.Volume[]): KubeObject {
  return canonicalObject(k8s.KubePod.manifest({
    metadata: {
      name: container.name,
      namespace: 'kube-system',
      labels: { 'component': container.name, 'tier': 'control-plane', 'app.kubernetes.io/part-of': s.cluster.clusterName },
      annotations: { 'fleet.cdk8s.io/control-plane-host': host },
    },
    spec: {
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      priority: SYSTEM_NODE_CRITICAL_PRIORITY,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [container],
      volumes: [...volumes],
    },
  })) as KubeObject;
}
