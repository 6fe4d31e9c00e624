/**
 * NamespacePlacement: the hub's routing record of an app namespace, so that
 * multi-cluster workload routing and tooling can find where an app lives.
 */
import { TENANT_CLASS_NAMES } from '../core/tenant-classes';
import { FLEET_GROUP, FLEET_VERSION } from '../crds/pools';
import { CrdSpec, customResourceDefinition, integer, list, object, optional, required, statusSchema, string } from '../crds/schema';

const dnsLabel = (d: string) => string(d, { minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' });
const quantity = (d: string) => string(d, { pattern: '^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|Pi|k|M|G|T)?$' });

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
    reservation: required(object('What the namespace reserves on its cluster (its ResourceQuota).', {
      cpu: required(quantity('CPU requests.')),
      memory: required(quantity('Memory requests.')),
      gpus: required(integer('GPUs.', { minimum: 0 })),
      pods: required(integer('Pods.', { minimum: 0 })),
    })),
  }, [
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
