/**
 * The report in a real browser: Debian's Chromium driven by playwright-core
 * (no browser download). Opens the page of a known small fleet from a
 * `file://` URL and checks what an operator sees; writes screenshots into
 * test-reports/ for review. Skipped with a notice when Chromium is missing
 * (env CDK8S_FLEET_CHROMIUM names another executable).
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Browser, Page } from 'playwright-core';
import { Cluster, LiDeployment } from '../../src';
import { main } from '../../src/cli/main';
import { batchFleet } from '../jobs/support';
import { ROOT, memoryIo } from '../support/cli';
import { backedUp, tmpOutdir } from '../support/fleet';
import { FEED, workloadFleet } from '../workloads/support';

const CHROMIUM = process.env.CDK8S_FLEET_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  // eslint-disable-next-line no-console
  console.warn(`NOTICE: no Chromium at ${CHROMIUM}; the report's browser suite is SKIPPED (install the Debian package chromium, or set CDK8S_FLEET_CHROMIUM).`);
}
const describeWithBrowser = hasChromium ? describe : describe.skip;

/**
 * The known fleet: prod-1 (region lva1) with a general pool of 40 nodes and a
 * local-SSD pool of 20, both over 20 maintenance zones, and the app feed (10
 * replicas of 2 cores and 4 GiB) in its namespace; prod-2 (region ltx1) with a
 * general pool of 20 nodes; and the hub; every cluster backs its etcd up.
 */
function knownFleet(): string {
  const f = workloadFleet();
  new LiDeployment(f.ns, 'feed', FEED);
  const prod2 = new Cluster(f.fleet, 'prod-2', { region: 'ltx1' });
  prod2.addPool('general', { nodeProfile: f.general, capacity: 20, requiredDaemonSets: [f.logs] });
  backedUp(f);
  const outdir = tmpOutdir();
  for (const [file, text] of f.fleet.synthesize().files) {
    fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
    fs.writeFileSync(path.join(outdir, file), text);
  }
  return outdir;
}

interface CellSeen { pool: string; zone: string; nodes: number; cpuAlloc: number; cpuReq: number; memAlloc: number; memReq: number; text: string }

describeWithBrowser('the report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  const requests: string[] = [];
  const problems: string[] = [];
  const shots = path.join(ROOT, 'test-reports');

  beforeAll(async () => {
    const outdir = knownFleet();
    const file = path.join(path.dirname(outdir), 'fleet-report.html');
    const { io, err } = memoryIo(path.dirname(outdir));
    expect(await main(['report', outdir, '-o', file], io)).toBe(0);
    expect(err()).toContain('wrote fleet-report.html');
    url = pathToFileURL(file).href;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('request', r => requests.push(r.url()));
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', e => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', r => problems.push(`request failed: ${r.url()}`));
    await page.goto(url, { waitUntil: 'load' });
    fs.mkdirSync(shots, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  test('no console errors, no request but the page itself', async () => {
    await page.evaluate('new Promise(r => requestAnimationFrame(() => r(null)))');
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });

  test('every cluster collapsed by default; the count of clusters shown', async () => {
    const clusters = await page.$$eval('details.cluster', ds => ds.map(d => ({
      cluster: d.getAttribute('data-cluster'), open: d.hasAttribute('open'), hidden: d.hasAttribute('hidden'),
    })));
    expect(clusters).toEqual([
      { cluster: 'hub', open: false, hidden: false },
      { cluster: 'prod-1', open: false, hidden: false },
      { cluster: 'prod-2', open: false, hidden: false },
    ]);
    expect(await page.textContent('#count')).toBe('3 of 3 clusters');
    // a collapsed cluster shows its summary line only: requested 38 cores (feed's 20, on each of the 60 nodes the
    // log shipper's 0.1 and kube-proxy's 0.2) of 2,224.2 allocatable, 62.5 GiB (feed's 40 GiB, on each node 128 MiB
    // and 256 MiB) of 12,368,980 MiB
    expect(await page.isVisible('details[data-cluster="prod-1"] svg.heatmap')).toBe(false);
    expect(await page.textContent('details[data-cluster="prod-1"] > summary')).toBe(
      'prod-1 region lva1, 60 nodes, 2 pool(s), 20 zone(s), 3 namespace(s); CPU 2%, memory 1% requested');
    await page.screenshot({ path: path.join(shots, 'fleet-report-collapsed.png'), fullPage: true });
  });

  test('one heatmap cell per (pool, zone) with the known numbers', async () => {
    await page.click('details[data-cluster="prod-1"] > summary');
    expect(await page.isVisible('details[data-cluster="prod-1"] svg.heatmap')).toBe(true);
    const cells: CellSeen[] = await page.$$eval('details[data-cluster="prod-1"] g.cell', gs => gs.map(g => ({
      pool: g.getAttribute('data-pool')!,
      zone: g.getAttribute('data-zone')!,
      nodes: Number(g.getAttribute('data-nodes')),
      cpuAlloc: Number(g.getAttribute('data-cpu-alloc')),
      cpuReq: Number(g.getAttribute('data-cpu-req')),
      memAlloc: Number(g.getAttribute('data-mem-alloc')),
      memReq: Number(g.getAttribute('data-mem-req')),
      text: [...g.querySelectorAll('text')].map(t => t.textContent).join(' | '),
    })));
    const zones = Array.from({ length: 20 }, (_, i) => `mz-${String(i + 1).padStart(2, '0')}`);
    expect(cells.map(c => `${c.pool}/${c.zone}`)).toEqual([...zones.map(z => `general/${z}`), ...zones.map(z => `local-ssd/${z}`)]);
    // general: 40 nodes of 31.75 allocatable cores and 120,516 MiB each, 2 per zone; requested 32 cores and 55 GiB
    // (feed's 10 replicas, and on every node the log shipper's 0.1 cores and 128 MiB and kube-proxy's 0.2 cores and
    // 256 MiB), spread by nodes: 1.6 cores and 2,816 MiB per zone
    for (const c of cells.filter(x => x.pool === 'general')) {
      expect(c).toEqual({ ...c, nodes: 2, cpuAlloc: 63_500, cpuReq: 1_600, memAlloc: 241_032, memReq: 2_816 });
      expect(c.text).toBe('2 nodes | cpu 3% of 63.5 | mem 1% of 235.4Gi');
    }
    // local-ssd: 20 nodes of 47.71 cores and 377,417 MiB, 1 per zone; only the log shipper and kube-proxy: 0.3 cores
    // and 384 MiB per node
    for (const c of cells.filter(x => x.pool === 'local-ssd')) {
      expect(c).toEqual({ ...c, nodes: 1, cpuAlloc: 47_710, cpuReq: 300, memAlloc: 377_417, memReq: 384 });
      expect(c.text).toBe('1 nodes | cpu 1% of 47.7 | mem 0% of 368.6Gi');
    }
    expect(await page.$$eval('details[data-cluster="prod-2"] g.cell', gs => gs.length)).toBe(20);
    expect(await page.$$eval('details[data-cluster="hub"] g.cell', gs => gs.length)).toBe(0);
    const namespaces = await page.$$eval('details[data-cluster="prod-1"] ul.ns li', ls => ls.map(l => l.textContent));
    // the app's namespace and the platform's own
    expect(namespaces).toEqual(['etcd-backup', 'feed', 'fleet-system']);
    await page.screenshot({ path: path.join(shots, 'fleet-report-prod-1.png'), fullPage: true });
  });

  test('the filter: by cluster, by namespace, cleared', async () => {
    const shown = () => page.$$eval('details.cluster', ds => ds.filter(d => !d.hasAttribute('hidden')).map(d => d.getAttribute('data-cluster')));
    await page.fill('#filter', 'prod-2');
    expect(await shown()).toEqual(['prod-2']);
    expect(await page.textContent('#count')).toBe('1 of 3 clusters');
    expect(await page.isVisible('details[data-cluster="prod-1"]')).toBe(false);
    await page.fill('#filter', 'FEED');
    expect(await shown()).toEqual(['prod-1']);
    await page.fill('#filter', 'local-ssd');
    expect(await shown()).toEqual(['prod-1']);
    await page.fill('#filter', 'nothing-by-this-name');
    expect(await shown()).toEqual([]);
    expect(await page.textContent('#count')).toBe('0 of 3 clusters');
    await page.fill('#filter', '');
    expect(await shown()).toEqual(['hub', 'prod-1', 'prod-2']);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });
});

/**
 * A batch fleet: region lva1's clusters prod-1 (Volcano) and prod-2 (Kueue),
 * each with 40 GPU nodes (320 GPUs of batch capacity) and 40 general nodes;
 * the region's GPU quota of 320 GPUs split 160/160; queue ml-training holds
 * 192 GPUs (96 per cluster), data-etl none of them.
 */
function batchOutdir(): string {
  const f = batchFleet({ platform: { clusterSchedulers: { 'prod-2': 'kueue' } } });
  const outdir = tmpOutdir();
  for (const [file, text] of f.fleet.synthesize().files) {
    fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
    fs.writeFileSync(path.join(outdir, file), text);
  }
  return outdir;
}

describeWithBrowser('the report\'s batch sections in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  const requests: string[] = [];
  const problems: string[] = [];
  const shots = path.join(ROOT, 'test-reports');

  beforeAll(async () => {
    const outdir = batchOutdir();
    const file = path.join(path.dirname(outdir), 'fleet-report-batch.html');
    const { io } = memoryIo(path.dirname(outdir));
    expect(await main(['report', outdir, '-o', file], io)).toBe(0);
    url = pathToFileURL(file).href;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('request', r => requests.push(r.url()));
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', e => problems.push(`page error: ${e.message}`));
    await page.goto(url, { waitUntil: 'load' });
    fs.mkdirSync(shots, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const rows = (selector: string) => page.$$eval(selector, trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent)));

  test('per cluster: its scheduler, quota against batch capacity per profile and pool, its queues', async () => {
    expect(await page.isVisible('details[data-cluster="prod-1"] div.batch')).toBe(false);
    await page.click('details[data-cluster="prod-1"] > summary');
    expect(await page.isVisible('details[data-cluster="prod-1"] div.batch')).toBe(true);
    expect(await page.textContent('details[data-cluster="prod-1"] b.scheduler')).toBe('volcano');
    expect(await page.getAttribute('details[data-cluster="prod-2"] div.batch', 'data-scheduler')).toBe('kueue');
    const capacity = await rows('details[data-cluster="prod-1"] table.batch tbody tr');
    // the GPU profile: ml-training's 96 and data-etl's 0 GPUs of the region's 160 here, of 320 GPUs of capacity
    expect(capacity.find(r => r[0] === '(all)' && r[1] === 'gpu')![4]).toBe('96 / 160 / 320');
    expect(capacity.find(r => r[0] === 'gpu' && r[1] === '')![4]).toBe('96 / 160 / 320');
    const queues = await rows('details[data-cluster="prod-1"] table.queues tbody tr');
    expect(queues.map(r => r.slice(0, 3))).toEqual([['data-etl', 'data', 'general'], ['data-etl', 'data', 'gpu'], ['ml-training', 'ml', 'gpu']]);
    // ml-training may borrow up to the region's share on the cluster
    expect(queues[2][5]).toBe('96 / 160');
    await page.screenshot({ path: path.join(shots, 'fleet-report-batch-prod-1.png'), fullPage: true });
  });

  test('per region: the schedulers of its clusters, quota against capacity, the queues over its clusters', async () => {
    expect(await page.textContent('#batch div.region[data-region="lva1"] h3')).toBe('lva1 (prod-1: volcano, prod-2: kueue)');
    const capacity = await rows('#batch div.region[data-region="lva1"] table.batch tbody tr');
    expect(capacity.find(r => r[1] === 'gpu')![4]).toBe('192 / 320 / 640');
    const queues = await rows('#batch div.region[data-region="lva1"] table.queues tbody tr');
    expect(queues.find(r => r[0] === 'ml-training')!.slice(2)).toEqual(['gpu', '1,200 / 2,000', '9,000Gi / 16,000Gi', '192 / 320']);
    await page.locator('#batch').screenshot({ path: path.join(shots, 'fleet-report-batch-regions.png') });
  });

  test('the filter finds clusters by queue name', async () => {
    const shown = () => page.$$eval('details.cluster', ds => ds.filter(d => !d.hasAttribute('hidden')).map(d => d.getAttribute('data-cluster')));
    await page.fill('#filter', 'ml-training');
    expect(await shown()).toEqual(['prod-1', 'prod-2']);
    await page.fill('#filter', '');
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  });
});
