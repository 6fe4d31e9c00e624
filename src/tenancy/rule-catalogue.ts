/**
 * The tenancy layer's rules: AppNamespace props, authorization and network
 * allowances, the placement lock and the hub's routing. Each id here is a rule
 * `Violations` accepts (see `src/core/rules.ts` for how the ids reach it); the
 * rule table in docs/tenancy.md is generated from this catalogue.
 */
import { DNS1123_LABEL_FIX } from '../core/names';
import { RuleIdsOf, ruleCatalogue } from '../core/rules';

/** The tenancy layer's rules. @internal */
export const TENANCY_RULES = ruleCatalogue('tenancy', {
  'tenancy.props.type': {
    summary: 'every AppNamespace prop and verb argument (grant, allowFrom, allowTo) has the runtime type its documentation states (a JavaScript caller can pass anything)',
    fix: 'give each prop the type its documentation states',
    severity: 'error',
  },
  'tenancy.app.name': {
    summary: 'an app name is a DNS-1123 label (it names the hub record, labels and roles)',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'tenancy.app.unique': {
    summary: 'each app is onboarded once',
    fix: 'onboard each app once',
    severity: 'error',
  },
  'tenancy.namespace.name': {
    summary: 'a namespace name is a DNS-1123 label',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'tenancy.namespace.reserved': {
    summary: 'an app never gets a namespace of Kubernetes or of the platform',
    fix: 'give the app a namespace of its own',
    severity: 'error',
  },
  'tenancy.namespace.unique': {
    summary: 'each namespace belongs to one app',
    fix: 'give each app its own namespace',
    severity: 'error',
  },
  'tenancy.node-profile.known': {
    summary: 'an app namespace names a node profile declared in the fleet',
    fix: 'use one of the fleet\'s node profiles',
    severity: 'error',
  },
  'tenancy.tenant.known': {
    summary: 'an app namespace names a known tenant class',
    fix: 'use one of the tenant classes',
    severity: 'error',
  },
  'tenancy.pod-security.level': {
    summary: 'an app namespace runs Pod Security \'restricted\' or \'baseline\', never \'privileged\'',
    fix: "use 'restricted' (or 'baseline' where the tenant class allows it)",
    severity: 'error',
  },
  'tenancy.pod-security.allowed': {
    summary: 'only tenant classes that allow it lower Pod Security to \'baseline\'',
    fix: 'make the app\'s pods restricted-compliant, or use a tenant class that may run \'baseline\'',
    severity: 'error',
  },
  'tenancy.pod-security.reason': {
    summary: 'a namespace that lowers Pod Security to \'baseline\' says why',
    fix: 'set podSecurityReason to say why the app cannot run restricted',
    severity: 'error',
  },
  'tenancy.owners': {
    summary: 'every owner of an app is named',
    fix: 'name each owner (a team or a person)',
    severity: 'error',
  },
  'tenancy.rbac.role.known': {
    summary: 'an authorization rule grants one of the app roles',
    fix: 'use one of the app roles: viewer, deployer, admin',
    severity: 'error',
  },
  'tenancy.rbac.subjects': {
    summary: 'an authorization rule (or a grant) grants its role to someone',
    fix: 'list groups, users or serviceAccounts',
    severity: 'error',
  },
  'tenancy.rbac.subject.name': {
    summary: 'each subject of an authorization rule is named exactly (not empty, not padded)',
    fix: 'name each subject exactly',
    severity: 'error',
  },
  'tenancy.rbac.subject.too-broad': {
    summary: 'app roles are never granted to everyone (system:authenticated, system:masters and the like)',
    fix: 'grant app roles to named groups, users or service accounts only',
    severity: 'error',
  },
  'tenancy.rbac.service-account': {
    summary: 'a service account subject has a valid name and namespace',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'tenancy.network.peer': {
    summary: 'a network allowance names its peers (apps, namespaces or CIDRs): an allowance cannot be open-ended',
    fix: 'list who may talk to (or be reached by) the app; an allowance cannot be open-ended',
    severity: 'error',
  },
  'tenancy.network.app.known': {
    summary: 'a network allowance names apps that are onboarded (allowFrom and allowTo: namespaces of this fleet)',
    fix: 'onboard the app, or use one of the onboarded apps',
    severity: 'error',
  },
  'tenancy.network.namespace': {
    summary: 'a network allowance names namespaces by valid names',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'tenancy.network.cidr': {
    summary: 'a network allowance\'s CIDRs are CIDR blocks',
    fix: "use CIDR notation, e.g. '10.20.0.0/16'",
    severity: 'error',
  },
  'tenancy.network.open': {
    summary: 'a network allowance to or from every address (0.0.0.0/0, ::/0) opens the app to the whole network',
    fix: 'narrow the CIDR to the networks the app really talks to',
    severity: 'warning',
  },
  'tenancy.network.port': {
    summary: 'a network allowance\'s ports are between 1 and 65535',
    fix: 'use a port number between 1 and 65535',
    severity: 'error',
  },
  'tenancy.network.cross-cluster': {
    summary: 'a network allowance for an app on another cluster has no effect (NetworkPolicies are per cluster)',
    fix: 'reach the app through its service endpoint (CIDR or ingress), or pin both apps to one cluster',
    severity: 'warning',
  },
  'tenancy.reserve.whole': {
    summary: 'a namespace reserves whole GPUs and pods, 0 or more',
    fix: 'use whole GPUs and pods',
    severity: 'error',
  },
  'tenancy.reserve.parse': {
    summary: 'a namespace\'s reserve is valid CPU and memory quantities',
    fix: 'use Cpu.millis(…) and Size.gibibytes(…)',
    severity: 'error',
  },
  'tenancy.quota.headroom': {
    summary: 'the quota headroom is a percentage between 0 and 500',
    fix: 'use a percentage between 0 and 500',
    severity: 'error',
  },
  'tenancy.quota.empty': {
    summary: 'a namespace without workloads and reserve gets a quota that admits no pods',
    fix: 'add the app\'s workloads to the namespace, or set reserve (pods, cpu, memory)',
    severity: 'warning',
  },
  'tenancy.lock.unique': {
    summary: 'a fleet has at most one PlacementLock',
    fix: 'declare one PlacementLock per fleet',
    severity: 'error',
  },
  'tenancy.lock.props': {
    summary: 'the PlacementLock\'s props have their documented types',
    fix: 'give file as a path and placements as an object keyed by app name',
    severity: 'error',
  },
  'tenancy.lock.file': {
    summary: 'the placement lock names a file',
    fix: 'name the lock file committed with the fleet program, e.g. fleet.lock.json',
    severity: 'error',
  },
  'tenancy.lock.placement': {
    summary: 'each placement the lock records is { cluster, namespace, nodeProfile }',
    fix: 'give each placement as { cluster, namespace, nodeProfile }, as the lock file records them',
    severity: 'error',
  },
  'tenancy.lock.conflict': {
    summary: 'the lock file, the lock\'s placements and the previous output agree on where an app lives',
    fix: 'make the records agree: the previous output is what is deployed; update the lock file from it',
    severity: 'error',
  },
  'tenancy.lock.missing': {
    summary: 'a declared lock file that does not exist leaves every namespace to be routed afresh',
    fix: 'commit the lock file that this synth writes (fleet.synth() and cdk8s-fleet synth write it; with synthesize(), call updatePlacementLock)',
    severity: 'warning',
  },
  'tenancy.lock.parse': {
    summary: 'the lock file is a placement lock the synth can read, never silently ignored',
    fix: 'restore the file from version control or from the placement record the last synth wrote into its output',
    severity: 'error',
  },
  'tenancy.lock.namespace-renamed': {
    summary: 'renaming a recorded app\'s namespace recreates it (an outage): an error unless the change carries the namespace-move override, then a warning',
    fix: 'keep the recorded namespace, or approve the change with the override namespace-move:<namespace>',
  },
  'tenancy.lock.changed': {
    summary: 'placements that are new or changed stay in place only once the lock that records them is committed',
    fix: 'commit the updated lock file (or the placement record of the output) so later synths keep them in place',
    severity: 'warning',
  },
  'tenancy.routing.no-pool': {
    summary: 'some workload cluster has a non-empty pool of the app\'s node profile',
    fix: 'add a pool of the node profile to a workload cluster, or onboard the app on another node profile',
    severity: 'error',
  },
  'tenancy.routing.no-room': {
    summary: 'some workload cluster with a pool of the app\'s node profile has room for the namespace\'s demand',
    fix: 'grow a pool of the node profile, add a cluster, or lower the app\'s replicas, requests or reserve',
    severity: 'error',
  },
  'tenancy.routing.pinned-unknown': {
    summary: 'a namespace is pinned to a workload cluster of this fleet',
    fix: 'pin the app to one of the fleet\'s workload clusters, or let the hub route it',
    severity: 'error',
  },
  'tenancy.routing.pinned-hub': {
    summary: 'app namespaces never run on the hub cluster',
    fix: 'pin the app to a workload cluster, or let the hub route it',
    severity: 'error',
  },
  'tenancy.routing.pinned-profile': {
    summary: 'a pinned cluster has a pool of the app\'s node profile',
    fix: 'pin the app to a cluster with a pool of its node profile, or add such a pool to the cluster',
    severity: 'error',
  },
  'tenancy.routing.pinned-full': {
    summary: 'a pinned cluster has room for the namespace on its node profile',
    fix: 'grow the node profile\'s pools of the cluster, lower the app\'s demand, or move it explicitly with the override namespace-move:<namespace>',
    severity: 'error',
  },
  'tenancy.routing.locked-unknown': {
    summary: 'a recorded namespace stays where it is: its cluster still exists (a move is an outage)',
    fix: 'restore the cluster, or move the namespace explicitly: pin it to another cluster and approve the move with the override namespace-move:<namespace>',
    severity: 'error',
  },
  'tenancy.routing.locked-profile': {
    summary: 'a recorded namespace\'s cluster still has a pool of its node profile, so its pods stay schedulable without a move',
    fix: 'add a pool of the node profile to the cluster, keep the app\'s previous node profile, or move it explicitly with the override namespace-move:<namespace>',
    severity: 'error',
  },
  'tenancy.routing.locked-full': {
    summary: 'a recorded namespace\'s cluster has room for it; routing never moves a recorded namespace to make room',
    fix: 'grow the node profile\'s pools of the cluster, lower the app\'s demand, or move it explicitly with the override namespace-move:<namespace>',
    severity: 'error',
  },
  'tenancy.routing.move-not-approved': {
    summary: 'a recorded namespace pinned to another cluster moves (an outage for the app) only with approval',
    fix: 'pin it back to the recorded cluster, or approve the move with the override namespace-move:<namespace>',
    severity: 'error',
  },
  'tenancy.routing.move': {
    summary: 'an approved namespace move is reported, so the app\'s state and traffic are migrated before the old namespace is pruned',
    fix: 'migrate the app\'s state and traffic before the old namespace is pruned',
    severity: 'warning',
  },
  'tenancy.region.list': {
    summary: 'a namespace\'s regions are a non-empty list of region names (DNS-1123 labels), each once',
    fix: 'list the regions the app runs in, e.g. [\'lva1\'], or omit regions to run in any',
    severity: 'error',
  },
  'tenancy.region.unknown': {
    summary: 'a namespace runs only in regions some workload cluster of the fleet belongs to',
    fix: 'use regions of the fleet\'s workload clusters, or add a cluster in that region',
    severity: 'error',
  },
  'tenancy.region.pinned': {
    summary: 'a pinned cluster is in one of the namespace\'s regions',
    fix: 'pin the app to a cluster of its regions, or add the cluster\'s region to them',
    severity: 'error',
  },
  'tenancy.region.no-capacity': {
    summary: 'some workload cluster of the namespace\'s regions has a non-empty pool of its node profile',
    fix: 'add a pool of the node profile to a cluster of the regions, or let the app run in another region',
    severity: 'error',
  },
  'tenancy.region.locked': {
    summary: 'a recorded namespace stays in its region: its regions still include its recorded cluster\'s (a move is an outage)',
    fix: 'keep the recorded cluster\'s region among the app\'s regions, or move it explicitly with the override namespace-move:<namespace>',
    severity: 'error',
  },
  'tenancy.federation.props': {
    summary: 'a federation spans 2 to 8 clusters of one region (MAX_FEDERATION_CLUSTERS), survives \'one-cluster-loss\' or \'none\', and keeps a whole minAvailablePercent from 1 to 100',
    fix: 'use e.g. { clusters: 2, survive: \'one-cluster-loss\' }',
    severity: 'error',
  },
  'tenancy.federation.pinned': {
    summary: 'a federated namespace is routed to its clusters, never pinned to one',
    fix: 'remove the cluster pin, or the federation',
    severity: 'error',
  },
  'tenancy.federation.tenant': {
    summary: 'batch namespaces are not federated: their queue quota is split per region by the jobs platform',
    fix: 'remove the federation, or federate a stateless or stateful app',
    severity: 'error',
  },
  'tenancy.federation.too-few-clusters': {
    summary: 'a region the federated namespace may run in has as many workload clusters with a pool of its node profile as it spans',
    fix: 'lower federation.clusters, or add pools of the node profile to more clusters of the region',
    severity: 'error',
  },
  'tenancy.federation.no-room': {
    summary: 'the federated namespace\'s clusters have room for its shares of every workload on its node profile',
    fix: 'grow the node profile\'s pools of the region\'s clusters, lower the app\'s replicas, requests or reserve, or span more clusters',
    severity: 'error',
  },
  'tenancy.federation.survival': {
    summary: 'after the loss of any one of its clusters, a federated app\'s other shares still carry its minimum (its survival target)',
    fix: 'raise the workload\'s replicas, span more clusters, lower minAvailablePercent, or grow the pools of the cluster that limits the shares',
    severity: 'error',
  },
  'tenancy.federation.share-drop': {
    summary: 'a federated workload\'s share in a cluster drops by more than the scale-down bound only with the scale-down override (then a warning)',
    fix: 'change the shares in steps, or carry the override scale-down:<cluster>/<namespace>/<workload>',
  },
  'tenancy.workload.fits-node': {
    summary: 'one pod of a workload fits on a node of the placed cluster\'s pools next to their node agents',
    fix: 'lower the pod\'s requests or onboard the app on a larger node profile',
    severity: 'error',
  },
});

declare module '../core/rules' {
  interface RuleIds extends RuleIdsOf<typeof TENANCY_RULES> {}
}
