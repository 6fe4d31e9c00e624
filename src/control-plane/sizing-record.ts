/**
 * The control plane's sizing record: what was chosen for a cluster and why,
 * written beside the control-plane files so reviewers and `cdk8s-fleet plan`
 * see the decisions without re-deriving them. A node-side file, not applied.
 */
import { controllerManagerSizing } from './controller-manager';
import { schedulerSizing } from './scheduler';
import { ControlPlaneSettings } from './settings';
import {
  EVENTS_ETCD_SPLIT_NODES, FIVE_APISERVER_NODES, FIVE_MEMBER_ETCD_NODES, inflightLimitsReason,
} from './sizing';

/** `apiVersion` of the library's configuration documents (not API objects). @internal */
export const FLEET_CONFIG_API_VERSION = 'config.fleet.cdk8s.io/v1alpha1';

function why(explicit: boolean, derived: string): string {
  return explicit ? 'set explicitly on the ControlPlane' : derived;
}

/** The sizing record of one cluster's control plane. @internal */
export function sizingRecord(s: ControlPlaneSettings): Record<string, unknown> {
  const p = s.construct?.props;
  const n = s.nodes;
  const main = s.etcd.main;
  const events = s.etcd.events;
  return {
    apiVersion: FLEET_CONFIG_API_VERSION,
    kind: 'ControlPlaneSizing',
    metadata: { name: s.cluster.clusterName },
    spec: {
      cluster: s.cluster.clusterName,
      kubernetesVersion: s.version,
      nodes: n,
      apiserver: {
        replicas: s.apiserver.hosts.length,
        replicasWhy: why(p?.apiserver?.replicas !== undefined, n > FIVE_APISERVER_NODES ? `${n} nodes > ${FIVE_APISERVER_NODES}: 5 replicas` : `${n} nodes ≤ ${FIVE_APISERVER_NODES}: 3 replicas`),
        maxRequestsInflight: s.apiserver.inflight.readOnly,
        maxMutatingRequestsInflight: s.apiserver.inflight.mutating,
        inflightWhy: why(
          p?.apiserver?.maxRequestsInflight !== undefined || p?.apiserver?.maxMutatingRequestsInflight !== undefined,
          inflightLimitsReason(n)),
        goawayChance: s.apiserver.goawayChance,
        goawayChanceWhy: why(p?.apiserver?.goawayChance !== undefined, s.apiserver.hosts.length > 1
          ? 'more than one apiserver behind the load balancer: reconnecting HTTP/2 clients spread again'
          : 'a single apiserver: off'),
      },
      controllerManager: (() => {
        const z = controllerManagerSizing(n);
        return {
          kubeApiQps: z.qps,
          kubeApiBurst: z.burst,
          memoryRequestMiB: z.memoryRequestMiB,
          memoryLimitMiB: z.memoryLimitMiB,
          extraFlags: Object.keys(s.controllerManager.extraFlags).sort(),
          why: z.why,
        };
      })(),
      scheduler: (() => {
        const z = schedulerSizing(n);
        return {
          clientQps: z.qps,
          clientBurst: z.burst,
          percentageOfNodesToScore: z.percentageOfNodesToScore,
          memoryRequestMiB: z.memoryRequestMiB,
          memoryLimitMiB: z.memoryLimitMiB,
          why: z.why,
        };
      })(),
      etcd: {
        members: main.members.length,
        membersWhy: why(p?.etcd?.members !== undefined, n > FIVE_MEMBER_ETCD_NODES ? `${n} nodes > ${FIVE_MEMBER_ETCD_NODES}: 5 members` : `${n} nodes ≤ ${FIVE_MEMBER_ETCD_NODES}: 3 members`),
        quotaBackendBytes: main.quotaBackendBytes,
        heartbeatMillis: main.timing.heartbeatMillis,
        electionMillis: main.timing.electionMillis,
        eventsSplit: events !== undefined,
        eventsSplitWhy: why(p?.etcd?.splitEvents !== undefined, events !== undefined
          ? `${n} nodes > ${EVENTS_ETCD_SPLIT_NODES}: /events goes to its own etcd cluster`
          : `${n} nodes ≤ ${EVENTS_ETCD_SPLIT_NODES}: events stay in the main etcd`),
        ...(events ? { eventsMembers: events.members.length, eventsQuotaBackendBytes: events.quotaBackendBytes } : {}),
      },
    },
  };
}
