/**
 * Cluster: a Kubernetes cluster of the fleet, its pools, and (as a cdk8s
 * Chart) any extra objects the platform team adds to it by hand.
 */
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeProxyProps } from './kube-proxy';
import { KubernetesPool, KubernetesPoolProps } from './kubernetes-pool';

/** Props of {@link Cluster}. */
export interface ClusterProps {
  /** Cluster name, unique in the fleet (DNS-1123 label); also its output directory. @default - the construct id */
  readonly name?: string;
  /** Region or datacenter the cluster runs in (a DNS-1123 label, e.g. `lva1`: it names the control-plane hosts' domain). */
  readonly region: string;
  /** Kubernetes version of the control plane: `1.MINOR.PATCH` within `SUPPORTED_KUBERNETES_MINORS` (1.28–1.31). @default - the fleet's `kubernetesVersion` */
  readonly kubernetesVersion?: string;
  /** The cluster runs OpenKruise; workloads use CloneSet and Advanced StatefulSet. @default false */
  readonly openKruise?: boolean;
  /** Labels recorded on the cluster's objects on the hub (valid Kubernetes label keys and values). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** kube-proxy of the cluster: mode, conntrack, IPVS, endpoints, requests. It runs on every node and its requests count in each node's overhead. @default - IPVS mode, see {@link KubeProxyProps} */
  readonly kubeProxy?: KubeProxyProps;
}

/** Role of a cluster in the fleet. */
export type ClusterRole = 'hub' | 'workload';

/**
 * A Kubernetes cluster. Its capacity is the sum of its pools; the control plane
 * and placement are derived from it. As a cdk8s Chart it also accepts any
 * `ApiObject` (or cdk8s-plus construct) added to it, synthesized with the rest.
 */
export class Cluster extends Chart {
  /**
   * `instanceof` by prototype chain: cdk8s's Chart answers `instanceof` for any
   * chart, which would make every Cluster a HubCluster.
   */
  public static [Symbol.hasInstance](o: unknown): o is Chart {
    return Function.prototype[Symbol.hasInstance].call(this, o);
  }

  /** Cluster name. */
  public readonly clusterName: string;
  /** The props as given. */
  public readonly props: ClusterProps;
  /** Role in the fleet. */
  public readonly role: ClusterRole = 'workload';

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.clusterName = props.name ?? id;
    this.props = props;
  }

  /** Adds a pool of nodes to the cluster. */
  public addPool(id: string, props: KubernetesPoolProps): KubernetesPool {
    return new KubernetesPool(this, id, props);
  }

  /** The cluster's pools, in the order they were added. */
  public get pools(): KubernetesPool[] {
    return this.node.children.filter((c): c is KubernetesPool => c instanceof KubernetesPool);
  }
}

/**
 * The hub cluster: holds the fleet's inventory (ComputeBrokerPool and
 * KubernetesPool records, their CRDs) and the routing records of tenancy.
 */
export class HubCluster extends Cluster {
  public readonly role: ClusterRole = 'hub';
}
