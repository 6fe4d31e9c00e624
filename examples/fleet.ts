/**
 * The example fleet, as a function so tests and benchmarks synthesize exactly
 * what the README's main job does.
 */
import { addControlPlanes } from './control-plane';
import { addExampleGuardrails } from './guardrails';
import { addExampleJobs } from './jobs';
import { addExampleMaintenance } from './maintenance';
import { addNodeAgents, addNodeProfiles } from './platform';
import { onboardExampleApps } from './tenancy';
import { addExampleWorkloads } from './workloads';
import { Cluster, Fleet, KubernetesPool } from '../src';

/** Options of the example fleet. */
export interface ExampleFleetOptions {
  /** Output directory. @default 'dist' */
  readonly outdir?: string;
}

/** Builds the example fleet. */
export function buildExampleFleet(options: ExampleFleetOptions = {}): Fleet {
  const fleet = new Fleet({
    outdir: options.outdir ?? 'dist',
    maintenanceZones: 20,
    kubernetesVersion: '1.28.9',
    hub: { region: 'lva1' },
  });

  // ---- machines and the node agents every pool requires --------------------
  const { general, highMemory, gpu, localSsd } = addNodeProfiles(fleet);
  const { logShipper, nodeMetrics, localVolumes } = addNodeAgents(fleet);
  const everyPool = [logShipper, nodeMetrics];

  // ---- clusters -------------------------------------------------------------
  const regions: Array<{ name: string; region: string; openKruise: boolean }> = [
    { name: 'lva1-prod-1', region: 'lva1', openKruise: false },
    { name: 'lva1-prod-2', region: 'lva1', openKruise: true },
    { name: 'ltx1-prod-1', region: 'ltx1', openKruise: true },
  ];
  const rolling: KubernetesPool[] = [];
  for (const r of regions) {
    const cluster = new Cluster(fleet, r.name, { region: r.region, openKruise: r.openKruise });
    const pool = cluster.addPool('general', { nodeProfile: general, capacity: 2400, requiredDaemonSets: everyPool });
    if (r.region === 'lva1') rolling.push(pool);
    cluster.addPool('high-memory', { nodeProfile: highMemory, capacity: 1010, requiredDaemonSets: everyPool });
    cluster.addPool('gpu', { nodeProfile: gpu, capacity: 200, requiredDaemonSets: everyPool });
    cluster.addPool('local-ssd', { nodeProfile: localSsd, capacity: 1003, requiredDaemonSets: [...everyPool, localVolumes] });
  }
  // the hub runs on a small general pool of its own
  fleet.hub.addPool('general', { nodeProfile: general, capacity: 40, requiredDaemonSets: everyPool });
  const onboarded = onboardExampleApps(fleet);
  addExampleGuardrails(fleet);
  addControlPlanes(fleet);

  addExampleWorkloads(fleet, onboarded);
  addExampleJobs(fleet, onboarded);
  addExampleMaintenance(fleet, rolling);
  return fleet;
}
