import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import fc from 'fast-check';
import { cloneSet, deployment, namespace } from './support';
import { Cluster, Fleet, Guardrails, GuardrailsProps, SynthEnv, SynthOptions } from '../../src';
import { changeFindings } from '../../src/guardrails/checks';
import { resolveGuardrailConfig, scaleDownAllowed } from '../../src/guardrails/rules';
import { fleetState, readPreviousState } from '../../src/guardrails/state';
import { backedUp, interruptSwap, readTree, smallFleet, tmpOutdir } from '../support/fleet';

/** The guardrails' own findings: the maintenance layer's review of these hand-made workloads (no budgets, no resources) is tested with it. */
const notMaintenance = (v: { readonly rule: string }) => !v.rule.startsWith('maintenance.');

/** What differs between the versions of the fleet a test synthesizes. */
interface Shape {
  readonly replicas?: number;
  readonly maxSurge?: string;
  /** Cluster of namespace 'feed' and its workload. */
  readonly feedCluster?: 'prod-1' | 'prod-2';
  /** Namespace 'feed' and its workload exist. */
  readonly feed?: boolean;
  /** Namespace 'scratch' (no workloads) exists. */
  readonly scratch?: boolean;
  /** A ConfigMap labelled protected exists. */
  readonly protectedConfig?: boolean;
  /** prod-2 has its 'batch' pool. */
  readonly batchPool?: boolean;
  readonly canaryReplicas?: number;
  readonly cloneSetReplicas?: number;
  readonly guardrails?: GuardrailsProps;
  /** Cluster prod-2 (namespace 'search' and its CloneSet) exists. */
  readonly prod2?: boolean;
}

function build(s: Shape = {}): Fleet {
  const f = smallFleet();
  const prod2 = new Cluster(f.fleet, s.prod2 ?? true ? 'prod-2' : 'unused-prod-2', { region: 'lva1', openKruise: true });
  if (s.prod2 ?? true) {
    prod2.addPool('general', { nodeProfile: f.general, capacity: 40 });
    if (s.batchPool ?? true) prod2.addPool('batch', { nodeProfile: f.general, capacity: 20 });
  }
  if (s.guardrails) new Guardrails(f.fleet, 'guardrails', s.guardrails);
  const feedCluster = (s.feedCluster ?? 'prod-1') === 'prod-1' ? f.cluster : prod2;
  if (s.feed ?? true) {
    namespace(feedCluster, 'feed');
    deployment(feedCluster, 'feed-api', { app: 'feed-api', track: 'stable', replicas: s.replicas ?? 100, maxSurge: s.maxSurge ?? '25%' });
    if (s.canaryReplicas !== undefined) deployment(feedCluster, 'feed-api-canary', { app: 'feed-api', track: 'canary', replicas: s.canaryReplicas });
  }
  if (s.scratch ?? true) namespace(f.cluster, 'scratch');
  if (s.protectedConfig ?? true) {
    new ApiObject(f.cluster, 'routing', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'routing', namespace: 'scratch', labels: { 'fleet.cdk8s.io/protected': 'true' } },
      data: { routes: 'all' },
    });
  }
  if (s.prod2 ?? true) {
    namespace(prod2, 'search');
    cloneSet(prod2, 'search', { namespace: 'search', replicas: s.cloneSetReplicas ?? 40 });
  }
  return backedUp(f).fleet;
}

/** Synthesizes `before` into a directory (as the GitOps repo holds it) and returns it. */
function previousOutput(before: Shape = {}): string {
  const fleet = build(before);
  fleet.synth();
  return fleet.fleetOutdir;
}

const previous = previousOutput();

function next(shape: Shape, options: SynthOptions = {}) {
  return build(shape).synthesize({ previousOutdir: previous, ...options });
}

function errorsOf(shape: Shape, options: SynthOptions = {}) {
  try {
    next(shape, options);
  } catch (e: any) {
    if (e.violations) return e.errors.map((v: any) => ({ rule: v.rule, path: v.path, message: v.message, fix: v.fix }));
    throw e;
  }
  return [];
}


/** The fleet of `shape`, writing to `outdir` when synthesized. */
function buildInto(shape: Shape, outdir: string): Fleet {
  const fleet = build(shape);
  Object.defineProperty(fleet, 'fleetOutdir', { value: outdir });
  return fleet;
}

describe('change-aware rules against the previous output', () => {
  test('the same fleet again passes, with no warnings', () => {
    expect(next({}).warnings.filter(notMaintenance)).toEqual([]);
  });

  test('scale-down 100 → 10 in one step is refused; the fix names the override', () => {
    const errors = errorsOf({ replicas: 10 });
    expect(errors).toEqual([{
      rule: 'guardrails.scale-down',
      path: 'prod-1/deploy-feed-api',
      message: "Deployment 'feed/feed-api' in cluster 'prod-1' scales from 100 to 10 replica(s) in one step; at most 50% may go at once",
      fix: "scale down in steps (to at least 50 now), or carry the override 'scale-down:prod-1/feed/feed-api' (--override or env CDK8S_FLEET_OVERRIDES)",
    }]);
  });

  test('scale-down 100 → 90 and 100 → 50 pass; scale-up passes', () => {
    expect(errorsOf({ replicas: 90 })).toEqual([]);
    expect(errorsOf({ replicas: 50 })).toEqual([]);
    expect(errorsOf({ replicas: 400 })).toEqual([]);
  });

  test('the fraction is configurable', () => {
    expect(errorsOf({ replicas: 80, guardrails: { maxScaleDownFraction: 0.1 } }).map((e: any) => e.rule)).toEqual(['guardrails.scale-down']);
    expect(errorsOf({ replicas: 90, guardrails: { maxScaleDownFraction: 0.1 } })).toEqual([]);
  });

  test('a named override lets the change through, reported as a warning', () => {
    const result = next({ replicas: 10 }, { overrides: ['scale-down:prod-1/feed/feed-api'] });
    expect(result.warnings.filter(notMaintenance).map(w => [w.rule, w.path])).toEqual([['guardrails.scale-down', 'prod-1/deploy-feed-api']]);
    expect(result.warnings.filter(notMaintenance)[0].message).toMatch(/allowed by the override 'scale-down:prod-1\/feed\/feed-api'/);
  });

  test('an override for another target does not help, and is reported unused', () => {
    const e = (() => {
      try {
        next({ replicas: 10 }, { overrides: ['scale-down:prod-1/feed/other'] });
      } catch (x: any) {
        return x;
      }
      throw new Error('expected failure');
    })();
    expect(e.violations.filter(notMaintenance).map((v: any) => [v.severity, v.rule])).toEqual([
      ['error', 'guardrails.scale-down'],
      ['warning', 'guardrails.override.unused'],
    ]);
  });

  test('a malformed override is an error', () => {
    expect(errorsOf({}, { overrides: ['scale-down'], previousOutdir: previous }).map((e: any) => e.rule)).toEqual(['guardrails.override.malformed']);
    expect(errorsOf({}, { overrides: ['no-such-rule:x'] }).map((e: any) => e.rule)).toEqual(['guardrails.override.malformed']);
  });

  test('scale-down of an OpenKruise CloneSet is refused too', () => {
    expect(errorsOf({ cloneSetReplicas: 4 }).map((e: any) => [e.rule, e.path])).toEqual([['guardrails.scale-down', 'prod-2/cloneset-search']]);
  });

  test('canaries may shrink or go away freely', () => {
    const withCanary = previousOutput({ canaryReplicas: 10 });
    expect(() => build({}).synthesize({ previousOutdir: withCanary })).not.toThrow();
    expect(() => build({ canaryReplicas: 1 }).synthesize({ previousOutdir: withCanary })).not.toThrow();
  });

  test('deleting a namespace that holds workloads is refused (and so is removing its workload)', () => {
    const errors = errorsOf({ feed: false });
    expect(errors.map((e: any) => [e.rule, e.path])).toEqual([
      ['guardrails.delete-protected', 'prod-1/cluster/namespace-feed.yaml'],
      ['guardrails.scale-down', 'prod-1/namespaces/feed/deployment-feed-api.yaml'],
    ]);
    expect(errors[0].message).toMatch(/Namespace 'feed' in cluster 'prod-1' would be deleted, but it is protected: the namespace holds workloads/);
    expect(errors[0].fix).toMatch(/'delete-protected:prod-1\/namespace\/feed'/);
  });

  test('deleting a namespace without workloads passes; deleting a labelled object does not', () => {
    expect(errorsOf({ scratch: false, protectedConfig: false }).map((e: any) => [e.rule, e.path])).toEqual([
      ['guardrails.delete-protected', 'prod-1/namespaces/scratch/configmap-routing.yaml'],
    ]);
    expect(errorsOf({ scratch: false, protectedConfig: false }, { overrides: ['delete-protected:prod-1/configmap/scratch/routing'] })).toEqual([]);
  });

  test('removing a pool deletes user-facing fleet.cdk8s.io custom resources on the hub: refused', () => {
    const errors = errorsOf({ batchPool: false });
    expect(errors.map((e: any) => [e.rule, e.path])).toEqual([
      ['guardrails.delete-protected', 'hub/cluster/computebrokerpool-prod-2-batch.yaml'],
      ['guardrails.delete-protected', 'hub/cluster/kubernetespool-prod-2-batch.yaml'],
    ]);
    expect(errors[1].message).toMatch(/user-facing custom resource of fleet.cdk8s.io/);
  });

  test('moving a namespace to another cluster is refused once (not as deletions), and passes with its override', () => {
    const errors = errorsOf({ feedCluster: 'prod-2' });
    expect(errors).toEqual([expect.objectContaining({
      rule: 'guardrails.namespace-move',
      path: 'prod-1/cluster/namespace-feed.yaml',
      message: "namespace 'feed' moves from cluster 'prod-1' to 'prod-2'; its workloads in 'prod-1' would be deleted",
    })]);
    const result = next({ feedCluster: 'prod-2' }, { overrides: ['namespace-move:feed'] });
    expect(result.warnings.filter(notMaintenance).map(w => w.rule)).toEqual(['guardrails.namespace-move']);
  });

  test('a namespace moving to a cluster checked before the one it leaves is refused once too', () => {
    // the synth checks cluster by cluster (prod-1 before prod-2): the move is found across clusters
    const fromProd2 = previousOutput({ feedCluster: 'prod-2' });
    let errors: any[] = [];
    try {
      build({}).synthesize({ previousOutdir: fromProd2 });
    } catch (e: any) {
      errors = e.errors;
    }
    expect(errors.map(e => [e.rule, e.path, e.message])).toEqual([[
      'guardrails.namespace-move', 'prod-2/cluster/namespace-feed.yaml',
      "namespace 'feed' moves from cluster 'prod-2' to 'prod-1'; its workloads in 'prod-2' would be deleted",
    ]]);
  });

  test('a cluster the fleet no longer has: its directory in the previous output is checked as deletions', () => {
    const errors = errorsOf({ prod2: false });
    const paths = errors.map((e: any) => [e.rule, e.path]);
    expect(paths).toEqual(expect.arrayContaining([
      ['guardrails.delete-protected', 'prod-2/cluster/namespace-search.yaml'],
      ['guardrails.scale-down', 'prod-2/namespaces/search/cloneset-search.yaml'],
      ['guardrails.delete-protected', 'hub/cluster/kubernetespool-prod-2-general.yaml'],
    ]));
    expect(errors.find((e: any) => e.path === 'prod-2/namespaces/search/cloneset-search.yaml').message)
      .toBe("CloneSet 'search/search' in cluster 'prod-2' is removed, scaling from 40 to 0 replica(s) in one step; at most 50% may go at once");
  });

  test('raising maxSurge beyond the bound is refused and names the previous value', () => {
    const errors = errorsOf({ maxSurge: '100%' });
    expect(errors.map((e: any) => e.rule)).toEqual(['guardrails.max-surge']);
    expect(errors[0].message).toMatch(/has maxSurge "100%" \(was "25%"\)/);
    expect(next({ maxSurge: '100%' }, { overrides: ['max-surge:prod-1/feed/feed-api'] }).warnings.filter(notMaintenance).map(w => w.rule)).toEqual(['guardrails.max-surge']);
  });

  test('raising a canary beyond the bound is refused, and passes with its override', () => {
    expect(errorsOf({ canaryReplicas: 50 }).map((e: any) => e.rule)).toEqual(['guardrails.canary-percent']);
    expect(errorsOf({ canaryReplicas: 50 }, { overrides: ['canary-percent:prod-1/feed/feed-api'] })).toEqual([]);
  });

  test('a recorded exemption of a change rule applies without an override', () => {
    expect(errorsOf({ replicas: 10, guardrails: { exemptions: [{ rule: 'scale-down', target: 'prod-1/feed/feed-api', reason: 'batch-like traffic, scales with the daily cycle' }] } })).toEqual([]);
  });

  test('everything wrong with one change is reported at once; nothing is written', () => {
    const fleet = build({ replicas: 10, cloneSetReplicas: 1, maxSurge: '90%', batchPool: false, scratch: false, protectedConfig: false });
    const outdir = tmpOutdir();
    Object.defineProperty(fleet, 'fleetOutdir', { value: outdir });
    let err: any;
    try {
      fleet.synth({ previousOutdir: previous });
    } catch (e) {
      err = e;
    }
    expect(err.errors.map((v: any) => v.rule).sort()).toEqual([
      'guardrails.delete-protected', 'guardrails.delete-protected', 'guardrails.delete-protected',
      'guardrails.max-surge', 'guardrails.scale-down', 'guardrails.scale-down',
    ]);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('the previous output and overrides come from the environment (the CLI sets them)', () => {
    const saved = { p: process.env[SynthEnv.PREVIOUS], o: process.env[SynthEnv.OVERRIDES] };
    try {
      process.env[SynthEnv.PREVIOUS] = previous;
      delete process.env[SynthEnv.OVERRIDES];
      expect(() => build({ replicas: 10 }).synthesize()).toThrow(/guardrails.scale-down/);
      process.env[SynthEnv.OVERRIDES] = 'scale-down:prod-1/feed/feed-api, max-surge:prod-1/feed/feed-api';
      expect(build({ replicas: 10, maxSurge: '100%' }).synthesize().warnings.filter(notMaintenance).map(w => w.rule).sort()).toEqual(['guardrails.max-surge', 'guardrails.scale-down']);
    } finally {
      if (saved.p === undefined) delete process.env[SynthEnv.PREVIOUS];
      else process.env[SynthEnv.PREVIOUS] = saved.p;
      if (saved.o === undefined) delete process.env[SynthEnv.OVERRIDES];
      else process.env[SynthEnv.OVERRIDES] = saved.o;
    }
  });

  test('fleet.synth() compares with the output directory it replaces: a 90% scale-down fails and leaves it untouched', () => {
    const outdir = tmpOutdir();
    const into = (shape: Shape) => buildInto(shape, outdir);
    into({}).synth();
    const committed = readTree(outdir);
    expect(() => into({ replicas: 10 }).synth()).toThrow(/guardrails\.scale-down/);
    expect(readTree(outdir)).toEqual(committed);
    // an explicit skip is honoured (and said on stderr), as is an override from code merged with one from the environment
    expect(() => into({ replicas: 10 }).synthesize({ noPrevious: true })).not.toThrow();
    const saved = process.env[SynthEnv.OVERRIDES];
    try {
      process.env[SynthEnv.OVERRIDES] = 'max-surge:prod-1/feed/feed-api';
      into({ replicas: 10, maxSurge: '100%' }).synth({ overrides: ['scale-down:prod-1/feed/feed-api'] });
    } finally {
      if (saved === undefined) delete process.env[SynthEnv.OVERRIDES];
      else process.env[SynthEnv.OVERRIDES] = saved;
    }
    expect(readTree(outdir).get('prod-1/namespaces/feed/deployment-feed-api.yaml')).toContain('replicas: 10');
    // a previous output and a skip given together contradict each other
    expect(() => into({}).synth({ previousOutdir: outdir, noPrevious: true })).toThrow(/previousOutdir and noPrevious contradict/);
  });

  test('a synth killed between its two renames left no output: the next fleet.synth() restores it first and still refuses the scale-down', () => {
    const outdir = tmpOutdir();
    const into = (shape: Shape) => buildInto(shape, outdir);
    into({}).synth();
    const committed = readTree(outdir);
    // what a kill -9 after the first rename of the swap leaves: the output moved aside, a staging tree without its marker
    interruptSwap(outdir, '0d0e0a0d');
    const name = path.basename(outdir);
    expect(() => into({ replicas: 10 }).synth()).toThrow(/guardrails\.scale-down/);
    expect(readTree(outdir)).toEqual(committed);
    expect(fs.readdirSync(path.dirname(outdir)).filter(n => n.startsWith(`.${name}.`))).toEqual([]);
  });

  test('an unreadable previous output is an error, not a silent pass', () => {
    expect(errorsOf({}, { previousOutdir: path.join(previous, 'no-such-dir') }).map((e: any) => e.rule)).toEqual(['guardrails.previous.unreadable']);
  });
});

describe('the previous output is compared by object identity, not by file', () => {
  function copyTree(src: string): string {
    const dst = tmpOutdir();
    fs.cpSync(src, dst, { recursive: true });
    return dst;
  }

  test('files byte-identical to the new output are taken from it unparsed, with the same state as parsing them', () => {
    const result = build({ replicas: 60 }).synthesize();
    const byFile = new Map(result.objects.map(o => [o.file, o]));
    let reused = 0;
    const fast = readPreviousState(previous, (file, text) => {
      const o = byFile.get(file);
      if (!o || o.yaml !== text) return undefined;
      reused++;
      return o.object as any;
    });
    const slow = readPreviousState(previous);
    expect(reused).toBeGreaterThan(10);
    expect(fast.problems).toEqual([]);
    expect([...fast.state.keys()]).toEqual([...slow.state.keys()]);
    for (const [key, o] of slow.state) expect(JSON.parse(JSON.stringify(fast.state.get(key)))).toEqual(JSON.parse(JSON.stringify(o)));
    // the changed workload was parsed from its file: it still has the previous replicas
    expect((fast.state.get([...fast.state.keys()].find(k => k.includes('feed-api'))!)!.object as any).spec.replicas).toBe(100);
  });

  test('a renamed file, and objects gathered in one multi-document file, are still the same objects', () => {
    const dir = copyTree(previous);
    const deployFile = path.join(dir, 'prod-1/namespaces/feed/deployment-feed-api.yaml');
    const nsFile = path.join(dir, 'prod-1/cluster/namespace-feed.yaml');
    const bundle = `${fs.readFileSync(nsFile, 'utf8')}---\n${fs.readFileSync(deployFile, 'utf8')}`;
    fs.rmSync(deployFile);
    fs.rmSync(nsFile);
    fs.writeFileSync(path.join(dir, 'prod-1/feed-bundle.yml'), bundle);
    const state = readPreviousState(dir);
    expect(state.problems).toEqual([]);
    expect(state.state.get('prod-1|apps|Deployment|feed|feed-api')?.source).toBe('prod-1/feed-bundle.yml');
    expect(() => build({ replicas: 10 }).synthesize({ previousOutdir: dir })).toThrow(/scales from 100 to 10/);
    expect(() => build({ replicas: 60 }).synthesize({ previousOutdir: dir })).not.toThrow();
  });

  test('the same name in another cluster, namespace or API group is another object', () => {
    const dir = copyTree(previous);
    const deployFile = path.join(dir, 'prod-1/namespaces/feed/deployment-feed-api.yaml');
    fs.writeFileSync(deployFile, fs.readFileSync(deployFile, 'utf8').replace('namespace: feed', 'namespace: elsewhere'));
    // the previous feed-api lived in namespace 'elsewhere' (and is removed now, 100 → 0)
    const errors = (() => {
      try {
        build({ replicas: 10 }).synthesize({ previousOutdir: dir });
      } catch (e: any) {
        return e.errors.map((v: any) => v.message);
      }
      return [];
    })();
    expect(errors).toEqual(["Deployment 'elsewhere/feed-api' in cluster 'prod-1' is removed, scaling from 100 to 0 replica(s) in one step; at most 50% may go at once"]);
  });

  test('kustomizations, node-level files and the output marker are not objects', () => {
    const state = readPreviousState(previous);
    expect(state.problems).toEqual([]);
    const sources = [...state.state.values()].map(o => o.source);
    expect(sources.some(s => s.endsWith('kustomization.yaml') || s.startsWith('node-profiles/'))).toBe(false);
    expect(state.state.size).toBe(build().synthesize().objects.length);
  });

  test('a file that is not YAML of Kubernetes objects is reported', () => {
    const dir = copyTree(previous);
    fs.writeFileSync(path.join(dir, 'prod-1/broken.yaml'), 'a: [unclosed\n');
    fs.writeFileSync(path.join(dir, 'prod-1/notes.yaml'), 'just: a map\n');
    expect(readPreviousState(dir).problems.map(p => p.file)).toEqual(['prod-1/broken.yaml', 'prod-1/notes.yaml']);
  });
});

describe('change rules as pure functions', () => {
  const crd = (group: string) => ({
    cluster: 'c',
    source: 'crd.yaml',
    object: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` }, spec: { group, names: { kind: 'Widget' } } },
  });
  const widget = { cluster: 'c', source: 'w.yaml', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'n' } } };
  const config = resolveGuardrailConfig();

  test('deleting a CRD that still has custom resources is refused; one without is not', () => {
    const findings = changeFindings(fleetState([crd('example.com'), widget]), fleetState([widget]), config);
    expect(findings.map(f => [f.rule, f.target, f.message])).toEqual([
      ['delete-protected', 'c/customresourcedefinition/widgets.example.com', expect.stringMatching(/custom resources of it exist/)],
    ]);
    expect(changeFindings(fleetState([crd('example.org')]), fleetState([]), config)).toEqual([]);
    expect(changeFindings(fleetState([crd('fleet.cdk8s.io')]), fleetState([]), config).map(f => f.rule)).toEqual(['delete-protected']);
  });
});

describe('change rules as pure functions (property)', () => {
  const workload = (replicas: number) => ({
    cluster: 'c',
    source: 's',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace: 'n' }, spec: { replicas } },
  });

  test('a scale-down finding exactly when the bound is broken, for any fraction and replicas', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }).map(n => n / 1000), fc.nat(100000), fc.nat(100000), (fraction, before, after) => {
      const config = resolveGuardrailConfig({ maxScaleDownFraction: fraction });
      const findings = changeFindings(fleetState([workload(before)]), fleetState([workload(after)]), config);
      expect(findings.length === 1).toBe(!scaleDownAllowed(before, after, config));
      // and the bound means what it says: at most `fraction` of the replicas go
      expect(scaleDownAllowed(before, after, config)).toBe(after >= before || before - after <= before * fraction + 1e-9);
    }), { numRuns: 500 });
  });
});
