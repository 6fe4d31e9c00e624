import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { buildExampleFleet } from '../../examples/fleet';
import { main } from '../../src/cli/main';
import { FS_READER, WhereReader, readLock, whereAll } from '../../src/cli/where';
import {
  closestNames, editDistance, matchPlacements, targetTouches, whereEntry, workloadFiles,
} from '../../src/cli/where-lookup';
import { WORKLOAD_KINDS, workloadKindOf } from '../../src/core/workload-kinds';
import { tmpOutdir } from '../support/fleet';

describe('where: lookup', () => {
  const lock = {
    'feed': { cluster: 'c1', namespace: 'feed', nodeProfile: 'general' },
    'feed-api': { cluster: 'c1', namespace: 'feed-api', nodeProfile: 'general' },
    'search': { cluster: 'c2', namespace: 'shared', nodeProfile: 'gpu' },
    'ranker': { cluster: 'c3', namespace: 'shared', nodeProfile: 'general' },
  };

  test('an app by name; a namespace names every app placed in it', () => {
    expect(matchPlacements(lock, 'feed')).toEqual(['feed']);
    expect(matchPlacements(lock, 'shared')).toEqual(['ranker', 'search']);
    expect(matchPlacements(lock, 'nope')).toEqual([]);
    expect(matchPlacements(lock, 'constructor')).toEqual([]);
  });

  test('edit distance', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('feed', 'feed')).toBe(0);
  });

  test('closest names: ranked by edit distance, ties by name, far names left out', () => {
    const names = ['feed', 'feed-api', 'ranker', 'search', 'shared'];
    expect(closestNames('fed', names)).toEqual(['feed']);
    expect(closestNames('feed-ap', names)).toEqual(['feed-api', 'feed']);
    expect(closestNames('serch', names)).toEqual(['search']);
    expect(closestNames('ranke', names)).toEqual(['ranker']);
    expect(closestNames('zzzzzz', names)).toEqual([]);
    expect(closestNames('a', ['b', 'c', 'd', 'e'], 2)).toEqual(['b', 'c']);
  });

  test('targets that touch an app, by each rule\'s target format', () => {
    expect(targetTouches('scale-down', 'c1/feed/feed', 'c1', 'feed')).toBe(true);
    expect(targetTouches('scale-down', 'c2/feed/feed', 'c1', 'feed')).toBe(false);
    expect(targetTouches('max-surge', 'c1/feed-api/x', 'c1', 'feed')).toBe(false);
    expect(targetTouches('canary-percent', 'c1/feed/feed', 'c1', 'feed')).toBe(true);
    expect(targetTouches('namespace-move', 'feed', 'c1', 'feed')).toBe(true);
    expect(targetTouches('namespace-move', 'c1/feed/feed', 'c1', 'feed')).toBe(false);
    expect(targetTouches('delete-protected', 'c1/namespace/feed', 'c1', 'feed')).toBe(true);
    expect(targetTouches('delete-protected', 'c1/deployment/feed/web', 'c1', 'feed')).toBe(true);
    expect(targetTouches('delete-protected', 'c1/clusterrole/feed', 'c1', 'feed')).toBe(false);
    expect(targetTouches('delete-protected', 'c2/namespace/feed', 'c1', 'feed')).toBe(false);
  });

  test('workloads by file name, every kind of the workload-kinds table', () => {
    const files = ['deployment-web.yaml', 'deployment-web-canary.yaml', 'service-web.yaml', 'statefulset-db.yaml',
      'cloneset-api.yaml', 'daemonset-agent.yaml', 'replicaset-rs.yaml', 'replicationcontroller-rc.yaml', 'lideployment-web.yaml', 'notes.txt'];
    expect(workloadFiles('c1/namespaces/n', files).map(w => `${w.kind}/${w.name} ${w.file}`)).toEqual([
      'CloneSet/api c1/namespaces/n/cloneset-api.yaml',
      'DaemonSet/agent c1/namespaces/n/daemonset-agent.yaml',
      'Deployment/web c1/namespaces/n/deployment-web.yaml',
      'Deployment/web-canary c1/namespaces/n/deployment-web-canary.yaml',
      'ReplicaSet/rs c1/namespaces/n/replicaset-rs.yaml',
      'ReplicationController/rc c1/namespaces/n/replicationcontroller-rc.yaml',
      'StatefulSet/db c1/namespaces/n/statefulset-db.yaml',
    ]);
    expect(new Set(workloadFiles('d', WORKLOAD_KINDS.map(k => `${k.kind.toLowerCase()}-x.yaml`)).map(w => w.kind)))
      .toEqual(new Set(WORKLOAD_KINDS.map(k => k.kind)));
  });

  test('an entry: pools of the app\'s profile, exemptions and overrides that touch it, the kubectl prefix', () => {
    const e = whereEntry({
      app: 'feed',
      placement: lock.feed,
      region: 'r1',
      pools: [
        { pool: 'gpu', nodeProfile: 'gpu', nodes: 4, zones: [] },
        { pool: 'general', nodeProfile: 'general', nodes: 8, zones: [{ zone: 'z1', nodes: 8 }] },
      ],
      namespaceFiles: ['deployment-feed.yaml', 'service-feed.yaml'],
      exemptions: [
        { rule: 'scale-down', target: 'c1/feed/feed', reason: 'forecast' },
        { rule: 'scale-down', target: 'c1/feed-api/feed-api', reason: 'other' },
      ],
      overrides: ['namespace-move:feed', 'max-surge:c2/feed/feed', 'garbage', 'max-surge:c1/feed/feed'],
    });
    expect(e).toEqual({
      app: 'feed',
      cluster: 'c1',
      region: 'r1',
      namespace: 'feed',
      nodeProfile: 'general',
      pools: [{ pool: 'general', nodeProfile: 'general', nodes: 8, zones: [{ zone: 'z1', nodes: 8 }] }],
      workloads: [{ kind: 'Deployment', name: 'feed', file: 'c1/namespaces/feed/deployment-feed.yaml' }],
      exemptions: [{ rule: 'scale-down', target: 'c1/feed/feed', reason: 'forecast' }],
      overrides: [{ rule: 'max-surge', target: 'c1/feed/feed' }, { rule: 'namespace-move', target: 'feed' }],
      kubectl: 'kubectl --context c1 -n feed',
    });
  });
});

/** Runs the CLI in-process. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => { stdout += s; } },
    stderr: { write: (s: string) => { stderr += s; } },
    stdin: process.stdin,
    interactive: false,
    cwd: process.cwd(),
    env,
  });
  return { code, stdout, stderr };
}

describe('where on the example fleet agrees with the lock and the hub records', () => {
  const outdir = tmpOutdir();
  const result = buildExampleFleet({ outdir }).synthesize();
  const objects = result.objects;
  for (const [file, text] of result.files) {
    fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
    fs.writeFileSync(path.join(outdir, file), text);
  }
  const hub = (kind: string) => objects.filter(o => o.cluster === 'hub' && o.object.kind === kind).map(o => o.object as any);
  const lockDoc = JSON.parse(fs.readFileSync(path.join(outdir, 'placements.lock.json'), 'utf8'));
  const apps = Object.keys(lockDoc.placements);

  test('every app', () => {
    expect(apps.length).toBeGreaterThan(10);
    const placements = new Map(hub('NamespacePlacement').map(p => [p.spec.app, p.spec]));
    const pools = hub('KubernetesPool');
    const config = hub('GuardrailConfiguration')[0].spec;
    const entries = whereAll(outdir, readLock(outdir), apps, []);
    for (const e of entries) {
      const locked = lockDoc.placements[e.app];
      const record = placements.get(e.app)!;
      expect([e.cluster, e.namespace, e.nodeProfile]).toEqual([locked.cluster, locked.namespace, locked.nodeProfile]);
      expect([e.cluster, e.namespace, e.nodeProfile, e.region]).toEqual([record.cluster, record.namespace, record.nodeProfile, record.region]);
      const own = pools.filter(p => p.spec.cluster === e.cluster && p.spec.poolTemplate.nodeProfile === e.nodeProfile);
      expect(own.length).toBeGreaterThan(0);
      expect(e.pools.map(p => [p.pool, p.nodes, p.zones.map(z => `${z.zone}=${z.nodes}`)]).sort()).toEqual(own.map(p => [
        p.metadata.labels['fleet.cdk8s.io/pool'], p.spec.poolTemplate.capacity,
        p.spec.maintenanceZones.map((z: any) => `${z.zone}=${z.capacity}`),
      ]).sort());
      // the workloads are exactly the synthesized workload objects of the namespace, with their files
      const workloads = objects
        .filter(o => o.cluster === e.cluster && o.object.metadata.namespace === e.namespace && workloadKindOf(o.object))
        .map(o => `${o.object.kind}/${o.object.metadata.name} ${o.file}`).sort();
      expect(e.workloads.map(w => `${w.kind}/${w.name} ${w.file}`).sort()).toEqual(workloads);
      for (const w of e.workloads) expect(parse(fs.readFileSync(path.join(outdir, w.file), 'utf8')).metadata.name).toBe(w.name);
      expect(e.kubectl).toBe(`kubectl --context ${e.cluster} -n ${e.namespace}`);
      const touching = config.exemptions.filter((x: any) => x.target.startsWith(`${e.cluster}/${e.namespace}/`) || x.target === e.namespace);
      expect(e.exemptions).toEqual(touching);
    }
    // the recorded exemption reaches its app
    expect(entries.find(e => e.app === 'feed')!.exemptions.map(x => `${x.rule}:${x.target}`)).toEqual(['scale-down:lva1-prod-1/feed/feed']);
  });

  test('the verb: text, --json, overrides given and from env, a namespace name', async () => {
    const t = await cli(['where', 'feed', outdir]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('cluster       lva1-prod-1 (region lva1)');
    expect(t.stdout).toContain('Deployment/feed  lva1-prod-1/namespaces/feed/deployment-feed.yaml');
    expect(t.stdout).toContain('kubectl       kubectl --context lva1-prod-1 -n feed');
    const j = await cli(['where', 'feed', outdir, '--json', '--override', 'max-surge:lva1-prod-1/feed/feed', '--override', 'max-surge:lva1-prod-2/feed/feed'],
      { CDK8S_FLEET_OVERRIDES: 'namespace-move:feed' });
    expect(j.code).toBe(0);
    const [entry] = JSON.parse(j.stdout);
    // the --json shape: one object per app, these keys in this order
    expect(Object.keys(entry)).toEqual(['app', 'cluster', 'region', 'namespace', 'nodeProfile', 'pools', 'workloads', 'exemptions', 'overrides', 'kubectl']);
    expect(Object.keys(entry.pools[0])).toEqual(['pool', 'nodeProfile', 'nodes', 'zones']);
    expect(Object.keys(entry.pools[0].zones[0])).toEqual(['zone', 'nodes']);
    expect(Object.keys(entry.workloads[0])).toEqual(['kind', 'name', 'file']);
    expect(entry.exemptions).toEqual([{ rule: 'scale-down', target: 'lva1-prod-1/feed/feed', reason: expect.any(String) }]);
    expect(entry.overrides).toEqual([{ rule: 'max-surge', target: 'lva1-prod-1/feed/feed' }, { rule: 'namespace-move', target: 'feed' }]);
    const ns = await cli(['where', lockDoc.placements[apps[0]].namespace, outdir, '--json']);
    expect(JSON.parse(ns.stdout).map((x: any) => x.app)).toContain(apps[0]);
  });

  test('an unknown name: exit 1 with the closest names; no output directory: exit 2', async () => {
    const r = await cli(['where', 'fed', outdir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no app or namespace 'fed'.*closest: feed/);
    expect(r.stdout).toBe('');
    const none = await cli(['where', 'feed', path.join(outdir, 'missing')]);
    expect(none.code).toBe(2);
    expect((await cli(['where'])).code).toBe(2);
    expect((await cli(['where', 'feed', outdir, 'extra'])).code).toBe(2);
    const help = await cli(['where', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cdk8s-fleet where APP|NAMESPACE [DIR] [options]');
    expect(help.stdout).toContain('--json');
  });

  test('reads the lock and a few hub records, never the tree (files counted through the reader)', () => {
    const read: string[] = [];
    const listed: string[] = [];
    const reader: WhereReader = {
      readFile: f => { read.push(path.relative(outdir, f)); return FS_READER.readFile(f); },
      readDir: d => { listed.push(path.relative(outdir, d)); return FS_READER.readDir(d); },
      exists: f => FS_READER.exists(f),
    };
    const feed = lockDoc.placements.feed;
    const clusterPools = [...result.files.keys()].filter(f => f.startsWith(`hub/cluster/kubernetespool-${feed.cluster}-`)).sort();
    expect(clusterPools.length).toBeGreaterThan(0);
    whereAll(outdir, readLock(outdir, reader), ['feed'], [], reader);
    expect(read.sort()).toEqual([
      'hub/cluster/guardrailconfiguration-fleet-guardrails.yaml',
      'hub/cluster/namespaceplacement-feed.yaml',
      ...clusterPools,
      'placements.lock.json',
    ].sort());
    expect(listed.sort()).toEqual(['', `${feed.cluster}/namespaces/${feed.namespace}`, 'hub/cluster'].sort());
    // every app at once: the lock, the guardrail record, one placement record per app and the pools of each cluster once
    read.length = 0;
    whereAll(outdir, readLock(outdir, reader), apps, [], reader);
    const clusters = new Set(apps.map(a => lockDoc.placements[a].cluster));
    const pools = [...result.files.keys()].filter(f => [...clusters].some(c => f.startsWith(`hub/cluster/kubernetespool-${c}-`)));
    expect(read.length).toBe(2 + apps.length + pools.length);
    expect(new Set(read).size).toBe(read.length);
    expect(read.length).toBeLessThan(result.files.size / 4);
  });

  test('answers from a copy that holds only the lock and the hub records it needs', () => {
    const copy = tmpOutdir();
    const keep = (f: string) => f === 'placements.lock.json' || f.startsWith('hub/cluster/')
      || /^[^/]+\/namespaces\/[^/]+\/[^/]+$/.test(f);
    for (const [file, text] of result.files) {
      if (!keep(file)) continue;
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      // the namespace directories are listed, never read: keep their names, not their contents
      fs.writeFileSync(path.join(copy, file), file.startsWith('hub/') || file.endsWith('.json') ? text : '');
    }
    expect(whereAll(copy, readLock(copy), apps, [])).toEqual(whereAll(outdir, readLock(outdir), apps, []));
    // a record not in the emitter's shape (edited by hand: here JSON, which is YAML too) is read by the yaml package
    const record = path.join(copy, 'hub/cluster/guardrailconfiguration-fleet-guardrails.yaml');
    fs.writeFileSync(record, JSON.stringify(parse(fs.readFileSync(record, 'utf8'))));
    expect(whereAll(copy, readLock(copy), ['feed'], [])[0].exemptions.map(x => x.target)).toEqual(['lva1-prod-1/feed/feed']);
  });
});
