/**
 * The public API of cdk8s-fleet: constructs, their props and the value types
 * the props use, the results a program or a pipeline reads, and the bounds
 * every prop is checked against. Everything else is marked internal and
 * stripped from the declarations; `test/api/public-surface.txt` lists these
 * names. (This comment must not spell the tag: the compiler would read it as
 * the first export's and strip that export.)
 */

// the fleet and its synth
export { DEFAULT_KUBERNETES_VERSION, Fleet, SynthEnv } from './fleet';
export type { FleetProps, HubProps } from './fleet';
export type { SynthOptions } from './synth/options';
export { FleetValidationError } from './core/errors';
export type { Severity, Violation } from './core/errors';
export type { EmittedObject, SynthResult } from './synth/pipeline';
export type { FleetPlan } from './plan';
export type { KubeObject, RenderedObject } from './synth/context';
export { SynthInputError } from './synth/inputs';
export { OutputWriteError, recoverOutput } from './synth/output-dir';
export type { OutputWriteErrorCode, Recovery } from './synth/output-dir';

// output read back and compared
export { parseOutputTree, readOutputTree } from './synth/read';
export type { OutputObject, OutputTree } from './synth/read';
export { identityKey } from './synth/layout';
export type { ObjectIdentity } from './synth/layout';
export { diffOutputFiles, diffOutputs, MAX_FIELDS_PER_OBJECT } from './synth/diff';
export type { ChangedObject, ClusterDiff, ObjectRef, OutputDiff } from './synth/diff';

// shared vocabulary and bounds
export { Labels } from './core/names';
export { MAX_CPU_MILLIS, MAX_MEMORY_MIB } from './core/resources';
export type { ResourceAmounts } from './core/resources';
export { MAX_KUBERNETES_PATCH, SUPPORTED_KUBERNETES_MINORS } from './core/versions';
export type { INamespacedWorkload, WorkloadDemand, WorkloadDivision } from './core/workload';

// machines
export { MAX_MAINTENANCE_ZONES } from './machines/maintenance-zones';
export type { ZoneShare } from './machines/maintenance-zones';
export { MAX_MACHINE_CPU_CORES, MAX_MACHINE_GPUS, MAX_PODS_PER_NODE, NodeProfile } from './machines/node-profile';
export type {
  CpuManagerPolicy, EvictionThresholds, MachineType, NodeConfig, NodeProfileProps, NodeTaint, Reservation, TopologyManagerPolicy,
} from './machines/node-profile';

// clusters
export { Cluster, HubCluster } from './clusters/cluster';
export type { ClusterProps, ClusterRole } from './clusters/cluster';
export { KUBE_PROXY_NFTABLES_MIN_MINOR } from './clusters/kube-proxy';
export type { IpvsScheduler, KubeProxyConntrack, KubeProxyIpvs, KubeProxyMode, KubeProxyProps } from './clusters/kube-proxy';
export { KubernetesPool, MAX_POOL_CAPACITY } from './clusters/kubernetes-pool';
export type { KubernetesPoolProps } from './clusters/kubernetes-pool';
export { MAX_DAEMONSET_MAX_UNAVAILABLE_PERCENT, RequiredDaemonSet } from './clusters/required-daemonset';
export type { AgentEgress, AgentNetwork, AgentPolicyRule, AgentProtocol, DaemonSetPort, DaemonSetResources, HostPathMount, RequiredDaemonSetProps } from './clusters/required-daemonset';
export type { CapacityTotals, ClusterCapacity } from './clusters/capacity';
export type { ClusterAgentTotals, ClustersPlan, PoolPlan, PoolRolloutPlan } from './clusters/slots';
export { MAX_ROLLOUT_SOAK_SECONDS, NodeRollout } from './clusters/node-rollout';
export type { NodeRolloutProps } from './clusters/node-rollout';
export type { RolloutZone, RolloutZoneState, ZoneNodeConfig } from './clusters/rollout-state';

// control plane
export { ControlPlane } from './control-plane/control-plane';
export type {
  ApiPriorityOptions, ApiserverOptions, AuditLogOptions, BackupObjectStore, ClusterKubeletOptions, ControlPlaneProps,
  ControllerManagerOptions, EncryptionAtRestOptions, EtcdBackupOptions, EtcdClusterOptions, EtcdOptions, UnsafeApiserverSettings,
} from './control-plane/control-plane';
export { CONTROL_PLANE_LIMITS, MAX_APISERVER_REPLICAS } from './control-plane/settings';
export { ETCD_MAX_ELECTION_MILLIS, ETCD_RECOMMENDED_MAX_QUOTA_BYTES, GIB_BYTES, MAX_GOAWAY_CHANCE } from './control-plane/sizing';
export type { ServiceAccountRef } from './control-plane/priority-and-fairness';

// tenancy
export { APP_ROLES, AppNamespace, MAX_FEDERATION_CLUSTERS, Subject } from './tenancy/app-namespace';
export type {
  AppFederation, AppNamespaceProps, AppNetworkPolicy, AppPodSecurity, AppRole, AuthorizationRule, CapacityReserve, FederationSurvival,
  NetworkAllowance, NetworkPeerOptions, NetworkPort, ServiceAccountSubject, SubjectKind,
} from './tenancy/app-namespace';
export { TENANT_CLASSES } from './core/tenant-classes';
export type { TenantClass, TenantClassApiPriority, TenantClassSpec } from './core/tenant-classes';
export { PLACEMENT_RECORD_FILE, PlacementLock, updatePlacementLock } from './tenancy/lock';
export type { LockedPlacement, PlacementLockProps } from './tenancy/lock';
export { APP_ROLE_RULES } from './tenancy/rbac';
export type { AppPolicyRule } from './tenancy/rbac';
export { fleetCapacityReport, formatCapacityReport } from './tenancy/layer';
export type { NamespacePlan, TenancyPlan } from './tenancy/slots';
export type { CapacityLine, ClusterCapacityReport } from './tenancy/accounting';
export type { Capacity } from './tenancy/capacity';
export type { PlacementDecision, PlacementReason } from './tenancy/placement';
export { CLUSTER_LOSS_FILE } from './tenancy/cluster-loss';
export type { ClusterLossCheck, LossShortfall } from './tenancy/cluster-loss';

// workloads
export type { AppPort, AppProbe, AppProbes, AppResources, AppVersion, LiWorkloadProps } from './workloads/workload-props';
export type { CanarySize, PodCountOrPercent } from './workloads/rollout';
export { DEFAULT_PORTS, LiDeployment } from './workloads/li-deployment';
export type { CanaryProps, LiDeploymentProps } from './workloads/li-deployment';
export { LiStatefulSet } from './workloads/li-stateful-set';
export type { LiStatefulSetProps } from './workloads/li-stateful-set';
export { DEFAULT_PRIORITY_CLASSES, PlatformPodTemplate } from './workloads/platform-template';
export type {
  PlatformContainer, PlatformContainerResources, PlatformPodTemplateProps, PlatformPriorityClass, PlatformVolume, PlatformVolumeMount,
} from './workloads/platform-template';
export { MAX_APPLICATION_NAME_LENGTH, MAX_WORKLOAD_REPLICAS } from './workloads/resolve';
export { diagnoseRollout } from './workloads/diagnose';
export type { RolloutDiagnosis, RolloutReason, RolloutVerdict } from './workloads/diagnose';

// jobs
export { BatchPlatform } from './jobs/platform';
export type { BatchPlatformProps, BatchResources, BatchScheduler, ProfileQuotas } from './jobs/platform';
export { BatchQueue } from './jobs/queue';
export type { BatchPriority, BatchQueueProps } from './jobs/queue';
export { BatchJob } from './jobs/job';
export type { BatchJobProps, BatchTask } from './jobs/job';
export { BATCH_PRIORITY_LEVELS } from './jobs/priorities';
export type { BatchPriorityLevel } from './jobs/priorities';
export { MAX_BORROW_PERCENT, MAX_JOB_RETRIES, MAX_JOB_SECONDS, MAX_QUEUE_WEIGHT, MAX_TASK_REPLICAS } from './jobs/resolve';
export { formatBatchCapacity } from './jobs/layer';
export type { ClusterBatchPlan, JobsPlan, QuotaSplit } from './jobs/slots';
export { BATCH_CAPACITY_FILE } from './jobs/accounting';
export type { BatchCapacityLine, BatchQueueLine, BatchQueueReport, ClusterBatchReport, RegionBatchReport } from './jobs/accounting';
export { simulateClusterLoss, simulateZoneDrain, simulateZoneDrains } from './maintenance/drain';
export type {
  AppLoss, ClusterLoss, ClusterLossApp, ClusterLossInput, ClusterLossOutcome, ClusterRoom, ClusterShare, DrainCapacity, DrainClusterInput,
  DrainOutcome, DrainPool, DrainWorkload, DrainZoneNodes, ProfileHeadroom, WorkloadDrain, ZoneDrain, ZoneSpread,
} from './maintenance/drain';
export type { EvictionFinding, EvictionPath, EvictionPathName, EvictionReview, QosClass, ReviewProfile } from './maintenance/eviction';
export type { ApprovalRule, MaintenancePolicySpec, ProfileNodeBudget } from './maintenance/policy';
export { MAINTENANCE_REPORT_KIND, clusterLossInputOf, parseMaintenanceReport, reportApps, reportRoom, zoneDrainsOf } from './maintenance/report';
export type { MaintenanceReport, ReportApp, ReportRoom } from './maintenance/report';
export type { ClusterMaintenanceFacts, MaintenancePlan, UpdatingZone } from './maintenance/slots';

// guardrails
export { Guardrails } from './guardrails/guardrails';
export type { GuardrailsProps } from './guardrails/guardrails';
export { DEFAULT_PLATFORM_IDENTITIES, DEFAULT_PROTECTED_LABEL } from './guardrails/rules';
export type { GuardrailConfig, GuardrailExemption, GuardrailRuleName, GuardrailSettings } from './guardrails/rules';

// units of cdk8s and cdk8s-plus the props take
export { Duration, Size } from 'cdk8s';
export { Cpu } from 'cdk8s-plus-28';
