/**
 * Immutable app configuration: the ConfigMap's name carries a hash of its
 * content, so a config change creates a new ConfigMap, changes the pod
 * template and rolls the pods out; kubelets need not watch an immutable one.
 */
import { createHash } from 'crypto';

/** Hex digits of the content hash in a config map name. @internal */
export const CONFIG_HASH_LENGTH = 10;

/** A deterministic hash of string data: keys sorted, so insertion order does not matter. @internal */
export function configHash(data: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.keys(data).sort().map(k => [k, data[k]]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, CONFIG_HASH_LENGTH);
}

/** The name of the immutable ConfigMap holding `data` for a workload. @internal */
export function configMapName(workload: string, data: Readonly<Record<string, string>>): string {
  return `${workload}-config-${configHash(data)}`;
}
