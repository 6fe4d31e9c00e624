/**
 * `cdk8s-fleet validate DIR`: schema validation of any manifest directory,
 * kubeconform-style: Kubernetes definitions from a schema directory, plus the
 * CRDs found in that directory and in DIR itself. Strict by default.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { requireDir } from './diff';
import { CliIo, ExitCode, Progress, UsageError, parseVerbArgs } from './io';
import { isApiObject, listFiles } from '../synth/read';
import { SCHEMAS_ENV, SchemaValidator } from '../validation/schema-validator';

/** Help text of the verb. */
export const VALIDATE_HELP = `Usage: cdk8s-fleet validate DIR [options]

Validates every YAML document below DIR against the Kubernetes definitions
(strict: fields the schema does not declare are errors) and against the CRDs
found in DIR and in the schema directory. Configuration files that are not API
objects (kustomization.yaml, KubeletConfiguration, audit policy, admission
plugin configs, etcd config files under control-plane/) are skipped; static
Pods under control-plane/ are validated as Pods. CRD patterns are RE2, as the
API server evaluates them; a CRD whose schema cannot be compiled fails only the
objects of its own kinds.

Options:
  --schemas DIR                 schema directory, laid out as
                                kubernetes/<version>/_definitions.json and crds/**/*.yaml
                                (default: env ${SCHEMAS_ENV})
  --kubernetes-version VERSION  definitions to use (default: v1.28.0)
  --loose                       allow fields the schemas do not declare
  --ignore-missing-schemas      skip kinds without a schema instead of failing
  --json                        print the problems as JSON on stdout
  -q, --quiet                   no progress output
  -h, --help                    show this help

Exit codes: 0 valid, 1 problems found, 2 usage (bad DIR, no schemas).
`;

/** One problem of one document. */
export interface ValidationProblem {
  /** File, relative to DIR. */
  readonly file: string;
  /** `Kind namespace/name` of the object (or the document index). */
  readonly object: string;
  /** What is wrong. */
  readonly problem: string;
}

/** API groups whose kinds are configuration files, not API objects. */
/** Component configuration files (kubelet, apiserver, audit, admission plugins): not API objects. */
const CONFIG_GROUP = /(\.config\.k8s\.io|^audit\.k8s\.io|\.admission\.k8s\.io|^config\.fleet\.cdk8s\.io)\//;
/** Node files of a cdk8s-fleet control plane (e.g. etcd's own config format) live below this directory. */
const CONTROL_PLANE_SEGMENT = /(^|\/)control-plane\//;

/** Runs the verb. */
export async function runValidate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, {
    'schemas': { type: 'string' },
    'kubernetes-version': { type: 'string' },
    'loose': { type: 'boolean' },
    'ignore-missing-schemas': { type: 'boolean' },
    'json': { type: 'boolean' },
    'quiet': { type: 'boolean', short: 'q' },
  });
  if (values.help) {
    io.stdout.write(VALIDATE_HELP);
    return ExitCode.OK;
  }
  if (positionals.length !== 1) throw new UsageError('validate takes one directory');
  const dir = requireDir(io, positionals[0], 'DIR');
  const schemas = (values.schemas as string | undefined) ?? io.env[SCHEMAS_ENV];
  if (!schemas) throw new UsageError(`no schema directory: pass --schemas DIR or set ${SCHEMAS_ENV}`);
  const version = (values['kubernetes-version'] as string | undefined) ?? 'v1.28.0';
  const schemaDir = path.resolve(io.cwd, schemas);
  const definitions = path.join(schemaDir, 'kubernetes', version, '_definitions.json');
  if (!fs.existsSync(definitions)) throw new UsageError(`no Kubernetes definitions at ${definitions}`);

  const progress = new Progress(io, !!values.quiet || !!values.json);
  progress.start('loading schemas');
  const validator = SchemaValidator.fromDirectory(schemaDir, version, { strict: !values.loose });
  progress.done();
  // a schema-directory CRD that cannot be used fails only the objects of its own kinds
  for (const p of validator.problems) io.stderr.write(`cdk8s-fleet: warning: schema directory: ${p}\n`);

  progress.start(`validating ${positionals[0]}`);
  const problems: ValidationProblem[] = [];
  const docs: Array<{ file: string; object: string; doc: Record<string, unknown> }> = [];
  for (const file of listFiles(dir)) {
    if (!/\.ya?ml$/.test(file)) continue;
    const parsed = parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'));
    (Array.isArray(parsed) ? parsed : [parsed]).forEach((d, i) => {
      if (d.errors.length > 0) {
        problems.push({ file, object: `document ${i + 1}`, problem: `not valid YAML: ${d.errors[0].message.split('\n')[0]}` });
        return;
      }
      const o = d.toJS();
      if (o === null || o === undefined) return;
      const object = isApiObject(o) ? `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}` : `document ${i + 1}`;
      if (o && typeof o === 'object' && typeof o.apiVersion === 'string' && (CONFIG_GROUP.test(`${o.apiVersion}`) || o.kind === 'Kustomization')) return;
      // a control-plane node file without apiVersion/kind is a daemon's own config (etcd), not an object
      if (o && typeof o === 'object' && o.apiVersion === undefined && o.kind === undefined && CONTROL_PLANE_SEGMENT.test(file)) return;
      docs.push({ file, object, doc: o });
    });
  }
  for (const d of docs) {
    if (d.doc.kind === 'CustomResourceDefinition' && d.doc.spec) {
      try {
        for (const p of validator.addCrd(d.doc as never)) problems.push({ file: d.file, object: d.object, problem: p });
      } catch (e) {
        problems.push({ file: d.file, object: d.object, problem: `the CRD cannot be read: ${(e as Error).message.split('\n')[0]}` });
      }
    }
  }
  let validated = 0;
  for (const d of docs) {
    const o = d.doc as { apiVersion?: string; kind?: string };
    if (values['ignore-missing-schemas'] && o.apiVersion && o.kind && !validator.knows(o.apiVersion, o.kind)) continue;
    validated++;
    for (const p of validator.validate(d.doc)) problems.push({ file: d.file, object: d.object, problem: p });
  }
  progress.done(`${validated} object(s), ${problems.length} problem(s)`);

  if (values.json) {
    io.stdout.write(`${JSON.stringify({ valid: problems.length === 0, objects: validated, problems }, null, 2)}\n`);
  } else {
    for (const p of problems) io.stdout.write(`${p.file}: ${p.object}: ${p.problem}\n`);
    io.stdout.write(problems.length === 0
      ? `${validated} object(s) valid against Kubernetes ${version}${values.loose ? '' : ' (strict)'}\n`
      : `${problems.length} problem(s) in ${new Set(problems.map(p => p.file)).size} file(s)\n`);
  }
  return problems.length === 0 ? ExitCode.OK : ExitCode.PROBLEMS;
}
