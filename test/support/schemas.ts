/**
 * Test support: schema validation of synthesized objects against the real
 * Kubernetes definitions (strict), our own generated CRDs and OpenKruise CRDs,
 * with CRD CEL rules evaluated by a real CEL engine.
 *
 * The schema directory comes from CDK8S_FLEET_SCHEMAS (default ../shared/schemas
 * beside the project). Without it, schema suites are skipped with a notice.
 */
import * as fs from 'fs';
import * as path from 'path';
import { celRuleEvaluator } from './cel';
import { SCHEMAS_ENV, SchemaValidator } from '../../src/validation/schema-validator';

/** The schema directory, or undefined when it is not there. */
export function schemasDir(): string | undefined {
  const dir = path.resolve(process.env[SCHEMAS_ENV] ?? path.join(__dirname, '..', '..', '..', 'shared', 'schemas'));
  return fs.existsSync(path.join(dir, 'kubernetes', 'v1.28.0', '_definitions.json')) ? dir : undefined;
}

let warned = false;

/**
 * `describe` when the schemas are present, else `describe.skip` with a visible
 * notice naming the environment variable.
 */
export function describeWithSchemas(name: string, fn: () => void): void {
  if (schemasDir()) {
    describe(name, fn);
    return;
  }
  if (!warned) {
    warned = true;
    // eslint-disable-next-line no-console
    console.warn(`NOTICE: Kubernetes schemas not found; schema-validation suites are SKIPPED. Set ${SCHEMAS_ENV} to a directory containing kubernetes/v1.28.0/_definitions.json.`);
  }
  describe.skip(`${name} (skipped: set ${SCHEMAS_ENV})`, fn);
}

const cache = new Map<string, SchemaValidator>();

/** A strict validator for a Kubernetes release, with OpenKruise CRDs and CEL evaluation. */
export function validator(version = 'v1.28.0'): SchemaValidator {
  let v = cache.get(version);
  if (!v) {
    const dir = schemasDir();
    if (!dir) throw new Error(`schemas not found; set ${SCHEMAS_ENV}`);
    v = SchemaValidator.fromDirectory(dir, version, { celEvaluator: celRuleEvaluator });
    cache.set(version, v);
  }
  return v;
}

/** A Kubernetes object with enough shape to identify it. */
interface Obj { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } }

/**
 * Validates every object: CRDs among them are registered first (so custom
 * resources validate against the CRDs the library generated). Returns
 * `file-or-name: problem` lines; empty when everything is valid.
 */
export function validateAll(objects: ReadonlyArray<Obj | { object: Obj; file?: string }>, version = 'v1.28.0'): string[] {
  const base = validator(version);
  const list = objects.map(o => ('object' in o ? { obj: o.object, at: o.file ?? '' } : { obj: o as Obj, at: '' }));
  for (const { obj } of list) {
    if (obj.kind === 'CustomResourceDefinition') base.addCrd(obj as never);
  }
  const problems: string[] = [];
  for (const { obj, at } of list) {
    const where = at || `${obj.kind}/${obj.metadata?.namespace ? obj.metadata.namespace + '/' : ''}${obj.metadata?.name}`;
    for (const p of base.validate(obj)) problems.push(`${where}: ${p}`);
  }
  return problems;
}
