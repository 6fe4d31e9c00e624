/**
 * The clusters layer's rules: the fleet's Kubernetes version and platform
 * namespace, clusters, pools and required DaemonSets. Each id here is a rule
 * `Violations` accepts (see `src/core/rules.ts` for how the ids reach it); the
 * rule table in docs/ARCHITECTURE.md is generated from this catalogue.
 */
import { MAX_POOL_CAPACITY } from './kubernetes-pool';
import { MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT } from './required-daemonset';
import { DNS1123_LABEL_FIX } from '../core/names';
import { RuleIdsOf, ruleCatalogue } from '../core/rules';
import { supportedKubernetesRange } from '../core/versions';
import { TAINTS_FIX } from '../machines/rule-catalogue';

const SUPPORTED_VERSION_FIX = `use a supported version (${supportedKubernetesRange()}) like '1.28.9'`;

/** The clusters layer's rules. @internal */
export const CLUSTERS_RULES = ruleCatalogue('clusters', {
  'fleet.kubernetes-version': {
    summary: `the fleet's Kubernetes version is a 1.MINOR.PATCH version the control plane supports (${supportedKubernetesRange()})`,
    fix: SUPPORTED_VERSION_FIX,
    severity: 'error',
  },
  'fleet.system-namespace': {
    summary: 'the platform namespace (node agents, guardrail exclusions) is a DNS-1123 label of the platform\'s own, not one of Kubernetes\'',
    fix: "use a namespace of the platform's own, e.g. 'fleet-system'",
    severity: 'error',
  },
  'cluster.name': {
    summary: 'a cluster name is a DNS-1123 label (it names the cluster\'s output directory, records and hosts)',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'cluster.name.reserved': {
    summary: 'a cluster name is not one the output layout uses for its own directories',
    fix: 'choose another cluster name',
    severity: 'error',
  },
  'cluster.unique-name': {
    summary: 'each cluster name is declared once, so its output directory and records are its own',
    fix: 'give each cluster a unique name',
    severity: 'error',
  },
  'cluster.region': {
    summary: 'a cluster has a region that is a DNS-1123 label (it names the control-plane hosts\' domain)',
    fix: "set region to a DNS-1123 label, e.g. 'lva1'",
    severity: 'error',
  },
  'cluster.kubernetes-version': {
    summary: `a cluster's own Kubernetes version is a 1.MINOR.PATCH version the control plane supports (${supportedKubernetesRange()})`,
    fix: SUPPORTED_VERSION_FIX,
    severity: 'error',
  },
  'cluster.open-kruise': {
    summary: 'openKruise is true or false',
    fix: 'set openKruise to true or false, or omit it',
    severity: 'error',
  },
  'cluster.labels': {
    summary: 'cluster labels are label keys and values Kubernetes accepts',
    fix: 'use label keys and values as Kubernetes accepts them',
    severity: 'error',
  },
  'cluster.kube-proxy': {
    summary: 'kubeProxy and its conntrack and ipvs settings are objects',
    fix: 'omit kubeProxy or give { mode, conntrack, ipvs, ... }',
    severity: 'error',
  },
  'cluster.kube-proxy.mode': {
    summary: "kube-proxy's mode is ipvs (the default), nftables (from Kubernetes 1.31, where it is beta) or iptables",
    fix: "use mode 'ipvs', or 'nftables' on 1.31 or later",
    severity: 'error',
  },
  'cluster.kube-proxy.bounds': {
    summary: "kube-proxy's conntrack sizes and timeouts are whole numbers within their stated bounds",
    fix: 'use a whole number within the bound the prop states, or omit it',
    severity: 'error',
  },
  'cluster.kube-proxy.ipvs': {
    summary: 'IPVS settings are given only in ipvs mode, with a scheduler kube-proxy knows',
    fix: "remove ipvs or set mode to 'ipvs'; use a scheduler like 'rr'",
    severity: 'error',
  },
  'cluster.kube-proxy.bind-address': {
    summary: "kube-proxy's metrics and health endpoints are an IP address and a port",
    fix: "use host:port, e.g. '127.0.0.1:10249'",
    severity: 'error',
  },
  'cluster.kube-proxy.resources': {
    summary: "kube-proxy's CPU and memory requests are positive quantities",
    fix: 'use Cpu.millis(…) and Size.mebibytes(…) above zero, or omit them (default 200m, 256Mi)',
    severity: 'error',
  },
  'pool.unique-name': {
    summary: 'each pool name is declared once per cluster, so its node label and records are its own',
    fix: 'give each pool of a cluster a unique name',
    severity: 'error',
  },
  'pool.name': {
    summary: 'a pool name is a DNS-1123 label (it labels the pool\'s nodes and names its DaemonSets)',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'pool.name.length': {
    summary: 'the pool\'s hub record name (<cluster>-<pool>) fits the 253 characters of an object name',
    fix: 'shorten the cluster or pool name',
    severity: 'error',
  },
  'pool.capacity.non-negative-integer': {
    summary: `a pool's capacity is a whole number of nodes from 0 to ${MAX_POOL_CAPACITY}`,
    fix: `set capacity to a whole number of nodes, 0 or more, at most ${MAX_POOL_CAPACITY}`,
    severity: 'error',
  },
  'pool.node-profile.known': {
    summary: 'a pool names a node profile declared in the fleet',
    fix: 'use one of the fleet\'s node profiles, or declare a NodeProfile of that name',
    severity: 'error',
  },
  'pool.zones.list': {
    summary: 'a pool\'s maintenanceZones is a list of at most as many zones as a fleet may have',
    fix: 'list zones of the fleet by name, or omit maintenanceZones to use every zone',
    severity: 'error',
  },
  'pool.zones.non-empty': {
    summary: 'a pool that lists maintenance zones lists at least one, so its nodes have somewhere to go',
    fix: 'omit maintenanceZones to use every zone, or list at least one',
    severity: 'error',
  },
  'pool.zones.known': {
    summary: 'a pool uses only maintenance zones of the fleet',
    fix: 'use zones of the fleet',
    severity: 'error',
  },
  'pool.zones.unique': {
    summary: 'a pool lists each maintenance zone once, so striping counts it once',
    fix: 'list each zone once',
    severity: 'error',
  },
  'pool.zones.min-nodes': {
    summary: 'minNodesPerZone is a whole number, 0 or more',
    fix: 'set minNodesPerZone to a whole number, 0 or more',
    severity: 'error',
  },
  'pool.capacity.stripable': {
    summary: 'a non-empty pool can put at least minNodesPerZone nodes in every one of its zones',
    fix: 'raise capacity to at least zones × minNodesPerZone, restrict maintenanceZones, or lower minNodesPerZone',
    severity: 'error',
  },
  'pool.node-labels': {
    summary: 'a pool\'s node labels are label keys and values Kubernetes accepts',
    fix: 'use label keys and values as Kubernetes accepts them',
    severity: 'error',
  },
  'pool.taints': {
    summary: 'a pool\'s taints are a list of valid taints (key, label value, effect)',
    fix: TAINTS_FIX,
    severity: 'error',
  },
  'pool.node-labels.reserved': {
    summary: 'a pool does not set the node labels the library sets (pool, node profile, maintenance zone), which selectors rely on',
    fix: 'remove the library\'s label keys from nodeLabels',
    severity: 'error',
  },
  'pool.kubelet-version-skew': {
    summary: 'the pool\'s kubelets are within the Kubernetes version skew policy of the cluster\'s apiserver',
    fix: 'align the node profile\'s kubeletVersion with the cluster: not newer, at most three minor versions older',
    severity: 'error',
  },
  'pool.daemonsets.list': {
    summary: 'requiredDaemonSets is a list',
    fix: 'list the RequiredDaemonSet constructs the pool needs',
    severity: 'error',
  },
  'pool.daemonsets.known': {
    summary: 'a pool requires only RequiredDaemonSets of its own fleet',
    fix: 'declare the RequiredDaemonSet in the same Fleet',
    severity: 'error',
  },
  'pool.daemonsets.unique': {
    summary: 'a pool requires each DaemonSet once (requiredDaemonSets and addRequiredDaemonSet together)',
    fix: 'list each DaemonSet once',
    severity: 'error',
  },
  'pool.daemonsets.name-length': {
    summary: 'the rendered DaemonSet name (<agent>-<pool>) is at most 63 characters',
    fix: 'shorten the pool or DaemonSet name',
    severity: 'error',
  },
  'pool.kube-proxy.sysctl': {
    summary: "the node profile's sysctls keep what the cluster's kube-proxy mode needs (IPVS: expire_nodest_conn, expire_quiescent_template and vs.conntrack at 1; every mode: forwarding and bridge netfilter on)",
    fix: "remove the override from the profile's nodeConfig.sysctls, or use another proxy mode for the cluster",
    severity: 'error',
  },
  'pool.kube-proxy.sysctl.degraded': {
    summary: "the node profile's sysctls do not slow kube-proxy's failover (tcp_retries2 from 3 to 8, conn_reuse_mode 1) nor leave the conntrack table smaller than kube-proxy sizes it",
    fix: "remove the override from the profile's nodeConfig.sysctls, or raise nf_conntrack_max to what kube-proxy sets",
    severity: 'warning',
  },
  'pool.kube-proxy.fit': {
    summary: "kube-proxy's requests fit on a node of the pool's profile: it runs on every node",
    fix: "lower the cluster's kubeProxy cpu/memory or use a larger node profile for the pool",
    severity: 'error',
  },
  'pool.daemonsets.fit': {
    summary: 'each required DaemonSet fits on a node of the pool\'s profile, so every node can run it',
    fix: 'lower the DaemonSet\'s requests or use a larger node profile for the pool',
    severity: 'error',
  },
  'pool.daemonsets.fit-together': {
    summary: 'the pool\'s required DaemonSets and kube-proxy fit on one node of its profile together',
    fix: 'lower the DaemonSets\' requests, drop one, or use a larger node profile',
    severity: 'error',
  },
  'daemonset.name': {
    summary: 'a required DaemonSet\'s name is a DNS-1123 label',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'daemonset.unique-name': {
    summary: 'each required DaemonSet name is declared once',
    fix: 'give each required DaemonSet a unique name',
    severity: 'error',
  },
  'daemonset.image.pinned': {
    summary: 'a node agent\'s image is pinned to a version tag or digest, so every node runs the same build',
    fix: 'pin the image to a version tag or digest, e.g. registry/agent:1.4.2',
    severity: 'error',
  },
  'daemonset.resources.parse': {
    summary: 'a node agent\'s resources are valid CPU and memory quantities',
    fix: 'set resources: { cpu: Cpu.millis(…), memory: Size.mebibytes(…) }',
    severity: 'error',
  },
  'daemonset.resources.positive': {
    summary: 'a node agent requests CPU and memory, so it runs Guaranteed and is counted against each node',
    fix: 'request CPU and memory, e.g. Cpu.millis(100) and Size.mebibytes(128)',
    severity: 'error',
  },
  'daemonset.resources.cpu-limit': {
    summary: 'a node agent\'s CPU limit is not below its request',
    fix: 'set cpuLimit at or above cpu, or omit it',
    severity: 'error',
  },
  'daemonset.max-unavailable': {
    summary: `a node agent's rollout is bounded: a whole number of nodes of at least 1, or 1% to ${MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT}%`,
    fix: `use a bounded rollout, e.g. '10%' (at most ${MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT}%), or a whole number of at least 1`,
    severity: 'error',
  },
  'daemonset.command': {
    summary: 'command and args are lists of strings',
    fix: 'give command / args as a list of strings, or omit it',
    severity: 'error',
  },
  'daemonset.env': {
    summary: 'env maps variable names to string values',
    fix: 'use names of letters, digits and _ (not starting with a digit) and string values',
    severity: 'error',
  },
  'daemonset.boolean': {
    summary: 'runAsRoot and privileged are true or false',
    fix: 'set the field to true or false, or omit it',
    severity: 'error',
  },
  'daemonset.priority-class': {
    summary: 'the priority class name is a DNS subdomain',
    fix: "use a priority class name like 'system-node-critical'",
    severity: 'error',
  },
  'daemonset.ports': {
    summary: 'a node agent\'s ports are a list of uniquely named ports with numbers from 1 to 65535 over TCP, UDP or SCTP',
    fix: 'name each port once, use port numbers from 1 to 65535 and a protocol of TCP, UDP or SCTP (default TCP)',
    severity: 'error',
  },
  'daemonset.network': {
    summary: 'a node agent\'s network names its own ports for ingress and egress to address blocks (not the whole internet) on ports from 1 to 65535 over TCP, UDP or SCTP',
    fix: "declare { ingressPorts: ['metrics'], egress: [{ cidrs: ['10.20.0.0/16'], ports: [443] }], apiserver: true } with the agent's own port names",
    severity: 'error',
  },
  'daemonset.readiness-probe': {
    summary: 'the readiness probe names an absolute path and one of the agent\'s ports',
    fix: "use e.g. { path: '/ready', port: 'metrics' } with a port named 'metrics'",
    severity: 'error',
  },
  'daemonset.rbac': {
    summary: 'a node agent\'s cluster rules are lists of API groups, resources and verbs, with at least one resource and verb',
    fix: 'list the exact API groups, resources and verbs the agent needs',
    severity: 'error',
  },
  'daemonset.rbac.no-wildcards': {
    summary: 'a node agent\'s cluster rules grant no \'*\': an agent on every node gets only what it needs',
    fix: 'list the exact API groups, resources and verbs the agent needs',
    severity: 'error',
  },
  'daemonset.host-path': {
    summary: 'hostPaths is a list',
    fix: 'list host paths as { name, hostPath, mountPath }',
    severity: 'error',
  },
  'daemonset.host-path.name': {
    summary: 'a host path\'s volume name is a DNS-1123 label',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'daemonset.host-path.unique': {
    summary: 'each host path volume name is declared once',
    fix: 'give each host path a unique name',
    severity: 'error',
  },
  'daemonset.host-path.absolute': {
    summary: 'a host path and its mount path are absolute',
    fix: 'use absolute hostPath and mountPath',
    severity: 'error',
  },
  'daemonset.host-path.read-only': {
    summary: 'a host path\'s readOnly is true or false',
    fix: 'set readOnly to true or false, or omit it',
    severity: 'error',
  },
  'daemonset.host-path.propagation': {
    summary: 'a host path\'s mount propagation is one Kubernetes knows',
    fix: 'use one of None, HostToContainer, Bidirectional',
    severity: 'error',
  },
  'rollout.props.type': {
    summary: 'every NodeRollout prop has the runtime type its documentation states',
    fix: 'give each prop the type its documentation states',
    severity: 'error',
  },
  'rollout.name': {
    summary: 'a rollout name (its construct id) is a DNS-1123 label: it names the rollout in pool records and disruptions',
    fix: "use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
    severity: 'error',
  },
  'rollout.targets': {
    summary: 'a rollout targets pools and clusters of its fleet (a cluster stands for its pools), each pool once',
    fix: 'list KubernetesPools and Clusters of this fleet, each pool once',
    severity: 'error',
  },
  'rollout.change': {
    summary: 'a rollout changes something: a kubelet version of the form 1.MINOR.PATCH, a node configuration revision or an OS image given as label values',
    fix: "give kubeletVersion (e.g. '1.29.4'), nodeConfig or osImage (label values)",
    severity: 'error',
  },
  'rollout.zone-order': {
    summary: 'a rollout\'s zone order lists zones of the fleet, each once, and every zone its targets have nodes in (a zone left out would never be updated)',
    fix: 'list every zone of the targets once, or omit zoneOrder for the fleet\'s order',
    severity: 'error',
  },
  'rollout.zones-at-once': {
    summary: 'a rollout updates a whole number of zones at once, from 1 to the zones of its order',
    fix: 'set zonesAtOnce to a whole number from 1 to the zones of the order',
    severity: 'error',
  },
  'rollout.completed-zones': {
    summary: 'a rollout\'s progress (completedZones) is a whole number of the zones of its order',
    fix: 'set completedZones to the zones already updated, from 0 to the zones of the order',
    severity: 'error',
  },
  'rollout.soak': {
    summary: 'a zone soaks a Duration of whole seconds (or soakSeconds), from 0 to 7 days, not both given',
    fix: 'give soak as a Duration of whole seconds, e.g. Duration.hours(1), at most 7 days',
    severity: 'error',
  },
  'rollout.kubelet-version-skew': {
    summary: 'the kubelet version a rollout gives each target pool is within the version skew policy of the pool\'s control plane: not newer, at most three minor versions older',
    fix: 'roll a kubelet version within the skew policy, or upgrade the control plane first',
    severity: 'error',
  },
  'rollout.unique-target': {
    summary: 'a pool is in at most one unfinished rollout, so each of its zones gets one node configuration',
    fix: 'finish one rollout before starting another on the same pool',
    severity: 'error',
  },
  'rollout.zones-per-cluster': {
    summary: 'at most one zone of a cluster is updated at once, over every rollout, so a cluster never loses two zones',
    fix: 'lower zonesAtOnce, order the zones so that zones updated together are in different clusters, or finish one rollout first',
    severity: 'error',
  },
});

declare module '../core/rules' {
  interface RuleIds extends RuleIdsOf<typeof CLUSTERS_RULES> {}
}
