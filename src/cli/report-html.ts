/**
 * The fleet report as one self-contained HTML page: inline CSS, inline
 * script, plain SVG, no request to anything. Per cluster (collapsed, filtered
 * by a search box): the maintenance zones × pools heatmap, the namespaces
 * placed there, batch (the scheduler, quota against batch capacity per node
 * profile and pool, the team queues), the control plane's sizing with its
 * reasons; then batch per region, the guardrail settings and exemptions. Pure: renders a {@link PlanReport} (the
 * numbers the `plan` verb prints) and the GuardrailConfiguration record.
 * Deterministic bytes; every text from the fleet is escaped.
 */
import { BatchLineReport, BatchReport, ClusterReport, PlanReport, PoolReport } from './plan-report';
import { ResourceAmounts } from '../core/resources';

/** The guardrail settings as the hub's GuardrailConfiguration record states them. */
export interface ReportGuardrails {
  /** The record's spec fields other than the lists (settings). */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /** Severity per rule. */
  readonly severities: Readonly<Record<string, string>>;
  /** Identities and groups the guardrails let through. */
  readonly exempt: readonly string[];
  /** Every exemption with its reason. */
  readonly exemptions: ReadonlyArray<{ readonly rule: string; readonly target: string; readonly reason: string }>;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c]!);
}

function cores(m: number): string {
  return (m / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function gib(mib: number): string {
  return `${(mib / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })}Gi`;
}

function pct(req: number, alloc: number): number {
  return alloc > 0 ? Math.round((req / alloc) * 100) : 0;
}

/** One heatmap cell: the nodes of one pool in one maintenance zone. */
export interface HeatCell {
  /** Pool. */
  readonly pool: string;
  /** Zone. */
  readonly zone: string;
  /** Nodes of the pool in the zone. */
  readonly nodes: number;
  /** Allocatable of those nodes (the pool's allocatable per node × nodes). */
  readonly allocatable: ResourceAmounts;
  /** The pool's requests, spread over its zones in proportion to their nodes. */
  readonly requested: ResourceAmounts;
}

/** The heatmap cells of a cluster, pools in the plan's order, zones in the records' order. */
export function heatCells(c: ClusterReport): HeatCell[] {
  const out: HeatCell[] = [];
  for (const p of c.pools) {
    for (const z of c.zones) {
      const nodes = z.pools[p.pool] ?? 0;
      const share = p.nodes > 0 ? nodes / p.nodes : 0;
      out.push({
        pool: p.pool,
        zone: z.zone,
        nodes,
        allocatable: scale(p.allocatablePerNode, nodes),
        requested: {
          cpuMillis: Math.round(p.requested.cpuMillis * share),
          memoryMiB: Math.round(p.requested.memoryMiB * share),
          gpus: Math.round(p.requested.gpus * share),
        },
      });
    }
  }
  return out;
}

function scale(a: ResourceAmounts, n: number): ResourceAmounts {
  return { cpuMillis: a.cpuMillis * n, memoryMiB: a.memoryMiB * n, gpus: a.gpus * n };
}

/** Fill of a cell: grey when empty, else green to red by the higher of CPU and memory requested. */
function fill(cell: HeatCell): string {
  if (cell.nodes === 0) return '#e5e7eb';
  const r = cell.requested;
  const a = cell.allocatable;
  const u = Math.min(100, Math.max(pct(r.cpuMillis, a.cpuMillis), pct(r.memoryMiB, a.memoryMiB)));
  const hue = Math.round(130 - (u * 130) / 100);
  return `hsl(${hue},65%,78%)`;
}

const CELL_W = 150;
const CELL_H = 66;
const HEAD_H = 22;

/**
 * The heatmap: one row per maintenance zone (the nodes that go down
 * together), one column per pool, so a row reads as what a zone's
 * maintenance takes from each pool. Drawn at its natural size (scrolled
 * sideways, never shrunk, when the pools do not fit).
 */
function heatmap(c: ClusterReport): string {
  const cells = heatCells(c);
  if (cells.length === 0) return '<p class="muted">No pools recorded.</p>';
  // room for the longest zone name (about 7.5 px a character of the 12 px bold label)
  const labelW = Math.max(64, 12 + Math.ceil(Math.max(...c.zones.map(z => z.zone.length)) * 7.5));
  const w = labelW + c.pools.length * CELL_W;
  const h = HEAD_H + c.zones.length * CELL_H;
  const parts: string[] = ['<div class="heatwrap">'];
  parts.push(`<svg class="heatmap" role="img" aria-label="maintenance zones by pool of ${escapeHtml(c.cluster)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg">`);
  c.pools.forEach((p, i) => parts.push(`<text x="${labelW + i * CELL_W + CELL_W / 2}" y="15" text-anchor="middle" class="pool">${escapeHtml(p.pool)}</text>`));
  c.zones.forEach((z, i) => parts.push(`<text x="4" y="${HEAD_H + i * CELL_H + CELL_H / 2 + 4}" class="zone">${escapeHtml(z.zone)}</text>`));
  for (const cell of cells) {
    const x = labelW + c.pools.findIndex(p => p.pool === cell.pool) * CELL_W;
    const y = HEAD_H + c.zones.findIndex(z => z.zone === cell.zone) * CELL_H;
    const a = cell.allocatable;
    const r = cell.requested;
    const title = `${cell.pool} / ${cell.zone}: ${cell.nodes} nodes; CPU ${cores(r.cpuMillis)} of ${cores(a.cpuMillis)} cores requested; `
      + `memory ${gib(r.memoryMiB)} of ${gib(a.memoryMiB)}; GPU ${r.gpus} of ${a.gpus} (requests spread over the pool's zones by nodes)`;
    parts.push(`<g class="cell" data-pool="${escapeHtml(cell.pool)}" data-zone="${escapeHtml(cell.zone)}" data-nodes="${cell.nodes}" `
      + `data-cpu-alloc="${a.cpuMillis}" data-cpu-req="${r.cpuMillis}" data-mem-alloc="${a.memoryMiB}" data-mem-req="${r.memoryMiB}" `
      + `data-gpu-alloc="${a.gpus}" data-gpu-req="${r.gpus}"><title>${escapeHtml(title)}</title>`
      + `<rect x="${x + 1}" y="${y + 1}" width="${CELL_W - 2}" height="${CELL_H - 2}" rx="3" fill="${fill(cell)}"/>`
      + `<text x="${x + 7}" y="${y + 16}" class="n">${cell.nodes} nodes</text>`
      + `<text x="${x + 7}" y="${y + 30}">cpu ${pct(r.cpuMillis, a.cpuMillis)}% of ${cores(a.cpuMillis)}</text>`
      + `<text x="${x + 7}" y="${y + 44}">mem ${pct(r.memoryMiB, a.memoryMiB)}% of ${gib(a.memoryMiB)}</text>`
      + (a.gpus > 0 || r.gpus > 0 ? `<text x="${x + 7}" y="${y + 58}">gpu ${r.gpus} / ${a.gpus}</text>` : '')
      + '</g>');
  }
  parts.push('</svg></div>');
  return parts.join('');
}

function usageRow(name: string, p: PoolReport | undefined, req: ResourceAmounts, alloc: ResourceAmounts, nodes: number): string {
  return `<tr><td>${escapeHtml(name)}</td><td>${p ? escapeHtml(p.profile) : ''}</td><td class="num">${nodes.toLocaleString('en-US')}</td>`
    + `<td class="num">${cores(req.cpuMillis)} / ${cores(alloc.cpuMillis)}</td><td class="num">${pct(req.cpuMillis, alloc.cpuMillis)}%</td>`
    + `<td class="num">${gib(req.memoryMiB)} / ${gib(alloc.memoryMiB)}</td><td class="num">${pct(req.memoryMiB, alloc.memoryMiB)}%</td>`
    + `<td class="num">${req.gpus} / ${alloc.gpus}</td></tr>`;
}

function batchRow(name: string, profile: string, l: BatchLineReport): string {
  return `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(profile)}</td>`
    + `<td class="num">${cores(l.queues.cpuMillis)} / ${cores(l.quota.cpuMillis)} / ${cores(l.capacity.cpuMillis)}</td>`
    + `<td class="num">${gib(l.queues.memoryMiB)} / ${gib(l.quota.memoryMiB)} / ${gib(l.capacity.memoryMiB)}</td>`
    + `<td class="num">${l.queues.gpus} / ${l.quota.gpus} / ${l.capacity.gpus}</td>`
    + `<td class="num">${pct(l.quota.cpuMillis, l.capacity.cpuMillis)}%</td></tr>`;
}

const BATCH_HEAD = '<th>CPU queues / quota / capacity</th><th>Memory queues / quota / capacity</th><th>GPU queues / quota / capacity</th><th>CPU quota of capacity</th>';

/** A cluster's or region's batch: quota against batch capacity per node profile (and pool), then its team queues. */
function batchTables(b: BatchReport, first: string): string {
  const out: string[] = [`<table class="batch"><thead><tr><th>${first}</th><th>Profile</th>${BATCH_HEAD}</tr></thead><tbody>`];
  for (const [profile, l] of Object.entries(b.byProfile)) out.push(batchRow(first === 'Pool' ? '(all)' : b.name, profile, l));
  for (const [pool, l] of Object.entries(b.byPool ?? {})) out.push(batchRow(pool, '', l));
  out.push('</tbody></table>');
  if (b.queues.length > 0) {
    out.push('<table class="queues"><thead><tr><th>Queue</th><th>Team</th><th>Profile</th><th>CPU quota / max</th><th>Memory quota / max</th><th>GPU quota / max</th></tr></thead><tbody>');
    for (const q of b.queues) {
      for (const [profile, l] of Object.entries(q.byProfile)) {
        out.push(`<tr data-queue="${escapeHtml(q.queue)}"><td>${escapeHtml(q.queue)}</td><td>${escapeHtml(q.team)}</td><td>${escapeHtml(profile)}</td>`
          + `<td class="num">${cores(l.quota.cpuMillis)} / ${cores(l.capability.cpuMillis)}</td><td class="num">${gib(l.quota.memoryMiB)} / ${gib(l.capability.memoryMiB)}</td>`
          + `<td class="num">${l.quota.gpus} / ${l.capability.gpus}</td></tr>`);
      }
    }
    out.push('</tbody></table>');
  } else {
    out.push('<p class="muted">no team queues</p>');
  }
  return out.join('');
}

function clusterBatch(b: BatchReport | undefined): string {
  if (!b || (Object.keys(b.byProfile).length === 0 && b.queues.length === 0)) return '';
  return `<h3>Batch <span class="muted">(region ${escapeHtml(b.region ?? '')}, scheduler <b class="scheduler">${escapeHtml(b.scheduler ?? 'none')}</b>)</span></h3>`
    + `<div class="batch" data-scheduler="${escapeHtml(b.scheduler ?? '')}">${batchTables(b, 'Pool')}</div>`;
}

function batchSection(plan: PlanReport): string {
  const regions = plan.batch?.regions.filter(r => Object.keys(r.byProfile).length > 0 || r.queues.length > 0) ?? [];
  if (regions.length === 0) return '';
  const schedulers = (region: string) => (plan.batch?.clusters ?? []).filter(c => c.region === region && c.scheduler)
    .map(c => `${escapeHtml(c.name)}: ${escapeHtml(c.scheduler!)}`).join(', ');
  const out: string[] = ['<section id="batch"><h2>Batch per region</h2>',
    '<p class="muted">Batch capacity: the pools\' allocatable after node agents, minus the stateless and stateful namespaces\' reservations. '
    + 'Quota: the regional quota\'s share; queues: the team queues\' shares; a queue\'s max is what it may use with borrowing.</p>'];
  for (const r of regions) {
    out.push(`<div class="region" data-region="${escapeHtml(r.name)}"><h3>${escapeHtml(r.name)} <span class="muted">(${schedulers(r.name) || 'no cluster'})</span></h3>`, batchTables(r, 'Region'), '</div>');
  }
  out.push('</section>');
  return out.join('\n');
}

function clusterSection(c: ClusterReport, batch?: BatchReport): string {
  const search = [c.cluster, ...c.pools.map(p => p.pool), ...c.namespaces.map(n => n.name), ...(batch?.queues ?? []).map(q => q.queue)].join(' ').toLowerCase();
  const out: string[] = [];
  out.push(`<details class="cluster" data-cluster="${escapeHtml(c.cluster)}" data-search="${escapeHtml(search)}">`);
  out.push(`<summary><b>${escapeHtml(c.cluster)}</b> <span class="muted">${c.region ? `region ${escapeHtml(c.region)}, ` : ''}${c.nodes.toLocaleString('en-US')} nodes, ${c.pools.length} pool(s), `
    + `${c.zones.length} zone(s), ${c.namespaces.length} namespace(s); CPU ${pct(c.requested.cpuMillis, c.allocatable.cpuMillis)}%, `
    + `memory ${pct(c.requested.memoryMiB, c.allocatable.memoryMiB)}% requested</span></summary>`);
  out.push('<h3>Maintenance zones × pools</h3>', heatmap(c));
  if (c.pools.length > 0) {
    out.push('<table><thead><tr><th>Pool</th><th>Profile</th><th>Nodes</th><th>CPU req / alloc</th><th>CPU</th><th>Memory req / alloc</th><th>Mem</th><th>GPU req / alloc</th></tr></thead><tbody>');
    for (const p of c.pools) out.push(usageRow(p.pool, p, p.requested, p.allocatable, p.nodes));
    out.push(usageRow('total', undefined, c.requested, c.allocatable, c.nodes), '</tbody></table>');
  }
  out.push(`<h3>Namespaces (${c.namespaces.length})</h3>`);
  out.push(c.namespaces.length > 0
    ? `<ul class="ns">${c.namespaces.map(n => `<li title="${escapeHtml(`CPU ${cores(n.requested.cpuMillis)}, memory ${gib(n.requested.memoryMiB)}, GPU ${n.requested.gpus} requested`)}">${escapeHtml(n.name)}${n.new ? ' <em>(new)</em>' : ''}${n.federatedOver ? ` <em>(federated over ${escapeHtml(n.federatedOver.join(', '))})</em>` : ''}</li>`).join('')}</ul>`
    : '<p class="muted">none</p>');
  const batchHtml = clusterBatch(batch);
  if (batchHtml) out.push(batchHtml);
  out.push('<h3>Control plane</h3>');
  if (c.controlPlane) {
    out.push(`<p class="muted">${escapeHtml(c.controlPlane.source)}</p><table><tbody>`);
    for (const [k, v] of Object.entries(c.controlPlane.fields)) out.push(`<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`);
    out.push('</tbody></table>');
  } else {
    out.push('<p class="muted">not recorded in the output</p>');
  }
  out.push('</details>');
  return out.join('\n');
}

function guardrailSection(g: ReportGuardrails | undefined): string {
  if (!g) return '<section><h2>Guardrails</h2><p class="muted">No GuardrailConfiguration record in the output.</p></section>';
  const out: string[] = ['<section id="guardrails"><h2>Guardrails</h2><table><tbody>'];
  for (const [k, v] of Object.entries(g.settings)) out.push(`<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`);
  for (const [k, v] of Object.entries(g.severities)) out.push(`<tr><td>severity of ${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`);
  out.push('</tbody></table>');
  out.push(`<h3>Exempt identities and groups (${g.exempt.length})</h3>`);
  out.push(g.exempt.length > 0 ? `<ul>${g.exempt.map(e => `<li><code>${escapeHtml(e)}</code></li>`).join('')}</ul>` : '<p class="muted">none</p>');
  out.push(`<h3>Exemptions (${g.exemptions.length})</h3>`);
  if (g.exemptions.length > 0) {
    out.push('<table><thead><tr><th>Rule</th><th>Target</th><th>Reason</th></tr></thead><tbody>');
    for (const e of g.exemptions) out.push(`<tr><td>${escapeHtml(e.rule)}</td><td><code>${escapeHtml(e.target)}</code></td><td>${escapeHtml(e.reason)}</td></tr>`);
    out.push('</tbody></table>');
  } else {
    out.push('<p class="muted">none</p>');
  }
  out.push('</section>');
  return out.join('\n');
}

const CSS = `body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#111827;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 8px}h3{font-size:14px;margin:16px 0 6px}
.muted{color:#6b7280}#filter{font-size:14px;padding:6px 10px;width:320px;margin:12px 0;border:1px solid #9ca3af;border-radius:4px}
details.cluster{border:1px solid #d1d5db;border-radius:6px;margin:8px 0;padding:6px 12px}
details.cluster>summary{cursor:pointer;padding:4px 0}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #e5e7eb;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
div.heatwrap{overflow-x:auto}svg.heatmap{display:block;font-size:12px}svg.heatmap text{fill:#111827}
svg.heatmap .zone,svg.heatmap .pool{font-weight:600}svg.heatmap .n{font-weight:600}
ul.ns{columns:4 180px;margin:4px 0;padding-left:18px}code{font-size:12px}`;

const SCRIPT = `(function(){var f=document.getElementById('filter'),c=document.getElementById('count'),
d=Array.prototype.slice.call(document.querySelectorAll('details.cluster'));
function run(){var q=f.value.trim().toLowerCase(),n=0;d.forEach(function(e){var m=!q||e.getAttribute('data-search').indexOf(q)>=0;
e.hidden=!m;if(m)n++;});c.textContent=n+' of '+d.length+' clusters';}f.addEventListener('input',run);run();})();`;

/** The report page. */
export function renderReport(plan: PlanReport, guardrails: ReportGuardrails | undefined): string {
  const nodes = plan.clusters.reduce((n, c) => n + c.nodes, 0);
  const batchOf = new Map((plan.batch?.clusters ?? []).map(b => [b.name, b]));
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; script-src \'unsafe-inline\'; img-src data:">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    '<title>cdk8s-fleet report</title>',
    `<style>${CSS}</style></head><body>`,
    '<h1>Fleet report</h1>',
    `<p class="muted">${plan.clusters.length} cluster(s), ${nodes.toLocaleString('en-US')} nodes. Heatmap: a row per maintenance zone (the nodes that go down together), a column per pool; a cell holds the nodes of the pool in the zone, `
      + 'their allocatable, and the pool\'s requests spread over its zones by nodes; colour by the higher of CPU and memory requested. CPU in cores, memory in GiB.</p>',
    '<label>Filter clusters, pools, namespaces, queues: <input id="filter" type="search" placeholder="name…" autocomplete="off"></label> <span id="count" class="muted"></span>',
    '<section id="clusters"><h2>Clusters</h2>',
    ...plan.clusters.map(c => clusterSection(c, batchOf.get(c.cluster))),
    '</section>',
    ...(plan.batch ? [batchSection(plan)].filter(x => x) : []),
    guardrailSection(guardrails),
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
