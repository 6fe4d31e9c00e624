/**
 * Control-plane sizing: pure functions from cluster facts (nodes, apiserver
 * replicas, etcd round-trip time) to apiserver and etcd settings. The reasoning
 * behind each number is in docs/control-plane.md.
 */

/** In-flight request limits of one kube-apiserver. @internal */
export interface InflightLimits {
  /** `--max-requests-inflight` (read-only requests). */
  readonly readOnly: number;
  /** `--max-mutating-requests-inflight`. */
  readonly mutating: number;
}

/** Above this many nodes a cluster gets the large-cluster apiserver limits and resources. @internal */
export const LARGE_CLUSTER_NODES = 3000;
/** Above this many nodes a cluster gets the medium-cluster apiserver limits and resources. @internal */
export const MEDIUM_CLUSTER_NODES = 500;

/**
 * In-flight limits by cluster size, the publicly documented thresholds: the
 * apiserver defaults (400/200) up to 500 nodes, 1500/500 above 500 nodes and
 * 3000/1000 above 3000 nodes. With API Priority and Fairness the two are summed
 * into the server's total concurrency, which APF divides among priority levels.
 * @internal
 */
export function inflightLimits(nodes: number): InflightLimits {
  if (nodes > LARGE_CLUSTER_NODES) return { readOnly: 3000, mutating: 1000 };
  if (nodes > MEDIUM_CLUSTER_NODES) return { readOnly: 1500, mutating: 500 };
  return { readOnly: 400, mutating: 200 };
}

/** Why {@link inflightLimits} chose its limits for a cluster size. @internal */
export function inflightLimitsReason(nodes: number): string {
  if (nodes > LARGE_CLUSTER_NODES) return `${nodes} nodes > 3,000: the large-cluster thresholds`;
  if (nodes > MEDIUM_CLUSTER_NODES) return `${nodes} nodes > 500: the medium-cluster thresholds`;
  return `${nodes} nodes ≤ 500: the apiserver defaults`;
}

/** The largest `--goaway-chance` the apiserver accepts. */
export const MAX_GOAWAY_CHANCE = 0.02;
/** The starting point the apiserver documentation recommends (1 request in 1,000). @internal */
export const DEFAULT_GOAWAY_CHANCE = 0.001;

/**
 * `--goaway-chance`: only with more than one apiserver behind a load balancer
 * (HTTP/2 clients then spread again after reconnecting); 0 (off) otherwise.
 * @internal
 */
export function defaultGoawayChance(apiserverReplicas: number): number {
  return apiserverReplicas > 1 ? DEFAULT_GOAWAY_CHANCE : 0;
}

/** Why a goaway chance is not acceptable, or undefined. @internal */
export function goawayChanceProblem(chance: number, apiserverReplicas: number): string | undefined {
  if (!(chance >= 0 && chance <= MAX_GOAWAY_CHANCE)) return `goawayChance ${chance} is outside 0–${MAX_GOAWAY_CHANCE}`;
  if (chance > 0 && apiserverReplicas <= 1) return `goawayChance ${chance} with a single apiserver only makes clients reconnect to the same server`;
  return undefined;
}

/** Above this many nodes, events are stored in a separate etcd cluster by default. @internal */
export const EVENTS_ETCD_SPLIT_NODES = 1000;
/** Above this many nodes, the main etcd cluster has five members by default (else three). @internal */
export const FIVE_MEMBER_ETCD_NODES = 1000;
/** Above this many nodes, five apiservers by default (else three). @internal */
export const FIVE_APISERVER_NODES = 3000;

/** Whether events go to their own etcd cluster by default. @internal */
export function defaultSplitEvents(nodes: number): boolean {
  return nodes > EVENTS_ETCD_SPLIT_NODES;
}

/** Default member count of the main etcd cluster. @internal */
export function defaultEtcdMembers(nodes: number): number {
  return nodes > FIVE_MEMBER_ETCD_NODES ? 5 : 3;
}

/** Default kube-apiserver replicas. @internal */
export function defaultApiserverReplicas(nodes: number): number {
  return nodes > FIVE_APISERVER_NODES ? 5 : 3;
}

/** Why an etcd member count is not acceptable, or undefined: odd, 1 to 7. @internal */
export function etcdMemberCountProblem(members: number): string | undefined {
  if (!Number.isInteger(members) || members < 1) return `${members} members is not a positive whole number`;
  if (members % 2 === 0) return `${members} members is even: an even member count adds no fault tolerance over ${members - 1} and raises the quorum`;
  if (members > 7) return `${members} members makes every write wait for ${Math.floor(members / 2) + 1} acknowledgements; etcd recommends at most 7`;
  return undefined;
}

/** etcd's raft timing, in milliseconds. @internal */
export interface EtcdTiming {
  /** `heartbeat-interval`. */
  readonly heartbeatMillis: number;
  /** `election-timeout`. */
  readonly electionMillis: number;
}

/** etcd's defaults: 100 ms heartbeat, 1000 ms election timeout. @internal */
export const ETCD_DEFAULT_TIMING: EtcdTiming = { heartbeatMillis: 100, electionMillis: 1000 };
/** etcd rejects election timeouts above this (ms). */
export const ETCD_MAX_ELECTION_MILLIS = 50_000;

/**
 * Raft timing from the round-trip time between members (etcd's tuning guide):
 * the heartbeat about one RTT (never below etcd's 100 ms default), the election
 * timeout at least 10 × RTT and at least 5 × the heartbeat (never below 1 s).
 * @internal
 */
export function etcdTiming(roundTripMillis: number): EtcdTiming {
  const heartbeatMillis = Math.max(ETCD_DEFAULT_TIMING.heartbeatMillis, Math.ceil(roundTripMillis));
  const electionMillis = Math.max(ETCD_DEFAULT_TIMING.electionMillis, Math.ceil(10 * roundTripMillis), 5 * heartbeatMillis);
  return { heartbeatMillis, electionMillis };
}

/** Why explicit raft timing does not suit a round-trip time, or undefined. @internal */
export function etcdTimingProblem(t: EtcdTiming, roundTripMillis: number): string | undefined {
  if (!Number.isInteger(t.heartbeatMillis) || t.heartbeatMillis < 1) return `heartbeat ${t.heartbeatMillis} ms is not a positive whole number`;
  if (!Number.isInteger(t.electionMillis)) return `election timeout ${t.electionMillis} ms is not a whole number`;
  if (t.electionMillis < 10 * roundTripMillis) return `election timeout ${t.electionMillis} ms is below 10 × the ${roundTripMillis} ms round trip`;
  if (t.electionMillis < 5 * t.heartbeatMillis) return `election timeout ${t.electionMillis} ms is below 5 × the ${t.heartbeatMillis} ms heartbeat`;
  if (t.electionMillis > ETCD_MAX_ELECTION_MILLIS) return `election timeout ${t.electionMillis} ms is above etcd's maximum of ${ETCD_MAX_ELECTION_MILLIS} ms`;
  return undefined;
}

/** 1 GiB in bytes. */
export const GIB_BYTES = 1024 * 1024 * 1024;
/** etcd's default backend quota (2 GiB) is too small for a large cluster; the library's default is 8 GiB. @internal */
export const DEFAULT_QUOTA_BACKEND_BYTES = 8 * GIB_BYTES;
/** Above this etcd logs a warning at start-up: it is the largest quota etcd recommends. */
export const ETCD_RECOMMENDED_MAX_QUOTA_BYTES = 8 * GIB_BYTES;

/** Resource requests of one kube-apiserver, by cluster size. @internal */
export interface ApiserverResources {
  /** CPU request, millicores. */
  readonly cpuMillis: number;
  /** Memory request, MiB. */
  readonly memoryMiB: number;
}

/**
 * Requests of one kube-apiserver: the watch cache and in-flight requests grow
 * with the objects a cluster holds, which grow with its nodes.
 * @internal
 */
export function apiserverResources(nodes: number): ApiserverResources {
  if (nodes > LARGE_CLUSTER_NODES) return { cpuMillis: 16_000, memoryMiB: 64 * 1024 };
  if (nodes > MEDIUM_CLUSTER_NODES) return { cpuMillis: 8000, memoryMiB: 32 * 1024 };
  if (nodes > 100) return { cpuMillis: 2000, memoryMiB: 8 * 1024 };
  return { cpuMillis: 500, memoryMiB: 2 * 1024 };
}
