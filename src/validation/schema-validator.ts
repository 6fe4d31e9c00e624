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
import { re2Engine } from './re2';

/** Environment variable naming the schema directory (Kubernetes definitions and third-party CRDs). @internal */
export const SCHEMAS_ENV = 'CDK8S_FLEET_SCHEMAS';

/** Evaluates one CEL rule (`x-kubernetes-validations`) against `self`; returns true when it holds. @internal */
export type CelRuleEvaluator = (rule: string, self: unknown) => boolean;

/** Options of {@link SchemaValidator}. @internal */
export interface SchemaValidatorOptions {
  /** Reject fields a schema does not declare. @default true */
  readonly strict?: boolean;
  /** Evaluates CRD CEL rules; without it they are not checked. @default - CEL rules are not evaluated */
  readonly celEvaluator?: CelRuleEvaluator;
}

type JsonSchema = { [k: string]: unknown };
type Gvk = { group: string; version: string; kind: string };

/** The part of a CustomResourceDefinition the validator reads. @internal */
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

/** A CEL rule that compares with the stored object, which the API server evaluates on updates only. */
const TRANSITION_RULE = /\boldSelf\b/;

/** Evaluates the CEL rules of a structural schema against the data it describes, recursively, as on creation. */
function walkCel(schema: JsonSchema | undefined, data: unknown, at: string, evaluate: CelRuleEvaluator, errors: string[]): void {
  if (!schema || data === undefined || data === null) return;
  const rules = schema['x-kubernetes-validations'] as CelCheck['rules'] | undefined;
  for (const r of rules ?? []) {
    // a transition rule (it reads `oldSelf`) runs on updates only; objects are validated as created
    if (TRANSITION_RULE.test(r.rule)) continue;
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

/** The schema of one served version of a CRD: compiled, or why it could not be. */
type CrdSchema =
  | { readonly validate: ValidateFunction; readonly structural: JsonSchema; readonly problem?: undefined }
  | { readonly problem: string };

/** A CRD version registered but not compiled yet (schema directories hold many; most go unused). */
interface PendingCrdSchema {
  readonly apiVersion: string;
  readonly kind: string;
  readonly structural: JsonSchema;
}

/** A schema validator for a set of Kubernetes definitions and CRDs. @internal */
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
        const where = path.relative(schemasDir, file);
        let docs: ReturnType<typeof parseAllDocuments>;
        try {
          docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
        } catch (e) {
          v.problems.push(`${where}: cannot be read: ${(e as Error).message.split('\n')[0]}`);
          continue;
        }
        for (const doc of Array.isArray(docs) ? docs : [docs]) {
          if (doc.errors.length > 0) {
            v.problems.push(`${where}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
            continue;
          }
          const o = doc.toJS();
          if (!isCrd(o)) continue;
          v.registerCrd(o);
        }
      }
    }
    return v;
  }

  /**
   * Problems of the schema directory that did not stop the validator: CRD
   * files that do not parse. (A CRD version whose schema does not compile is
   * reported when an object of its kind is validated.)
   */
  public readonly problems: string[] = [];

  private readonly ajv: Ajv;
  private readonly byGvk = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly crdSchemas = new Map<string, CrdSchema>();
  private readonly pendingCrds = new Map<string, PendingCrdSchema>();
  private readonly strict: boolean;

  constructor(definitions: { definitions: Record<string, JsonSchema> }, private readonly options: SchemaValidatorOptions = {}) {
    this.strict = options.strict ?? true;
    // patterns are RE2, as the API server evaluates them (ecosystem CRDs use `(?i)` and other Go syntax)
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false, code: { regExp: re2Engine } });
    const defs = this.strict ? strictify(definitions.definitions) as Record<string, JsonSchema> : definitions.definitions;
    this.ajv.addSchema({ $id: 'k8s', definitions: defs });
    for (const [name, def] of Object.entries(definitions.definitions)) {
      const gvks = def['x-kubernetes-group-version-kind'] as Gvk[] | undefined;
      for (const g of gvks ?? []) this.byGvk.set(gvkKey(apiVersionOf(g), g.kind), name);
    }
  }

  /**
   * Adds a CRD (apiextensions.k8s.io/v1 object): its served versions validate
   * their custom resources. Never throws for a bad schema: the problems of
   * versions whose schema cannot be compiled are returned, and validating one
   * of their objects reports them; every other kind is unaffected.
   */
  public addCrd(crd: CrdDocument): string[] {
    const problems: string[] = [];
    for (const key of this.registerCrd(crd)) {
      const schema = this.crdSchema(key);
      if (schema?.problem !== undefined) problems.push(schema.problem);
    }
    return problems;
  }

  /** Registers a CRD's versions, to be compiled when first needed; returns their keys. */
  private registerCrd(crd: CrdDocument): string[] {
    const keys: string[] = [];
    const kind = crd.spec.names.kind;
    for (const version of crd.spec.versions) {
      const structural = version.schema?.openAPIV3Schema;
      if (!structural) continue;
      const apiVersion = `${crd.spec.group}/${version.name}`;
      const key = gvkKey(apiVersion, kind);
      this.crdSchemas.delete(key);
      this.pendingCrds.set(key, { apiVersion, kind, structural });
      keys.push(key);
    }
    return keys;
  }

  /** The compiled schema of a CRD version (compiling it on first use), or why it cannot be used. */
  private crdSchema(key: string): CrdSchema | undefined {
    const pending = this.pendingCrds.get(key);
    if (!pending) return this.crdSchemas.get(key);
    this.pendingCrds.delete(key);
    let schema: CrdSchema;
    try {
      const compiled = this.ajv.compile(structuralToJsonSchema(pending.structural, this.strict, true) as JsonSchema);
      schema = { validate: compiled, structural: pending.structural };
    } catch (e) {
      schema = { problem: `the schema of CRD ${pending.apiVersion} ${pending.kind} cannot be compiled: ${(e as Error).message.split('\n')[0]}` };
    }
    this.crdSchemas.set(key, schema);
    return schema;
  }

  /** True when the validator knows the object's apiVersion and kind. */
  public knows(apiVersion: string, kind: string): boolean {
    const key = gvkKey(apiVersion, kind);
    return this.byGvk.has(key) || this.crdSchemas.has(key) || this.pendingCrds.has(key);
  }

  /** Validates one object; returns the problems found (empty when valid). */
  public validate(obj: unknown): string[] {
    if (!obj || typeof obj !== 'object') return ['the document is not an object'];
    const o = obj as { apiVersion?: string; kind?: string };
    if (!o.apiVersion || !o.kind) return ['the object has no apiVersion or kind'];
    const key = gvkKey(o.apiVersion, o.kind);
    const crd = this.crdSchema(key);
    if (crd) {
      if (crd.problem !== undefined) return [crd.problem];
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

function isCrd(o: unknown): o is CrdDocument {
  if (!o || typeof o !== 'object') return false;
  const c = o as { kind?: unknown; spec?: { group?: unknown; names?: { kind?: unknown }; versions?: unknown } };
  return c.kind === 'CustomResourceDefinition' && typeof c.spec?.group === 'string'
    && typeof c.spec.names?.kind === 'string' && Array.isArray(c.spec.versions);
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
