/**
 * The baseline a user would otherwise write: every app as a cdk8s-plus-28
 * Deployment (and a canary Deployment where the app has one), a Service and a
 * PodDisruptionBudget, one cdk8s Chart per app, synthesized by cdk8s's own
 * `App.synth()`.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GeneratedApp } from './generator';

/** Builds the baseline cdk8s app for `apps`, writing into `outdir` on synth. */
export function buildBaselineApp(apps: readonly GeneratedApp[], outdir: string): App {
  const app = new App({ outdir });
  for (const a of apps) {
    const chart = new Chart(app, a.name, { namespace: a.name, disableResourceNameHashes: true });
    const tracks: Array<[string, number]> = [['stable', a.replicas]];
    if (a.canaryReplicas > 0) tracks.push(['canary', a.canaryReplicas]);
    for (const [track, replicas] of tracks) {
      const deployment = new kplus.Deployment(chart, track, {
        replicas,
        metadata: { labels: { 'app.kubernetes.io/name': a.name, 'fleet.cdk8s.io/track': track } },
        securityContext: { ensureNonRoot: true, user: 10001, group: 10001 },
        containers: [{
          name: 'app',
          image: a.image,
          portNumber: a.port,
          resources: {
            cpu: { request: kplus.Cpu.millis(a.cpuMillis) },
            memory: { request: Size.mebibytes(a.memoryMiB), limit: Size.mebibytes(a.memoryMiB) },
          },
          securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, user: 10001, group: 10001 },
        }],
      });
      if (track === 'stable') {
        deployment.exposeViaService({ name: a.name, ports: [{ port: 80, targetPort: a.port }] });
      }
    }
    new kplus.k8s.KubePodDisruptionBudget(chart, 'pdb', {
      metadata: { name: a.name },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': a.name } },
        maxUnavailable: kplus.k8s.IntOrString.fromString('10%'),
      },
    });
  }
  return app;
}
