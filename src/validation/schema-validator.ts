/**
 * Schema validation of Kubernetes objects, kubeconform-style: built-in kinds
 * against the Kubernetes OpenAPI definitions, custom resources against the
 * openAPIV3Schema of their CRD. Strict by default: a field the schema does not
 * declare is an error (as the API server's strict field validation reports).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

/** Environment variable naming the schema directory (Kubernetes definitions and third-party CRDs). */
export const SCHEMAS_ENV = 'CDK8S_FLEET_SCHEMAS';

/** Evaluates one CEL rule (`x-kubernetes-validations`) against `self`; returns true when it holds. */
export type CelRuleEvaluator = (rule: string, self: unknown) => boolean;

/** Options of {@link SchemaValidator}. */
export interface SchemaValidatorOptions {
  /** Reject fields a schema does not declare. @default true */
  readonly strict?: boolean;
  /** Evaluates CRD CEL rules; without it they are not checked. @default - CEL rules are not evaluated */
  readonly celEvaluator?: CelRuleEvaluator;
}

type JsonSchema = { [k: string]: unknown };
type Gvk = { group: string; version: string; kind: string };

/** The part of a CustomResourceDefinition the validator reads. */
export interface CrdDocument {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: ReadonlyArray<{ readonly name: string; readonly schema?: { readonly openAPIV3Schema?: JsonSchema } }>;
  };
}

interface CelCheck {
  readonly rules: ReadonlyArray<{ rule: string; message: string }>;
}

function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

function apiVersionOf(g: Gvk): string {
  return g.group ? `${g.group}/${g.version}` : g.version;
}

/** Makes every object schema that lists properties closed (kubeconform's strict mode). */
function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify);
  if (!node || typeof node !== 'object') return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(src)) out[k] = strictify(v);
  if (src.properties && src.additionalProperties === undefined && !src['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** Turns a CRD's structural schema into plain JSON Schema that ajv understands. */
function structuralToJsonSchema(node: unknown, strict: boolean, isRoot = false): unknown {
  if (Array.isArray(node)) return node.map(n => structuralToJsonSchema(n, strict));
  if (!node || typeof node !== 'object') return node;
  const src = node as JsonSchema;
  if (src['x-kubernetes-int-or-string']) {
    return { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  }
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith('x-kubernetes-') || k === 'default' || k === 'nullable') continue;
    if (k === 'properties') {
      const props: JsonSchema = {};
      for (const [pk, pv] of Object.entries(v as JsonSchema)) {
        props[pk] = isRoot && pk === 'metadata'
          ? { $ref: 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }
          : structuralToJsonSchema(pv, strict);
      }
      out.properties = props;
    } else {
      out[k] = structuralToJsonSchema(v, strict);
    }
  }
  if (src.nullable === true && typeof src.type === 'string') out.type = [src.type, 'null'];
  if (strict && src.properties && src.additionalProperties === undefined && !src['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** Collects the CEL rules of a structural schema, keyed by their JSON location pattern. */
function walkCel(schema: JsonSchema | undefined, data: unknown, at: string, evaluate: CelRuleEvaluator, errors: string[]): void {
  if (!schema || data === undefined || data === null) return;
  const rules = schema['x-kubernetes-validations'] as CelCheck['rules'] | undefined;
  for (const r of rules ?? []) {
    let ok: boolean;
    try {
      ok = evaluate(r.rule, data);
    } catch (e) {
      errors.push(`${at || '/'}: CEL rule '${r.rule}' could not be evaluated: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!ok) errors.push(`${at || '/'}: ${r.message} (CEL rule '${r.rule}')`);
  }
  if (Array.isArray(data)) {
    data.forEach((item, i) => walkCel(schema.items as JsonSchema, item, `${at}/${i}`, evaluate, errors));
  } else if (typeof data === 'object') {
    const props = schema.properties as Record<string, JsonSchema> | undefined;
    const addl = typeof schema.additionalProperties === 'object' ? schema.additionalProperties as JsonSchema : undefined;
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
      walkCel(props?.[k] ?? addl, v, `${at}/${k}`, evaluate, errors);
    }
  }
}

/** A schema validator for a set of Kubernetes definitions and CRDs. */
export class SchemaValidator {
  /**
   * A validator for one Kubernetes release under a schema directory laid out as
   * `kubernetes/<version>/_definitions.json`, with every CRD found under
   * `crds/` (YAML) added.
   */
  public static fromDirectory(schemasDir: string, kubernetesVersion = 'v1.28.0', options: SchemaValidatorOptions = {}): SchemaValidator {
    const defs = JSON.parse(fs.readFileSync(path.join(schemasDir, 'kubernetes', kubernetesVersion, '_definitions.json'), 'utf8'));
    const v = new SchemaValidator(defs, options);
    const crdDir = path.join(schemasDir, 'crds');
    if (fs.existsSync(crdDir)) {
      for (const file of listYamlFiles(crdDir)) {
        for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
          const o = doc.toJS();
          if (o && o.kind === 'CustomResourceDefinition') v.addCrd(o);
        }
      }
    }
    return v;
  }

  private readonly ajv: Ajv;
  private readonly byGvk = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly crdSchemas = new Map<string, { validate: ValidateFunction; structural: JsonSchema }>();
  private readonly strict: boolean;

  constructor(definitions: { definitions: Record<string, JsonSchema> }, private readonly options: SchemaValidatorOptions = {}) {
    this.strict = options.strict ?? true;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
    const defs = this.strict ? strictify(definitions.definitions) as Record<string, JsonSchema> : definitions.definitions;
    this.ajv.addSchema({ $id: 'k8s', definitions: defs });
    for (const [name, def] of Object.entries(definitions.definitions)) {
      const gvks = def['x-kubernetes-group-version-kind'] as Gvk[] | undefined;
      for (const g of gvks ?? []) this.byGvk.set(gvkKey(apiVersionOf(g), g.kind), name);
    }
  }

  /** Adds a CRD (apiextensions.k8s.io/v1 object): its served versions validate their custom resources. */
  public addCrd(crd: CrdDocument): void {
    for (const version of crd.spec.versions) {
      const structural = version.schema?.openAPIV3Schema;
      if (!structural) continue;
      const schema = structuralToJsonSchema(structural, this.strict, true) as JsonSchema;
      const key = gvkKey(`${crd.spec.group}/${version.name}`, crd.spec.names.kind);
      this.crdSchemas.set(key, { validate: this.ajv.compile(schema), structural });
    }
  }

  /** True when the validator knows the object's apiVersion and kind. */
  public knows(apiVersion: string, kind: string): boolean {
    const key = gvkKey(apiVersion, kind);
    return this.byGvk.has(key) || this.crdSchemas.has(key);
  }

  /** Validates one object; returns the problems found (empty when valid). */
  public validate(obj: unknown): string[] {
    if (!obj || typeof obj !== 'object') return ['the document is not an object'];
    const o = obj as { apiVersion?: string; kind?: string };
    if (!o.apiVersion || !o.kind) return ['the object has no apiVersion or kind'];
    const key = gvkKey(o.apiVersion, o.kind);
    const crd = this.crdSchemas.get(key);
    if (crd) {
      const errors = crd.validate(obj) ? [] : formatErrors(crd.validate);
      if (this.options.celEvaluator) walkCel(crd.structural, obj, '', this.options.celEvaluator, errors);
      return errors;
    }
    const name = this.byGvk.get(key);
    if (!name) return [`no schema for ${o.apiVersion} ${o.kind}`];
    let fn = this.compiled.get(name);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `k8s#/definitions/${name}` });
      this.compiled.set(name, fn);
    }
    return fn(obj) ? [] : formatErrors(fn);
  }
}

function formatErrors(fn: ValidateFunction): string[] {
  return (fn.errors ?? []).map(e => {
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
    return `${e.instancePath || '/'}: ${e.message}${extra}`;
  });
}

function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listYamlFiles(p));
    else if (/\.ya?ml$/.test(entry.name)) out.push(p);
  }
  return out;
}
