/**
 * API Priority and Fairness (flowcontrol.apiserver.k8s.io/v1beta3, served by
 * 1.28), layered on the apiserver's built-in FlowSchemas and priority levels:
 *
 * - one priority level per tenant class (stateless, stateful, batch; shares,
 *   lending and precedence from the tenant-class table), whose
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
import { TENANT_CLASSES, TENANT_CLASS_NAMES, TenantClass } from '../core/tenant-classes';
import { KubeObject } from '../synth/context';

/** A service account, by namespace and name. */
export interface ServiceAccountRef {
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
}

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
  for (const cls of TENANT_CLASS_NAMES) {
    const name = `${APF_PREFIX}-tenant-${cls}`;
    const l = TENANT_CLASSES[cls].apiPriority;
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
  return schema(name, name, TENANT_CLASSES[cls].apiPriority.precedence, 'ByNamespace',
    [...namespaces].sort().map(ns => ({ kind: 'ServiceAccount', serviceAccount: { namespace: ns, name: '*' } })));
}
