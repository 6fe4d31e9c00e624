/**
 * The machines layer: node profiles and maintenance zones.
 */
import { Violations } from '../core/errors';
import { dns1123LabelFix, isDns1123Label } from '../core/names';
import { formatCpu, formatMemory } from '../core/resources';
import { FleetModel, pathOf } from '../model';
import { renderKubeletConfiguration } from './kubelet-config';
import { Layer } from '../synth/layer';
import { NODE_PROFILES_DIR } from '../synth/layout';

function validate(model: FleetModel, v: Violations): void {
  const fleetPath = pathOf(model.fleet);
  const zones = model.fleet.maintenanceZones;
  if (zones.length === 0) {
    v.error(fleetPath, 'fleet.maintenance-zones.non-empty', 'the fleet has no maintenance zones', 'declare at least one maintenance zone (default: 20)');
  }
  const seenZones = new Set<string>();
  for (const z of zones) {
    if (!isDns1123Label(z)) v.error(fleetPath, 'fleet.maintenance-zones.name', `maintenance zone '${z}' is not a DNS-1123 label`, dns1123LabelFix(z));
    if (seenZones.has(z)) v.error(fleetPath, 'fleet.maintenance-zones.unique', `maintenance zone '${z}' is declared twice`, 'remove the duplicate zone name');
    seenZones.add(z);
  }

  const seen = new Map<string, string>();
  for (const p of model.nodeProfiles) {
    const path = pathOf(p);
    const name = p.profileName;
    if (!isDns1123Label(name)) v.error(path, 'node-profile.name', `node profile name '${name}' is not a DNS-1123 label`, dns1123LabelFix(name));
    const other = seen.get(name);
    if (other) v.error(path, 'node-profile.unique-name', `node profile '${name}' is also declared at ${other}`, 'give each node profile a unique name');
    else seen.set(name, path);

    const m = p.props.machine;
    if (!Number.isInteger(m.cpuCores) || m.cpuCores < 1) {
      v.error(path, 'node-profile.machine.cpu', `cpuCores is ${m.cpuCores}`, 'set cpuCores to a whole number of at least 1');
      continue;
    }
    if (!(p.capacity.memoryMiB > 0)) {
      v.error(path, 'node-profile.machine.memory', 'machine memory must be positive', 'set memory, e.g. Size.gibibytes(256)');
      continue;
    }
    const gpus = m.gpus ?? 0;
    if (!Number.isInteger(gpus) || gpus < 0) {
      v.error(path, 'node-profile.machine.gpus', `gpus is ${gpus}`, 'set gpus to a whole number of at least 0');
    }
    const alloc = p.allocatable;
    if (alloc.cpuMillis <= 0 || alloc.memoryMiB <= 0) {
      v.error(path, 'node-profile.allocatable.positive',
        `reservations leave nothing allocatable (cpu ${formatCpu(alloc.cpuMillis)}, memory ${formatMemory(alloc.memoryMiB)})`,
        'lower kubeReserved/systemReserved/evictionHard, or use a larger machine');
    }
    const maxPods = p.maxPods;
    if (!Number.isInteger(maxPods) || maxPods < 1) {
      v.error(path, 'node-profile.max-pods', `maxPods is ${maxPods}`, 'set maxPods to a whole number of at least 1 (default min(110, 10 × cores))');
    }
    if (p.props.nodeConfig?.cpuManagerPolicy === 'static' && p.kubeReserved.cpuMillis + p.systemReserved.cpuMillis <= 0) {
      v.error(path, 'node-profile.cpu-manager.reservation', 'the static CPU manager needs a non-zero CPU reservation',
        'reserve CPU in kubeReserved or systemReserved');
    }
  }
}

/** The machines layer. */
export const machinesLayer: Layer = {
  name: 'machines',
  validate,
  render(ctx) {
    for (const p of ctx.model.nodeProfiles) {
      ctx.addFile(`${NODE_PROFILES_DIR}/${p.profileName}/kubelet-config.yaml`, renderKubeletConfiguration(p), p);
    }
  },
};
