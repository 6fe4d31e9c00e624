/**
 * Rollout failure categorization: given the live status of a workload's
 * objects, as `kubectl get -o json` prints them (Deployment or CloneSet or
 * StatefulSet, ReplicaSets, Pods, Events), decide whether a failed rollout is
 * the app's fault (crash loops, failing probes, bad config, a missing image
 * tag) or the infrastructure's (no capacity, the image registry, node
 * problems, a deadline passed with no sign of the app failing), with the
 * evidence. Pure: no cluster access, no clock.
 *
 * The rollouts diagnosed are those of the workload kinds (`src/core/workload-kinds.ts`)
 * that run `replicas` pods and roll them out; DaemonSets count their pods per
 * node, which the status arithmetic here does not read.
 */
import { workloadKindOf } from '../core/workload-kinds';

/** Whose problem a rollout failure is. */
export type RolloutVerdict = 'app' | 'infrastructure' | 'healthy' | 'unknown';

/** One piece of evidence. */
export interface RolloutReason {
  /** `app.<kind>` or `infrastructure.<kind>` (or `rollout.<kind>` for context), e.g. `app.crash-loop`. */
  readonly category: string;
  /** What was observed, quoted from the status. */
  readonly evidence: string;
  /** The object it was observed on: `Kind/namespace/name`. */
  readonly object: string;
}

/** The diagnosis of a rollout. */
export interface RolloutDiagnosis {
  /** Whose problem it is, or `healthy`, or `unknown` when the status says too little. */
  readonly verdict: RolloutVerdict;
  /** The evidence, app reasons first, then infrastructure, then context. */
  readonly reasons: RolloutReason[];
  /** One sentence for humans. */
  readonly summary: string;
}

type Json = Record<string, unknown>;
type Side = 'app' | 'infrastructure' | 'rollout';

interface Finding { side: Side; kind: string; evidence: string; object: string }

function obj(v: unknown): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? v as Json : {};
}
function arr(v: unknown): Json[] {
  return Array.isArray(v) ? v.map(obj) : [];
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** Flattens `kubectl get -o json` output (a List, a single object, or arrays of those) into objects. @internal */
export function flattenKubectlOutput(input: unknown): Json[] {
  if (Array.isArray(input)) return input.flatMap(flattenKubectlOutput);
  const o = obj(input);
  if (Array.isArray(o.items) && (o.kind === undefined || str(o.kind).endsWith('List'))) return (o.items as unknown[]).flatMap(flattenKubectlOutput);
  return o.kind ? [o] : [];
}

function idOf(o: Json): string {
  const md = obj(o.metadata);
  return `${str(o.kind)}/${md.namespace ? `${str(md.namespace)}/` : ''}${str(md.name)}`;
}

function oneLine(s: string, max = 300): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Categorizes an image pull failure message. */
function imagePull(message: string): { side: Side; kind: string } {
  if (/InvalidImageName|invalid reference format/i.test(message)) return { side: 'app', kind: 'bad-image-reference' };
  if (/manifest unknown|not found|no such manifest|name unknown|does not exist|repository .* not found/i.test(message)) return { side: 'app', kind: 'image-not-found' };
  return { side: 'infrastructure', kind: 'image-registry' };
}

/** Categorizes a scheduling failure message. */
function scheduling(message: string): { side: Side; kind: string } {
  if (/Insufficient |Too many pods|didn't have free ports|exceed/i.test(message)) return { side: 'infrastructure', kind: 'unschedulable-capacity' };
  if (/node affinity|node selector|untolerated taint|had taint|volume node affinity|topology spread/i.test(message)) return { side: 'infrastructure', kind: 'unschedulable-placement' };
  return { side: 'infrastructure', kind: 'unschedulable' };
}

function podAppContainer(pod: Json): string | undefined {
  const labels = obj(obj(pod.metadata).labels);
  const name = labels['app.kubernetes.io/name'];
  return typeof name === 'string' ? name : undefined;
}

function analyzeContainer(pod: Json, cs: Json, init: boolean, out: Finding[]): void {
  const id = idOf(pod);
  const name = str(cs.name);
  const app = podAppContainer(pod);
  const isPlatform = app !== undefined && name !== app;
  const owner: Side = isPlatform ? 'infrastructure' : 'app';
  const where = `${init ? 'init container' : 'container'} '${name}'${isPlatform ? ' (platform)' : ''}`;
  const state = obj(cs.state);
  const waiting = obj(state.waiting);
  const terminated = obj(state.terminated);
  const last = obj(obj(cs.lastState).terminated);
  const reason = str(waiting.reason);
  const message = str(waiting.message);
  const restarts = num(cs.restartCount) ?? 0;
  if (reason === 'CrashLoopBackOff') {
    if (str(last.reason) === 'OOMKilled') {
      out.push({ side: owner, kind: isPlatform ? 'platform-container-oom' : 'out-of-memory', object: id, evidence: `${where} was OOMKilled (exit code ${str(last.exitCode)}) and is in CrashLoopBackOff after ${restarts} restarts` });
    } else {
      const msg = str(last.message) ? `: ${oneLine(str(last.message), 200)}` : '';
      out.push({ side: owner, kind: isPlatform ? 'platform-container-crash' : 'crash-loop', object: id, evidence: `${where} is in CrashLoopBackOff after ${restarts} restarts; last exit code ${str(last.exitCode) || '?'} (${str(last.reason) || 'unknown'})${msg}` });
    }
  } else if (reason === 'CreateContainerConfigError') {
    out.push({ side: owner, kind: isPlatform ? 'platform-config' : 'bad-config', object: id, evidence: `${where}: CreateContainerConfigError: ${oneLine(message)}` });
  } else if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff' || reason === 'InvalidImageName') {
    const c = imagePull(`${reason} ${message}`);
    out.push({ side: c.side === 'app' && isPlatform ? 'infrastructure' : c.side, kind: c.kind, object: id, evidence: `${where} image '${str(cs.image)}': ${reason}: ${oneLine(message)}` });
  } else if (reason === 'CreateContainerError' || reason === 'RunContainerError') {
    const bad = /executable file not found|no such file or directory|exec format error|permission denied/i.test(message);
    out.push({ side: bad && !isPlatform ? 'app' : 'infrastructure', kind: bad ? 'bad-command' : 'container-runtime', object: id, evidence: `${where}: ${reason}: ${oneLine(message)}` });
  } else if (str(terminated.reason) === 'OOMKilled') {
    out.push({ side: owner, kind: 'out-of-memory', object: id, evidence: `${where} was OOMKilled (exit code ${str(terminated.exitCode)})` });
  }
}

function analyzePod(pod: Json, out: Finding[]): void {
  const id = idOf(pod);
  const status = obj(pod.status);
  const phase = str(status.phase);
  const reason = str(status.reason);
  if (reason === 'Evicted') {
    out.push({ side: 'infrastructure', kind: 'node-pressure', object: id, evidence: `pod was evicted: ${oneLine(str(status.message))}` });
  } else if (reason === 'NodeLost' || phase === 'Unknown') {
    out.push({ side: 'infrastructure', kind: 'node-problem', object: id, evidence: `pod is ${phase || 'Unknown'}${reason ? ` (${reason})` : ''} on node '${str(obj(pod.spec).nodeName)}': ${oneLine(str(status.message))}` });
  }
  for (const c of arr(status.conditions)) {
    if (c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable') {
      const s = scheduling(str(c.message));
      out.push({ side: s.side, kind: s.kind, object: id, evidence: `pod is Pending: ${oneLine(str(c.message))}` });
    }
    if (c.type === 'DisruptionTarget' && c.status === 'True' && /Taint|NodeLost|Termination/i.test(str(c.reason))) {
      out.push({ side: 'infrastructure', kind: 'node-problem', object: id, evidence: `pod is being removed from its node: ${str(c.reason)}: ${oneLine(str(c.message))}` });
    }
  }
  for (const cs of arr(status.initContainerStatuses)) analyzeContainer(pod, cs, true, out);
  for (const cs of arr(status.containerStatuses)) analyzeContainer(pod, cs, false, out);
}

function analyzeEvent(e: Json, out: Finding[]): void {
  const involved = obj(e.involvedObject);
  const id = `${str(involved.kind)}/${involved.namespace ? `${str(involved.namespace)}/` : ''}${str(involved.name)}`;
  const reason = str(e.reason);
  const message = str(e.message);
  const count = num(e.count);
  const times = count && count > 1 ? ` (${count} times)` : '';
  const ev = `event ${reason}${times}: ${oneLine(message)}`;
  switch (reason) {
    case 'Unhealthy': {
      const kind = /^Readiness probe/i.test(message) ? 'readiness-probe' : /^Liveness probe/i.test(message) ? 'liveness-probe' : /^Startup probe/i.test(message) ? 'startup-probe' : 'probe';
      out.push({ side: 'app', kind, object: id, evidence: ev });
      return;
    }
    case 'BackOff':
      if (/restarting failed container/i.test(message)) out.push({ side: 'app', kind: 'crash-loop', object: id, evidence: ev });
      return;
    case 'Failed':
      if (/pull/i.test(message)) {
        const c = imagePull(message);
        out.push({ side: c.side, kind: c.kind, object: id, evidence: ev });
      }
      return;
    case 'FailedScheduling': {
      const s = scheduling(message);
      out.push({ side: s.side, kind: s.kind, object: id, evidence: ev });
      return;
    }
    case 'FailedMount':
    case 'FailedAttachVolume':
      if (/(configmap|secret) "[^"]*" not found|couldn't find key/i.test(message)) out.push({ side: 'app', kind: 'bad-config', object: id, evidence: ev });
      else out.push({ side: 'infrastructure', kind: 'volume', object: id, evidence: ev });
      return;
    case 'FailedCreatePodSandBox':
      out.push({ side: 'infrastructure', kind: 'pod-sandbox', object: id, evidence: ev });
      return;
    case 'NodeNotReady':
    case 'NodeNotSchedulable':
    case 'TaintManagerEviction':
      out.push({ side: 'infrastructure', kind: 'node-problem', object: id, evidence: ev });
      return;
    case 'Evicted':
      out.push({ side: 'infrastructure', kind: 'node-pressure', object: id, evidence: ev });
      return;
    case 'Preempted':
      out.push({ side: 'infrastructure', kind: 'preempted', object: id, evidence: ev });
      return;
    case 'FailedCreate':
      out.push(replicaFailure(message, id, ev));
      return;
    default:
  }
}

function replicaFailure(message: string, id: string, evidence: string): Finding {
  if (/exceeded quota/i.test(message)) return { side: 'infrastructure', kind: 'quota', object: id, evidence };
  return { side: 'infrastructure', kind: 'admission', object: id, evidence };
}

interface WorkloadState { id: string; complete: boolean; deadlineExceeded?: string }

function analyzeWorkload(w: Json, out: Finding[]): WorkloadState {
  const id = idOf(w);
  const md = obj(w.metadata);
  const spec = obj(w.spec);
  const status = obj(w.status);
  const desired = num(spec.replicas) ?? 1;
  let deadlineExceeded: string | undefined;
  for (const c of arr(status.conditions)) {
    if (c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded') deadlineExceeded = oneLine(str(c.message));
    if (c.type === 'ReplicaFailure' && c.status === 'True') out.push(replicaFailure(str(c.message), id, `condition ReplicaFailure (${str(c.reason)}): ${oneLine(str(c.message))}`));
  }
  const generation = num(md.generation);
  const observed = num(status.observedGeneration);
  const updated = num(status.updatedReplicas) ?? 0;
  const available = num(status.availableReplicas) ?? num(status.readyReplicas) ?? 0;
  const total = num(status.replicas) ?? 0;
  const upToDate = generation === undefined || observed === undefined || observed >= generation;
  const complete = upToDate && updated >= desired && available >= desired && total <= desired;
  return { id, complete, deadlineExceeded };
}

const SIDE_ORDER: Record<Side, number> = { app: 0, infrastructure: 1, rollout: 2 };

/**
 * Diagnoses a rollout from `kubectl get -o json` output: a `List`, a single
 * object, or an array of those. App signals win: when the app is failing, a
 * capacity shortage beside it is reported but the verdict is `app`. A passed
 * progress deadline with no app signal is the infrastructure's.
 */
export function diagnoseRollout(input: unknown): RolloutDiagnosis {
  const objects = flattenKubectlOutput(input);
  const findings: Finding[] = [];
  const workloads: WorkloadState[] = [];
  for (const o of objects) {
    const kind = str(o.kind);
    const workload = workloadKindOf(o);
    if (kind === 'Pod') {analyzePod(o, findings);} else if (kind === 'Event') {analyzeEvent(o, findings);} else if (workload?.pods === 'replicas' && workload.rollingUpdate) {
      workloads.push(analyzeWorkload(o, findings));
    } else if (workload?.pods === 'replicas') {
      // a ReplicaSet (or ReplicationController): the unit a Deployment's rollout scales
      for (const c of arr(obj(o.status).conditions)) {
        if (c.type === 'ReplicaFailure' && c.status === 'True') findings.push(replicaFailure(str(c.message), idOf(o), `condition ReplicaFailure (${str(c.reason)}): ${oneLine(str(c.message))}`));
      }
    }
  }
  const hasApp = findings.some(f => f.side === 'app');
  const hasInfra = findings.some(f => f.side === 'infrastructure');
  for (const w of workloads) {
    if (!w.deadlineExceeded) continue;
    if (hasApp || hasInfra) findings.push({ side: 'rollout', kind: 'progress-deadline-exceeded', object: w.id, evidence: w.deadlineExceeded });
    else findings.push({ side: 'infrastructure', kind: 'progress-deadline-without-app-signal', object: w.id, evidence: `${w.deadlineExceeded}; no pod shows an app failure (no crash, probe failure or config error)` });
  }

  // one reason per (category, object), first evidence kept; deterministic order
  const seen = new Set<string>();
  const reasons: RolloutReason[] = [];
  const sorted = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SIDE_ORDER[a.f.side] - SIDE_ORDER[b.f.side] || cmp(a.f.kind, b.f.kind) || cmp(a.f.object, b.f.object) || a.i - b.i);
  for (const { f } of sorted) {
    const category = `${f.side}.${f.kind}`;
    const key = `${category}|${f.object}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reasons.push({ category, evidence: f.evidence, object: f.object });
  }

  const appKinds = unique(findings.filter(f => f.side === 'app').map(f => f.kind));
  const infraKinds = unique(findings.filter(f => f.side === 'infrastructure').map(f => f.kind));
  if (appKinds.length > 0) {
    return { verdict: 'app', reasons, summary: `The app is failing (${appKinds.join(', ')})${infraKinds.length > 0 ? `; infrastructure signals too (${infraKinds.join(', ')})` : ''}: fix the app or roll back.` };
  }
  if (infraKinds.length > 0) {
    return { verdict: 'infrastructure', reasons, summary: `The infrastructure is blocking the rollout (${infraKinds.join(', ')}); the app shows no failure: escalate to the platform team.` };
  }
  if (workloads.length > 0 && workloads.every(w => w.complete)) {
    return { verdict: 'healthy', reasons, summary: `Rollout complete: ${workloads.map(w => w.id).join(', ')} updated and available.` };
  }
  if (workloads.length === 0) {
    return { verdict: 'unknown', reasons, summary: 'No Deployment, CloneSet or StatefulSet in the input and no failure signal: pass the workload, its ReplicaSets, Pods and Events.' };
  }
  return { verdict: 'unknown', reasons, summary: 'The rollout is still progressing and no failure signal was found.' };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)].sort();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
