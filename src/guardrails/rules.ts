/**
 * The guardrail rules as data: which rules exist, how serious each one is,
 * their bounds, and the exemptions the platform team recorded. Everything the
 * synth-time checks and the in-cluster admission policies decide comes from a
 * {@link GuardrailConfig}; nothing here depends on cdk8s.
 */
import { Severity } from '../core/errors';
import { LABEL_PREFIX } from '../core/names';
import { ErrorRuleId } from '../core/rules';

/** Names of the guardrail rules (the `<rule>` part of exemptions and overrides). */
export type GuardrailRuleName = 'scale-down' | 'delete-protected' | 'namespace-move' | 'batch-quota-move' | 'batch-queue-shrink' | 'max-surge' | 'canary-percent';

/** The violation rule id of a guardrail rule: `guardrails.<name>`. @internal */
export type GuardrailRuleId = `guardrails.${GuardrailRuleName}`;

/**
 * Whether a rule needs the previous output (change-aware), checks the new
 * output alone, or is decided by the layer that plans the change (which
 * reads the previous output's record and reports it). @internal
 */
export type GuardrailRuleScope = 'change' | 'state' | 'plan';

/** One guardrail rule. @internal */
export interface GuardrailRule {
  /** Short name, used in exemptions and overrides. */
  readonly name: GuardrailRuleName;
  /** Stable violation rule id (`guardrails.<name>`). */
  readonly id: GuardrailRuleId;
  /** `change`: compares the previous output with the new one; `state`: checks the new output alone; `plan`: decided where the change is planned. */
  readonly scope: GuardrailRuleScope;
  /** Default severity. */
  readonly severity: Severity;
  /** What the rule prevents. */
  readonly summary: string;
  /** How a target of the rule is named in exemptions and overrides. */
  readonly target: string;
}

/** Every guardrail rule. @internal */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  {
    name: 'scale-down',
    id: 'guardrails.scale-down',
    scope: 'change',
    severity: 'error',
    summary: 'a workload is scaled down by more than the configured fraction of its replicas in one step (removing a workload counts as scaling it to 0)',
    target: '<cluster>/<namespace>/<workload>',
  },
  {
    name: 'delete-protected',
    id: 'guardrails.delete-protected',
    scope: 'change',
    severity: 'error',
    summary: 'a protected object is deleted: labelled with the protection label, a Namespace holding workloads, a fleet.cdk8s.io custom resource, or a CRD of fleet.cdk8s.io or with custom resources',
    target: '<cluster>/<kind>/<name> or <cluster>/<kind>/<namespace>/<name> (kind in lower case)',
  },
  {
    name: 'namespace-move',
    id: 'guardrails.namespace-move',
    scope: 'change',
    severity: 'error',
    summary: 'a Namespace moves to another cluster (its workloads are deleted in the old cluster)',
    target: '<namespace>',
  },
  {
    name: 'batch-quota-move',
    id: 'guardrails.batch-quota-move',
    scope: 'plan',
    severity: 'error',
    summary: 'a regional batch quota moves between clusters (a cluster loses recorded quota: its running jobs lose their share); the jobs layer decides it when it splits the quota and reports it as batch-quota.move',
    target: '<region>/<node profile>',
  },
  {
    name: 'batch-queue-shrink',
    id: 'guardrails.batch-queue-shrink',
    scope: 'change',
    severity: 'error',
    summary: 'a team\'s batch queue (Volcano Queue or Kueue ClusterQueue) shrinks on any resource, which preempts or evicts the jobs it admitted beyond the new quota, or is removed while jobs of it are declared; in the cluster, a queue is deleted while its status shows work, or its quota lowered below what its status says is allocated or used',
    target: '<cluster>/<queue>',
  },
  {
    name: 'max-surge',
    id: 'guardrails.max-surge',
    scope: 'state',
    severity: 'error',
    summary: 'a rollout may create more extra pods (maxSurge) than the configured percentage of the replicas',
    target: '<cluster>/<namespace>/<workload>',
  },
  {
    name: 'canary-percent',
    id: 'guardrails.canary-percent',
    scope: 'state',
    severity: 'error',
    summary: 'a canary holds more than the configured percentage of an app\'s pods (canary + stable)',
    target: '<cluster>/<namespace>/<app>',
  },
];

const RULES_BY_NAME = new Map(GUARDRAIL_RULES.map(r => [r.name, r]));

/** The rule with a short name, if any. @internal */
export function guardrailRule(name: string): GuardrailRule | undefined {
  return RULES_BY_NAME.get(name as GuardrailRuleName);
}

/**
 * A permanent, recorded exception to one rule for one target, configured by
 * the platform team (unlike an override, which one change carries).
 */
export interface GuardrailExemption {
  /** The rule (short name, e.g. `max-surge`). */
  readonly rule: GuardrailRuleName;
  /** The target, named as the rule names its targets (e.g. `lva1-prod-1/feed/feed-api`). */
  readonly target: string;
  /** Why the exemption is safe, and who agreed to it. Required, never empty. */
  readonly reason: string;
}

/** Label that marks an object as protected against deletion (value `true`). */
export const DEFAULT_PROTECTED_LABEL = `${LABEL_PREFIX}/protected`;

/**
 * Identities of the Kubernetes controllers that legitimately delete and scale
 * objects (namespace cleanup, garbage collection, horizontal autoscaling).
 */
export const DEFAULT_PLATFORM_IDENTITIES: readonly string[] = [
  'system:serviceaccount:kube-system:generic-garbage-collector',
  'system:serviceaccount:kube-system:horizontal-pod-autoscaler',
  'system:serviceaccount:kube-system:namespace-controller',
];

/** Default bounds. @internal */
export const GuardrailDefaults = {
  /** Largest fraction of replicas one change may remove. */
  MAX_SCALE_DOWN_FRACTION: 0.5,
  /** Largest maxSurge, in percent of the replicas. */
  MAX_SURGE_PERCENT: 50,
  /** Largest canary share, in percent of the app's pods. */
  MAX_CANARY_PERCENT: 25,
} as const;

/** The guardrail configuration, complete (defaults applied). */
export interface GuardrailConfig {
  /** Largest fraction of a workload's replicas one change may remove (0–1, at most three decimals). */
  readonly maxScaleDownFraction: number;
  /** Largest maxSurge in percent of the replicas (0–100). */
  readonly maxSurgePercent: number;
  /** Largest canary share in percent of canary + stable pods (0–100). */
  readonly maxCanaryPercent: number;
  /** Label key marking protected objects (value `true`). */
  readonly protectedLabel: string;
  /** Recorded exemptions. */
  readonly exemptions: readonly GuardrailExemption[];
  /** User names exempt from the in-cluster policies (the platform's own controllers). */
  readonly platformIdentities: readonly string[];
  /** Groups exempt from the in-cluster policies. */
  readonly platformGroups: readonly string[];
  /** Severity of each rule. */
  readonly severities: Readonly<Record<GuardrailRuleName, Severity>>;
  /** Render the ValidatingAdmissionPolicies into every cluster. */
  readonly admissionPolicies: boolean;
}

/** Partial configuration, as the {@link Guardrails} construct takes it. */
export interface GuardrailSettings {
  /**
   * Largest fraction of a workload's replicas one change may remove, 0–1 with
   * at most three decimals (0.5: 100 → 50 is allowed, 100 → 49 is not).
   * @default 0.5
   */
  readonly maxScaleDownFraction?: number;
  /** Largest maxSurge, in percent of the replicas (whole number, 0–100). @default 50 */
  readonly maxSurgePercent?: number;
  /**
   * The fleet's one canary bound: the largest share of an app's pods (canary
   * and stable together, in percent, whole number 0–100) its canary may hold.
   * That share is the share of requests the canary serves, since the Service
   * selects both tracks. LiDeployment validation, the synth-time guardrail
   * and the in-cluster policy all use it (`canary * 100 <= bound * (canary + stable)`).
   * @default 25
   */
  readonly maxCanaryPercent?: number;
  /** Label key marking objects protected against deletion (value `true`). @default 'fleet.cdk8s.io/protected' */
  readonly protectedLabel?: string;
  /** Recorded exemptions, each with a reason. @default [] */
  readonly exemptions?: readonly GuardrailExemption[];
  /**
   * User names exempt from the in-cluster policies: the platform's own
   * controllers, and the GitOps applier if synth-approved changes (overrides)
   * must apply without a second approval in the cluster.
   * @default - the garbage collector, namespace controller and horizontal pod autoscaler of kube-system
   */
  readonly platformIdentities?: readonly string[];
  /** Groups exempt from the in-cluster policies. No wildcards. @default [] */
  readonly platformGroups?: readonly string[];
  /**
   * Severity per rule: `warning` reports without failing the synth, and makes
   * the in-cluster policy warn (`Warn`) instead of deny.
   * @default - every rule is an error
   */
  readonly severities?: Partial<Record<GuardrailRuleName, Severity>>;
  /** Render ValidatingAdmissionPolicies and bindings into every cluster. @default true */
  readonly admissionPolicies?: boolean;
}

/** The complete configuration from partial settings. @internal */
export function resolveGuardrailConfig(s: GuardrailSettings = {}): GuardrailConfig {
  const given = typeof s.severities === 'object' && s.severities !== null ? s.severities : {};
  const severities = Object.fromEntries(GUARDRAIL_RULES.map(r => [r.name, given[r.name] ?? r.severity]));
  return {
    maxScaleDownFraction: s.maxScaleDownFraction ?? GuardrailDefaults.MAX_SCALE_DOWN_FRACTION,
    maxSurgePercent: s.maxSurgePercent ?? GuardrailDefaults.MAX_SURGE_PERCENT,
    maxCanaryPercent: s.maxCanaryPercent ?? GuardrailDefaults.MAX_CANARY_PERCENT,
    protectedLabel: s.protectedLabel ?? DEFAULT_PROTECTED_LABEL,
    // a prop of the wrong type is reported by the validate stage (it never gets here past validation)
    exemptions: Array.isArray(s.exemptions) ? [...s.exemptions] : [],
    platformIdentities: Array.isArray(s.platformIdentities) ? [...s.platformIdentities] : [...DEFAULT_PLATFORM_IDENTITIES],
    platformGroups: Array.isArray(s.platformGroups) ? [...s.platformGroups] : [],
    severities: severities as Record<GuardrailRuleName, Severity>,
    admissionPolicies: s.admissionPolicies ?? true,
  };
}

/** A problem with the configuration itself: field, message, fix. @internal */
export interface ConfigProblem {
  readonly rule: ErrorRuleId;
  readonly message: string;
  readonly fix: string;
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Every problem of a configuration (pure). @internal */
export function guardrailConfigProblems(c: GuardrailConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const f = c.maxScaleDownFraction;
  if (!(f >= 0 && f <= 1) || Math.abs(f * 1000 - Math.round(f * 1000)) > 1e-9) {
    out.push({ rule: 'guardrails.config.scale-down-fraction', message: `maxScaleDownFraction is ${f}`, fix: 'use a fraction between 0 and 1 with at most three decimals, e.g. 0.5' });
  }
  for (const [field, value] of [['maxSurgePercent', c.maxSurgePercent], ['maxCanaryPercent', c.maxCanaryPercent]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 100) {
      out.push({ rule: 'guardrails.config.percent', message: `${field} is ${value}`, fix: 'use a whole percentage between 0 and 100' });
    }
  }
  if (!LABEL_KEY.test(c.protectedLabel) || c.protectedLabel.length > 317) {
    out.push({ rule: 'guardrails.config.protected-label', message: `'${c.protectedLabel}' is not a label key`, fix: `use a label key such as '${DEFAULT_PROTECTED_LABEL}'` });
  }
  for (const id of [...c.platformIdentities, ...c.platformGroups]) {
    if (id.trim() === '' || id.includes('*')) {
      out.push({ rule: 'guardrails.config.identity', message: `platform identity '${id}' is empty or a wildcard`, fix: 'name each exempt user or group exactly' });
    }
  }
  const seen = new Set<string>();
  for (const e of c.exemptions) {
    const key = `${e.rule}:${e.target}`;
    if (!guardrailRule(e.rule)) {
      out.push({ rule: 'guardrails.exemption.rule', message: `exemption names unknown rule '${e.rule}'`, fix: `use one of: ${GUARDRAIL_RULES.map(r => r.name).join(', ')}` });
    }
    if (!e.target || e.target.includes('*')) {
      out.push({ rule: 'guardrails.exemption.target', message: `exemption '${key}' has an empty or wildcard target`, fix: 'name exactly one target, as the rule names its targets' });
    }
    if (!e.reason || e.reason.trim() === '') {
      out.push({ rule: 'guardrails.exemption.reason', message: `exemption '${key}' has no reason`, fix: 'record why the exemption is safe and who agreed to it' });
    }
    if (seen.has(key)) out.push({ rule: 'guardrails.exemption.unique', message: `exemption '${key}' is listed twice`, fix: 'list each exemption once' });
    seen.add(key);
  }
  return out;
}

/** The per-mille of replicas a change must keep: 0.5 → 500. @internal */
export function keptPermille(c: GuardrailConfig): number {
  return 1000 - Math.round(c.maxScaleDownFraction * 1000);
}

/**
 * True when scaling from `before` to `after` replicas stays within the bound:
 * `after * 1000 >= before * keptPermille` (integers only, as the in-cluster rule).
 * @internal
 */
export function scaleDownAllowed(before: number, after: number, c: GuardrailConfig): boolean {
  return after >= before || after * 1000 >= before * keptPermille(c);
}

/**
 * The override name a change must carry to pass a change-aware rule for a
 * target: `<rule>:<target>` (e.g. `scale-down:lva1-prod-1/feed/feed-api`).
 * @internal
 */
export function overrideName(rule: GuardrailRuleName, target: string): string {
  return `${rule}:${target}`;
}
