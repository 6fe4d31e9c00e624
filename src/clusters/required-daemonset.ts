/**
 * RequiredDaemonSet: a node agent that must run on every node of the pools
 * that list it (log shipper, metrics exporter, local-volume provisioner...).
 */
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** Compute resources of the agent's container. */
export interface DaemonSetResources {
  /** CPU request: positive, at most `MAX_CPU_MILLIS`. */
  readonly cpu: Cpu;
  /** Memory request, positive; the memory limit always equals it. */
  readonly memory: Size;
  /** CPU limit, at least the request. @default - equal to the request (Guaranteed QoS) */
  readonly cpuLimit?: Cpu;
}

/** A host directory mounted into the agent. */
export interface HostPathMount {
  /** Volume name (DNS-1123 label). */
  readonly name: string;
  /** Directory on the node. */
  readonly hostPath: string;
  /** Where it appears in the container. */
  readonly mountPath: string;
  /** Mount read-only. @default true */
  readonly readOnly?: boolean;
  /** Mount propagation (a local-volume provisioner needs `HostToContainer`). @default - none */
  readonly mountPropagation?: 'None' | 'HostToContainer' | 'Bidirectional';
}

/** A container port of the agent. */
export interface DaemonSetPort {
  /** Port name (at most 15 lower-case letters, digits and '-', with a letter). */
  readonly name: string;
  /** Container port (1–65535). */
  readonly containerPort: number;
  /** Expose on the node's IP at this port (1–65535). @default - not exposed on the host */
  readonly hostPort?: number;
  /** Transport protocol (a statsd or node-local DNS agent listens on UDP). @default 'TCP' */
  readonly protocol?: AgentProtocol;
}

/** A transport protocol of a port, as Kubernetes names it. */
export type AgentProtocol = 'TCP' | 'UDP' | 'SCTP';

/** An RBAC rule granted to the agent's service account, cluster-wide. */
export interface AgentPolicyRule {
  /** API groups (`''` is the core group). No wildcards. */
  readonly apiGroups: readonly string[];
  /** Resources. No wildcards. */
  readonly resources: readonly string[];
  /** Verbs. No wildcards. */
  readonly verbs: readonly string[];
}

/** Peers and ports the agent's pods may connect to. */
export interface AgentEgress {
  /** Address blocks of the peers (CIDRs, not the whole internet). */
  readonly cidrs: readonly string[];
  /** Ports on those peers (1–65535). */
  readonly ports: readonly number[];
  /** Transport protocol of those ports (declare a second entry for the same peers on another protocol). @default 'TCP' */
  readonly protocol?: AgentProtocol;
}

/**
 * The traffic of the agent's pods. The system namespace denies all ingress and
 * egress by default (DNS to the cluster DNS is always allowed); this says what
 * else the agent may do. The agents' pods run in the pod network (no
 * `hostNetwork`), so the rules apply to them; pods with `hostNetwork` (such as
 * kube-proxy) are not subject to NetworkPolicy at all.
 */
export interface AgentNetwork {
  /** Names of the agent's ports that accept connections (from any peer, e.g. a metrics scraper). @default - every port in `ports` */
  readonly ingressPorts?: readonly string[];
  /** Connections the agent opens, beside DNS and the apiserver. @default [] (none) */
  readonly egress?: readonly AgentEgress[];
  /** Connect to the kube-apiserver (port 6443, any address: the control plane runs on hosts). @default - true when `clusterRules` is not empty */
  readonly apiserver?: boolean;
}

/** Props of {@link RequiredDaemonSet}. */
export interface RequiredDaemonSetProps {
  /** Name (DNS-1123 label); the per-pool DaemonSet is `<name>-<pool>`. @default - the construct id */
  readonly name?: string;
  /** Container image with a pinned tag or digest (`registry/log-shipper:2.3.1`). */
  readonly image: string;
  /** Command. @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** Arguments. @default [] */
  readonly args?: readonly string[];
  /** Environment variables. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Resources; requests and limits are always set. */
  readonly resources: DaemonSetResources;
  /** Host directories to mount. @default [] */
  readonly hostPaths?: readonly HostPathMount[];
  /** Container ports. @default [] */
  readonly ports?: readonly DaemonSetPort[];
  /**
   * Run as root (uid 0). Unsafe; needed by agents that read root-owned host
   * files. The namespace's Pod Security level is lowered accordingly.
   * @default false
   */
  readonly runAsRoot?: boolean;
  /**
   * Run privileged. Unsafe; needed only by agents that manage node devices or
   * mounts (e.g. a local-volume provisioner).
   * @default false
   */
  readonly privileged?: boolean;
  /** Maximum nodes whose agent is down at once during a rollout, a count or a percentage (at most 25%). @default '10%' */
  readonly maxUnavailable?: number | string;
  /** Priority class of the agent's pods. @default 'system-node-critical' */
  readonly priorityClassName?: string;
  /** Cluster-wide RBAC rules the agent needs. @default [] (no API access) */
  readonly clusterRules?: readonly AgentPolicyRule[];
  /**
   * Network traffic the agent's pods are allowed beside DNS (the system
   * namespace is default-deny for ingress and egress).
   * @default - ingress on every declared port, no egress but the apiserver when `clusterRules` is not empty
   */
  readonly network?: AgentNetwork;
  /** HTTP readiness probe path and port name. @default - no readiness probe */
  readonly readinessProbe?: { readonly path: string; readonly port: string };
}

/** Default rollout bound of a required DaemonSet. @internal */
export const DEFAULT_DAEMONSET_MAX_UNAVAILABLE = '10%';
/** Upper bound of maxUnavailable as a percentage. */
export const MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT = 25;

/**
 * A DaemonSet that must run on every node of the pools that list it. The
 * library synthesizes one DaemonSet per (cluster, pool), selecting exactly the
 * pool's nodes and tolerating its taints.
 */
export class RequiredDaemonSet extends Construct {
  /** Agent name. */
  public readonly daemonSetName: string;
  /** The props as given. */
  public readonly props: RequiredDaemonSetProps;

  constructor(scope: Construct, id: string, props: RequiredDaemonSetProps) {
    super(scope, id);
    this.daemonSetName = props.name ?? id;
    this.props = props;
  }
}
