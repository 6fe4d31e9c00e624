/**
 * Example tenancy: dozens of apps onboarded across tenant classes, node
 * profiles and clusters, with owners, granted roles and network allowances. Most are routed by capacity; a few are pinned. Their placements
 * are kept in `fleet.lock.json` beside this file.
 */
import * as path from 'path';
import { AppNamespace, Cluster, Cpu, Fleet, PlacementLock, Size, Subject, TenantClass } from '../src';

interface ExampleApp {
  readonly app: string;
  readonly tenant: TenantClass;
  readonly profile: 'general' | 'high-memory' | 'gpu' | 'local-ssd';
  /** Reserved cores. */
  readonly cores: number;
  /** Reserved memory in GiB. */
  readonly memoryGi: number;
  readonly pods: number;
  readonly gpus?: number;
  readonly pin?: string;
  readonly talksTo?: readonly string[];
}

const STATELESS = ['feed', 'profile', 'search-frontend', 'messaging', 'notifications', 'jobs-api', 'groups', 'ads-serving', 'identity',
  'comments', 'reactions', 'media-api', 'invitations', 'recommendations-api', 'learning-api', 'sales-navigator', 'talent-api', 'payments-api'];
const STATEFUL = ['espresso-member', 'espresso-content', 'venice-feed', 'venice-people', 'kafka-tracking', 'kafka-metrics', 'couchbase-sessions', 'zookeeper-main'];
const BATCH_GPU = ['feed-ranking-training', 'ads-ctr-training', 'search-embeddings', 'llm-inference-batch'];
const BATCH_MEMORY = ['graph-analytics', 'spark-etl', 'pinot-offline', 'samza-backfill', 'people-you-may-know', 'metrics-rollup'];

/** Sizes above are per datacenter slice; the example reserves this many slices per app. */
const SCALE = 4;

function apps(): ExampleApp[] {
  const out: ExampleApp[] = [];
  STATELESS.forEach((app, i) => out.push({
    app,
    tenant: 'stateless',
    profile: 'general',
    cores: 400 + 150 * (i % 7),
    memoryGi: 1600 + 600 * (i % 5),
    pods: 400 + 40 * (i % 9),
    // feed and its derived-data store are pinned together, so feed may reach it directly
    talksTo: app === 'feed' ? ['venice-feed'] : undefined,
    pin: app === 'identity' || app === 'feed' ? 'lva1-prod-1' : undefined,
  }));
  STATEFUL.forEach((app, i) => out.push({
    app,
    tenant: 'stateful',
    profile: 'local-ssd',
    cores: 1500 + 500 * (i % 4),
    memoryGi: 4000 + 1000 * (i % 3),
    pods: 300 + 60 * (i % 4),
    pin: app === 'zookeeper-main' ? 'ltx1-prod-1' : app === 'venice-feed' ? 'lva1-prod-1' : undefined,
  }));
  BATCH_GPU.forEach((app, i) => out.push({
    app, tenant: 'batch', profile: 'gpu', cores: 800 + 200 * i, memoryGi: 6000 + 1000 * i, pods: 60 + 10 * i, gpus: 120 + 40 * i,
  }));
  BATCH_MEMORY.forEach((app, i) => out.push({
    app, tenant: 'batch', profile: 'high-memory', cores: 2000 + 700 * (i % 3), memoryGi: 40000 + 10000 * (i % 4), pods: 500 + 100 * (i % 3),
  }));
  return out;
}

/** The example's roles of an app: engineering views, the app team and the deploy pipeline deploy, on-call administers. */
export function grantExampleRoles(ns: AppNamespace): AppNamespace {
  ns.grant('viewer', Subject.group('engineering'));
  ns.grant('deployer', Subject.group(`${ns.appName}-team`), Subject.serviceAccount('continuous-delivery', 'deployer'));
  ns.grant('admin', Subject.group(`${ns.appName}-oncall`));
  return ns;
}

/** Onboards the example apps onto the fleet (after its clusters and node profiles exist). */
export function onboardExampleApps(fleet: Fleet): AppNamespace[] {
  new PlacementLock(fleet, 'placements', { file: path.join(__dirname, 'fleet.lock.json') });
  const clusters = new Map(fleet.node.children.filter((c): c is Cluster => c instanceof Cluster).map(c => [c.clusterName, c]));
  const stateful = new Set(STATEFUL);
  const onboarded = apps().map(a => grantExampleRoles(new AppNamespace(fleet, `app-${a.app}`, {
    app: a.app,
    tenant: a.tenant,
    nodeProfile: a.profile,
    owners: [`${a.app}-team`],
    ...(a.pin ? { cluster: clusters.get(a.pin) } : {}),
    reserve: { cpu: Cpu.units(a.cores * SCALE), memory: Size.gibibytes(a.memoryGi * SCALE), pods: a.pods * SCALE, gpus: (a.gpus ?? 0) * 2 },
    network: {
      ingress: [
        // stateful stores serve apps of every cluster through the routable pod network
        stateful.has(a.app) ? { cidrs: ['10.0.0.0/8'], ports: [{ port: 8443 }] } : { namespaces: ['ingress-gateway'], ports: [{ port: 8443 }] },
      ],
      egress: [
        ...(a.talksTo ? [{ apps: a.talksTo, ports: [{ port: 8443 }] }] : []),
        { cidrs: ['10.40.0.0/16'], ports: [{ port: 443 }] }, // internal service mesh gateways
      ],
    },
    ...(a.tenant === 'batch' && a.profile === 'gpu' ? { podSecurity: 'baseline' as const, podSecurityReason: 'vendor CUDA images run with a fixed root group' } : {}),
  })));
  // feed reads its derived-data store directly (both are pinned to one cluster)
  const byApp = new Map(onboarded.map(ns => [ns.appName, ns]));
  byApp.get('venice-feed')!.allowFrom(byApp.get('feed')!, { ports: [{ port: 8443 }] });
  return onboarded;
}
