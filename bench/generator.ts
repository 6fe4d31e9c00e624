/**
 * A seeded generator of fleets of configurable size, realistic at the top end
 * (LinkedIn's published numbers): 100 workload clusters of ~5,000 nodes plus
 * the hub, 20 maintenance zones, 5 node profiles, the node agents every pool
 * requires, and 3,000 onboarded apps (200 of them stateful).
 *
 * The same seed always gives the same fleet, so runs are comparable.
 */
import { addNodeAgents, addNodeProfiles } from '../examples/platform';
import { AppNamespace, Cluster, Cpu, Fleet, Guardrails, LiDeployment, LiStatefulSet, NodeProfile, PlatformPodTemplate, RequiredDaemonSet, Size, TenantClass } from '../src';

/** Options of {@link generateFleet}. */
export interface GenerateOptions {
  /** Onboarded apps, stateful ones included. */
  readonly apps: number;
  /** How many of the apps are stateful (LiStatefulSet on local SSD). */
  readonly statefulApps: number;
  /** Workload clusters (the hub comes on top). */
  readonly clusters: number;
  /** Seed of the random choices. */
  readonly seed: number;
  /** Output directory of the fleet. */
  readonly outdir: string;
  /** An app (by index) whose image gets another tag, everything else the same: a one-app change. @default - none */
  readonly changedApp?: number;
}

/** What the generator decided about one app; workloads are built from it. */
export interface GeneratedApp {
  /** App (and namespace) name. */
  readonly name: string;
  /** Tenant class. */
  readonly tenant: TenantClass;
  /** Node profile name. */
  readonly nodeProfile: string;
  /** True for apps that run as a LiStatefulSet. */
  readonly stateful: boolean;
  /** Stable replicas. */
  readonly replicas: number;
  /** Canary replicas (0: no canary). */
  readonly canaryReplicas: number;
  /** CPU request of one pod, in millicores. */
  readonly cpuMillis: number;
  /** Memory request (and limit) of one pod, in MiB. */
  readonly memoryMiB: number;
  /** Container port. */
  readonly port: number;
  /** Pinned container image. */
  readonly image: string;
  /** Persistent volume size per replica in GiB (stateful apps only, else 0). */
  readonly volumeGiB: number;
}

/** A small, fast, seeded PRNG (mulberry32): numbers in [0, 1). */
export type Rng = () => number;

/** A seeded random number generator. */
export function seededRng(seed: number): Rng {
  /* eslint-disable no-bitwise */
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /* eslint-enable no-bitwise */
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function between(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

const WORDS = [
  'feed', 'profile', 'search', 'messaging', 'jobs', 'ads', 'notifications', 'identity', 'graph', 'media',
  'learning', 'sales', 'talent', 'pages', 'groups', 'events', 'payments', 'trust', 'growth', 'analytics',
];
const ROLES = ['api', 'frontend', 'backend', 'indexer', 'ranker', 'gateway', 'worker', 'store', 'cache', 'router'];
const REGIONS = ['lva1', 'ltx1', 'lor1', 'lsg1'];

/** CPU of the platform's sd-proxy sidecar in every app pod, in millicores. */
const SIDECAR_CPU_MILLIS = 100;

/**
 * An app's pod CPU request in millicores for a size drawn from the sizes apps
 * ask for. On a node profile with the static CPU manager a Guaranteed pod's app
 * container gets whole cores, so an app there asks whole cores (at least one)
 * on top of the sidecar's share, as the workload.resources.pinned-cpu rule
 * requires; elsewhere it asks the drawn size as it is.
 */
function podCpuMillis(drawnMillis: number, staticCpuManager: boolean): number {
  return staticCpuManager ? Math.max(1, Math.ceil(drawnMillis / 1000)) * 1000 + SIDECAR_CPU_MILLIS : drawnMillis;
}

/** The app → spec map of every generated fleet. */
const SPECS = new WeakMap<AppNamespace, GeneratedApp>();

/** The generator's decisions about the app of a namespace, if it was generated. */
export function generatedAppOf(ns: AppNamespace): GeneratedApp | undefined {
  return SPECS.get(ns);
}

/**
 * Adds an app's workloads to its namespace, exactly as an app developer would:
 * stateless apps get a LiDeployment (with a canary of `app.canaryReplicas` pods
 * when > 0), stateful apps a LiStatefulSet with `app.volumeGiB` of local SSD per
 * replica. `rng` is seeded per app, so the rest of the fleet stays the same.
 */
export function addAppWorkloads(ns: AppNamespace, app: GeneratedApp, rng: Rng): void {
  const resources = { cpu: Cpu.millis(app.cpuMillis), memory: Size.mebibytes(app.memoryMiB) };
  const version = { app: app.image.slice(app.image.lastIndexOf(':') + 1), config: `2026-11-${String(between(rng, 1, 28)).padStart(2, '0')}.1` };
  const ports = [{ name: 'http', port: app.port }];
  if (app.stateful) {
    new LiStatefulSet(ns, app.name, {
      application: app.name,
      version,
      replicas: app.replicas,
      resources,
      ports,
      image: app.image,
      storage: Size.gibibytes(app.volumeGiB),
      acmEndpoint: `https://acm.internal/clusters/${app.name}`,
    });
    return;
  }
  new LiDeployment(ns, app.name, {
    application: app.name,
    version,
    replicas: app.replicas,
    resources,
    ports,
    image: app.image,
    config: { 'app.properties': `app.name=${app.name}\npool.size=${between(rng, 8, 64)}\n` },
    ...(app.canaryReplicas > 0 ? { canary: { count: app.canaryReplicas, version: { app: `${version.app}-rc1` } } } : {}),
  });
}

/**
 * Fleet-wide platform constructs: the platform pod template every app pod is
 * merged with, and the guardrails (defaults). Control planes are derived from
 * each cluster's capacity without anything declared.
 */
export function addPlatformExtras(fleet: Fleet, rng: Rng): void {
  new PlatformPodTemplate(fleet, 'platform-pod-template', {
    registry: 'registry.internal/apps',
    initContainers: [{
      name: 'pki-bootstrap',
      image: 'registry.internal/platform/pki-bootstrap:1.9.0',
      resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(64) },
      volumeMounts: [{ volume: 'pki', mountPath: '/var/run/pki', readOnly: false }],
    }],
    sidecars: [{
      name: 'sd-proxy',
      image: `registry.internal/platform/sd-proxy:2.${between(rng, 0, 9)}.1`,
      resources: { cpu: Cpu.millis(SIDECAR_CPU_MILLIS), memory: Size.mebibytes(128) },
      ports: [{ name: 'sd-proxy', containerPort: 15001 }],
      volumeMounts: [{ volume: 'pki', mountPath: '/var/run/pki' }],
    }],
    volumes: [{ name: 'pki', emptyDir: { memory: true, sizeLimit: Size.mebibytes(16) }, appMountPath: '/var/run/pki' }],
  });
  new Guardrails(fleet, 'guardrails', {});
}

/** The node profiles of the generated fleet: the example platform's, and a compute profile. */
function nodeProfiles(fleet: Fleet) {
  return {
    ...addNodeProfiles(fleet),
    compute: new NodeProfile(fleet, 'compute', { machine: { sku: 'cp-96c-192g', cpuCores: 96, memory: Size.gibibytes(192) } }),
  };
}

/** The node agents pools require: the example platform's, a security agent and the GPU device plugin. */
function nodeAgents(fleet: Fleet) {
  const securityAgent = new RequiredDaemonSet(fleet, 'security-agent', {
    image: 'registry.internal/platform/security-agent:2.11.0',
    resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(192) },
    env: { REPORT_ENDPOINT: 'https://security.internal/report' },
    clusterRules: [{ apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
  });
  const gpuPlugin = new RequiredDaemonSet(fleet, 'gpu-device-plugin', {
    image: 'nvcr.io/nvidia/k8s-device-plugin:v0.15.0',
    resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) },
    hostPaths: [{ name: 'device-plugins', hostPath: '/var/lib/kubelet/device-plugins', mountPath: '/var/lib/kubelet/device-plugins', readOnly: false }],
    privileged: true,
  });
  return { ...addNodeAgents(fleet), securityAgent, gpuPlugin };
}

/**
 * Generates a fleet: `clusters` workload clusters of ~5,000 nodes (5 pools, one
 * per node profile; GPU pools in every fourth cluster), the hub, and `apps`
 * onboarded apps, `statefulApps` of them stateful. Deterministic for a seed.
 */
export function generateFleet(opts: GenerateOptions): Fleet {
  const rng = seededRng(opts.seed);
  const fleet = new Fleet({ outdir: opts.outdir, maintenanceZones: 20, kubernetesVersion: '1.28.9', hub: { region: 'lva1' } });
  const profiles = nodeProfiles(fleet);
  const staticCpuManager = new Set(Object.values(profiles).filter(p => p.props.nodeConfig?.cpuManagerPolicy === 'static').map(p => p.profileName));
  const agents = nodeAgents(fleet);
  const everyPool = [agents.logShipper, agents.nodeMetrics, agents.securityAgent];

  for (let i = 0; i < opts.clusters; i++) {
    const region = REGIONS[i % REGIONS.length];
    const cluster = new Cluster(fleet, `${region}-prod-${Math.floor(i / REGIONS.length) + 1}`, { region, openKruise: i % 2 === 1 });
    const gpu = i % 4 === 0 ? between(rng, 10, 20) * 20 : 0;
    cluster.addPool('general', { nodeProfile: profiles.general, capacity: between(rng, 1900, 2300), requiredDaemonSets: everyPool });
    cluster.addPool('high-memory', { nodeProfile: profiles.highMemory, capacity: between(rng, 600, 800), requiredDaemonSets: everyPool });
    cluster.addPool('compute', { nodeProfile: profiles.compute, capacity: between(rng, 600, 800), requiredDaemonSets: everyPool });
    cluster.addPool('local-ssd', { nodeProfile: profiles.localSsd, capacity: between(rng, 500, 700), requiredDaemonSets: [...everyPool, agents.localVolumes] });
    if (gpu > 0) {
      cluster.addPool('gpu', { nodeProfile: profiles.gpu, capacity: gpu, requiredDaemonSets: [...everyPool, agents.gpuPlugin] });
    }
  }
  fleet.hub.addPool('general', { nodeProfile: profiles.general, capacity: 60, requiredDaemonSets: everyPool });
  addPlatformExtras(fleet, seededRng(opts.seed + 1));

  const stateless: Array<[string, number]> = [['general', 0.7], ['high-memory', 0.1], ['compute', 0.15], ['gpu', 0.05]];
  const statefulEvery = opts.statefulApps > 0 ? opts.apps / opts.statefulApps : Infinity;
  let statefulMade = 0;
  for (let i = 0; i < opts.apps; i++) {
    const stateful = statefulMade < opts.statefulApps && i >= Math.round(statefulMade * statefulEvery);
    if (stateful) statefulMade++;
    const name = `${pick(rng, WORDS)}-${pick(rng, ROLES)}-${i}`;
    let nodeProfile = 'local-ssd';
    if (!stateful) {
      const r = rng();
      let acc = 0;
      nodeProfile = stateless.find(([, w]) => (acc += w) > r)?.[0] ?? 'general';
    }
    const tenant: TenantClass = stateful ? 'stateful' : rng() < 0.05 ? 'batch' : 'stateless';
    const app: GeneratedApp = {
      name,
      tenant,
      nodeProfile,
      stateful,
      replicas: stateful ? pick(rng, [3, 3, 5]) : between(rng, 5, 40),
      canaryReplicas: !stateful && rng() < 0.3 ? 1 : 0, // at most 1 pod beside 5+ stable ones (see below)
      cpuMillis: podCpuMillis(pick(rng, [250, 500, 1000, 2000, 4000]), staticCpuManager.has(nodeProfile)),
      memoryMiB: pick(rng, [512, 1024, 2048, 4096, 8192]),
      port: 8080,
      image: `registry.internal/apps/${name}:1.${between(rng, 0, 99)}.${between(rng, 0, 9)}${opts.changedApp === i ? '-next' : ''}`,
      volumeGiB: stateful ? pick(rng, [100, 200, 500]) : 0,
    };
    const ns = new AppNamespace(fleet, name, { app: name, tenant, nodeProfile });
    SPECS.set(ns, app);
    addAppWorkloads(ns, app, seededRng(opts.seed * 1_000_003 + i));
  }
  return fleet;
}

/** Workload clusters for a number of apps at LinkedIn's ratio (100 clusters for 3,000 apps). */
export function clustersFor(apps: number): number {
  return Math.max(4, Math.round(apps / 30));
}

/** Stateful apps for a number of apps at the ratio (200 for 3,000). */
export function statefulAppsFor(apps: number): number {
  return Math.round((apps * 200) / 3000);
}
