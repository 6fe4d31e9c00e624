/**
 * A strict JSON schema of `KubeSchedulerConfiguration` (kubescheduler.config.k8s.io/v1)
 * as of Kubernetes 1.28, written from the upstream Go types
 * (k8s.io/kube-scheduler/config/v1/types.go, k8s.io/component-base/config/v1alpha1
 * for LeaderElectionConfiguration, ClientConnectionConfiguration and
 * DebuggingConfiguration). No schema of this kind ships with the Kubernetes
 * OpenAPI definitions. Every object forbids fields the types do not have.
 */
const duration = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' };

const plugin = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string' }, weight: { type: 'integer' } },
};
const pluginSet = {
  type: 'object',
  additionalProperties: false,
  properties: { enabled: { type: 'array', items: plugin }, disabled: { type: 'array', items: plugin } },
};
const extensionPoints = [
  'preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit',
  'preBind', 'bind', 'postBind', 'multiPoint',
];

export const KUBE_SCHEDULER_CONFIGURATION_V1_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind'],
  properties: {
    apiVersion: { const: 'kubescheduler.config.k8s.io/v1' },
    kind: { const: 'KubeSchedulerConfiguration' },
    parallelism: { type: 'integer', minimum: 1 },
    leaderElection: {
      type: 'object',
      additionalProperties: false,
      properties: {
        leaderElect: { type: 'boolean' },
        leaseDuration: duration,
        renewDeadline: duration,
        retryPeriod: duration,
        resourceLock: { enum: ['leases', 'endpointsleases', 'configmapsleases'] },
        resourceName: { type: 'string' },
        resourceNamespace: { type: 'string' },
      },
    },
    clientConnection: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kubeconfig: { type: 'string' },
        acceptContentTypes: { type: 'string' },
        contentType: { type: 'string' },
        qps: { type: 'number' },
        burst: { type: 'integer' },
      },
    },
    enableProfiling: { type: 'boolean' },
    enableContentionProfiling: { type: 'boolean' },
    percentageOfNodesToScore: { type: 'integer', minimum: 0, maximum: 100 },
    podInitialBackoffSeconds: { type: 'integer', minimum: 1 },
    podMaxBackoffSeconds: { type: 'integer', minimum: 1 },
    profiles: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          schedulerName: { type: 'string' },
          percentageOfNodesToScore: { type: 'integer', minimum: 0, maximum: 100 },
          plugins: { type: 'object', additionalProperties: false, properties: Object.fromEntries(extensionPoints.map(p => [p, pluginSet])) },
          pluginConfig: {
            type: 'array',
            items: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' }, args: { type: 'object' } } },
          },
        },
      },
    },
    extenders: { type: 'array', items: { type: 'object' } },
    delayCacheUntilActive: { type: 'boolean' },
  },
} as const;
