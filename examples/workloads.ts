/**
 * Example workloads: the platform's pod template and a handful of realistic
 * apps — a stateless feed service with a canary, a stateless API federated
 * over the two clusters of lva1, a GPU inference service on
 * an OpenKruise cluster, and a Kafka-like shard-managed LiStatefulSet on
 * local SSD.
 */
import { grantExampleRoles } from './tenancy';
import { AppNamespace, AppNamespaceProps, Cluster, Cpu, Fleet, LiDeployment, LiStatefulSet, PlatformPodTemplate, Size } from '../src';

/**
 * Adds the platform pod template and the example apps to a fleet built by
 * `buildExampleFleet`. Apps already onboarded (`onboarded`) get their
 * workloads in their existing namespace; others are onboarded here.
 */
export function addExampleWorkloads(fleet: Fleet, onboarded: readonly AppNamespace[] = []): void {
  const namespaceOf = (app: string, props: Omit<AppNamespaceProps, 'app'>) =>
    onboarded.find(ns => ns.appName === app) ?? grantExampleRoles(new AppNamespace(fleet, app, { app, owners: [`${app}-team`], ...props }));
  new PlatformPodTemplate(fleet, 'platform-pod-template', {
    registry: 'registry.internal/apps',
    initContainers: [{
      name: 'pki-bootstrap',
      image: 'registry.internal/platform/pki-bootstrap:1.9.0',
      args: ['--issuer=https://pki.internal/v1/issue', '--out=/var/run/pki'],
      resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(64) },
      volumeMounts: [{ volume: 'pki', mountPath: '/var/run/pki', readOnly: false }],
    }],
    sidecars: [
      {
        name: 'sd-proxy',
        image: 'registry.internal/platform/sd-proxy:2.3.1',
        args: ['--discovery=sd.internal:7000', '--listen=:15001'],
        resources: { cpu: Cpu.millis(250), memory: Size.mebibytes(256) },
        ports: [{ name: 'sd-proxy', containerPort: 15001 }],
        volumeMounts: [{ volume: 'pki', mountPath: '/var/run/pki' }],
        readinessProbe: { path: '/ready', port: 'sd-proxy' },
      },
      {
        name: 'log-forwarder',
        image: 'registry.internal/platform/log-forwarder:0.8.4',
        args: ['--input=/var/log/app', '--output=kafka://logs.internal:9092'],
        resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) },
        volumeMounts: [{ volume: 'app-logs', mountPath: '/var/log/app' }],
      },
    ],
    volumes: [
      { name: 'pki', emptyDir: { memory: true, sizeLimit: Size.mebibytes(16) }, appMountPath: '/var/run/pki' },
      { name: 'app-logs', emptyDir: { sizeLimit: Size.gibibytes(2) }, appMountPath: '/var/log/app', appMountReadOnly: false },
    ],
    podLabels: { 'fleet.cdk8s.io/pki': 'enabled' },
    podAnnotations: { 'prometheus.io/scrape': 'true' },
    appEnv: { SD_PROXY_ADDR: 'localhost:15001', PKI_DIR: '/var/run/pki' },
  });
  const kruiseCluster = fleet.node.findChild('lva1-prod-2') as Cluster;

  // a stateless feed service with a 5% canary of the next version
  const feed = namespaceOf('feed', { tenant: 'stateless', nodeProfile: 'general' });
  new LiDeployment(feed, 'feed', {
    application: 'feed',
    version: { app: '1.42.0', config: '2026-11-20.1' },
    replicas: 40,
    resources: { cpu: Cpu.units(4), memory: Size.gibibytes(8) },
    canary: { percent: 5, version: { app: '1.43.0', config: '2026-11-20.1' } },
    config: { 'feed.properties': 'ranking.model=v12\nfanout.limit=500\n' },
  });

  // a federated stateless API: its namespace spans both clusters of lva1 (a Deployment there, a CloneSet on the
  // OpenKruise cluster), its replicas divided by capacity so that the loss of either cluster leaves at least half
  const members = namespaceOf('members-api', {
    tenant: 'stateless',
    nodeProfile: 'general',
    regions: ['lva1'],
    federation: { clusters: 2, survive: 'one-cluster-loss' },
  });
  new LiDeployment(members, 'members-api', {
    application: 'members-api',
    version: { app: '2.8.0', config: '2026-11-28.1' },
    replicas: 24,
    resources: { cpu: Cpu.units(2), memory: Size.gibibytes(4) },
    // the canary runs in the namespace's first cluster only; the other cluster follows once it is promoted
    canary: { count: 1, version: { app: '2.9.0', config: '2026-11-28.1' } },
    config: { 'members.properties': 'cache.ttl=300\n' },
  });

  // a GPU inference service, on a cluster running OpenKruise (CloneSet)
  const ranker = namespaceOf('ranker', { tenant: 'stateless', nodeProfile: 'gpu', cluster: kruiseCluster });
  new LiDeployment(ranker, 'ranker', {
    application: 'ranker',
    version: { app: '4.1.0' },
    replicas: 8,
    resources: { cpu: Cpu.units(16), memory: Size.gibibytes(96), gpus: 2 },
    ports: [{ name: 'grpc', port: 9000 }, { name: 'http', port: 8080 }],
    probes: { readiness: { port: 'http' }, liveness: { port: 'http' }, startup: { port: 'http', failureThreshold: 120 } },
  });

  // a Kafka-like data system holding shards on local SSD, coordinated with the shard manager
  const kafka = namespaceOf('kafka-tracking', { tenant: 'stateful', nodeProfile: 'local-ssd' });
  new LiStatefulSet(kafka, 'kafka', {
    application: 'kafka-tracking',
    version: { app: '3.7.1-li.4' },
    replicas: 12,
    resources: { cpu: Cpu.units(12), memory: Size.gibibytes(64) },
    storage: Size.tebibytes(6),
    acmEndpoint: 'https://acm.internal/clusters/kafka-tracking',
    ports: [{ name: 'kafka', port: 9092 }, { name: 'http', port: 8080 }],
    probes: { readiness: { port: 'http' }, liveness: { port: 'http' }, startup: { port: 'http' } },
  });
}
