/**
 * Rendering of required DaemonSets: one DaemonSet per (cluster, pool, agent),
 * selecting exactly the pool's nodes and tolerating its taints, plus the
 * agent's ServiceAccount and least-privilege RBAC.
 */
import { k8s } from 'cdk8s-plus-28';
import { DaemonSetSpec, PoolPlan } from './slots';
import { Labels } from '../core/names';
import { KUBE_APISERVER_PORT, PlatformAllowance, PlatformPort, platformNamespaceLabels } from '../core/network';
import { formatCpu, formatMemory } from '../core/resources';
import { KubeObject } from '../synth/context';

/** Non-root user the agents run as unless `runAsRoot` is set. @internal */
export const AGENT_USER_ID = 65532;

/** The DaemonSet name of an agent on a pool. @internal */
export function daemonSetName(agent: DaemonSetSpec, pool: string): string {
  return `${agent.name}-${pool}`;
}

function intOrString(v: number | string): k8s.IntOrString {
  return typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v);
}

/** The DaemonSet of `agent` on the nodes of one pool. @internal */
export function renderAgentDaemonSet(agent: DaemonSetSpec, plan: PoolPlan, namespace: string): KubeObject {
  const pool = plan.spec.name;
  const labels = {
    'app.kubernetes.io/name': agent.name,
    'app.kubernetes.io/component': 'node-agent',
    [Labels.POOL]: pool,
  };
  const requests = agent.requests;
  const { privileged, runAsRoot, env, hostPaths } = agent;

  const container: k8s.Container = {
    name: agent.name,
    image: agent.image,
    imagePullPolicy: 'IfNotPresent',
    ...(agent.command ? { command: [...agent.command] } : {}),
    ...(agent.args.length > 0 ? { args: [...agent.args] } : {}),
    ...(env.length > 0 ? { env: env.map(e => ({ ...e })) } : {}),
    ...(agent.ports.length > 0 ? {
      ports: agent.ports.map(port => ({
        name: port.name,
        containerPort: port.containerPort,
        protocol: port.protocol,
        ...(port.hostPort !== undefined ? { hostPort: port.hostPort } : {}),
      })),
    } : {}),
    resources: {
      requests: { cpu: k8s.Quantity.fromString(formatCpu(requests.cpuMillis)), memory: k8s.Quantity.fromString(formatMemory(requests.memoryMiB)) },
      limits: { cpu: k8s.Quantity.fromString(formatCpu(agent.cpuLimitMillis)), memory: k8s.Quantity.fromString(formatMemory(requests.memoryMiB)) },
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
        readOnly: h.readOnly,
        ...(h.mountPropagation ? { mountPropagation: h.mountPropagation } : {}),
      })),
    } : {}),
    ...(agent.readinessProbe ? {
      readinessProbe: {
        httpGet: { path: agent.readinessProbe.path, port: k8s.IntOrString.fromString(agent.readinessProbe.port) },
        periodSeconds: 10,
        failureThreshold: 3,
      },
    } : {}),
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };

  const tolerations = plan.spec.taints.map(t => ({
    key: t.key,
    operator: 'Equal',
    value: t.value,
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
          maxUnavailable: intOrString(agent.maxUnavailable),
          maxSurge: k8s.IntOrString.fromNumber(0),
        },
      },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: agent.name,
          automountServiceAccountToken: agent.clusterRules.length > 0,
          priorityClassName: agent.priorityClassName,
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
export function renderAgentIdentity(agent: DaemonSetSpec, namespace: string): KubeObject[] {
  const name = agent.name;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'node-agent' };
  const rules = agent.clusterRules;
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
 * The platform namespace, with the platform-namespace labels, the Pod Security
 * level its agents need (audited and warned at `restricted`) and the
 * guardrails' protection label (`protectedLabel`: true), since it holds them.
 * It has no ResourceQuota: its pods are DaemonSet pods, one per node of the
 * pools that list the agent, so their number follows the node count, which
 * pools change; a quota refusing one would leave that node without its agent,
 * and each agent's requests and limits are fixed by its construct already.
 * @internal
 */
export function renderSystemNamespace(namespace: string, privileged: boolean, protectedLabel: string): KubeObject {
  const level = privileged ? 'privileged' : 'restricted';
  return k8s.KubeNamespace.manifest({
    metadata: {
      name: namespace,
      labels: {
        ...platformNamespaceLabels(level),
        [protectedLabel]: 'true',
        'app.kubernetes.io/component': 'node-agents',
      },
      ...(privileged ? {
        annotations: {
          'fleet.cdk8s.io/pod-security-exception': 'node agents with host paths, host ports, root or privileged mode run here (RequiredDaemonSet props runAsRoot/privileged/hostPaths/hostPort)',
        },
      } : {}),
    },
  }) as KubeObject;
}

/**
 * The traffic an agent's pods are allowed in the default-deny system
 * namespace, beside DNS: ingress on its open ports from any peer, egress to
 * the apiserver (its port on any address, since the control plane runs on
 * hosts outside the pod network) and to each declared address block.
 * @internal
 */
export function agentAllowances(agent: DaemonSetSpec): PlatformAllowance[] {
  const podLabels = { 'app.kubernetes.io/name': agent.name, 'app.kubernetes.io/component': 'node-agent' };
  const out: PlatformAllowance[] = [];
  const ingress = new Map<string, PlatformPort>();
  for (const p of agent.ports) {
    if (agent.ingressPorts.includes(p.name)) ingress.set(`${p.containerPort}/${p.protocol}`, { port: p.containerPort, protocol: p.protocol });
  }
  if (ingress.size > 0) {
    const ports = [...ingress.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
    out.push({ name: `${agent.name}-ingress`, podLabels, direction: 'Ingress', namespaces: [], cidrs: [], ports });
  }
  if (agent.apiserverAccess) {
    out.push({ name: `${agent.name}-apiserver`, podLabels, direction: 'Egress', namespaces: [], cidrs: [], ports: [{ port: KUBE_APISERVER_PORT, protocol: 'TCP' }] });
  }
  agent.egress.forEach((e, i) => {
    out.push({ name: `${agent.name}-egress-${i}`, podLabels, direction: 'Egress', namespaces: [], cidrs: e.cidrs, ports: e.ports.map(port => ({ port, protocol: e.protocol })) });
  });
  return out;
}
