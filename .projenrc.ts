import { JsonFile, javascript, typescript } from 'projen';

/**
 * cdk8s-fleet: a whole Kubernetes compute platform as typed code.
 *
 * Not jsii on purpose: the prop types use string-literal unions, discriminated
 * unions and readonly maps that jsii cannot express.
 */
const project = new typescript.TypeScriptProject({
  name: 'cdk8s-fleet',
  packageName: 'cdk8s-fleet',
  description: 'A fleet of Kubernetes clusters as typed cdk8s constructs: machines, clusters, tenancy, workloads, guardrails and the control plane, synthesized into deterministic GitOps manifests.',
  keywords: ['cdk8s', 'kubernetes', 'fleet', 'gitops', 'platform'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  releaseToNpm: true,
  github: true,
  githubOptions: { mergify: false },
  minNodeVersion: '20.0.0',
  // the development toolchain (eslint 9, @marcbachmann/cel-js, @napi-rs/wasm-runtime)
  // requires Node.js 20.19 or later: CI runs there, so its `npm ci` prints no EBADENGINE
  workflowNodeVersion: '20.19.0',
  // the example fleet is synthesized into dist/, so npm tarballs go elsewhere
  artifactsDirectory: 'artifacts',
  typescriptVersion: '~5.9.0',
  // commit-and-tag-version 13 (projen's default bump tool) and its
  // conventional-changelog dependencies require Node.js 22; 12.x runs on the
  // documented Node.js 20, so `npm ci` there prints no EBADENGINE warning
  bumpPackage: 'commit-and-tag-version@^12',

  deps: [
    'cdk8s@^2.70.0',
    'cdk8s-plus-28@^2.5.0',
    'constructs@^10.4.0',
    'yaml@^2.8.0',
    'ajv@^8.17.0',
    're2js@^2.10.0',
  ],
  peerDeps: [],
  devDeps: [
    'fast-check@^4',
    '@marcbachmann/cel-js@^8',
    'typedoc@^0.28',
    // drives the system's Chromium in the report's browser test (no browser download)
    'playwright-core@^1.65.1',
  ],

  jestOptions: {
    // a changed snapshot must fail the test run, never be silently rewritten
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      // jest's default on a 2-core machine is one worker; most suites wait on child processes and the disk,
      // so two workers nearly halve the suite's wall time there
      maxWorkers: 2,
      coverageProvider: 'v8',
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/dist/', '/artifacts/'],
      // the CEL engine ships as ES modules only; compile it to CommonJS for jest
      transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
      transform: {
        '^.+/node_modules/@marcbachmann/cel-js/.+\\.js$': new javascript.Transform('ts-jest', {
          tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' },
          diagnostics: false,
        }),
      },
    },
  },
  tsconfig: {
    compilerOptions: {
      skipLibCheck: true,
    },
  },
  tsconfigDev: {
    // paths are relative to test/, where projen keeps the dev tsconfig
    include: ['../examples/**/*.ts', '../bench/**/*.ts'],
    compilerOptions: {
      skipLibCheck: true,
    },
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'scripts'] },
  gitignore: ['/dist/', '/artifacts/', '/bench/results/', '/docs/api/', '/.compile-lock/'],
});

// One direction of imports: a layer reads only the layers below it, and the
// shared base (core/, crds/, the pipeline's contracts in synth/) reads no layer.
// The whole (the pipeline, the list of layers, the Fleet root, the CLI, the
// package root) sits above every layer. CI's eslint fails on an upward import.
const LAYERS = ['machines', 'clusters', 'control-plane', 'tenancy', 'workloads', 'jobs', 'maintenance', 'guardrails'];
const ABOVE_EVERY_LAYER = [
  './src/synth/pipeline.ts', './src/synth/layers.ts', './src/synth/write.ts', './src/synth/read.ts',
  './src/synth/diff.ts', './src/plan.ts', './src/fleet.ts', './src/cli', './src/index.ts',
];
// The guardrails' policy (the Guardrails construct, its rules and its resolved
// config) is resolved by a small layer at the bottom of the list; every layer
// may import those modules of src/guardrails/, and nothing else there.
const GUARDRAIL_POLICY_MODULES = ['./policy.ts', './rules.ts', './guardrails.ts'];
const layerZones = LAYERS.flatMap((layer, i) => {
  const message = `the ${layer} layer reads only the layers below it (${LAYERS.slice(0, i).join(', ') || 'none'}) and the shared base; publish what a higher layer needs in a plan or spec slot`;
  const above = LAYERS.slice(i + 1);
  return [
    {
      target: `./src/${layer}`,
      from: [...above.filter(l => l !== 'guardrails').map(l => `./src/${l}`), ...ABOVE_EVERY_LAYER],
      message,
    },
    ...(above.includes('guardrails') ? [{
      target: `./src/${layer}`,
      from: './src/guardrails',
      except: GUARDRAIL_POLICY_MODULES,
      message: `${message}; of the guardrails, only their policy (${GUARDRAIL_POLICY_MODULES.map(m => m.slice(2)).join(', ')}) is below every layer`,
    }] : []),
  ];
});
// the policy modules themselves read only the shared base
const policyZones = [{
  target: GUARDRAIL_POLICY_MODULES.map(m => `./src/guardrails/${m.slice(2)}`),
  from: [...LAYERS.filter(l => l !== 'guardrails').map(l => `./src/${l}`), ...ABOVE_EVERY_LAYER],
  message: 'the guardrails\' policy sits below every layer: it reads only the shared base',
}, {
  target: GUARDRAIL_POLICY_MODULES.map(m => `./src/guardrails/${m.slice(2)}`),
  from: './src/guardrails',
  except: GUARDRAIL_POLICY_MODULES,
  message: 'the guardrails\' policy sits below every layer: it reads only the shared base and the other policy modules',
}];
const baseZones = ['./src/core', './src/crds', './src/synth/layer.ts', './src/synth/context.ts', './src/synth/layout.ts',
  './src/synth/emit.ts', './src/synth/yaml-emitter.ts', './src/synth/options.ts', './src/synth/inputs.ts'].map(target => ({
  target,
  from: LAYERS.map(l => `./src/${l}`).concat(ABOVE_EVERY_LAYER),
  message: 'the shared base (core, crds, the pipeline contracts) reads no layer',
}));
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', { zones: [...layerZones, ...policyZones, ...baseZones] }],
  'import/no-cycle': ['error', { ignoreExternal: true }],
});

// `npm ci` on a fresh clone fails on unrs-resolver@1.13.0, whose platform
// bindings are missing from the registry; 1.12.2 installs cleanly.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// examples/, bench/ and scripts/ are type-checked like tests (eslint's project
// service finds the nearest tsconfig.json for each file).
for (const dir of ['examples', 'bench', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', skipLibCheck: true },
      include: ['**/*.ts', '../src/**/*.ts'],
    },
  });
}

// The main job: synthesize the example fleet into dist/.
for (const pattern of ['/examples/', '/bench/', '/scripts/', '/docs/', '/.ci/']) {
  project.addPackageIgnore(pattern);
}

// The CLI, shipped as the package's bin (src/cli/main.ts carries the shebang).
project.addBins({ 'cdk8s-fleet': 'lib/cli/main.js' });

// API reference from the JSDoc; run on every build so broken doc comments fail CI.
// No links to source files: typedoc would derive them from the git remote,
// and a checkout without one (a source tarball, a fresh `git init`) must build.
const docs = project.addTask('docs', {
  description: 'Generate the API reference (docs/api/) from the JSDoc',
  exec: 'typedoc --out docs/api --treatWarningsAsErrors --validation.notExported false --excludePrivate --readme none --disableSources src/index.ts',
});
project.postCompileTask.spawn(docs);

project.addTask('example', {
  description: 'Synthesize the example fleet (examples/) into dist/',
  exec: 'ts-node --transpile-only --project examples/tsconfig.json examples/main.ts',
});

// The docs' rule tables are generated from the rule catalogues
// (src/<layer>/rule-catalogue.ts); a test fails when they are out of date.
project.addTask('docs:rules', {
  description: 'Write the rule tables of docs/*.md from the rule catalogues',
  exec: 'ts-node --transpile-only --project scripts/tsconfig.json scripts/rule-tables.ts',
});

project.addTask('bench', {
  description: 'Fleet-scale benchmark (bench/): the program synth, the CLI verbs (synth, --check, a one-app change, diff, plan, where), the cdk8s-plus-28 baseline and the yaml-package floor at 1,000, 3,000 and 10,000 apps, each a whole process, in interleaved rounds',
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/run.ts',
  receiveArgs: true,
});

project.synth();
