/**
 * The workloads layer's rules: LiDeployment, LiStatefulSet and
 * PlatformPodTemplate props, and how a workload fits its template and node
 * profile. Each id here is a rule `Violations` accepts (see
 * `src/core/rules.ts` for how the ids reach it); the rule table in
 * docs/WORKLOADS.md is generated from this catalogue.
 */
import { MAX_APPLICATION_NAME_LENGTH, MAX_WORKLOAD_REPLICAS } from './layer';
import { DNS1123_LABEL_FIX } from '../core/names';
import { RuleIdsOf, groupDigits, ruleCatalogue } from '../core/rules';

const VERSION_FIX = "use letters, digits, '.', '_' and '-', at most 63 characters, e.g. '1.42.0'";
const CONFIG_KEY_FIX = 'use letters, digits, \'-\', \'_\' and \'.\'';

/** The workloads layer's rules. @internal */
export const WORKLOADS_RULES = ruleCatalogue('workloads', {
  'workload.canary.bound': {
    summary: 'a canary holds at most the fleet\'s canary share (Guardrails.maxCanaryPercent) of the app\'s pods, canary + stable',
    fix: 'lower canary.count or canary.percent to the largest size that passes, or add stable replicas',
    severity: 'error',
  },
  'platform-template.max-canary': {
    summary: 'the deprecated maxCanaryPercent does not contradict the fleet\'s one canary bound, Guardrails.maxCanaryPercent (a warning when it repeats it)',
    fix: 'remove maxCanaryPercent from the template, and set Guardrails.maxCanaryPercent to the bound you mean',
  },
  'platform-template.props.type': {
    summary: 'every PlatformPodTemplate prop has the runtime type its documentation states (a JavaScript caller can pass anything)',
    fix: 'give each prop the type its documentation states',
    severity: 'error',
  },
  'platform-template.unique': {
    summary: 'one template for the fleet and at most one override per cluster, so every pod has one platform part',
    fix: 'declare one template on the fleet and at most one override per cluster',
    severity: 'error',
  },
  'platform-template.min-app': {
    summary: 'the least CPU and memory the app container keeps after the sidecars are valid quantities',
    fix: 'use Cpu.millis(…) and Size.mebibytes(…)',
    severity: 'error',
  },
  'platform-template.termination-grace': {
    summary: 'the pods\' termination grace period is whole seconds from 0 to 3600',
    fix: 'use whole seconds from 0 to 3600 (default 30)',
    severity: 'error',
  },
  'platform-template.time': {
    summary: 'the template\'s terminationGracePeriod is a Duration or terminationGracePeriodSeconds (not both), whole seconds',
    fix: 'give one of the two props, as whole seconds, e.g. Duration.seconds(30)',
    severity: 'error',
  },
  'platform-template.registry': {
    summary: 'the app image registry is an image registry path',
    fix: "use a registry like 'registry.internal/apps'",
    severity: 'error',
  },
  'platform-template.local-storage-class': {
    summary: 'the local SSD StorageClass name is a DNS subdomain',
    fix: "name a StorageClass, e.g. 'local-ssd'",
    severity: 'error',
  },
  'platform-template.config-mount-path': {
    summary: 'the app config is mounted at an absolute path',
    fix: "use e.g. '/etc/app/config'",
    severity: 'error',
  },
  'platform-template.pod-labels': {
    summary: 'the template\'s pod labels and annotations are keys and values Kubernetes accepts',
    fix: 'use label keys and values as Kubernetes accepts them',
    severity: 'error',
  },
  'platform-template.container.name': {
    summary: 'a platform container name is a DNS-1123 label',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'platform-template.container.unique': {
    summary: 'each platform container name is declared once',
    fix: 'give each platform container a unique name',
    severity: 'error',
  },
  'platform-template.image.pinned': {
    summary: 'a platform container\'s image is pinned to a version tag or digest, so every pod runs the same build',
    fix: 'pin the image to a version tag or digest, e.g. registry.internal/platform/proxy:2.1.0',
    severity: 'error',
  },
  'platform-template.container.resources': {
    summary: 'a platform container requests valid CPU and memory above zero',
    fix: 'set resources.cpu and resources.memory above zero, with Cpu.millis(…) and Size.mebibytes(…)',
    severity: 'error',
  },
  'platform-template.volume.known': {
    summary: 'a platform container mounts only volumes the template declares',
    fix: 'declare the volume in volumes',
    severity: 'error',
  },
  'platform-template.volume.name': {
    summary: 'a platform volume name is a DNS-1123 label',
    fix: DNS1123_LABEL_FIX,
    severity: 'error',
  },
  'platform-template.volume.unique': {
    summary: 'each platform volume name is declared once',
    fix: 'give each volume a unique name',
    severity: 'error',
  },
  'platform-template.volume.source': {
    summary: 'a platform volume has exactly one source (emptyDir, csi or secret)',
    fix: 'set exactly one volume source',
    severity: 'error',
  },
  'platform-template.volume.size-limit': {
    summary: 'a platform volume\'s size limit is a valid size',
    fix: 'use Size.mebibytes(…)',
    severity: 'error',
  },
  'platform-template.volume.mount-path': {
    summary: 'a platform volume is mounted into the app container at an absolute path',
    fix: 'use an absolute path',
    severity: 'error',
  },
  'platform-template.priority-class.name': {
    summary: 'a priority class name is a DNS-1123 subdomain outside the reserved \'system-\' prefix',
    fix: 'use a name like fleet-stateless',
    severity: 'error',
  },
  'platform-template.priority-class.value': {
    summary: 'a priority class value is a whole number of at most 1,000,000,000 (higher values are reserved for system classes)',
    fix: 'use a whole number of at most 1000000000 (higher values are reserved for system classes)',
    severity: 'error',
  },
  'platform-template.priority-class.known': {
    summary: 'the template\'s default priority class is one of its priority classes',
    fix: 'add the class to priorityClasses or choose one of them',
    severity: 'error',
  },
  'platform-template.non-root': {
    summary: 'app pods never run as root: runAsUser and runAsGroup are positive user ids',
    fix: 'set runAsUser / runAsGroup to a non-zero user id, e.g. 10001',
    severity: 'error',
  },
  'workload.props.type': {
    summary: 'every workload prop has the runtime type its documentation states (a JavaScript caller can pass anything)',
    fix: 'give each prop the type its documentation states',
    severity: 'error',
  },
  'workload.namespace': {
    summary: 'a workload is a child of the AppNamespace it runs in',
    fix: 'create it as a child of an AppNamespace',
    severity: 'error',
  },
  'workload.name': {
    summary: `an application name is a DNS-1123 label of at most ${MAX_APPLICATION_NAME_LENGTH} characters (it names the objects and their canary)`,
    fix: DNS1123_LABEL_FIX.replace('63', String(MAX_APPLICATION_NAME_LENGTH)),
    severity: 'error',
  },
  'workload.name.unique': {
    summary: 'each application name (and its canary\'s) is used once per namespace',
    fix: 'give each workload of a namespace its own application name',
    severity: 'error',
  },
  'workload.replicas.positive': {
    summary: 'a workload runs at least one replica (an app is retired by removing it)',
    fix: 'run at least 1 replica (2 or more to survive a node or zone going down); to retire an app, remove it',
    severity: 'error',
  },
  'workload.replicas.max': {
    summary: `a workload runs at most ${groupDigits(MAX_WORKLOAD_REPLICAS)} replicas`,
    fix: `run at most ${MAX_WORKLOAD_REPLICAS} replicas; split a larger app over several workloads`,
    severity: 'error',
  },
  'workload.replicas.single': {
    summary: 'one replica: every node drain or zone maintenance takes the app down',
    fix: 'run at least 2 replicas, spread over maintenance zones',
    severity: 'warning',
  },
  'workload.image.pinned': {
    summary: 'the app image is pinned to a version tag or digest, so every pod runs the version the workload declares',
    fix: 'pin the image to a version tag or digest, e.g. <image>:<version.app>',
    severity: 'error',
  },
  'workload.version': {
    summary: 'the app and config versions are valid image tags and label values (they label the pods)',
    fix: VERSION_FIX,
    severity: 'error',
  },
  'workload.env.name': {
    summary: 'environment variable names are valid',
    fix: 'use letters, digits and \'_\', not starting with a digit',
    severity: 'error',
  },
  'workload.config.key': {
    summary: 'config keys (and a canary\'s config overrides) are valid ConfigMap keys',
    fix: CONFIG_KEY_FIX,
    severity: 'error',
  },
  'workload.ports.name': {
    summary: 'a port name is a valid port name (at most 15 characters)',
    fix: 'use at most 15 lower-case letters, digits and \'-\', with at least one letter (e.g. \'http\')',
    severity: 'error',
  },
  'workload.ports.number': {
    summary: 'a port number is from 1 to 65535',
    fix: 'use a port from 1 to 65535',
    severity: 'error',
  },
  'workload.ports.unique': {
    summary: 'each port name and number is declared once',
    fix: 'give each port a unique name and number',
    severity: 'error',
  },
  'workload.probes': {
    summary: 'an HTTP or TCP probe has a port to probe',
    fix: 'declare a port for the probe, or give the probe a command',
    severity: 'error',
  },
  'workload.resources.parse': {
    summary: 'the workload\'s resources are valid CPU and memory quantities',
    fix: 'use Cpu.millis(…) / Cpu.units(…) and Size.mebibytes(…) / Size.gibibytes(…)',
    severity: 'error',
  },
  'workload.resources.positive': {
    summary: 'a pod requests CPU and memory above zero, so the scheduler and the quota count it',
    fix: 'request CPU and memory above zero, e.g. Cpu.units(2) and Size.gibibytes(4)',
    severity: 'error',
  },
  'workload.resources.cpu-limit': {
    summary: 'a CPU limit is not below the CPU request',
    fix: 'raise cpuLimit to at least cpu, or omit it',
    severity: 'error',
  },
  'workload.resources.gpus': {
    summary: 'a pod requests a whole number of GPUs, 0 or more',
    fix: 'use a whole number of GPUs, 0 or more',
    severity: 'error',
  },
  'workload.resources.fit': {
    summary: 'one pod fits on a node of the namespace\'s node profile',
    fix: 'lower resources to what one node allocates and add replicas, or onboard the app on a larger node profile',
    severity: 'error',
  },
  'workload.resources.pinned-cpu': {
    summary: 'on a node profile with the static CPU manager, a Guaranteed pod gives its app container whole cores (the share after the sidecars is rounded down, the remainder goes to the first sidecar), so the CPU manager pins cores to it',
    fix: 'set resources.cpu so the app container keeps at least one whole core after the sidecars (whole cores when there is no sidecar), or use a profile without the static CPU manager',
    severity: 'error',
  },
  'workload.resources.sidecars': {
    summary: 'the pod budget leaves the app container at least the template\'s minimum after the platform sidecars',
    fix: 'raise resources.cpu / resources.memory to the sidecars\' share plus the minimum',
    severity: 'error',
  },
  'workload.resources.init-containers': {
    summary: 'every platform init container fits in the pod budget',
    fix: 'raise the pod\'s resources (or the platform lowers the init container\'s)',
    severity: 'error',
  },
  'workload.platform-owned': {
    summary: 'the app does not set fields the platform pod template owns (containers, volumes, env, labels)',
    fix: 'rename or remove the field in the app\'s props; platform-owned fields are changed in the PlatformPodTemplate',
    severity: 'error',
  },
  'workload.priority-class.known': {
    summary: 'a workload\'s priority class is one the platform defines',
    fix: 'use one of the template\'s priority classes',
    severity: 'error',
  },
  'workload.rollout': {
    summary: 'a rollout can progress: maxSurge and maxUnavailable are not both 0 in pods',
    fix: "let the rollout progress: e.g. maxSurge '25%' (rounded up) with maxUnavailable 0",
    severity: 'error',
  },
  'workload.time': {
    summary: 'a time prop is a Duration or its number prop (not both), a whole number of the unit the output takes',
    fix: 'give one of the two props, as a whole number of seconds, e.g. Duration.seconds(30)',
    severity: 'error',
  },
  'workload.min-ready-seconds': {
    summary: 'minReadySeconds is a whole number of seconds, 0 or more',
    fix: 'use a whole number of seconds, 0 or more',
    severity: 'error',
  },
  'workload.stateful.acm-endpoint': {
    summary: 'the shard manager\'s endpoint is an http(s) URL',
    fix: "give the shard manager's endpoint, e.g. 'https://acm.internal/clusters/kafka-tracking'",
    severity: 'error',
  },
  'workload.stateful.mount-path': {
    summary: 'the data volume is mounted at an absolute path other than /tmp',
    fix: "use e.g. '/data'",
    severity: 'error',
  },
  'workload.stateful.storage': {
    summary: 'a stateful workload requests a valid local storage size above zero',
    fix: 'request local storage, e.g. Size.tebibytes(2)',
    severity: 'error',
  },
  'workload.stateful.local-ssd': {
    summary: 'a stateful workload runs on a node profile with local SSD',
    fix: 'onboard the app on a node profile with machine.localSsd',
    severity: 'error',
  },
  'workload.stateful.storage-fit': {
    summary: 'the storage per replica fits the local SSD of one node',
    fix: 'lower storage per replica and add replicas, or use a profile with more local SSD',
    severity: 'error',
  },
});

declare module '../core/rules' {
  interface RuleIds extends RuleIdsOf<typeof WORKLOADS_RULES> {}
}
