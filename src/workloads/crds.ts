/**
 * CRDs of the workload layer: LiDeployment and LiStatefulSet keep the app
 * owner's ten lines of intent in the cluster, beside their expansion; the
 * stateful operator reconciles LiStatefulSet to coordinate evictions with the
 * shard manager.
 */
import { FLEET_GROUP, FLEET_VERSION } from '../crds/pools';
import { CrdSpec, Schema, boolean, customResourceDefinition, integer, list, object, optional, required, statusSchema, string } from '../crds/schema';

const quantity = (d: string): Schema => string(d, { pattern: '^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|Pi|k|M|G|T)?$' });

const application = string('Application name (DNS-1123 label).', { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 52 });

const version = object('Version of the app (image tag) and of its config.', {
  app: required(string('App version: the image tag.', { minLength: 1, maxLength: 63 })),
  config: required(string('Config version.', { minLength: 1, maxLength: 63 })),
});

const resources = object('Compute budget of one pod, platform sidecars included.', {
  cpu: required(quantity('CPU request of the pod.')),
  memory: required(quantity('Memory request and limit of the pod.')),
  cpuLimit: required(quantity('CPU limit of the pod.')),
  gpus: optional(integer('GPUs of the app container.', { minimum: 0 }), 0),
});

const ports = list('Ports the app serves.', object('A port.', {
  name: required(string('Port name.', { maxLength: 15 })),
  port: required(integer('Port number.', { minimum: 1, maximum: 65535 })),
}), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] });

const workloadRef = (d: string): Schema => object(d, {
  apiVersion: required(string('API version of the workload object.')),
  kind: required(string('Kind of the workload object.')),
  name: required(string('Name of the workload object.')),
});

/** The LiDeployment CRD spec. @internal */
export const LI_DEPLOYMENT_CRD: CrdSpec = {
  group: FLEET_GROUP,
  version: FLEET_VERSION,
  kind: 'LiDeployment',
  plural: 'lideployments',
  shortNames: ['lideploy'],
  scope: 'Namespaced',
  spec: object('A stateless application, as its owner wrote it.', {
    application: required(application),
    version: required(version),
    replicas: required(integer('Stable replicas.', { minimum: 1 })),
    resources: required(resources),
    canary: optional(object('A canary beside the stable replicas.', {
      replicas: required(integer('Canary pods.', { minimum: 1 })),
      version: required(version),
      workload: required(workloadRef('The canary workload object.')),
    })),
    ports: optional(ports, []),
    configMap: optional(string('Name of the immutable ConfigMap holding the app config (named after its content hash).')),
    workload: required(workloadRef('The stable workload object (Deployment or CloneSet).')),
    maxSurge: required(integer('Extra pods during a rollout.', { minimum: 0 })),
    maxUnavailable: required(integer('Pods that may be unavailable during a rollout.', { minimum: 0 })),
  }, [
    { rule: '!has(self.canary) || self.canary.replicas <= self.replicas', message: 'the canary must not be larger than the stable replicas' },
    { rule: 'self.maxSurge + self.maxUnavailable > 0', message: 'maxSurge and maxUnavailable must not both be 0' },
  ]),
  status: statusSchema('Observed rollout state.', {
    readyReplicas: optional(integer('Ready stable pods.', { minimum: 0 })),
    canaryReadyReplicas: optional(integer('Ready canary pods.', { minimum: 0 })),
  }),
  printerColumns: [
    { name: 'Version', type: 'string', jsonPath: '.spec.version.app' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Canary', type: 'string', jsonPath: '.spec.canary.version.app' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
  ],
};

/** Value of the LiStatefulSet disruption policy: evictions go through the stateful operator and the shard manager. @internal */
export const SHARD_MANAGER_COORDINATED = 'ShardManagerCoordinated';

/** The LiStatefulSet CRD spec. @internal */
export const LI_STATEFUL_SET_CRD: CrdSpec = {
  group: FLEET_GROUP,
  version: FLEET_VERSION,
  kind: 'LiStatefulSet',
  plural: 'listatefulsets',
  shortNames: ['lists'],
  scope: 'Namespaced',
  spec: object('A shard-managed stateful application on local SSD; the stateful operator coordinates every eviction with the shard manager.', {
    application: required(application),
    version: required(version),
    replicas: required(integer('Replicas (shard hosts).', { minimum: 1 })),
    resources: required(resources),
    storage: required(object('Local storage of each replica.', {
      size: required(quantity('Size of each replica\'s local volume.')),
      storageClassName: required(string('Local storage class.')),
      mountPath: required(string('Where the data is mounted.', { pattern: '^/' })),
    })),
    acmEndpoint: required(string('Endpoint of the shard manager the operator asks before moving a pod.', { pattern: '^https?://', minLength: 8 })),
    serviceName: required(string('Headless Service of the pods.')),
    workload: required(workloadRef('The StatefulSet (or Advanced StatefulSet).')),
    disruption: required(object('How pods are disrupted: only by the stateful operator; a PodDisruptionBudget allowing no voluntary eviction makes drains wait for it.', {
      policy: required(string('Who decides evictions.', { enum: [SHARD_MANAGER_COORDINATED] })),
      podDisruptionBudget: required(boolean('Whether the PodDisruptionBudget that blocks API evictions exists (always true).')),
      maxUnavailable: required(integer('Pods the PodDisruptionBudget lets the eviction API take down (always 0: the operator deletes pods itself).', { minimum: 0, maximum: 0 })),
    }, [{ rule: 'self.podDisruptionBudget && self.maxUnavailable == 0', message: 'a shard-managed workload has a PodDisruptionBudget that allows no voluntary eviction' }])),
  }),
  status: statusSchema('Observed state, written by the stateful operator.', {
    readyReplicas: optional(integer('Ready pods.', { minimum: 0 })),
    pendingEvictions: optional(integer('Evictions waiting for the shard manager.', { minimum: 0 })),
  }),
  printerColumns: [
    { name: 'Version', type: 'string', jsonPath: '.spec.version.app' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
    { name: 'Shard-Manager', type: 'string', jsonPath: '.spec.acmEndpoint', priority: 1 },
  ],
};

/** The LiDeployment CRD object. @internal */
export function liDeploymentCrd(): Record<string, unknown> {
  return customResourceDefinition(LI_DEPLOYMENT_CRD);
}

/** The LiStatefulSet CRD object. @internal */
export function liStatefulSetCrd(): Record<string, unknown> {
  return customResourceDefinition(LI_STATEFUL_SET_CRD);
}
