import * as fs from 'fs';
import * as path from 'path';
import { buildExampleFleet } from '../../examples/fleet';
import { parseOutputTree } from '../../src';
import { main } from '../../src/cli/main';
import { planReport } from '../../src/cli/plan-report';
import { reportGuardrails } from '../../src/cli/report';
import { escapeHtml, heatCells, renderReport } from '../../src/cli/report-html';
import { memoryIo } from '../support/cli';
import { tmpOutdir } from '../support/fleet';

const result = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();
const outdir = tmpOutdir();
for (const [file, text] of result.files) {
  fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
  fs.writeFileSync(path.join(outdir, file), text);
}

/** Every URL-like reference of a page: attributes that load something, and any http(s) address. */
function externalReferences(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/\b(src|href|action|srcset|poster|data)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi)) out.push(m[0]);
  for (const m of html.matchAll(/url\s*\(/gi)) out.push(m[0]);
  for (const m of html.matchAll(/@import/gi)) out.push(m[0]);
  for (const m of html.matchAll(/https?:\/\/[^\s"'<>]+/gi)) {
    // the SVG namespace name is an identifier, not a request
    if (m[0] !== 'http://www.w3.org/2000/svg') out.push(m[0]);
  }
  return out;
}

/** A plan with one cluster whose every name is hostile. */
const HOSTILE = '<script>alert("x")</script>\'"&';
function hostilePlan() {
  const zero = { cpuMillis: 0, memoryMiB: 0, gpus: 0 };
  const perNode = { cpuMillis: 8000, memoryMiB: 32768, gpus: 0 };
  return {
    comparedWithPrevious: false,
    clusters: [{
      cluster: `c-${HOSTILE}`,
      nodes: 2,
      allocatable: { cpuMillis: 16000, memoryMiB: 65536, gpus: 0 },
      requested: { cpuMillis: 4000, memoryMiB: 8192, gpus: 0 },
      unplaced: zero,
      pools: [{
        pool: `p-${HOSTILE}`,
        profile: `prof-${HOSTILE}`,
        nodes: 2,
        allocatablePerNode: perNode,
        allocatable: { cpuMillis: 16000, memoryMiB: 65536, gpus: 0 },
        requested: { cpuMillis: 4000, memoryMiB: 8192, gpus: 0 },
        daemonSets: zero,
        zones: { [`z-${HOSTILE}`]: 2 },
      }],
      zones: [{ zone: `z-${HOSTILE}`, nodes: 2, pools: { [`p-${HOSTILE}`]: 2 }, allocatable: { cpuMillis: 16000, memoryMiB: 65536, gpus: 0 } }],
      namespaces: [{ name: `ns-${HOSTILE}`, new: true, requested: { cpuMillis: 4000, memoryMiB: 8192, gpus: 0 } }],
      controlPlane: { source: `ControlPlane/${HOSTILE}`, fields: { [`reason-${HOSTILE}`]: HOSTILE } },
    }],
  };
}

/** The hostile plan with a batch platform whose every name is hostile. */
function hostileBatchPlan() {
  const plan = hostilePlan();
  const line = {
    capacity: { cpuMillis: 8000, memoryMiB: 8192, gpus: 0 },
    quota: { cpuMillis: 4000, memoryMiB: 4096, gpus: 0 },
    queues: { cpuMillis: 0, memoryMiB: 0, gpus: 0 },
    free: { cpuMillis: 4000, memoryMiB: 4096, gpus: 0 },
  };
  const queues = [{ queue: `q-${HOSTILE}`, team: `t-${HOSTILE}`, byProfile: { [`prof-${HOSTILE}`]: { quota: line.quota, capability: line.quota } } }];
  return {
    ...plan,
    batch: {
      regions: [{ name: `r-${HOSTILE}`, byProfile: { [`prof-${HOSTILE}`]: line }, queues }],
      clusters: [{ name: plan.clusters[0].cluster, region: `r-${HOSTILE}`, scheduler: `s-${HOSTILE}`, byProfile: { [`prof-${HOSTILE}`]: line }, byPool: { [`p-${HOSTILE}`]: line }, queues }],
    },
  };
}

describe('report: the page', () => {
  test('the same bytes for the same output, from the verb and from the pure renderer', async () => {
    const tree = parseOutputTree(result.files);
    const a = renderReport(planReport(tree), reportGuardrails(tree));
    const b = renderReport(planReport(parseOutputTree(result.files)), reportGuardrails(parseOutputTree(result.files)));
    expect(a).toBe(b);
    const cwd = path.dirname(outdir);
    const first = memoryIo(cwd);
    expect(await main(['report', outdir, '-o', '-'], first.io)).toBe(0);
    const second = memoryIo(cwd);
    expect(await main(['report', outdir, '--out', 'r.html'], second.io)).toBe(0);
    expect(second.err()).toBe('cdk8s-fleet report: wrote r.html\n');
    expect(first.out()).toBe(a);
    expect(fs.readFileSync(path.join(cwd, 'r.html'), 'utf8')).toBe(a);
    // nothing of the moment or of the machine in it
    expect(a).not.toMatch(/\b20\d\d-\d\d-\d\d/);
    expect(a).not.toContain(outdir);
  });

  test('self-contained: no http(s) address, no src/href/url() to load, a policy that forbids loading anything', () => {
    const html = renderReport(planReport(parseOutputTree(result.files)), reportGuardrails(parseOutputTree(result.files)));
    expect(externalReferences(html)).toEqual([]);
    expect(html).toContain('content="default-src \'none\'; style-src \'unsafe-inline\'; script-src \'unsafe-inline\'; img-src data:"');
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toMatch(/<script>[^<]*<\/script>/);
  });

  test('every cluster of the plan in a collapsed section, one heatmap cell per pool and zone, the guardrails with the example exemption', () => {
    const tree = parseOutputTree(result.files);
    const plan = planReport(tree);
    const html = renderReport(plan, reportGuardrails(tree));
    const sections = [...html.matchAll(/<details class="cluster" data-cluster="([^"]*)"/g)].map(m => m[1]);
    expect(sections).toEqual(plan.clusters.map(c => c.cluster));
    expect(html).not.toMatch(/<details[^>]*\bopen\b/);
    const cells = [...html.matchAll(/<g class="cell" data-pool="([^"]*)" data-zone="([^"]*)" data-nodes="(\d+)"/g)];
    expect(cells.length).toBe(plan.clusters.reduce((n, c) => n + c.pools.length * c.zones.length, 0));
    for (const c of plan.clusters) {
      for (const p of c.pools) expect(heatCells(c).filter(x => x.pool === p.pool).reduce((n, x) => n + x.nodes, 0)).toBe(p.nodes);
    }
    expect(html).toContain('<td>scale-down</td><td><code>lva1-prod-1/feed/feed</code></td>');
  });

  test('batch: every workload cluster with its scheduler, quota against capacity and its queues; every region', () => {
    const tree = parseOutputTree(result.files);
    const plan = planReport(tree);
    const html = renderReport(plan, reportGuardrails(tree));
    const schedulers = [...html.matchAll(/<details class="cluster" data-cluster="([^"]*)"[\s\S]*?(?:<div class="batch" data-scheduler="([^"]*)"|<\/details>)/g)]
      .map(m => [m[1], m[2] ?? '-']);
    expect(schedulers).toEqual(plan.clusters.map(c => [c.cluster, plan.batch!.clusters.find(b => b.name === c.cluster)?.scheduler ?? '-']));
    expect(schedulers.filter(([, s]) => s !== '-').map(([, s]) => s).sort()).toEqual(['kueue', 'volcano', 'volcano']);
    expect([...html.matchAll(/<div class="region" data-region="([^"]*)"/g)].map(m => m[1])).toEqual(['ltx1', 'lva1']);
    for (const q of ['ml-training', 'data-spark', 'ml-batch-inference']) expect(html).toContain(`<tr data-queue="${q}">`);
    // a fleet without a batch platform has no batch section
    expect(renderReport(hostilePlan(), undefined)).not.toContain('id="batch"');
  });

  test('every text from the fleet is escaped: a hostile name cannot open a tag or leave an attribute', () => {
    const guardrails = {
      settings: { [`s-${HOSTILE}`]: HOSTILE },
      severities: { [`r-${HOSTILE}`]: HOSTILE },
      exempt: [`id-${HOSTILE}`],
      exemptions: [{ rule: `rule-${HOSTILE}`, target: `t-${HOSTILE}`, reason: `because ${HOSTILE}` }],
    };
    const html = renderReport(hostileBatchPlan(), guardrails);
    expect(html).toContain('id="batch"');
    // the page's own single script, and no other tag the names could have opened
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('alert("x")');
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(escapeHtml(HOSTILE)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&quot;&amp;');
    // every attribute value is one quoted run without a raw quote or angle bracket
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    for (const t of tags) expect(t).toMatch(/^<[a-z][\w-]*(\s+[\w:-]+(="[^"<>]*")?)*\s*\/?>$/i);
    expect(externalReferences(html)).toEqual([]);
  });
});

describe('report: the verb', () => {
  test('--help, usage errors, a missing directory', async () => {
    const help = memoryIo(process.cwd());
    expect(await main(['report', '--help'], help.io)).toBe(0);
    expect(help.out()).toContain('Usage: cdk8s-fleet report [DIR] [options]');
    const two = memoryIo(process.cwd());
    expect(await main(['report', outdir, outdir], two.io)).toBe(2);
    const missing = memoryIo(process.cwd());
    expect(await main(['report', path.join(outdir, 'missing'), '-o', '-'], missing.io)).toBe(2);
    expect(missing.out()).toBe('');
  });
});
