/**
 * Test support for tenancy: a minimal workload that states its demand, and a
 * fleet with several workload clusters.
 */
import { Construct } from 'constructs';
import { Cluster, Cpu, Fleet, FleetProps, INamespacedWorkload, NodeProfile, RequiredDaemonSet, Size, WorkloadDemand } from '../../src';
import { tmpOutdir } from '../support/fleet';

/** Props of {@link TestWorkload}. */
export interface TestWorkloadProps {
  readonly replicas: number;
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  readonly gpus?: number;
  readonly surge?: number;
  readonly canaries?: number;
}

/** A workload that only states its demand (tenancy does not care about the kind). */
export class TestWorkload extends Construct implements INamespacedWorkload {
  public readonly workloadDemand: WorkloadDemand;
  constructor(scope: Construct, id: string, p: TestWorkloadProps) {
    super(scope, id);
    const req = { cpuMillis: p.cpuMillis, memoryMiB: p.memoryMiB, gpus: p.gpus ?? 0 };
    this.workloadDemand = { pods: p.replicas + (p.canaries ?? 0), podRequests: req, podLimits: req, surgePods: p.surge ?? 0 };
  }
}

/** Two workload clusters with general pools (and a gpu pool on the second), plus a hub. */
export function twoClusterFleet(props: FleetProps & { generalNodes?: number } = {}) {
  const fleet = new Fleet({ outdir: tmpOutdir(), maintenanceZones: 4, ...props });
  const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 16, memory: Size.gibibytes(64) } });
  const gpu = new NodeProfile(fleet, 'gpu', {
    machine: { cpuCores: 32, memory: Size.gibibytes(256), gpus: 4 },
    taints: [{ key: 'fleet.cdk8s.io/gpu', value: 'true', effect: 'NoSchedule' }],
  });
  const logs = new RequiredDaemonSet(fleet, 'log-shipper', {
    image: 'registry.internal/log-shipper:1.0.0',
    resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) },
  });
  const a = new Cluster(fleet, 'east-1', { region: 'east' });
  a.addPool('general', { nodeProfile: general, capacity: props.generalNodes ?? 8, requiredDaemonSets: [logs] });
  const b = new Cluster(fleet, 'west-1', { region: 'west', openKruise: true });
  b.addPool('general', { nodeProfile: general, capacity: props.generalNodes ?? 8, requiredDaemonSets: [logs] });
  b.addPool('gpu', { nodeProfile: gpu, capacity: 4, requiredDaemonSets: [logs] });
  return { fleet, general, gpu, logs, a, b };
}
