/**
 * API Priority and Fairness (flowcontrol.apiserver.k8s.io/v1beta3, served by
 * 1.28), layered on the apiserver's built-in FlowSchemas and priority levels:
 *
 * - one priority level per tenant class (stateless, stateful, batch), whose
 *   FlowSchema (`renderTenantFlowSchema`, rendered by the tenancy layer, which
 *   knows where each namespace went) matches the service accounts of the
 *   class's namespaces on the cluster, with flows distinguished by namespace:
 *   one tenant's heavy client queues behind its own requests, not everyone's;
 * - a separate, bounded level for platform controllers (never borrowing beyond
 *   its share, flows by user), so a controller issuing un-cached LISTs — the
 *   public incident that took down etcd — exhausts only its own seats.
 *
 * Matching precedence stays above the built-in `kube-system-service-accounts`
 * (900) and below the built-in `service-accounts` (9000) and `global-default`.
 */
import { k8s } from 'cdk8s-plus-28';
import { KubeObject } from '../synth/context';
// eslint-disable-next-line import/no-restricted-paths -- until the tenant classes have their own table in core
import { TenantClass } from '../tenancy/app-namespace';

/** A service account, by namespace and name. */
export interface ServiceAccountRef {
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
}

/** Tenant classes, in a fixed order (deterministic output). @internal */
export const APF_TENANT_CLASSES: readonly TenantClass[] = ['stateless', 'stateful', 'batch'];

/** Concurrency shares and lending of a tenant class's level. @internal */
export const APF_TENANT_CLASS_LEVELS: Readonly<Record<TenantClass, { shares: number; lendablePercent: number; precedence: number }>> = {
  stateless: { shares: 30, lendablePercent: 25, precedence: 7000 },
  stateful: { shares: 30, lendablePercent: 25, precedence: 7010 },
  batch: { shares: 10, lendablePercent: 75, precedence: 7020 },
};

/** Name prefix of the fleet's APF objects. @internal */
export const APF_PREFIX = 'fleet';
/** Precedence of the platform controllers' FlowSchema. @internal */
export const PLATFORM_CONTROLLERS_PRECEDENCE = 1000;

/** Inputs of the control plane's APF objects of one cluster. @internal */
export interface ApiPriorityInput {
  /** The fleet's system namespace (every service account in it is a platform controller). */
  readonly systemNamespace: string;
  /** More platform controllers. */
  readonly platformControllers: readonly ServiceAccountRef[];
  /** Shares of the platform controllers' level. */
  readonly platformControllerShares: number;
}

const EVERYTHING = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], clusterScope: true }],
  nonResourceRules: [{ verbs: ['*'], nonResourceUrLs: ['*'] }],
};

function level(name: string, shares: number, lendablePercent: number, borrowingLimitPercent: number | undefined, queues: number): KubeObject {
  return k8s.KubePriorityLevelConfigurationV1Beta3.manifest({
    metadata: { name },
    spec: {
      type: 'Limited',
      limited: {
        nominalConcurrencyShares: shares,
        lendablePercent,
        borrowingLimitPercent,
        limitResponse: { type: 'Queue', queuing: { queues, handSize: 6, queueLengthLimit: 50 } },
      },
    },
  }) as KubeObject;
}

function schema(name: string, levelName: string, precedence: number, distinguisher: 'ByUser' | 'ByNamespace', subjects: k8s.SubjectV1Beta3[]): KubeObject {
  return k8s.KubeFlowSchemaV1Beta3.manifest({
    metadata: { name },
    spec: {
      priorityLevelConfiguration: { name: levelName },
      matchingPrecedence: precedence,
      distinguisherMethod: { type: distinguisher },
      rules: [{ subjects, ...EVERYTHING }],
    },
  }) as KubeObject;
}

/**
 * The priority levels of one cluster (the platform controllers' and one per
 * tenant class) and the platform controllers' FlowSchema.
 * @internal
 */
export function renderApiPriority(input: ApiPriorityInput): KubeObject[] {
  const out: KubeObject[] = [];
  const platform = `${APF_PREFIX}-platform-controllers`;
  out.push(level(platform, input.platformControllerShares, 0, 0, 64));
  const controllers: ServiceAccountRef[] = [{ namespace: input.systemNamespace, name: '*' }, ...input.platformControllers];
  out.push(schema(platform, platform, PLATFORM_CONTROLLERS_PRECEDENCE, 'ByUser',
    controllers.map(sa => ({ kind: 'ServiceAccount', serviceAccount: { namespace: sa.namespace, name: sa.name } }))));
  for (const cls of APF_TENANT_CLASSES) {
    const name = `${APF_PREFIX}-tenant-${cls}`;
    const l = APF_TENANT_CLASS_LEVELS[cls];
    out.push(level(name, l.shares, l.lendablePercent, 100, 128));
  }
  return out;
}

/**
 * The FlowSchema that puts the service accounts of a tenant class's
 * namespaces on one cluster into the class's priority level (none for no
 * namespaces).
 * @internal
 */
export function renderTenantFlowSchema(cls: TenantClass, namespaces: readonly string[]): KubeObject | undefined {
  if (namespaces.length === 0) return undefined;
  const name = `${APF_PREFIX}-tenant-${cls}`;
  return schema(name, name, APF_TENANT_CLASS_LEVELS[cls].precedence, 'ByNamespace',
    [...namespaces].sort().map(ns => ({ kind: 'ServiceAccount', serviceAccount: { namespace: ns, name: '*' } })));
}
