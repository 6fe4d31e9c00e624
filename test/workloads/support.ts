/**
 * Test support for workloads: a small fleet with a platform template, an app
 * namespace and helpers to find rendered objects.
 */
import { AppNamespace, Cluster, Cpu, EmittedObject, LiDeploymentProps, NodeProfile, PlatformPodTemplate, PlatformPodTemplateProps, Size } from '../../src';
import { smallFleet } from '../support/fleet';

/** The platform template of the tests: a PKI init container, a proxy and a log sidecar. */
export const TEST_TEMPLATE: PlatformPodTemplateProps = {
  registry: 'registry.internal/apps',
  initContainers: [{
    name: 'pki-bootstrap',
    image: 'registry.internal/platform/pki-bootstrap:1.9.0',
    args: ['--out=/var/run/pki'],
    resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(64) },
    volumeMounts: [{ volume: 'pki', mountPath: '/var/run/pki', readOnly: false }],
  }],
  sidecars: [
    {
      name: 'sd-proxy',
      image: 'registry.internal/platform/sd-proxy:2.3.1',
      resources: { cpu: Cpu.millis(200), memory: Size.mebibytes(128) },
      ports: [{ name: 'proxy', containerPort: 15001 }],
      volumeMounts: [{ volume: 'pki', mountPath: '/var/run/pki' }],
      readinessProbe: { path: '/ready', port: 'proxy' },
    },
    {
      name: 'log-forwarder',
      image: 'registry.internal/platform/log-forwarder:0.8.4',
      resources: { cpu: Cpu.millis(50), memory: Size.mebibytes(64) },
    },
  ],
  volumes: [{ name: 'pki', emptyDir: { memory: true, sizeLimit: Size.mebibytes(16) }, appMountPath: '/var/run/pki' }],
  podLabels: { 'fleet.cdk8s.io/pki': 'enabled' },
  podAnnotations: { 'sd-proxy.internal/inject': 'false' },
  appEnv: { SD_PROXY: 'localhost:15001' },
};

/** A small fleet (one general cluster) plus a local-SSD profile and pool, the test template and an app namespace. */
export function workloadFleet(options: { openKruise?: boolean; template?: PlatformPodTemplateProps } = {}) {
  const base = smallFleet();
  const { fleet, general, logs } = base;
  if (options.openKruise) (base.cluster.props as { openKruise?: boolean }).openKruise = true;
  const ssd = new NodeProfile(fleet, 'local-ssd', {
    machine: { cpuCores: 48, memory: Size.gibibytes(384), localSsd: Size.tebibytes(15) },
    taints: [{ key: 'fleet.cdk8s.io/local-ssd', value: 'true', effect: 'NoSchedule' }],
  });
  base.cluster.addPool('local-ssd', { nodeProfile: ssd, capacity: 20, requiredDaemonSets: [logs] });
  new PlatformPodTemplate(fleet, 'platform', options.template ?? TEST_TEMPLATE);
  const ns = new AppNamespace(fleet, 'feed-ns', { app: 'feed', tenant: 'stateless', nodeProfile: general });
  return { ...base, ssd, ns };
}

/** Props of a typical stateless app. */
export const FEED: LiDeploymentProps = {
  application: 'feed',
  version: { app: '1.42.0', config: '7' },
  replicas: 10,
  resources: { cpu: Cpu.units(2), memory: Size.gibibytes(4) },
  config: { 'feed.properties': 'ranking.model=v12\n', 'log-level': 'info' },
};

/** The one object of a kind (and name) in a synth result. */
export function find(objects: readonly EmittedObject[], kind: string, name?: string): any {
  const found = objects.filter(o => o.object.kind === kind && (name === undefined || o.object.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` '${name}'` : ''}, found ${found.length}`);
  return found[0].object;
}

/** Objects of one kind. */
export function all(objects: readonly EmittedObject[], kind: string): any[] {
  return objects.filter(o => o.object.kind === kind).map(o => o.object);
}

/** Objects of one kind in one namespace: an app's own, without the platform's (such as kube-proxy's ConfigMap in kube-system). */
export function allIn(objects: readonly EmittedObject[], kind: string, namespace: string): any[] {
  return all(objects, kind).filter(o => o.metadata.namespace === namespace);
}

export { Cluster };
