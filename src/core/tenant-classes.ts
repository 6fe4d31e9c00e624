/**
 * The tenant classes: one table with every fact a layer attaches to a class.
 * Tenancy reads the Pod Security policy, the control plane the API Priority
 * and Fairness level of each class. Pure data.
 */

/** Class of tenant: decides defaults such as the Pod Security level allowed. */
export type TenantClass = 'stateless' | 'stateful' | 'batch';

/** The API Priority and Fairness level of a tenant class (one PriorityLevelConfiguration and FlowSchema per class and cluster). */
export interface TenantClassApiPriority {
  /** `nominalConcurrencyShares` of the class's priority level (shares of the apiserver's concurrency, no unit). */
  readonly shares: number;
  /** `lendablePercent` of the level: the percentage of its seats other levels may borrow while it does not use them. */
  readonly lendablePercent: number;
  /** `matchingPrecedence` of the class's FlowSchema (lower matches first). */
  readonly precedence: number;
}

/** Everything the platform decides per tenant class. */
export interface TenantClassSpec {
  /** The tenant may lower its namespace's Pod Security level to `baseline` (with a stated reason). */
  readonly baselineAllowed: boolean;
  /** Its API Priority and Fairness level. */
  readonly apiPriority: TenantClassApiPriority;
}

/**
 * The tenant classes, in a fixed order (deterministic output). Stateless
 * services always run `restricted`; stateful and batch tenants may run
 * `baseline` when an app states why (legacy images that need it, e.g. a fixed
 * root group). Batch lends most of its API share: its clients tolerate queueing.
 */
export const TENANT_CLASSES: Readonly<Record<TenantClass, TenantClassSpec>> = {
  stateless: { baselineAllowed: false, apiPriority: { shares: 30, lendablePercent: 25, precedence: 7000 } },
  stateful: { baselineAllowed: true, apiPriority: { shares: 30, lendablePercent: 25, precedence: 7010 } },
  batch: { baselineAllowed: true, apiPriority: { shares: 10, lendablePercent: 75, precedence: 7020 } },
};

/** The tenant class names, in the table's order. @internal */
export const TENANT_CLASS_NAMES: readonly TenantClass[] = Object.keys(TENANT_CLASSES) as TenantClass[];

/** True when a value names a tenant class. @internal */
export function isTenantClass(name: unknown): name is TenantClass {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TENANT_CLASSES, name);
}
