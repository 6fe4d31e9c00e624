/**
 * The machines layer: node profiles and maintenance zones.
 */
import { renderKubeletConfiguration } from './kubelet-config';
import { NodeProfile } from './node-profile';
import { resolveMaintenanceZones, resolveNodeProfile } from './resolve';
import { MachinesSlots, MachinesSpec, NodeProfileSpec } from './slots';
import { MODULES_FILE, SYSCTL_FILE, renderModulesLoadConf, renderSysctlConf } from './sysctls';
import { Violations } from '../core/errors';
import { FleetModel, pathOf } from '../core/model';
import { GuardrailPolicyStack } from '../guardrails/policy';
import { Layer } from '../synth/layer';
import { NODE_PROFILES_DIR } from '../synth/layout';

/** Resolves the fleet's maintenance zones and every node profile, reporting each bad prop. */
function resolve(model: FleetModel, _below: unknown, v: Violations): MachinesSlots['spec'] {
  const maintenanceZones = resolveMaintenanceZones(model.fleet, v);
  const profiles = model.ofType(NodeProfile).map(p => resolveNodeProfile(p, v));
  const byName = new Map<string, NodeProfileSpec>();
  for (const p of profiles) if (!byName.has(p.name)) byName.set(p.name, p);
  const machines: MachinesSpec = {
    maintenanceZones,
    profiles,
    profile: name => (typeof name === 'string' ? byName.get(name) : undefined),
    of: profile => {
      const found = byName.get(profile.profileName);
      return found?.construct === profile ? found : undefined;
    },
  };
  return { machines };
}

/** Checks across profiles: each name once. */
function validate(_model: FleetModel, spec: MachinesSlots['spec'], v: Violations): void {
  const seen = new Map<string, string>();
  for (const p of spec.machines.profiles) {
    const path = pathOf(p.construct);
    const other = seen.get(p.name);
    if (other) v.error(path, 'node-profile.unique-name', `node profile '${p.name}' is also declared at ${other}`, 'give each node profile a unique name');
    else seen.set(p.name, path);
  }
}

/** The machines layer. @internal */
export const machinesLayer: Layer<GuardrailPolicyStack, MachinesSlots> = {
  name: 'machines',
  resolve,
  validate,
  render(ctx) {
    for (const p of ctx.spec.machines.profiles) {
      ctx.addFile(`${NODE_PROFILES_DIR}/${p.name}/kubelet-config.yaml`, renderKubeletConfiguration(p), p.construct);
      ctx.addFile(`${NODE_PROFILES_DIR}/${p.name}/${SYSCTL_FILE}`, renderSysctlConf(p.sysctls), p.construct);
      const modules = renderModulesLoadConf(p.sysctls);
      if (modules !== undefined) ctx.addFile(`${NODE_PROFILES_DIR}/${p.name}/${MODULES_FILE}`, modules, p.construct);
    }
  },
};
