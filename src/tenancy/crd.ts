/**
 * NamespacePlacement: the hub's routing record of an app namespace, so that
 * multi-cluster workload routing and tooling can find where an app lives.
 */
import { TENANT_CLASS_NAMES } from '../core/tenant-classes';
import { FLEET_GROUP, FLEET_VERSION } from '../crds/pools';
import { CrdSpec, boolean, customResourceDefinition, integer, list, object, optional, required, statusSchema, string } from '../crds/schema';

const dnsLabel = (d: string) => string(d, { minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' });
const quantity = (d: string) => string(d, { pattern: '^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|Pi|k|M|G|T)?$' });
const reservation = (d: string) => object(d, {
  cpu: required(quantity('CPU requests.')),
  memory: required(quantity('Memory requests.')),
  gpus: required(integer('GPUs.', { minimum: 0 })),
  pods: required(integer('Pods.', { minimum: 0 })),
});

/** The NamespacePlacement CRD spec. @internal */
export const NAMESPACE_PLACEMENT_CRD: CrdSpec = {
  group: FLEET_GROUP,
  version: FLEET_VERSION,
  kind: 'NamespacePlacement',
  plural: 'namespaceplacements',
  shortNames: ['nsplacement'],
  scope: 'Cluster',
  spec: object('Where an app\'s namespace lives and what it reserves there.', {
    app: required(dnsLabel('Application name, unique in the fleet.')),
    namespace: required(dnsLabel('Namespace of the app on its workload cluster.')),
    tenant: required(string('Tenant class.', { enum: [...TENANT_CLASS_NAMES] })),
    nodeProfile: required(dnsLabel('Node profile the app\'s pods run on.')),
    cluster: required(dnsLabel('Workload cluster the namespace is placed on.')),
    region: required(dnsLabel('Region of that cluster.')),
    reason: required(string('How its cluster was chosen: pinned by its owner, or routed by capacity (then kept there by the placement lock).', { enum: ['pinned', 'routed'] })),
    movedFrom: optional(dnsLabel('Cluster the namespace was moved away from in this change (an approved move).')),
    owners: optional(list('Owners of the app.', string('A team or person.'), { 'x-kubernetes-list-type': 'set' }), []),
    podSecurity: required(string('Pod Security level the namespace enforces.', { enum: ['restricted', 'baseline'] })),
    podSecurityReason: optional(string('Why the namespace runs below restricted.', { minLength: 1 })),
    reservation: required(reservation('What the namespace reserves on its cluster (its ResourceQuota); a federated namespace: over all its clusters.')),
    federation: optional(object('A federated namespace: its survival target and every cluster it spans, with its reservation and shares.', {
      survive: required(string('The survival target.', { enum: ['one-cluster-loss', 'none'] })),
      minAvailablePercent: required(integer('Each workload\'s minimum after the loss of one cluster, in percent of its replicas.', { minimum: 1, maximum: 100 })),
      clusters: required(list('The clusters, in order: the first runs the canaries.', object('One cluster of the namespace.', {
        cluster: required(dnsLabel('Workload cluster.')),
        canary: required(boolean('This cluster runs the canaries (the first); the others follow once it is healthy.')),
        reservation: required(reservation('What the namespace reserves in this cluster (its ResourceQuota there).')),
        shares: optional(list('Each workload\'s replicas in this cluster.', object('One workload\'s share.', {
          workload: required(dnsLabel('Workload (application) name.')),
          replicas: required(integer('Its replicas in this cluster.', { minimum: 0 })),
        }), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['workload'] }), []),
      }), { 'minItems': 2, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['cluster'] })),
    })),
  }, [
    { rule: '!has(self.federation) || self.federation.clusters[0].cluster == self.cluster', message: 'a federated namespace\'s cluster is its first cluster' },
    { rule: 'self.podSecurity == \'restricted\' || has(self.podSecurityReason)', message: 'a namespace below restricted must state podSecurityReason' },
    { rule: '!has(self.movedFrom) || self.movedFrom != self.cluster', message: 'movedFrom must differ from cluster' },
    { rule: '!has(self.movedFrom) || self.reason == \'pinned\'', message: 'only a pinned namespace can move' },
  ]),
  status: statusSchema('Observed state of the namespace on its cluster.'),
  printerColumns: [
    { name: 'App', type: 'string', jsonPath: '.spec.app' },
    { name: 'Namespace', type: 'string', jsonPath: '.spec.namespace' },
    { name: 'Cluster', type: 'string', jsonPath: '.spec.cluster' },
    { name: 'Region', type: 'string', jsonPath: '.spec.region' },
    { name: 'Profile', type: 'string', jsonPath: '.spec.nodeProfile' },
    { name: 'Reason', type: 'string', jsonPath: '.spec.reason' },
  ],
};

/** The NamespacePlacement CRD object. @internal */
export function namespacePlacementCrd(): Record<string, unknown> {
  return customResourceDefinition(NAMESPACE_PLACEMENT_CRD);
}
