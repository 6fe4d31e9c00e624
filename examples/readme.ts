/**
 * The README's "A fleet in 25 lines", kept here so a test type-checks and runs
 * it and checks the README still shows exactly this code.
 */
import { AppNamespace, Cluster, Cpu, Fleet, LiDeployment, NodeProfile, RequiredDaemonSet, Size, Subject } from '../src';

const fleet = new Fleet({ maintenanceZones: 20, kubernetesVersion: '1.28.9' });

// machines: the minimum machine type and kubelet configuration of a class of nodes
const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 64, memory: Size.gibibytes(256) } });
const logShipper = new RequiredDaemonSet(fleet, 'log-shipper', {
  image: 'registry.internal/log-shipper:3.4.1',
  resources: { cpu: Cpu.millis(200), memory: Size.mebibytes(256) },
});

// clusters: pools striped over the maintenance zones; the control plane is sized from them
const cluster = new Cluster(fleet, 'lva1-prod-1', { region: 'lva1' });
cluster.addPool('general', { nodeProfile: general, capacity: 2400, requiredDaemonSets: [logShipper] });

// tenancy and workloads: the hub routes the namespace; ten lines of intent become a safe workload
const feed = new AppNamespace(fleet, 'feed', { app: 'feed', tenant: 'stateless', nodeProfile: 'general' });
feed.grant('deployer', Subject.group('feed-team'));
new LiDeployment(feed, 'feed', {
  application: 'feed',
  version: { app: '1.42.0', config: '2026-11-20.1' },
  replicas: 40,
  resources: { cpu: Cpu.units(4), memory: Size.gibibytes(8) },
  canary: { percent: 5, version: { app: '1.43.0' } },
});

fleet.synth(); // validates everything, then writes dist/ atomically
