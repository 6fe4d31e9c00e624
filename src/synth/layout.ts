/**
 * The output tree: one directory per cluster, directly consumable by Argo CD
 * or Flux, plus node-level files that are not Kubernetes API objects.
 *
 * ```
 * <outdir>/
 *   <cluster>/cluster/<kind>-<name>.yaml               cluster-scoped objects
 *   <cluster>/namespaces/<ns>/<kind>-<name>.yaml       namespaced objects
 *   <cluster>/control-plane/...                        node files of the control plane (not applied)
 *   <cluster>/kustomization.yaml                       lists every API object file
 *   node-profiles/<profile>/kubelet-config.yaml        KubeletConfiguration per node profile
 * ```
 */

/** Name of the directory holding the node profiles' files. @internal */
export const NODE_PROFILES_DIR = 'node-profiles';
/** Directory of a cluster holding control-plane node files. @internal */
export const CONTROL_PLANE_DIR = 'control-plane';
/** File of a cluster's control-plane sizing record, below its control-plane directory. @internal */
export const SIZING_RECORD_FILE = 'sizing.yaml';
/** Names a cluster cannot have, because they are top-level directories of the output. @internal */
export const RESERVED_CLUSTER_NAMES: readonly string[] = [NODE_PROFILES_DIR];
/** Marker file that identifies a directory as cdk8s-fleet output (so a synth never replaces anything else). @internal */
export const OUTPUT_MARKER = '.cdk8s-fleet';

/** The identity of a Kubernetes object within a cluster. */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** The relative path of an API object's file. @internal */
export function objectFilePath(cluster: string, id: ObjectIdentity): string {
  const file = `${id.kind.toLowerCase()}-${id.name}.yaml`;
  return id.namespace
    ? `${cluster}/namespaces/${id.namespace}/${file}`
    : `${cluster}/cluster/${file}`;
}

/** The identity key of an object in a cluster: cluster, API group, kind, namespace, name. */
export function identityKey(cluster: string, id: ObjectIdentity): string {
  const group = id.apiVersion.includes('/') ? id.apiVersion.split('/')[0] : '';
  return `${cluster}|${group}|${id.kind}|${id.namespace ?? ''}|${id.name}`;
}
