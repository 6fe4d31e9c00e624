/**
 * The approver of kubelet serving certificates. With `serverTLSBootstrap` the
 * kubelet asks for its serving certificate through a CertificateSigningRequest
 * for the `kubernetes.io/kubelet-serving` signer; the controller manager signs
 * approved requests, but its csrapproving controller approves only kubelet
 * client requests (a node could otherwise claim any DNS name or IP address). So
 * the cluster declares an approver: postfinance's kubelet-csr-approver, which
 * approves a serving request only when it comes from `system:node:<name>`, names
 * that node (a DNS-1123 name), its IP addresses lie in private ranges, and it
 * does not ask for a longer lifetime than the cluster signs.
 *
 * It runs in the platform namespace under restricted pod security, with a
 * ClusterRole limited to reading CSRs, updating their approval and `approve` on
 * the one signer (what v1.2.2 calls; it reads no other object); its
 * leader-election Lease and the events leader election records are a Role in
 * its own namespace. It registers a health check only (no readiness check, so
 * `/readyz` is not served): both probes ask `/healthz`.
 *
 * The system namespace denies all traffic by default; the approver's pods
 * may reach DNS and the kube-apiserver's port (on any address, as etcd-backup
 * reaches etcd: the apiserver runs on the control-plane hosts, outside the pod
 * network, so no pod or namespace selector can name it). Nothing scrapes its
 * metrics port, so no ingress is allowed; the kubelet's probes come from the
 * node itself, which NetworkPolicy implementations let through.
 */
import { k8s } from 'cdk8s-plus-28';
import { APISERVER_PORT } from './apiserver';
import { ControlPlaneSettings } from './settings';
import { renderPlatformAllowance } from '../core/network';
import { KubeObject } from '../synth/context';

/** Name of the approver's Deployment, ServiceAccount and RBAC objects. @internal */
export const SERVING_CSR_APPROVER = 'kubelet-serving-csr-approver';
/** Image of the approver, pinned (postfinance/kubelet-csr-approver). @internal */
export const SERVING_CSR_APPROVER_IMAGE = 'ghcr.io/postfinance/kubelet-csr-approver:v1.2.2';
/** The signer whose requests the approver approves. @internal */
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
/** The longest lifetime the approver can be told to allow (`max-expiration-sec`; above it, it exits at start-up): 367 days. @internal */
export const SERVING_CSR_APPROVER_MAX_EXPIRATION_SECONDS = 367 * 24 * 3600;
/** Node IPs the approver accepts in a serving certificate: the private ranges (RFC 1918, RFC 4193). @internal */
export const SERVING_CSR_IP_PREFIXES = '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7';

/** The ServiceAccount, RBAC, Deployment and PodDisruptionBudget of a cluster's serving-CSR approver. @internal */
export function renderServingCsrApprover(s: ControlPlaneSettings, namespace: string): KubeObject[] {
  const name = SERVING_CSR_APPROVER;
  const labels = { 'app.kubernetes.io/name': name };
  const sa = k8s.KubeServiceAccount.manifest({
    metadata: { name, namespace, labels },
    automountServiceAccountToken: false,
  }) as KubeObject;
  const clusterRole = k8s.KubeClusterRole.manifest({
    metadata: { name, labels },
    rules: [
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: [KUBELET_SERVING_SIGNER], verbs: ['approve'] },
    ],
  }) as KubeObject;
  const subjects = [{ kind: 'ServiceAccount', name, namespace }];
  const clusterRoleBinding = k8s.KubeClusterRoleBinding.manifest({
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects,
  }) as KubeObject;
  const role = k8s.KubeRole.manifest({
    metadata: { name, namespace, labels },
    rules: [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
    ],
  }) as KubeObject;
  const roleBinding = k8s.KubeRoleBinding.manifest({
    metadata: { name, namespace, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects,
  }) as KubeObject;
  const probe = (path: string): k8s.Probe => ({
    httpGet: { path, port: k8s.IntOrString.fromString('health') },
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 3,
  });
  const deployment = k8s.KubeDeployment.manifest({
    metadata: { name, namespace, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1), maxSurge: k8s.IntOrString.fromNumber(0) } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: true,
          priorityClassName: 'system-cluster-critical',
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [{
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: labels },
          }],
          containers: [{
            name: 'approver',
            image: SERVING_CSR_APPROVER_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            env: [
              { name: 'PROVIDER_REGEX', value: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
              { name: 'PROVIDER_IP_PREFIXES', value: SERVING_CSR_IP_PREFIXES },
              // the kubelet asks for no lifetime (the signer's duration applies); a request for more than the cluster signs is refused
              { name: 'MAX_EXPIRATION_SEC', value: String(Math.min(s.kubelet.certificateLifetimeHours * 3600, SERVING_CSR_APPROVER_MAX_EXPIRATION_SECONDS)) },
              { name: 'BYPASS_DNS_RESOLUTION', value: 'true' },
              { name: 'LEADER_ELECTION', value: 'true' },
              { name: 'METRICS_BIND_ADDRESS', value: ':8080' },
              { name: 'HEALTH_PROBE_BIND_ADDRESS', value: ':8081' },
            ],
            ports: [
              { name: 'metrics', containerPort: 8080, protocol: 'TCP' },
              { name: 'health', containerPort: 8081, protocol: 'TCP' },
            ],
            livenessProbe: probe('/healthz'),
            readinessProbe: probe('/healthz'),
            resources: {
              // memory limit = request: under memory pressure the kubelet evicts pods above their request first
              requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('128Mi') },
              limits: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('128Mi') },
            },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              runAsNonRoot: true,
              capabilities: { drop: ['ALL'] },
            },
          }],
        },
      },
    },
  }) as KubeObject;
  // node drains take the replicas down one at a time, so one is always there to take the lease over
  const disruptionBudget = k8s.KubePodDisruptionBudget.manifest({
    metadata: { name, namespace, labels },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: labels },
      // a crash-looping replica must never block a node drain
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  }) as KubeObject;
  const apiserverEgress = renderPlatformAllowance(namespace, {
    name: `${name}-apiserver`, podLabels: labels, direction: 'Egress', namespaces: [], cidrs: [], ports: [{ port: APISERVER_PORT, protocol: 'TCP' }],
  }) as KubeObject;
  return [sa, clusterRole, clusterRoleBinding, role, roleBinding, deployment, disruptionBudget, apiserverEgress];
}
