/**
 * What `cdk8s-fleet init` writes: the files of a new fleet project and how an
 * existing package.json is merged. Pure (no file system): the verb in
 * `init.ts` checks the directory and writes.
 *
 * The project runs its TypeScript with tsx, a loader that strips types
 * without type-checking, so no TypeScript version or tsconfig setting can
 * break a synth (ts-node crashes with TypeScript 7, and refuses TypeScript
 * 5.9 without a tsconfig: TS5109). Type-checking is a separate script with a
 * pinned TypeScript.
 */
import { PLACEMENT_LOCK_API_VERSION, PLACEMENT_LOCK_KIND } from '../tenancy/lock';

/** Pinned tooling of a scaffolded project (exact versions, each supporting Node.js 20). */
export const SCAFFOLD_TOOLING: Readonly<Record<string, string>> = {
  '@types/node': '20.19.43',
  'tsx': '4.23.15',
  'typescript': '5.9.3',
};

/** The command that runs the fleet program (the `app:` of cdk8s-fleet.yaml). */
export const SCAFFOLD_APP_COMMAND = 'node --require tsx/cjs main.ts';

/** Scripts of a scaffolded package.json. */
export const SCAFFOLD_SCRIPTS: Readonly<Record<string, string>> = {
  synth: 'cdk8s-fleet synth',
  check: 'cdk8s-fleet synth --check',
  plan: 'cdk8s-fleet plan',
  diff: 'cdk8s-fleet diff dist --synth',
  typecheck: 'tsc --noEmit',
};

/** The placement lock file of the scaffold. */
export const SCAFFOLD_LOCK_FILE = 'fleet.lock.json';

/** One file of the scaffold. */
export interface ScaffoldFile {
  /** Path relative to the project directory. */
  readonly path: string;
  /** Content. */
  readonly content: string;
}

/** Options of {@link scaffoldFiles}. */
export interface ScaffoldOptions {
  /** The package name of the project (an npm name). */
  readonly name: string;
  /** The dependency spec of cdk8s-fleet written to a new package.json (e.g. `^1.2.0`). */
  readonly dependency: string;
}

/** An npm package name from a directory name (lower case, URL-safe), `my-fleet` when nothing is left. */
export function packageNameOf(dirName: string): string {
  const n = dirName.toLowerCase().replace(/[^a-z0-9._~-]+/g, '-').replace(/^[._-]+/, '').replace(/-+$/, '').slice(0, 214);
  return n || 'my-fleet';
}

/** The package.json of a new project, as an object. */
export function scaffoldPackageJson(options: ScaffoldOptions): Record<string, unknown> {
  return {
    name: options.name,
    version: '0.1.0',
    private: true,
    description: 'A fleet of Kubernetes clusters as cdk8s-fleet code',
    engines: { node: '>=20' },
    scripts: { ...SCAFFOLD_SCRIPTS },
    dependencies: { 'cdk8s-fleet': options.dependency },
    devDependencies: { ...SCAFFOLD_TOOLING },
  };
}

/** The tsconfig.json: what `npm run typecheck` (tsc) needs; tsx ignores it. */
export const SCAFFOLD_TSCONFIG = `${JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022'],
    module: 'node16',
    moduleResolution: 'node16',
    types: ['node'],
    strict: true,
    isolatedModules: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['**/*.ts'],
  exclude: ['node_modules', 'dist'],
}, null, 2)}\n`;

/** The CLI's config file. */
export const SCAFFOLD_CONFIG = `# cdk8s-fleet synth runs this command; the program calls fleet.synth()
app: ${SCAFFOLD_APP_COMMAND}
# the output directory (commit it; GitOps applies it)
output: dist
`;

/** The .gitignore. */
export const SCAFFOLD_GITIGNORE = `node_modules/
*.log
# dist/ is the output GitOps applies: commit it
`;

/** The empty placement lock (the first synth records where each app namespace lives). */
export const SCAFFOLD_LOCK = `${JSON.stringify({ apiVersion: PLACEMENT_LOCK_API_VERSION, kind: PLACEMENT_LOCK_KIND, placements: {} }, null, 2)}\n`;

/** The fleet program: one cluster with two pools, a namespace with a grant, a workload and guardrails. */
export const SCAFFOLD_MAIN = `import {
  AppNamespace, Cluster, Cpu, Fleet, Guardrails, LiDeployment, NodeProfile, PlacementLock, RequiredDaemonSet, Size, Subject,
} from 'cdk8s-fleet';

// the fleet: pools are striped over its maintenance zones; clusters run this Kubernetes version
const fleet = new Fleet({ maintenanceZones: 4, kubernetesVersion: '1.28.9' });

// machines: the minimum machine of a class of nodes, and an agent every node of a pool runs
const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 32, memory: Size.gibibytes(128) } });
const logShipper = new RequiredDaemonSet(fleet, 'log-shipper', {
  image: 'registry.example.com/log-shipper:1.0.0',
  resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) },
});

// clusters: pools of nodes; the control plane is sized from them
const cluster = new Cluster(fleet, 'prod-1', { region: 'region-1' });
cluster.addPool('general', { nodeProfile: general, capacity: 12, requiredDaemonSets: [logShipper] });
cluster.addPool('batch', { nodeProfile: general, capacity: 4, requiredDaemonSets: [logShipper] });

// tenancy: the hub places each app's namespace on a cluster; ${SCAFFOLD_LOCK_FILE} keeps it there (commit it)
new PlacementLock(fleet, 'placements', { file: '${SCAFFOLD_LOCK_FILE}' });
const hello = new AppNamespace(fleet, 'hello', { app: 'hello', tenant: 'stateless', nodeProfile: 'general' });
hello.grant('deployer', Subject.group('hello-team'));

// workloads: a Deployment with its Service, ServiceAccount and PodDisruptionBudget, spread over zones
new LiDeployment(hello, 'hello', {
  application: 'hello',
  version: { app: '1.0.0', config: '1' },
  replicas: 3,
  resources: { cpu: Cpu.millis(500), memory: Size.gibibytes(1) },
});

// guardrails: checked on every synth against the previous output, and enforced in every cluster
new Guardrails(fleet, 'guardrails', { maxScaleDownFraction: 0.5, maxSurgePercent: 25 });

fleet.synth();
`;

/** The files of a new project other than package.json, in the order they are listed. */
export function scaffoldFiles(): readonly ScaffoldFile[] {
  return [
    { path: 'tsconfig.json', content: SCAFFOLD_TSCONFIG },
    { path: 'cdk8s-fleet.yaml', content: SCAFFOLD_CONFIG },
    { path: 'main.ts', content: SCAFFOLD_MAIN },
    { path: '.gitignore', content: SCAFFOLD_GITIGNORE },
    { path: SCAFFOLD_LOCK_FILE, content: SCAFFOLD_LOCK },
  ];
}

/** The package.json init writes: new, or an existing one with the scaffold's entries added. */
export type PackageJsonPlan =
  | { readonly content: string; readonly created: boolean; readonly added: readonly string[] }
  | { readonly conflicts: readonly string[] };

const MERGED_SECTIONS = ['scripts', 'devDependencies'] as const;

/**
 * Plans package.json. Without one, the scaffold's. With one (e.g. what
 * `npm install cdk8s-fleet` created), the scaffold's entries are added where
 * absent; its own dependency entry of cdk8s-fleet is kept as it is. An entry
 * that exists with another value, `"type": "module"` (the program is
 * CommonJS) or a file that is not a JSON object is a conflict: nothing is
 * changed.
 */
export function planPackageJson(existing: string | undefined, options: ScaffoldOptions): PackageJsonPlan {
  const scaffold = scaffoldPackageJson(options);
  if (existing === undefined) return { content: `${JSON.stringify(scaffold, null, 2)}\n`, created: true, added: [] };
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(existing) as Record<string, unknown>;
  } catch (e) {
    return { conflicts: [`package.json is not valid JSON (${(e as Error).message}); fix or remove it`] };
  }
  if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg)) return { conflicts: ['package.json is not a JSON object; fix or remove it'] };
  const conflicts: string[] = [];
  const added: string[] = [];
  const out: Record<string, unknown> = { ...pkg };
  if (pkg.type === 'module') {
    conflicts.push('package.json has "type": "module", but main.ts runs as CommonJS (node --require tsx/cjs): remove "type" or init another directory');
  }
  for (const key of ['name', 'version', 'private', 'description', 'engines'] as const) {
    if (!(key in pkg)) {
      out[key] = scaffold[key];
      added.push(key);
    }
  }
  const sections: Record<string, Readonly<Record<string, string>>> = {
    scripts: scaffold.scripts as Record<string, string>,
    dependencies: scaffold.dependencies as Record<string, string>,
    devDependencies: scaffold.devDependencies as Record<string, string>,
  };
  for (const [section, entries] of Object.entries(sections)) {
    const have = pkg[section];
    if (have !== undefined && (typeof have !== 'object' || have === null || Array.isArray(have))) {
      conflicts.push(`package.json: "${section}" is not an object`);
      continue;
    }
    const merged: Record<string, unknown> = { ...(have as Record<string, unknown> | undefined) };
    for (const [k, v] of Object.entries(entries)) {
      if (!(k in merged)) {
        merged[k] = v;
        added.push(`${section}.${k}`);
      } else if (merged[k] !== v && (MERGED_SECTIONS as readonly string[]).includes(section)) {
        conflicts.push(`package.json: ${section}.${k} is ${JSON.stringify(merged[k])}, the scaffold needs ${JSON.stringify(v)}: remove or change it`);
      }
      // dependencies['cdk8s-fleet'] the user already has (from `npm install cdk8s-fleet`) is kept as it is
    }
    out[section] = merged;
  }
  if (conflicts.length > 0) return { conflicts };
  const indent = /^\{\s*\n([ \t]+)"/.exec(existing)?.[1] ?? '  ';
  return { content: `${JSON.stringify(out, null, indent)}\n`, created: false, added };
}
