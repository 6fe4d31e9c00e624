/**
 * Property: any input given through the public API ends in a valid synth or in
 * one FleetValidationError whose violations all carry a rule, a construct path
 * and a fix. Never another exception, never a hang, never a file outside the
 * output directory, never a partial output.
 *
 * fast-check builds small fleets (every construct, every prop, the verbs that
 * add to props) where each prop is mostly a sensible value and sometimes a
 * hostile one: negative, zero, NaN, ±Infinity, 1e308, 2**53, fractions,
 * empty / huge / unicode strings, invalid names and versions, Durations the
 * output cannot take, duplicates and values of the wrong type (as a JavaScript
 * caller could pass them). The seed is fixed, so every run checks the same
 * fleets.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AppNamespace, BatchJob, BatchPlatform, BatchQueue, Cluster, ControlPlane, Cpu, Fleet, FleetValidationError, Guardrails, LiDeployment, LiStatefulSet,
  NodeProfile, NodeRollout, NodeRolloutProps, PlacementLock, PlatformPodTemplate, RequiredDaemonSet, Subject, SynthResult,
} from '../../src';
import { describeWithSchemas, validateAll } from '../support/schemas';

/** Fleets checked per run. */
const RUNS = 2000;
/** Every Nth fleet is written with `synth()` into a fresh directory; the others are synthesized in memory. */
const WRITE_EVERY = 25;
/** The longest one fleet may take (construction, synth and checks). */
const MAX_CASE_MS = 3000;
const SEED = 20261202;

// ---------------------------------------------------------------------------
// hostile values

const HOSTILE_NUMBERS: readonly number[] = [-1, 0, NaN, Infinity, -Infinity, 1e308, 2 ** 53, 2.5, -0.5, 1e9, 100_000, Number.MIN_VALUE];
const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', 'UPPER', 'a_b', '-lead', 'trail-', 'dots.in.name', 'ünï-cødé', '名前', '../../escape', '/abs', 'x'.repeat(300),
  'a\nb', 'latest', '1.99', 'v1.28.9', '1.28', '1.27.9', '1.32.0', '1.28.9-rc.1', '*', '%', '10%', '-1m', 'NaN',
];
/** Values of the wrong type (a JavaScript caller can pass anything). */
const WRONG_TYPES: readonly unknown[] = [null, 7, -3, true, {}, [], 'seven', { length: 2 ** 53 }];

const hostileNumber = fc.constantFrom(...HOSTILE_NUMBERS);
const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const wrongType = fc.constantFrom(...WRONG_TYPES);

/**
 * The generator of fleet descriptions. `hostile`: props are mostly good, sometimes hostile, rarely
 * of the wrong type; otherwise every prop takes a good value, so the cases that remain invalid are
 * the ones the combination of good props (and the rare hostile choices of which object to name) makes invalid.
 */
function fleetSpecArbitrary(hostile: boolean) {
  /** Mostly `good`, sometimes a hostile value of the same kind, rarely the wrong type. */
  function prop<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>): fc.Arbitrary<T> {
    if (!hostile) return good;
    return fc.oneof(
      { weight: 40, arbitrary: good as fc.Arbitrary<unknown> },
      { weight: 2, arbitrary: bad },
      { weight: 1, arbitrary: wrongType },
    ) as fc.Arbitrary<T>;
  }
  const num = (good: fc.Arbitrary<number>) => prop(good, hostileNumber);
  const str = (good: fc.Arbitrary<string>) => prop(good, hostileString);
  /** An optional prop: absent one time in `absentOneIn`. */
  function opt<T>(a: fc.Arbitrary<T>, absentOneIn = 2): fc.Arbitrary<T | undefined> {
    return fc.option(a, { freq: absentOneIn, nil: undefined });
  }
  /** A prop that is mostly absent. */
  function rare<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
    return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
  }

  /** A time: mostly `good`, sometimes a Duration the output cannot take (a fraction, far too long), rarely the wrong type. */
  const duration = (good: Duration) =>
    prop(fc.constant(good), fc.constantFrom<unknown>(Duration.millis(1500), Duration.days(100_000), Duration.seconds(0)));

  /** A CPU quantity: built with the public factories, hostile amounts included. */
  const cpu = !hostile ? fc.integer({ min: 50, max: 500 }).map(m => Cpu.millis(m)) : fc.oneof(
    { weight: 30, arbitrary: fc.integer({ min: 50, max: 500 }).map(m => Cpu.millis(m)) },
    { weight: 2, arbitrary: hostileNumber.map(n => Cpu.millis(n)) },
    { weight: 2, arbitrary: hostileNumber.map(n => Cpu.units(n)) },
    { weight: 1, arbitrary: wrongType.map(w => ({ amount: w }) as unknown as Cpu) },
  );
  /** A memory quantity (cdk8s refuses negative sizes itself, so the hostile ones are NaN, ∞, huge). */
  const memory = (goodMiB: fc.Arbitrary<number>) => !hostile ? goodMiB.map(m => Size.mebibytes(m)) : fc.oneof(
    { weight: 30, arbitrary: goodMiB.map(m => Size.mebibytes(m)) },
    { weight: 2, arbitrary: fc.constantFrom(NaN, Infinity, 1e308, 2 ** 53, 0, 0.5).map(n => Size.gibibytes(n)) },
    { weight: 1, arbitrary: wrongType.map(w => w as unknown as Size) },
  );

  // ---------------------------------------------------------------------------
  // a fleet description: plain data, built into constructs per case

  const zones = !hostile ? fc.integer({ min: 1, max: 3 }) as fc.Arbitrary<number | readonly string[]> : fc.oneof(
    { weight: 20, arbitrary: fc.integer({ min: 1, max: 3 }) as fc.Arbitrary<number | readonly string[]> },
    { weight: 4, arbitrary: fc.constantFrom<readonly string[]>(['a', 'b'], ['mz-1'], ['z1', 'z2', 'z3']) },
    { weight: 2, arbitrary: hostileNumber },
    { weight: 1, arbitrary: fc.constantFrom<readonly string[]>([], ['a', 'a'], ['Bad Zone'], Array.from({ length: 70 }, (_, i) => `z${i}`)) },
    { weight: 1, arbitrary: wrongType },
  );
  const version = str(fc.constantFrom('1.28.9', '1.29.4', '1.30.2', '1.31.0'));
  const name = (base: string) => str(fc.constantFrom(base, `${base}-2`));

  const fleetSpec = fc.record({
    zones,
    version,
    systemNamespace: opt(name('fleet-system')),
    hub: opt(fc.record({ name: opt(name('hub')), region: opt(name('global')), kubernetesVersion: opt(version) })),
    profile: fc.record({
      name: name('general'),
      cpuCores: num(fc.integer({ min: 4, max: 64 })),
      memory: memory(fc.integer({ min: 16, max: 256 }).map(g => g * 1024)),
      gpus: opt(num(fc.integer({ min: 0, max: 2 }))),
      sku: opt(name('sku')),
      gpuResourceName: opt(str(fc.constantFrom('nvidia.com/gpu', 'amd.com/gpu'))),
      localSsd: opt(memory(fc.constant(4 * 1024 * 1024)), 5),
      nodeConfig: rare(fc.record({
        kubeletVersion: rare(str(fc.constantFrom('1.28.9', '1.27.3'))),
        maxPods: opt(num(fc.integer({ min: 10, max: 110 }))),
        kubeReserved: opt(fc.record({ cpu, memory: memory(fc.constant(1024)) })),
        systemReserved: opt(fc.record({ cpu, memory: memory(fc.constant(512)) })),
        evictionHard: opt(fc.record({
          memoryAvailable: opt(memory(fc.constant(500))),
          nodefsAvailablePercent: opt(num(fc.integer({ min: 5, max: 15 }))),
        })),
        cpuManagerPolicy: opt(str(fc.constantFrom('none', 'static'))),
        topologyManagerPolicy: opt(str(fc.constantFrom('none', 'best-effort'))),
        rotateCertificates: opt(prop(fc.constant(true), fc.constant(false))),
        featureGates: opt(prop(fc.constant({ GracefulNodeShutdown: true }), fc.constant({ 'bad gate': 'yes' }))),
      }, { requiredKeys: [] })),
      // a NoSchedule taint on the one profile leaves the platform's pods no pool (control-plane.platform-pods.unschedulable)
      taints: opt(prop(fc.constantFrom<Array<{ key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' }>>(
        [{ key: 'dedicated', value: 'general', effect: 'NoSchedule' }], [{ key: 'dedicated', value: 'general', effect: 'PreferNoSchedule' }]),
      fc.constant([{ key: 'Bad Key!', effect: 'Sometimes' }]))),
      nodeLabels: opt(prop(fc.constant({ team: 'infra' }), fc.constant({ 'bad key': 'x'.repeat(80) }))),
    }),
    agent: opt(fc.record({
      name: name('log-shipper'),
      image: str(fc.constantFrom('registry.internal/log-shipper:1.0.0', 'r/agent@sha256:' + 'a'.repeat(64))),
      cpu,
      memory: memory(fc.integer({ min: 64, max: 512 })),
      cpuLimit: rare(prop(fc.constant(Cpu.units(2)), cpu)),
      maxUnavailable: opt(prop(fc.constantFrom<number | string>('10%', 1, '25%'), fc.constantFrom<unknown>('50%', 0, -1, NaN, '1e9%', 2.5))),
      ports: opt(prop(fc.constant([{ name: 'metrics', containerPort: 9100 }]), fc.constant([{ name: 'Metrics_Port_Too_Long', containerPort: 70000 }]))),
      hostPaths: opt(prop(fc.constant([{ name: 'logs', hostPath: '/var/log', mountPath: '/host/logs' }]), fc.constant([{ name: 'x', hostPath: 'relative', mountPath: 5 }]))),
      env: opt(prop(fc.constant({ LOG_LEVEL: 'info' }), fc.constant({ '1BAD': 3 }))),
      runAsRoot: opt(prop(fc.constant(false), fc.constant(true))),
      clusterRules: opt(prop(fc.constant([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), fc.constant([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]))),
    }, { requiredKeys: ['name', 'image', 'cpu', 'memory'] })),
    cluster: fc.record({
      name: name('prod-1'),
      region: name('lva1'),
      kubernetesVersion: rare(version),
      openKruise: opt(prop(fc.boolean(), fc.constant('yes'))),
      labels: opt(prop(fc.constant({ tier: 'prod' }), fc.constant({ '': '' }))),
    }),
    pool: fc.record({
      name: name('general'),
      capacity: num(fc.integer({ min: 3, max: 60 })),
      minNodesPerZone: opt(num(fc.integer({ min: 0, max: 2 }))),
      maintenanceZones: rare(prop(fc.constant(undefined), fc.constantFrom<unknown>(['nowhere'], [], ['mz-01', 'mz-01'], ['mz-01']))),
      profileByName: fc.boolean(),
      secondPool: fc.constantFrom('none', 'none', 'distinct', 'distinct', 'same-name'),
      /** An agent required by the verb: the fleet's own (again), one of another fleet, or not an agent. */
      addAgent: rare(fc.constantFrom('own', 'foreign', 'not-an-agent')),
    }),
    controlPlane: opt(fc.record({
      domain: opt(str(fc.constant('prod-1.lva1.k8s.internal'))),
      replicas: opt(num(fc.constantFrom(1, 3, 5))),
      members: opt(num(fc.constantFrom(1, 3, 5))),
      eventsMembers: opt(num(fc.constantFrom(3))),
      splitEvents: opt(prop(fc.boolean(), fc.constant('no'))),
      quotaBackendBytes: opt(num(fc.constant(4 * 1024 ** 3))),
      roundTripMillis: opt(num(fc.integer({ min: 1, max: 50 }))),
      maxRequestsInflight: opt(num(fc.constant(800))),
      goawayChance: opt(num(fc.constant(0.001))),
      auditMaxAgeDays: opt(num(fc.constant(30))),
      schedule: opt(str(fc.constant('17 * * * *'))),
      retentionDays: opt(num(fc.constant(14))),
      // no backup at all (the control-plane.backup.none warning) or an object store whose one required field is the bucket
      backedUp: fc.boolean(),
      bucket: str(fc.constant('etcd-backups')),
      certificateLifetimeHours: opt(num(fc.constant(720))),
      certificateLifetime: rare(duration(Duration.days(30))),
      roundTrip: rare(duration(Duration.millis(10))),
      shares: opt(num(fc.constant(20))),
      acknowledgeNodesAbove5000: opt(num(fc.constant(6000))),
      unsafeProfiling: opt(prop(fc.constant(true), fc.constant('yes'))),
      extraResources: rare(prop(fc.constant(['configmaps']), fc.constantFrom<unknown>(5, 'configmaps', [null], ['Bad Resource']))),
    }, { requiredKeys: [] })),
    template: fc.boolean(),
    templateMaxCanary: opt(num(fc.constantFrom(10, 25))),
    templateProps: fc.record({
      sidecarCpu: cpu,
      sidecarName: name('proxy'),
      sidecars: rare(fc.constantFrom<unknown>('proxy', [null], [{ name: 'proxy' }])),
      registry: rare(str(fc.constant('registry.internal/apps'))),
      terminationGracePeriodSeconds: rare(num(fc.constant(30))),
      terminationGracePeriod: rare(duration(Duration.seconds(30))),
      podLabels: rare(prop(fc.constant({ 'fleet.cdk8s.io/pki': 'enabled' }), fc.constant({ 'a b': 'c' }))),
      minAppCpu: rare(cpu),
      priorityClasses: rare(prop(fc.constant([{ name: 'fleet-stateless', value: 1000, description: 'apps' }, { name: 'fleet-stateful', value: 2000, description: 'data' }]),
        fc.constant([{ name: 'system-x', value: 2 ** 53, description: 5 }]))),
    }, { requiredKeys: ['sidecarCpu', 'sidecarName'] }),
    app: opt(fc.record({
      app: name('feed'),
      tenant: str(fc.constantFrom('stateless', 'batch')),
      namespace: opt(name('feed')),
      reserveCpu: opt(cpu),
      reservePods: opt(num(fc.integer({ min: 0, max: 10 }))),
      headroom: opt(num(fc.integer({ min: 0, max: 50 }))),
      owners: opt(prop(fc.constant(['feed-team']), fc.constant(['']))),
      authorization: opt(prop(fc.constant([{ role: 'deployer', groups: ['feed-team'] }]), fc.constant([{ role: 'god', groups: ['system:authenticated'] }]))),
      ingressPort: opt(num(fc.constant(8080))),
      /** grant(): to a group, to nobody, to a subject that is not one, to everybody; allowFrom(): itself, another fleet's namespace, not a namespace. */
      grant: rare(fc.constantFrom('group', 'nobody', 'not-a-subject', 'system:authenticated')),
      allowFrom: rare(fc.constantFrom('self', 'foreign', 'not-a-namespace')),
      pin: rare(fc.constantFrom('own', 'hub', 'foreign', 'not-a-cluster')),
      /** regions and a federation over two clusters of the region (a second workload cluster is then added) */
      regions: rare(prop(fc.constant(['lva1']), fc.constantFrom<unknown>([], ['', 'x y'], ['lva1', 'lva1'], ['eu1']))),
      federation: rare(prop(
        fc.record({ clusters: fc.constant(2), survive: opt(fc.constantFrom('one-cluster-loss', 'none')), minAvailablePercent: opt(fc.integer({ min: 1, max: 100 })) }),
        fc.constantFrom<unknown>({ clusters: 1 }, { clusters: NaN }, { clusters: 2, survive: 5 }, { clusters: 9 }, { clusters: 2, minAvailablePercent: 1e308 }, 'two'),
      )),
      deployment: opt(fc.record({
        application: name('feed'),
        appVersion: str(fc.constantFrom('1.42.0', '2026.11.20')),
        replicas: num(fc.integer({ min: 20, max: 40 })),
        cpu,
        memory: memory(fc.integer({ min: 512, max: 4096 })),
        gpus: opt(num(fc.constant(0))),
        port: opt(num(fc.constant(8080))),
        canaryPercent: opt(num(fc.constantFrom(5, 10))),
        maxSurge: opt(prop(fc.constantFrom<number | string>('25%', 2), fc.constantFrom<unknown>('250%', -1, NaN, 1e308))),
        minReadySeconds: opt(num(fc.constant(10))),
        env: opt(prop(fc.constant({ MODE: 'prod' }), fc.constant({ 'BAD NAME': 'x' }))),
        config: opt(prop(fc.constant({ 'app.properties': 'a=1\n' }), fc.constant({ 'bad/key': 'x' }))),
        probePeriod: opt(num(fc.constant(10))),
        minReady: rare(duration(Duration.seconds(10))),
        probeTimeout: rare(duration(Duration.seconds(2))),
      }, { requiredKeys: ['application', 'appVersion', 'replicas', 'cpu', 'memory'] })),
      stateful: opt(fc.record({
        replicas: num(fc.integer({ min: 1, max: 6 })),
        storage: memory(fc.constant(100 * 1024)),
        acmEndpoint: str(fc.constant('https://acm.internal/clusters/kv')),
      })),
    }, { requiredKeys: ['app', 'tenant'] })),
    guardrails: opt(fc.record({
      maxSurgePercent: opt(num(fc.constant(50))),
      maxCanaryPercent: opt(num(fc.constant(25))),
      maxScaleDownFraction: opt(num(fc.constant(0.5))),
      protectedLabel: opt(str(fc.constant('fleet.cdk8s.io/protected'))),
      exemptions: rare(prop(fc.constant([{ rule: 'scale-down', target: 'prod-1/feed/feed', reason: 'migration' }]), fc.constantFrom<unknown>([{ rule: 'nope' }], 'all', [null]))),
      severities: rare(prop(fc.constant({ 'max-surge': 'warning' }), fc.constantFrom<unknown>({ 'max-surge': 'fatal' }, { unknown: 'error' }))),
      platformIdentities: rare(prop(fc.constant(['system:serviceaccount:argocd:argocd-application-controller']), fc.constantFrom<unknown>(['*'], [''], 'admin'))),
    }, { requiredKeys: [] })),
    /** the jobs platform: a regional quota of the profile, a queue, and a job in the app's namespace */
    batch: rare(fc.record({
      scheduler: opt(str(fc.constantFrom('volcano', 'kueue'))),
      region: name('lva1'),
      quotaCpu: cpu,
      quotaGpus: opt(num(fc.integer({ min: 0, max: 2 }))),
      weight: opt(num(fc.integer({ min: 1, max: 5 }))),
      maxBorrowPercent: opt(num(fc.constantFrom(0, 50))),
      maxLendPercent: opt(num(fc.constantFrom(0, 100))),
      preemptible: opt(prop(fc.boolean(), fc.constant('yes'))),
      priority: opt(str(fc.constantFrom('high', 'normal', 'low'))),
      job: opt(fc.record({
        image: str(fc.constant('registry.internal/spark:3.5.1')),
        replicas: num(fc.integer({ min: 1, max: 3 })),
        cpu,
        gpus: opt(num(fc.integer({ min: 0, max: 1 }))),
        gangSize: opt(num(fc.integer({ min: 1, max: 4 }))),
        retries: opt(num(fc.integer({ min: 0, max: 3 }))),
        schedule: rare(str(fc.constantFrom('0 3 * * *', '*/15 * * * *'))),
        deadline: rare(duration(Duration.hours(1))),
      }, { requiredKeys: ['image', 'replicas', 'cpu'] })),
    }, { requiredKeys: ['region', 'quotaCpu'] })),
    /** a node rollout over the pool or the cluster; the target is sometimes of another fleet or not a pool */
    rollout: rare(fc.record({
      /** the construct id is the rollout name: one a construct id can be, valid or not as a name */
      name: hostile ? fc.constantFrom('kubelet-1-28', 'kubelet-1-28', 'Bad_Name', 'x'.repeat(70)) : fc.constant('kubelet-1-28'),
      target: prop(fc.constantFrom('pool', 'cluster'), fc.constantFrom<unknown>('foreign', 'not-a-pool', 'none')),
      kubeletVersion: opt(str(fc.constantFrom('1.28.9', '1.27.4', '1.26.1'))),
      nodeConfig: opt(str(fc.constant('kcfg-2026-11'))),
      osImage: opt(str(fc.constant('azl3-2026.11.2'))),
      zoneOrder: rare(prop(fc.constant(['mz-03', 'mz-02', 'mz-01']), fc.constantFrom<unknown>(['mz-01', 'mz-01'], ['mz-99'], [7]))),
      zonesAtOnce: opt(num(fc.integer({ min: 1, max: 2 }))),
      completedZones: opt(num(fc.integer({ min: 0, max: 3 }))),
      soak: rare(duration(Duration.hours(1))),
      soakSeconds: rare(num(fc.constant(600))),
      second: rare(fc.constant(true)),
    }, { requiredKeys: ['name', 'target'] })),
    /** `'file'`: a lock file beside the output (written by a successful synth()); the others are hostile. */
    lockFile: rare(fc.constantFrom<unknown>('file', 'file', '', 42)),
    lock: opt(prop(fc.constant({ feed: { cluster: 'prod-1', namespace: 'feed', nodeProfile: 'general' } }), fc.constant({ feed: { cluster: 'Nowhere', namespace: '', nodeProfile: 5 } }))),
  });
  return fleetSpec;
}

/**
 * A quarter of the fleets are drawn without hostile props, so valid fleets are common (about one in eight with
 * the fixed seed) and the property does not hang on a threshold met by a few cases.
 */
const fleetSpec = fc.oneof({ weight: 3, arbitrary: fleetSpecArbitrary(true) }, { weight: 1, arbitrary: fleetSpecArbitrary(false) });

type FleetSpec = typeof fleetSpec extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------
// building a fleet from a description, through the public API only

/** Casts a generated value to the prop type: hostile values reach the constructs as a JavaScript caller would pass them. */
function as<T>(v: unknown): T {
  return v as T;
}

/** The lock file a fleet names, beside its output directory. */
const LOCK_FILE = 'fleet.lock.json';

function buildFleet(s: FleetSpec, outdir: string): Fleet {
  const fleet = new Fleet({
    outdir,
    maintenanceZones: as(s.zones),
    kubernetesVersion: s.version,
    systemNamespace: s.systemNamespace,
    hub: s.hub,
  });
  const p = s.profile;
  const profile = new NodeProfile(fleet, 'general', {
    name: p.name,
    machine: { cpuCores: p.cpuCores, memory: p.memory, gpus: p.gpus, sku: p.sku, gpuResourceName: p.gpuResourceName, localSsd: p.localSsd },
    nodeConfig: as(p.nodeConfig),
    taints: as(p.taints),
    nodeLabels: as(p.nodeLabels),
  });
  const agents: RequiredDaemonSet[] = [];
  if (s.agent) {
    const a = s.agent;
    agents.push(new RequiredDaemonSet(fleet, 'agent', {
      name: a.name,
      image: a.image,
      resources: { cpu: a.cpu, memory: a.memory, cpuLimit: a.cpuLimit },
      maxUnavailable: as(a.maxUnavailable),
      ports: as(a.ports),
      hostPaths: as(a.hostPaths),
      env: as(a.env),
      runAsRoot: a.runAsRoot,
      clusterRules: as(a.clusterRules),
    }));
  }
  const cluster = new Cluster(fleet, 'cluster', {
    name: s.cluster.name,
    region: s.cluster.region,
    kubernetesVersion: s.cluster.kubernetesVersion,
    openKruise: as(s.cluster.openKruise),
    labels: as(s.cluster.labels),
  });
  const pool = s.pool;
  const firstPool = cluster.addPool('pool', {
    name: pool.name,
    nodeProfile: pool.profileByName ? p.name : profile,
    capacity: pool.capacity,
    minNodesPerZone: pool.minNodesPerZone,
    maintenanceZones: as(pool.maintenanceZones),
    requiredDaemonSets: agents,
  });
  if (pool.addAgent === 'own' && agents[0]) firstPool.addRequiredDaemonSet(agents[0]);
  if (pool.addAgent === 'foreign') firstPool.addRequiredDaemonSet(new RequiredDaemonSet(new Fleet(), 'agent', { image: 'r/agent:1.0.0', resources: { cpu: Cpu.millis(10), memory: Size.mebibytes(16) } }));
  if (pool.addAgent === 'not-an-agent') firstPool.addRequiredDaemonSet(as('log-shipper'));
  if (pool.secondPool !== 'none') {
    cluster.addPool('pool-2', { name: pool.secondPool === 'distinct' ? 'second' : pool.name, nodeProfile: profile, capacity: 6, maintenanceZones: as(pool.maintenanceZones) });
  }
  if (s.controlPlane) {
    const c = s.controlPlane;
    new ControlPlane(cluster, 'control-plane', {
      domain: c.domain,
      apiserver: {
        replicas: c.replicas,
        maxRequestsInflight: c.maxRequestsInflight,
        goawayChance: c.goawayChance,
        auditLog: { maxAgeDays: c.auditMaxAgeDays },
        unsafe: { profiling: as(c.unsafeProfiling) },
        encryption: { extraResources: as(c.extraResources) },
      },
      etcd: {
        members: c.members,
        quotaBackendBytes: c.quotaBackendBytes,
        roundTripMillis: c.roundTripMillis,
        roundTrip: as(c.roundTrip),
        splitEvents: as(c.splitEvents),
        ...(c.eventsMembers !== undefined && c.splitEvents === true ? { events: { members: c.eventsMembers } } : {}),
      },
      backup: c.backedUp ? { schedule: c.schedule, retentionDays: c.retentionDays, objectStore: { endpoint: 'https://s3.example.net', bucket: as(c.bucket) } } : undefined,
      kubelet: { certificateLifetimeHours: c.certificateLifetimeHours, certificateLifetime: as(c.certificateLifetime) },
      apiPriority: { platformControllerShares: c.shares },
      acknowledgeNodesAbove5000: c.acknowledgeNodesAbove5000,
    });
  }
  if (s.template) {
    new PlatformPodTemplate(fleet, 'platform', {
      sidecars: as(s.templateProps.sidecars
        ?? [{ name: s.templateProps.sidecarName, image: 'registry.internal/platform/proxy:2.3.1', resources: { cpu: s.templateProps.sidecarCpu, memory: Size.mebibytes(64) } }]),
      maxCanaryPercent: s.templateMaxCanary,
      registry: s.templateProps.registry ?? 'registry.internal/apps',
      terminationGracePeriodSeconds: s.templateProps.terminationGracePeriodSeconds,
      terminationGracePeriod: as(s.templateProps.terminationGracePeriod),
      podLabels: as(s.templateProps.podLabels),
      minAppCpu: s.templateProps.minAppCpu,
      priorityClasses: as(s.templateProps.priorityClasses),
    });
  }
  if (s.app) {
    const a = s.app;
    const ns = new AppNamespace(fleet, 'app', {
      app: a.app,
      tenant: as(a.tenant),
      nodeProfile: p.name,
      namespace: a.namespace,
      owners: as(a.owners),
      authorization: as(a.authorization),
      reserve: a.reserveCpu !== undefined || a.reservePods !== undefined ? { cpu: a.reserveCpu, pods: a.reservePods } : undefined,
      quotaHeadroomPercent: a.headroom,
      cluster: as(a.pin === 'own' ? cluster : a.pin === 'hub' ? fleet.hub : a.pin === 'foreign' ? new Fleet().hub : a.pin === 'not-a-cluster' ? { clusterName: 'prod-1' } : undefined),
      network: a.ingressPort !== undefined ? { ingress: [{ namespaces: ['ingress'], ports: [{ port: a.ingressPort }] }] } : undefined,
      regions: as(a.regions),
      federation: as(a.federation),
    });
    if (a.federation !== undefined) {
      // a second cluster of the first one's region, with a pool of the profile, so a federation over two can be placed
      new Cluster(fleet, 'cluster-2', { name: 'second-cluster', region: s.cluster.region }).addPool('pool', { nodeProfile: profile, capacity: 8 });
    }
    if (a.grant === 'group') ns.grant('viewer', Subject.group('feed-oncall'));
    if (a.grant === 'nobody') ns.grant('deployer');
    if (a.grant === 'not-a-subject') ns.grant('deployer', as('feed-team'));
    if (a.grant === 'system:authenticated') ns.grant('viewer', Subject.group('system:authenticated'));
    if (a.allowFrom === 'self') ns.allowFrom(ns, { ports: [{ port: 8443 }] });
    if (a.allowFrom === 'foreign') ns.allowFrom(new AppNamespace(new Fleet(), 'other', { app: 'other', tenant: 'stateless', nodeProfile: 'general' }));
    if (a.allowFrom === 'not-a-namespace') ns.allowFrom(as('other'));
    if (a.deployment) {
      const d = a.deployment;
      new LiDeployment(ns, 'deployment', {
        application: d.application,
        version: { app: d.appVersion },
        replicas: d.replicas,
        resources: { cpu: d.cpu, memory: d.memory, gpus: d.gpus },
        ports: d.port !== undefined ? [{ name: 'http', port: d.port }] : undefined,
        canary: d.canaryPercent !== undefined ? { percent: d.canaryPercent, version: { app: '1.43.0' } } : undefined,
        maxSurge: as(d.maxSurge),
        minReadySeconds: d.minReadySeconds,
        minReady: as(d.minReady),
        env: as(d.env),
        config: as(d.config),
        probes: d.probePeriod !== undefined || d.probeTimeout !== undefined
          ? { readiness: { periodSeconds: d.probePeriod, timeout: as(d.probeTimeout) } }
          : undefined,
      });
    }
    if (a.stateful) {
      new LiStatefulSet(ns, 'stateful', {
        application: `${a.app}-kv`,
        version: { app: '3.1.0' },
        replicas: a.stateful.replicas,
        resources: { cpu: Cpu.units(2), memory: Size.gibibytes(8) },
        storage: a.stateful.storage,
        acmEndpoint: a.stateful.acmEndpoint,
      });
    }
  }
  if (s.batch) {
    const b = s.batch;
    const platform = new BatchPlatform(fleet, 'batch', {
      scheduler: as(b.scheduler),
      regionalQuotas: as({ [b.region]: { [p.name]: { cpu: b.quotaCpu, memory: Size.gibibytes(8), gpus: b.quotaGpus } } }),
    });
    const queue = new BatchQueue(platform, 'queue', {
      team: 'data',
      region: b.region,
      quota: as({ [p.name]: { cpu: b.quotaCpu, memory: Size.gibibytes(4), gpus: b.quotaGpus } }),
      weight: b.weight,
      maxBorrowPercent: b.maxBorrowPercent,
      maxLendPercent: b.maxLendPercent,
      preemptible: as(b.preemptible),
      priority: as(b.priority),
    });
    const jobNamespace = fleet.node.findAll().find((c): c is AppNamespace => c instanceof AppNamespace);
    if (b.job && jobNamespace) {
      const j = b.job;
      new BatchJob(jobNamespace, 'job', {
        queue,
        image: j.image,
        tasks: [{ name: 'worker', replicas: j.replicas, resources: { cpu: j.cpu, memory: Size.mebibytes(512), gpus: j.gpus } }],
        gangSize: j.gangSize,
        retries: j.retries,
        schedule: j.schedule,
        deadline: as(j.deadline),
      });
    }
  }
  if (s.rollout) {
    const r = s.rollout;
    const target = r.target === 'pool' ? firstPool : r.target === 'cluster' ? cluster : r.target === 'foreign' ? new Fleet().hub : r.target === 'not-a-pool' ? 'pool' : undefined;
    const props: NodeRolloutProps = {
      targets: as(target === undefined ? [] : [target]),
      kubeletVersion: r.kubeletVersion,
      nodeConfig: r.nodeConfig,
      osImage: r.osImage,
      zoneOrder: as(r.zoneOrder),
      zonesAtOnce: r.zonesAtOnce,
      completedZones: r.completedZones,
      soak: as(r.soak),
      soakSeconds: r.soakSeconds,
    };
    new NodeRollout(fleet, r.name, props);
    // a second rollout of the same pool: one unfinished rollout per pool, one zone of a cluster at once
    if (r.second) new NodeRollout(fleet, `${r.name}-again`, { ...props, targets: [firstPool], osImage: 'img-2' });
  }
  if (s.guardrails) new Guardrails(fleet, 'guardrails', as(s.guardrails));
  if (s.lock !== undefined || s.lockFile !== undefined) new PlacementLock(fleet, 'lock', { placements: as(s.lock), file: as(s.lockFile === 'file' ? path.join(path.dirname(outdir), LOCK_FILE) : s.lockFile) });
  return fleet;
}

// ---------------------------------------------------------------------------
// the property

interface Outcome {
  readonly kind: 'ok' | 'invalid';
  readonly result?: SynthResult;
  readonly rules?: readonly string[];
}

/** Every file below a directory, relative. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

function checkValidationError(e: unknown): readonly string[] {
  if (!(e instanceof FleetValidationError)) {
    throw new Error(`expected a FleetValidationError, got ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
  }
  expect(e.errors.length).toBeGreaterThan(0);
  for (const v of e.violations) {
    if (!(typeof v.rule === 'string' && v.rule.length > 0 && typeof v.path === 'string' && v.path.length > 0
      && typeof v.fix === 'string' && v.fix.trim().length > 0 && typeof v.message === 'string' && v.message.length > 0)) {
      throw new Error(`a violation lacks a rule, path, message or fix: ${JSON.stringify(v)}`);
    }
  }
  return e.errors.map(v => v.rule);
}

/** Synthesizes one fleet in memory. */
function synthInMemory(s: FleetSpec): Outcome {
  const fleet = buildFleet(s, path.join(os.tmpdir(), 'fleet-fuzz-never-written', 'dist'));
  try {
    return { kind: 'ok', result: fleet.synthesize({ overrides: [] }) };
  } catch (e) {
    return { kind: 'invalid', rules: checkValidationError(e) };
  }
}

/** Synthesizes one fleet with `synth()` into a fresh directory: all of it or nothing, nothing beside it. */
function synthToDisk(s: FleetSpec, root: string): Outcome {
  const parent = fs.mkdtempSync(path.join(root, 'case-'));
  const outdir = path.join(parent, 'dist');
  const fleet = buildFleet(s, outdir);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let outcome: Outcome;
  try {
    fleet.synth({ overrides: [] });
    const expected = fleet.synthesize({ overrides: [] });
    outcome = { kind: 'ok', result: expected };
    const written = listFiles(outdir).filter(f => !f.startsWith('.'));
    expect(written).toEqual([...expected.files.keys()].sort());
    for (const [f, content] of expected.files) expect(fs.readFileSync(path.join(outdir, f), 'utf8')).toBe(content);
  } catch (e) {
    outcome = { kind: 'invalid', rules: checkValidationError(e) };
    // a failed synth writes nothing: not the output, not a staging directory
    expect(fs.existsSync(outdir)).toBe(false);
  } finally {
    stderr.mockRestore();
  }
  // nothing outside the output directory, but the lock file the fleet names (updated by a successful synth)
  const allowed = outcome.kind === 'ok' && s.lockFile === 'file' ? ['dist', LOCK_FILE] : ['dist'];
  expect(fs.readdirSync(parent).filter(n => !allowed.includes(n))).toEqual([]);
  fs.rmSync(parent, { recursive: true, force: true });
  return outcome;
}

describe('any fleet ends in a valid synth or one FleetValidationError (property)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-fuzz-'));
  const samples: SynthResult[] = [];
  const rulesSeen = new Set<string>();
  let ok = 0;
  let invalid = 0;
  let slowest = 0;

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test(`${RUNS} generated fleets with hostile props (seed ${SEED})`, () => {
    let n = 0;
    fc.assert(fc.property(fleetSpec, s => {
      const started = Date.now();
      const outcome = n++ % WRITE_EVERY === 0 ? synthToDisk(s, root) : synthInMemory(s);
      const took = Date.now() - started;
      slowest = Math.max(slowest, took);
      expect(took).toBeLessThan(MAX_CASE_MS);
      if (outcome.kind === 'ok') {
        ok++;
        if (samples.length < 40 && ok % 5 === 1) samples.push(outcome.result!);
      } else {
        invalid++;
        for (const r of outcome.rules!) rulesSeen.add(r);
      }
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true });

    // both outcomes are common: the generator is neither all-valid nor all-broken
    expect(ok).toBeGreaterThan(RUNS / 20);
    expect(invalid).toBeGreaterThan(RUNS / 4);
    expect(rulesSeen.size).toBeGreaterThan(40);
    expect(slowest).toBeLessThan(MAX_CASE_MS);
  }, 120_000);

  describeWithSchemas('successful synths are schema-valid', () => {
    test('a sample of the fleets that synthesized validates strictly, each cluster against the Kubernetes release it runs', () => {
      expect(samples.length).toBeGreaterThan(5);
      for (const r of samples) {
        const crds = r.objects.filter(o => o.object.kind === 'CustomResourceDefinition');
        for (const cluster of r.spec.clusters.clusters) {
          const minor = cluster.kubernetesVersion.split('.')[1];
          const objects = r.objects.filter(o => o.cluster === cluster.name);
          expect(validateAll([...crds, ...objects], `v1.${minor}.0`)).toEqual([]);
        }
      }
    }, 60_000);
  });
});
