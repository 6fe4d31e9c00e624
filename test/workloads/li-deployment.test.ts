import { FEED, all, allIn, find, workloadFleet } from './support';
import { AppNamespace, Cpu, LiDeployment, Labels, NodeProfile, PlatformPodTemplate, Size } from '../../src';
import { configMapName } from '../../src/workloads/config-hash';
import { AppLabels } from '../../src/workloads/pod';
import { planRollout } from '../../src/workloads/rollout';
import { restrictedProblems } from '../support/pod-security';
import { describeWithSchemas, validateAll } from '../support/schemas';

function synthFeed(props: Partial<typeof FEED> = {}, options: { openKruise?: boolean } = {}) {
  const f = workloadFleet(options);
  const d = new LiDeployment(f.ns, 'feed', { ...FEED, ...props });
  return { ...f, d, result: f.fleet.synthesize() };
}

describeWithSchemas('LiDeployment output is schema-valid', () => {
  test('plain Kubernetes: every object validates strictly (v1.28.0, generated CRDs with CEL)', () => {
    const { result } = synthFeed({ canary: { percent: 10, version: { app: '1.43.0-rc.1' } } });
    expect(validateAll(result.objects)).toEqual([]);
  });

  test('OpenKruise: CloneSets validate against the OpenKruise CRD, and their pod templates against v1.28.0', () => {
    const { result } = synthFeed({ canary: { count: 1, version: { app: '1.43.0' } } }, { openKruise: true });
    expect(validateAll(result.objects)).toEqual([]);
    const clonesets = all(result.objects, 'CloneSet');
    expect(clonesets.map(c => c.metadata.name).sort()).toEqual(['feed', 'feed-canary']);
    expect(all(result.objects, 'Deployment').filter(d => d.metadata.namespace === 'feed')).toEqual([]);
    const templates = clonesets.map(c => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: c.metadata.name, namespace: 'feed' }, template: c.spec.template }));
    expect(validateAll(templates)).toEqual([]);
  });
});

describe('the merged pod spec, field by field', () => {
  const { result } = synthFeed({ env: { FEED_MODE: 'ranked' }, labels: { team: 'feed-infra' }, annotations: { 'feed.example.com/owner': 'feed-team' } });
  const dep = find(result.objects, 'Deployment', 'feed');
  const pod = dep.spec.template;
  const spec = pod.spec;
  const app = spec.containers[0];

  test('the app container comes first, runs the pinned image from the platform registry', () => {
    expect(app.name).toBe('feed');
    expect(app.image).toBe('registry.internal/apps/feed:1.42.0');
    expect(app.imagePullPolicy).toBe('IfNotPresent');
    expect(app.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('sidecars are carved out of the pod budget: requests = limits, memory limit = request', () => {
    // pod budget 2 CPU / 4Gi; sidecars 200m+50m / 128Mi+64Mi
    expect(app.resources).toEqual({ requests: { cpu: '1750m', memory: '3904Mi' }, limits: { cpu: '1750m', memory: '3904Mi' } });
    expect(spec.containers.map((c: any) => c.name)).toEqual(['feed', 'sd-proxy', 'log-forwarder']);
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(c.resources.limits.memory).toBe(c.resources.requests.memory);
      expect(c.resources.limits.cpu).toBeDefined();
    }
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['pki-bootstrap']);
  });

  test('environment: the app\'s, the platform\'s and the downward API, in a stable order', () => {
    const names = app.env.map((e: any) => e.name);
    expect(names).toEqual(['APP_NAME', 'APP_VERSION', 'CONFIG_DIR', 'CONFIG_VERSION', 'FEED_MODE', 'SD_PROXY', 'NODE_NAME', 'POD_IP', 'POD_NAME', 'POD_NAMESPACE']);
    expect(app.env.find((e: any) => e.name === 'CONFIG_VERSION').value).toBe('7');
    expect(app.env.find((e: any) => e.name === 'POD_NAME').valueFrom.fieldRef.fieldPath).toBe('metadata.name');
  });

  test('volumes: a writable /tmp, the config (read-only), the platform\'s PKI volume', () => {
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['tmp', 'config', 'pki']);
    expect(app.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'config', mountPath: '/etc/app/config', readOnly: true },
      { name: 'pki', mountPath: '/var/run/pki', readOnly: true },
    ]);
    expect(spec.volumes[1].configMap.name).toBe(configMapName('feed', FEED.config!));
  });

  test('labels and annotations: the app\'s, the platform\'s, then the library\'s (selector, version, track)', () => {
    expect(pod.metadata.labels).toMatchObject({
      'team': 'feed-infra',
      'fleet.cdk8s.io/pki': 'enabled',
      [AppLabels.NAME]: 'feed',
      [Labels.TRACK]: 'stable',
      [AppLabels.VERSION]: '1.42.0',
      [AppLabels.CONFIG_VERSION]: '7',
      [AppLabels.PART_OF]: 'feed',
    });
    expect(pod.metadata.annotations).toEqual({ 'feed.example.com/owner': 'feed-team', 'sd-proxy.internal/inject': 'false' });
    expect(dep.spec.selector.matchLabels).toEqual({ [AppLabels.NAME]: 'feed', [Labels.TRACK]: 'stable' });
    expect(dep.metadata.labels[Labels.TRACK]).toBe('stable');
  });

  test('security: restricted Pod Security Standard, non-root, read-only root, no token', () => {
    expect(restrictedProblems(spec)).toEqual([]);
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    }
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.enableServiceLinks).toBe(false);
    expect(find(result.objects, 'ServiceAccount', 'feed').automountServiceAccountToken).toBe(false);
  });

  test('probes: startup, readiness and liveness on the first port', () => {
    expect(app.readinessProbe).toMatchObject({ httpGet: { path: '/health/ready', port: 'http' }, periodSeconds: 10, failureThreshold: 3 });
    expect(app.livenessProbe).toMatchObject({ httpGet: { path: '/health/live', port: 'http' }, failureThreshold: 6 });
    expect(app.startupProbe).toMatchObject({ httpGet: { path: '/health/live' }, periodSeconds: 5, failureThreshold: 60 });
  });

  test('placement: the namespace\'s node profile, a priority class', () => {
    expect(spec.nodeSelector).toEqual({ [Labels.NODE_PROFILE]: 'general' });
    expect(spec.priorityClassName).toBe('fleet-stateless');
    expect(spec.tolerations).toBeUndefined();
    const pcs = all(result.objects, 'PriorityClass').map(p => p.metadata.name).sort();
    expect(pcs).toEqual(['fleet-stateful', 'fleet-stateless']);
  });

  test('spread over maintenance zones (hard) and hosts (soft), selecting exactly this track\'s pods', () => {
    const [zone, host] = spec.topologySpreadConstraints;
    expect(zone).toMatchObject({ topologyKey: Labels.MAINTENANCE_ZONE, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor' });
    expect(host).toMatchObject({ topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' });
    for (const c of spec.topologySpreadConstraints) {
      expect(c.labelSelector.matchLabels).toEqual(dep.spec.selector.matchLabels);
      for (const [k, v] of Object.entries(c.labelSelector.matchLabels)) expect(pod.metadata.labels[k]).toBe(v);
    }
  });

  test('probe overrides replace only what they name', () => {
    const { result: r } = synthFeed({ probes: { readiness: { path: '/ready', periodSeconds: 5 }, liveness: { command: ['/bin/healthcheck'] } } });
    const c = find(r.objects, 'Deployment', 'feed').spec.template.spec.containers[0];
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5, failureThreshold: 3 });
    expect(c.livenessProbe.exec).toEqual({ command: ['/bin/healthcheck'] });
    expect(c.livenessProbe.httpGet).toBeUndefined();
  });
});

describe('rollout, disruption budget and progress deadline', () => {
  test('the PDB allows exactly the rollout\'s unavailability, never 0', () => {
    for (const [replicas, maxUnavailable] of [[10, '10%'], [3, '10%'], [40, '25%'], [1, 0], [5, 2]] as const) {
      const { result } = synthFeed({ replicas, maxUnavailable, maxSurge: 1 });
      const dep = find(result.objects, 'Deployment', 'feed');
      const pdb = find(result.objects, 'PodDisruptionBudget', 'feed');
      const mu = dep.spec.strategy.rollingUpdate.maxUnavailable;
      expect(pdb.spec.maxUnavailable).toBe(Math.max(1, mu));
      expect(pdb.spec.maxUnavailable).toBeGreaterThanOrEqual(1);
      expect(pdb.spec.selector).toEqual(dep.spec.selector);
      expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    }
  });

  test('maxSurge rounds up and maxUnavailable down, as the Deployment controller does', () => {
    const dep = find(synthFeed({ replicas: 10 }).result.objects, 'Deployment', 'feed');
    expect(dep.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 1 } });
  });

  test('progressDeadlineSeconds follows the pods\' startup budget', () => {
    const fast = find(synthFeed().result.objects, 'Deployment', 'feed').spec.progressDeadlineSeconds;
    const slow = find(synthFeed({ probes: { startup: { periodSeconds: 10, failureThreshold: 90 } } }).result.objects, 'Deployment', 'feed').spec.progressDeadlineSeconds;
    // default: 2 × (120s pull + 300s startup + 10s readiness + 10s minReady)
    expect(fast).toBe(880);
    expect(slow).toBe(2 * (120 + 900 + 10 + 10));
    expect(fast).toBe(planRollout(10, '25%', '10%', { startupSeconds: 300, readinessSeconds: 10, minReadySeconds: 10 }).progressDeadlineSeconds);
  });

  test('OpenKruise CloneSet carries the same rollout in updateStrategy', () => {
    const cs = find(synthFeed({}, { openKruise: true }).result.objects, 'CloneSet', 'feed');
    expect(cs.apiVersion).toBe('apps.kruise.io/v1alpha1');
    expect(cs.spec.updateStrategy).toEqual({ type: 'InPlaceIfPossible', maxSurge: 3, maxUnavailable: 1 });
    expect(cs.spec.progressDeadlineSeconds).toBe(880);
    expect(cs.metadata.labels[Labels.TRACK]).toBe('stable');
  });
});

describe('canary', () => {
  const { result, d, ns } = synthFeed({ replicas: 20, canary: { percent: 10, version: { app: '1.43.0', config: '8' }, config: { 'log-level': 'debug' } } });

  test('a second workload with its own version, track label and replicas', () => {
    const canary = find(result.objects, 'Deployment', 'feed-canary');
    expect(canary.spec.replicas).toBe(2);
    expect(canary.metadata.labels[Labels.TRACK]).toBe('canary');
    expect(canary.spec.template.metadata.labels[Labels.TRACK]).toBe('canary');
    expect(canary.spec.selector.matchLabels[Labels.TRACK]).toBe('canary');
    expect(canary.spec.template.spec.containers[0].image).toBe('registry.internal/apps/feed:1.43.0');
    expect(find(result.objects, 'Deployment', 'feed').spec.replicas).toBe(20);
    expect(find(result.objects, 'PodDisruptionBudget', 'feed-canary').spec.maxUnavailable).toBe(1);
  });

  test('the Service sends traffic to both tracks', () => {
    const svc = find(result.objects, 'Service', 'feed');
    expect(svc.spec.selector).toEqual({ [AppLabels.NAME]: 'feed' });
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('the canary\'s config differs, so it gets its own immutable ConfigMap', () => {
    const cms = allIn(result.objects, 'ConfigMap', ns.namespaceName);
    expect(cms.length).toBe(2);
    for (const cm of cms) expect(cm.immutable).toBe(true);
    expect(find(result.objects, 'Deployment', 'feed-canary').spec.template.spec.volumes[1].configMap.name)
      .toBe(configMapName('feed', { ...FEED.config!, 'log-level': 'debug' }));
  });

  test('workload demand counts canary pods and surge', () => {
    const pod = { cpuMillis: 2000, memoryMiB: 4096, gpus: 0 };
    expect(d.workloadDemand).toEqual({ pods: 22, podRequests: pod, podLimits: pod, surgePods: 5 + 1 });
  });

  test('the LiDeployment custom resource keeps the intent beside its expansion', () => {
    const cr = find(result.objects, 'LiDeployment', 'feed');
    expect(cr.spec).toMatchObject({
      application: 'feed',
      version: { app: '1.42.0', config: '7' },
      replicas: 20,
      canary: { replicas: 2, version: { app: '1.43.0', config: '8' }, workload: { kind: 'Deployment', name: 'feed-canary' } },
      workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'feed' },
      resources: { cpu: '2', memory: '4Gi', cpuLimit: '2' },
    });
  });
});

describe('config as an immutable ConfigMap named after its content', () => {
  const cmName = (props: Partial<typeof FEED>) => {
    const { result, ns } = synthFeed(props);
    return allIn(result.objects, 'ConfigMap', ns.namespaceName).map(c => c.metadata.name);
  };

  test('a config change changes the name and the pod template; other changes do not', () => {
    const base = cmName({});
    expect(cmName({ replicas: 30 })).toEqual(base);
    expect(cmName({ version: { app: '1.43.0', config: '7' } })).toEqual(base);
    expect(cmName({ config: { 'log-level': 'info', 'feed.properties': 'ranking.model=v12\n' } })).toEqual(base);
    expect(cmName({ config: { ...FEED.config!, 'log-level': 'warn' } })).not.toEqual(base);
    const a = find(synthFeed({}).result.objects, 'Deployment', 'feed').spec.template;
    const b = find(synthFeed({ config: { ...FEED.config!, 'log-level': 'warn' } }).result.objects, 'Deployment', 'feed').spec.template;
    expect(a).not.toEqual(b);
  });

  test('no config, no ConfigMap and no config volume', () => {
    const { result, ns } = synthFeed({ config: undefined });
    expect(allIn(result.objects, 'ConfigMap', ns.namespaceName)).toEqual([]);
    // the only ConfigMap left in the output is the platform's kube-proxy configuration
    expect(all(result.objects, 'ConfigMap').map(c => `${c.metadata.namespace}/${c.metadata.name}`)).toEqual(['kube-system/kube-proxy']);
    expect(find(result.objects, 'Deployment', 'feed').spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['tmp', 'pki']);
  });

  test('the synth output is byte-for-byte stable', () => {
    const a = synthFeed({ canary: { count: 1, version: { app: '2.0.0' } } }).result.files;
    const b = synthFeed({ canary: { count: 1, version: { app: '2.0.0' } } }).result.files;
    const strip = (m: ReadonlyMap<string, string>) => [...m.entries()].filter(([k]) => !k.startsWith('node-profiles'));
    expect(strip(a)).toEqual(strip(b));
  });
});

describe('platform template', () => {
  test('a cluster override replaces the fleet template\'s props for that cluster only', () => {
    const f = workloadFleet();
    new PlatformPodTemplate(f.cluster, 'platform', { registry: 'registry.lva1.internal', sidecars: [] });
    new LiDeployment(f.ns, 'feed', FEED);
    const dep = find(f.fleet.synthesize().objects, 'Deployment', 'feed');
    expect(dep.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['feed']);
    expect(dep.spec.template.spec.containers[0].image).toBe('registry.lva1.internal/feed:1.42.0');
    expect(dep.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['pki-bootstrap']);
    expect(dep.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '2', memory: '4Gi' });
  });

  test('GPUs go to the app container under the profile\'s resource name, and taints are tolerated', () => {
    const f = workloadFleet();
    const gpu = new NodeProfile(f.fleet, 'gpu', {
      machine: { cpuCores: 96, memory: Size.gibibytes(768), gpus: 8 },
      taints: [{ key: 'fleet.cdk8s.io/gpu', value: 'true', effect: 'NoSchedule' }],
    });
    f.cluster.addPool('gpu', { nodeProfile: gpu, capacity: 20 });
    const ns = new AppNamespace(f.fleet, 'infer', { app: 'ranker', tenant: 'stateless', nodeProfile: gpu });
    new LiDeployment(ns, 'ranker', { application: 'ranker', version: { app: '4.1.0' }, replicas: 4, resources: { cpu: Cpu.units(16), memory: Size.gibibytes(96), gpus: 2 } });
    const result = f.fleet.synthesize();
    const spec = find(result.objects, 'Deployment', 'ranker').spec.template.spec;
    expect(spec.containers[0].resources.requests['nvidia.com/gpu']).toBe('2');
    expect(spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('2');
    expect(spec.tolerations).toEqual([{ key: 'fleet.cdk8s.io/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(spec.nodeSelector).toEqual({ [Labels.NODE_PROFILE]: 'gpu' });
  });
});
