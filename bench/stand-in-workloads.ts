/**
 * Stand-in workloads for the benchmark, until the workload layer (LiDeployment,
 * LiStatefulSet) is merged: for every generated app whose namespace has no
 * workloads, render the objects a workload layer renders (ServiceAccount,
 * Deployment and canary or StatefulSet, Services, PodDisruptionBudget,
 * HorizontalPodAutoscaler, ConfigMap, NetworkPolicy) the way a layer does, with
 * cdk8s-plus-28's typed `manifest()`. Once `addAppWorkloads` builds real
 * workloads, namespaces have workloads and this layer renders nothing.
 */
import { k8s } from 'cdk8s-plus-28';
import { GeneratedApp, generatedAppOf } from './generator';
import { AppNamespace, KubeObject, Labels, Layer, RenderContext, formatCpu, formatMemory } from '../src';

function podSpec(app: GeneratedApp, track: string): k8s.PodTemplateSpec {
  const labels = { 'app.kubernetes.io/name': app.name, [Labels.TRACK]: track };
  return {
    metadata: { labels },
    spec: {
      serviceAccountName: app.name,
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      topologySpreadConstraints: [{
        maxSkew: 1,
        topologyKey: Labels.MAINTENANCE_ZONE,
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': app.name } },
      }],
      nodeSelector: { [Labels.NODE_PROFILE]: app.nodeProfile },
      containers: [{
        name: 'app',
        image: app.image,
        ports: [{ name: 'http', containerPort: app.port, protocol: 'TCP' }],
        env: [{ name: 'APP_NAME', value: app.name }, { name: 'TRACK', value: track }],
        resources: {
          requests: { cpu: k8s.Quantity.fromString(formatCpu(app.cpuMillis)), memory: k8s.Quantity.fromString(formatMemory(app.memoryMiB)) },
          limits: { memory: k8s.Quantity.fromString(formatMemory(app.memoryMiB)) },
        },
        readinessProbe: { httpGet: { path: '/health/ready', port: k8s.IntOrString.fromString('http') }, periodSeconds: 5 },
        livenessProbe: { httpGet: { path: '/health/live', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
      }],
      volumes: [{ name: 'config', configMap: { name: `${app.name}-config` } }],
    },
  };
}

/** The objects of one app in its namespace. */
export function standInObjects(app: GeneratedApp, namespace: string): KubeObject[] {
  const selector = { 'app.kubernetes.io/name': app.name };
  const md = (name: string, track?: string) => ({
    name, namespace, labels: { ...selector, ...(track ? { [Labels.TRACK]: track } : {}) },
  });
  const out: KubeObject[] = [
    k8s.KubeServiceAccount.manifest({ metadata: md(app.name), automountServiceAccountToken: false }) as KubeObject,
    k8s.KubeConfigMap.manifest({
      metadata: md(`${app.name}-config`),
      data: { 'application.yaml': `server:\n  port: ${app.port}\napp: ${app.name}\n`, 'LOG_LEVEL': 'info' },
    }) as KubeObject,
    k8s.KubeService.manifest({
      metadata: md(app.name),
      spec: { selector, ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http') }] },
    }) as KubeObject,
    k8s.KubePodDisruptionBudget.manifest({
      metadata: md(app.name),
      spec: { selector: { matchLabels: selector }, maxUnavailable: k8s.IntOrString.fromString('10%') },
    }) as KubeObject,
    k8s.KubeNetworkPolicy.manifest({
      metadata: md(app.name),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ port: k8s.IntOrString.fromNumber(app.port), protocol: 'TCP' }] }],
      },
    }) as KubeObject,
  ];
  if (app.stateful) {
    out.push(k8s.KubeService.manifest({
      metadata: md(`${app.name}-headless`),
      spec: { clusterIp: 'None', selector, ports: [{ name: 'http', port: app.port }] },
    }) as KubeObject);
    out.push(k8s.KubeStatefulSet.manifest({
      metadata: md(app.name, 'stable'),
      spec: {
        serviceName: `${app.name}-headless`,
        replicas: app.replicas,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: { ...selector, [Labels.TRACK]: 'stable' } },
        template: podSpec(app, 'stable'),
        volumeClaimTemplates: [{
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'local-ssd',
            resources: { requests: { storage: k8s.Quantity.fromString(`${app.volumeGiB}Gi`) } },
          },
        }],
      },
    }) as KubeObject);
    return out;
  }
  const tracks: Array<[string, string, number]> = [[app.name, 'stable', app.replicas]];
  if (app.canaryReplicas > 0) tracks.push([`${app.name}-canary`, 'canary', app.canaryReplicas]);
  for (const [name, track, replicas] of tracks) {
    out.push(k8s.KubeDeployment.manifest({
      metadata: md(name, track),
      spec: {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...selector, [Labels.TRACK]: track } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: podSpec(app, track),
      },
    }) as KubeObject);
  }
  out.push(k8s.KubeHorizontalPodAutoscalerV2.manifest({
    metadata: md(app.name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.name },
      minReplicas: app.replicas,
      maxReplicas: app.replicas * 2,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  }) as KubeObject);
  return out;
}

/** The stand-in workload layer (register it after the platform's layers). */
export const standInWorkloadsLayer: Layer = {
  name: 'stand-in-workloads',
  render(ctx: RenderContext) {
    for (const ns of ctx.model.ofType(AppNamespace)) {
      const app = generatedAppOf(ns);
      const cluster = ctx.plan.placement.get(ns);
      if (!app || !cluster || ns.workloads.length > 0) continue;
      for (const o of standInObjects(app, ns.namespaceName)) ctx.add(cluster, o, ns);
    }
  },
};
