/**
 * The example fleet's control planes: every cluster gets one derived from its
 * capacity; the largest cluster states its settings explicitly (events in
 * their own etcd, a 16 GiB quota acknowledged, a cross-rack round trip).
 * Every cluster ships its etcd snapshots to an object store of its region.
 */
import { Duration } from 'cdk8s';
import { Cluster, ControlPlane, Fleet, GIB_BYTES } from '../src';

/** Adds explicit control-plane settings to the example's first production cluster. */
export function addControlPlanes(fleet: Fleet): void {
  const objectStore = (c: Cluster) => ({ endpoint: 'https://s3.backup.example.net', bucket: 'fleet-etcd-backups', prefix: `etcd/${c.clusterName}`, cidrs: ['198.51.100.0/24'] });
  for (const c of fleet.node.children.filter((x): x is Cluster => x instanceof Cluster)) {
    if (c.clusterName !== 'lva1-prod-1') new ControlPlane(c, 'control-plane', { backup: { objectStore: objectStore(c) } });
  }
  const cluster = fleet.node.tryFindChild('lva1-prod-1') as Cluster | undefined;
  if (!cluster) return;
  new ControlPlane(cluster, 'control-plane', {
    apiserver: { replicas: 5 },
    etcd: {
      members: 5,
      roundTripMillis: 15,
      quotaBackendBytes: 16 * GIB_BYTES,
      acknowledgeQuotaAbove8GiB: true, // as LinkedIn runs theirs; etcd warns above 8 GiB
      splitEvents: true,
      events: { members: 3 },
    },
    backup: {
      schedule: '7 * * * *',
      retention: Duration.days(7),
      objectStore: { ...objectStore(cluster), region: 'eu-central-1' },
    },
    apiPriority: { platformControllers: [{ namespace: 'argocd', name: 'argocd-application-controller' }] },
  });
}
