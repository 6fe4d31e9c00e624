/**
 * Small builders for structural openAPIV3Schema documents, so every CRD the
 * library generates states, for every field, whether it is required, its
 * default and its description.
 */

/** A JSON Schema node (structural, as apiextensions.k8s.io/v1 expects). @internal */
export type Schema = { [key: string]: unknown };

/** A CEL validation rule on a schema node (`x-kubernetes-validations`). @internal */
export interface CelRule {
  /** CEL expression over `self` (and `oldSelf` for transition rules). */
  readonly rule: string;
  /** Message returned when the rule fails. */
  readonly message: string;
}

/** A property: its schema and whether it is required. @internal */
export interface Field {
  readonly schema: Schema;
  readonly required: boolean;
}

/** A required field. @internal */
export function required(schema: Schema): Field {
  return { schema, required: true };
}

/** An optional field; `defaultValue` (when given) is stated in the schema and its description. @internal */
export function optional(schema: Schema, defaultValue?: unknown): Field {
  if (defaultValue === undefined) return { schema: { ...schema, description: `${schema.description ?? ''} Optional.`.trim() }, required: false };
  return {
    schema: { ...schema, default: defaultValue, description: `${schema.description ?? ''} Optional; defaults to ${JSON.stringify(defaultValue)}.`.trim() },
    required: false,
  };
}

/** An object with the given fields. @internal */
export function object(description: string, fields: Record<string, Field>, rules: readonly CelRule[] = []): Schema {
  const properties: Record<string, Schema> = {};
  const req: string[] = [];
  for (const [name, f] of Object.entries(fields)) {
    properties[name] = f.schema;
    if (f.required) req.push(name);
  }
  const out: Schema = { type: 'object', description, properties };
  if (req.length > 0) out.required = req;
  if (rules.length > 0) out['x-kubernetes-validations'] = rules.map(r => ({ rule: r.rule, message: r.message }));
  return out;
}

/** A string. @internal */
export function string(description: string, extra: Schema = {}): Schema {
  return { type: 'string', description, ...extra };
}

/** An integer (64-bit). @internal */
export function integer(description: string, extra: Schema = {}): Schema {
  return { type: 'integer', format: 'int64', description, ...extra };
}

/** A boolean. @internal */
export function boolean(description: string): Schema {
  return { type: 'boolean', description };
}

/** A list. @internal */
export function list(description: string, items: Schema, extra: Schema = {}): Schema {
  return { type: 'array', description, items, ...extra };
}

/** A map of string keys to values of one schema. @internal */
export function map(description: string, values: Schema, extra: Schema = {}): Schema {
  return { type: 'object', description, additionalProperties: values, ...extra };
}

/** A string-or-integer (a Kubernetes int-or-string, e.g. `10%` or `2`). @internal */
export function intOrString(description: string): Schema {
  return { 'x-kubernetes-int-or-string': true, description };
}

/** The standard `metav1.Condition` list of a status, keyed by `type`. @internal */
export function conditions(): Schema {
  return list('Observations of the object\'s state (metav1.Condition), one per type.', object('One condition.', {
    type: required(string('Condition type, e.g. Ready.', { maxLength: 316 })),
    status: required(string('True, False or Unknown.', { enum: ['True', 'False', 'Unknown'] })),
    observedGeneration: optional(integer('metadata.generation the condition was set for.', { minimum: 0 })),
    lastTransitionTime: required(string('When the status last changed.', { format: 'date-time' })),
    reason: required(string('Machine-readable CamelCase reason.', { maxLength: 1024, minLength: 1 })),
    message: required(string('Human-readable message.', { maxLength: 32768 })),
  }), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });
}

/** A status object with `observedGeneration` and `conditions`, plus extra fields. @internal */
export function statusSchema(description: string, extra: Record<string, Field> = {}): Schema {
  return object(description, {
    observedGeneration: optional(integer('The metadata.generation the controller last acted on.', { minimum: 0 })),
    conditions: optional(conditions()),
    ...extra,
  });
}

/** A printer column of `kubectl get`. @internal */
export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
}

/** Props of a generated CustomResourceDefinition. @internal */
export interface CrdSpec {
  /** API group, e.g. `fleet.cdk8s.io`. */
  readonly group: string;
  /** Kind, e.g. `KubernetesPool`. */
  readonly kind: string;
  /** Plural resource name. */
  readonly plural: string;
  /** Singular resource name. @default - lower-case kind */
  readonly singular?: string;
  /** Short names for kubectl. @default [] */
  readonly shortNames?: readonly string[];
  /** `Namespaced` or `Cluster`. */
  readonly scope: 'Namespaced' | 'Cluster';
  /** Version name, e.g. `v1alpha1`. */
  readonly version: string;
  /** Schema of `spec`. */
  readonly spec: Schema;
  /** Schema of `status`. */
  readonly status: Schema;
  /** Printer columns. @default [] */
  readonly printerColumns?: readonly PrinterColumn[];
  /** Categories for `kubectl get <category>`. @default ['fleet'] */
  readonly categories?: readonly string[];
}

/** The CustomResourceDefinition object (apiextensions.k8s.io/v1) for a spec. @internal */
export function customResourceDefinition(crd: CrdSpec): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${crd.plural}.${crd.group}` },
    spec: {
      group: crd.group,
      names: {
        kind: crd.kind,
        listKind: `${crd.kind}List`,
        plural: crd.plural,
        singular: crd.singular ?? crd.kind.toLowerCase(),
        ...(crd.shortNames && crd.shortNames.length > 0 ? { shortNames: [...crd.shortNames] } : {}),
        categories: [...(crd.categories ?? ['fleet'])],
      },
      scope: crd.scope,
      versions: [{
        name: crd.version,
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: object(`${crd.kind} (${crd.group}/${crd.version}).`, {
            apiVersion: optional(string('APIVersion of this representation of the object.')),
            kind: optional(string('Kind of this object.')),
            metadata: optional({ type: 'object' }),
            spec: required(crd.spec),
            status: optional(crd.status),
          }),
        },
        subresources: { status: {} },
        additionalPrinterColumns: [
          ...(crd.printerColumns ?? []).map(c => ({ ...c })),
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      }],
    },
  };
}
