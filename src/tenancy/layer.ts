/**
 * The tenancy layer: app namespaces, their routing to a workload cluster, and
 * the Namespace objects.
 */
import { k8s } from 'cdk8s-plus-28';
import { Violations } from '../core/errors';
import { LABEL_PREFIX, dns1123LabelFix, isDns1123Label } from '../core/names';
import { FleetModel, pathOf } from '../model';
import { FleetPlan } from '../plan';
import { AppNamespace } from './app-namespace';
import { KubeObject } from '../synth/context';
import { Layer } from '../synth/layer';

function validate(model: FleetModel, v: Violations): void {
  const apps = new Map<string, string>();
  const namespaces = new Map<string, string>();
  for (const ns of model.ofType(AppNamespace)) {
    const path = pathOf(ns);
    if (!isDns1123Label(ns.appName)) v.error(path, 'tenancy.app.name', `app name '${ns.appName}' is not a DNS-1123 label`, dns1123LabelFix(ns.appName));
    if (!isDns1123Label(ns.namespaceName)) v.error(path, 'tenancy.namespace.name', `namespace '${ns.namespaceName}' is not a DNS-1123 label`, dns1123LabelFix(ns.namespaceName));
    const otherApp = apps.get(ns.appName);
    if (otherApp) v.error(path, 'tenancy.app.unique', `app '${ns.appName}' is also onboarded at ${otherApp}`, 'onboard each app once');
    else apps.set(ns.appName, path);
    const otherNs = namespaces.get(ns.namespaceName);
    if (otherNs) v.error(path, 'tenancy.namespace.unique', `namespace '${ns.namespaceName}' is also used by ${otherNs}`, 'give each app its own namespace');
    else namespaces.set(ns.namespaceName, path);
    if (!model.profile(ns.nodeProfileName)) {
      const known = model.nodeProfiles.map(p => p.profileName).sort().join(', ') || '(none)';
      v.error(path, 'tenancy.node-profile.known', `node profile '${ns.nodeProfileName}' is not declared in this fleet`, `use one of: ${known}`);
    }
  }
}

function plan(model: FleetModel, fleetPlan: FleetPlan, v: Violations): void {
  for (const ns of model.ofType(AppNamespace)) {
    const pinned = ns.props.cluster;
    const candidates = model.workloadClusters.filter(c => c.pools.some(p => p.nodeProfileName === ns.nodeProfileName && p.props.capacity > 0));
    const chosen = pinned ?? candidates[0];
    if (!chosen) {
      v.error(pathOf(ns), 'tenancy.routing.no-cluster', `no workload cluster has a non-empty pool of node profile '${ns.nodeProfileName}'`,
        `add a pool of '${ns.nodeProfileName}' to a workload cluster, or onboard the app on another node profile`);
      continue;
    }
    if (pinned && !candidates.includes(pinned)) {
      v.error(pathOf(ns), 'tenancy.routing.pinned-profile', `pinned cluster '${pinned.clusterName}' has no pool of node profile '${ns.nodeProfileName}'`,
        `pin the app to a cluster with a '${ns.nodeProfileName}' pool, or add such a pool to '${pinned.clusterName}'`);
      continue;
    }
    fleetPlan.placement.set(ns, chosen);
  }
}

/** The Namespace object of an app. */
export function renderAppNamespace(ns: AppNamespace): KubeObject {
  return k8s.KubeNamespace.manifest({
    metadata: {
      name: ns.namespaceName,
      labels: {
        'app.kubernetes.io/part-of': ns.appName,
        [`${LABEL_PREFIX}/app`]: ns.appName,
        [`${LABEL_PREFIX}/tenant`]: ns.props.tenant,
        [`${LABEL_PREFIX}/node-profile`]: ns.nodeProfileName,
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  }) as KubeObject;
}

/** The tenancy layer. */
export const tenancyLayer: Layer = {
  name: 'tenancy',
  validate,
  plan,
  render(ctx) {
    for (const ns of ctx.model.ofType(AppNamespace)) {
      const cluster = ctx.plan.placement.get(ns);
      if (cluster) ctx.add(cluster, renderAppNamespace(ns), ns);
    }
  },
};
