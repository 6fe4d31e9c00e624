/**
 * What the control-plane layer publishes to the layers above it: every
 * cluster's resolved control plane and what is derived from it alone.
 */
import { FlagSet } from './apiserver-flags';
import { ControlPlaneSettings } from './settings';
import { Cluster } from '../clusters/cluster';
import { ClustersStack } from '../clusters/slots';
import { LayerSlots, Stacked } from '../synth/layer';

/** A cluster's resolved control plane and what is derived from it alone. @internal */
export interface ResolvedControlPlane {
  /** The settings, defaults applied and sized for the cluster. */
  readonly settings: ControlPlaneSettings;
  /** kube-apiserver flags. */
  readonly flags: FlagSet;
  /** The apiserver's EncryptionConfiguration. */
  readonly encryption: Record<string, unknown>;
  /** etcd member configuration files, relative to the cluster's control-plane directory. */
  readonly etcdConfigs: ReadonlyArray<{ readonly file: string; readonly config: Record<string, unknown> }>;
}

/** The control-plane layer's decisions. @internal */
export interface ControlPlanes {
  /** The control plane of every cluster whose settings resolved without errors. */
  readonly byCluster: ReadonlyMap<Cluster, ResolvedControlPlane>;
}

/** The control-plane layer's slots. @internal */
export interface ControlPlaneSlots extends LayerSlots {
  /** Resolved specs of the control-plane layer: each cluster's control plane, from its props and its pools' declared capacity. */
  readonly spec: { readonly controlPlane: ControlPlanes };
  /** Decisions of the control-plane layer. */
  readonly plan: { readonly controlPlane: ControlPlanes };
}

/** Everything the layers above the control plane read of it and below it. @internal */
export type ControlPlaneStack = Stacked<ClustersStack, ControlPlaneSlots>;
