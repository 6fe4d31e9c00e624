/**
 * Rendering of required DaemonSets: one DaemonSet per (cluster, pool, agent),
 * selecting exactly the pool's nodes and tolerating its taints, plus the
 * agent's ServiceAccount and least-privilege RBAC.
 */
import { k8s } from 'cdk8s-plus-28';
import { DEFAULT_DAEMONSET_MAX_UNAVAILABLE, RequiredDaemonSet } from './required-daemonset';
import { PoolPlan } from './slots';
import { Labels } from '../core/names';
import { formatCpu, formatMemory, cpuToMillis } from '../core/resources';
import { NodeTaint } from '../machines/node-profile';
import { KubeObject } from '../synth/context';

/** Non-root user the agents run as unless `runAsRoot` is set. @internal */
export const AGENT_USER_ID = 65532;

/** The DaemonSet name of an agent on a pool. @internal */
export function daemonSetName(agent: RequiredDaemonSet, pool: string): string {
  return `${agent.daemonSetName}-${pool}`;
}

/** Taints a pool's nodes carry: the profile's, then the pool's. @internal */
export function poolTaints(plan: PoolPlan): NodeTaint[] {
  return [...plan.profile.taints, ...(plan.pool.props.taints ?? [])];
}

function intOrString(v: number | string): k8s.IntOrString {
  return typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v);
}

/** The DaemonSet of `agent` on the nodes of one pool. @internal */
export function renderAgentDaemonSet(agent: RequiredDaemonSet, plan: PoolPlan, namespace: string): KubeObject {
  const p = agent.props;
  const pool = plan.pool.poolName;
  const labels = {
    'app.kubernetes.io/name': agent.daemonSetName,
    'app.kubernetes.io/component': 'node-agent',
    [Labels.POOL]: pool,
  };
  const requests = agent.requests;
  const cpuLimit = p.resources.cpuLimit ? cpuToMillis(p.resources.cpuLimit) : requests.cpuMillis;
  const privileged = p.privileged === true;
  const runAsRoot = p.runAsRoot === true || privileged;
  const env = Object.entries(p.env ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => ({ name, value }));
  const hostPaths = p.hostPaths ?? [];

  const container: k8s.Container = {
    name: agent.daemonSetName,
    image: p.image,
    imagePullPolicy: 'IfNotPresent',
    ...(p.command ? { command: [...p.command] } : {}),
    ...(p.args && p.args.length > 0 ? { args: [...p.args] } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(p.ports && p.ports.length > 0 ? {
      ports: p.ports.map(port => ({ name: port.name, containerPort: port.containerPort, protocol: 'TCP', ...(port.hostPort !== undefined ? { hostPort: port.hostPort } : {}) })),
    } : {}),
    resources: {
      requests: { cpu: k8s.Quantity.fromString(formatCpu(requests.cpuMillis)), memory: k8s.Quantity.fromString(formatMemory(requests.memoryMiB)) },
      limits: { cpu: k8s.Quantity.fromString(formatCpu(cpuLimit)), memory: k8s.Quantity.fromString(formatMemory(requests.memoryMiB)) },
    },
    securityContext: {
      allowPrivilegeEscalation: privileged,
      privileged,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    ...(hostPaths.length > 0 ? {
      volumeMounts: hostPaths.map(h => ({
        name: h.name,
        mountPath: h.mountPath,
        readOnly: h.readOnly ?? true,
        ...(h.mountPropagation ? { mountPropagation: h.mountPropagation } : {}),
      })),
    } : {}),
    ...(p.readinessProbe ? {
      readinessProbe: {
        httpGet: { path: p.readinessProbe.path, port: k8s.IntOrString.fromString(p.readinessProbe.port) },
        periodSeconds: 10,
        failureThreshold: 3,
      },
    } : {}),
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };

  const tolerations = poolTaints(plan).map(t => ({
    key: t.key,
    operator: 'Equal',
    value: t.value ?? '',
    effect: t.effect,
  }));

  return k8s.KubeDaemonSet.manifest({
    metadata: { name: daemonSetName(agent, pool), namespace, labels },
    spec: {
      selector: { matchLabels: labels },
      minReadySeconds: 10,
      revisionHistoryLimit: 5,
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: {
          maxUnavailable: intOrString(p.maxUnavailable ?? DEFAULT_DAEMONSET_MAX_UNAVAILABLE),
          maxSurge: k8s.IntOrString.fromNumber(0),
        },
      },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: agent.daemonSetName,
          automountServiceAccountToken: (p.clusterRules?.length ?? 0) > 0,
          priorityClassName: p.priorityClassName ?? 'system-node-critical',
          nodeSelector: { [Labels.POOL]: pool },
          ...(tolerations.length > 0 ? { tolerations } : {}),
          securityContext: {
            runAsNonRoot: !runAsRoot,
            runAsUser: runAsRoot ? 0 : AGENT_USER_ID,
            runAsGroup: runAsRoot ? 0 : AGENT_USER_ID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          terminationGracePeriodSeconds: 30,
          containers: [container],
          ...(hostPaths.length > 0 ? {
            volumes: hostPaths.map(h => ({ name: h.name, hostPath: { path: h.hostPath, type: 'Directory' } })),
          } : {}),
        },
      },
    },
  }) as KubeObject;
}

/** The agent's ServiceAccount and, when it needs API access, its ClusterRole and binding. @internal */
export function renderAgentIdentity(agent: RequiredDaemonSet, namespace: string): KubeObject[] {
  const name = agent.daemonSetName;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'node-agent' };
  const rules = agent.props.clusterRules ?? [];
  const out: KubeObject[] = [k8s.KubeServiceAccount.manifest({
    metadata: { name, namespace, labels },
    automountServiceAccountToken: false,
  }) as KubeObject];
  if (rules.length > 0) {
    const roleName = `fleet-node-agent-${name}`;
    out.push(k8s.KubeClusterRole.manifest({
      metadata: { name: roleName, labels },
      rules: rules.map(r => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    }) as KubeObject);
    out.push(k8s.KubeClusterRoleBinding.manifest({
      metadata: { name: roleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    }) as KubeObject);
  }
  return out;
}

/**
 * The platform namespace, with the Pod Security level its agents need and the
 * guardrails' protection label (`protectedLabel`: true), since it holds them.
 * @internal
 */
export function renderSystemNamespace(namespace: string, privileged: boolean, protectedLabel: string): KubeObject {
  const level = privileged ? 'privileged' : 'restricted';
  return k8s.KubeNamespace.manifest({
    metadata: {
      name: namespace,
      labels: {
        [protectedLabel]: 'true',
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
      ...(privileged ? {
        annotations: {
          'fleet.cdk8s.io/pod-security-exception': 'node agents with host paths, host ports, root or privileged mode run here (RequiredDaemonSet props runAsRoot/privileged/hostPaths/hostPort)',
        },
      } : {}),
    },
  }) as KubeObject;
}
