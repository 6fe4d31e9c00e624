/**
 * Writes the docs' rule tables from the rule catalogues (`npx projen docs:rules`).
 *
 * Each table sits between two markers in its doc,
 * `<!-- rules:<table>:start -->` and `<!-- rules:<table>:end -->`, and is
 * replaced as a whole; the text around it is the doc's own. `<table>` is a
 * catalogue's layer (`machines`, `tenancy`, …, `synth`), or `guardrail-rules`
 * for the guardrail rules as data (short names, scopes and targets).
 * `test/foundation/rule-catalogue.test.ts` fails when a doc is not what this
 * script writes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RuleCatalogue, RuleEntry, RuleLayer } from '../src/core/rules';
import { GUARDRAIL_RULES } from '../src/guardrails/rules';
import { CONNTRACK_MAX_SYSCTL, DEFAULT_CONNTRACK_MAX_PER_CORE, DEFAULT_CONNTRACK_MIN, NODE_SYSCTLS } from '../src/machines/sysctls';
import { FLEET_RULE_CATALOGUES } from '../src/synth/layers';

/** The command that rewrites the tables. */
export const RULE_TABLES_COMMAND = 'npx projen docs:rules';

/** The doc (relative to the project root) that holds each catalogue's table. */
export const RULE_TABLE_DOCS: Readonly<Record<RuleLayer, string>> = {
  'machines': 'docs/ARCHITECTURE.md',
  'clusters': 'docs/ARCHITECTURE.md',
  'control-plane': 'docs/control-plane.md',
  'tenancy': 'docs/tenancy.md',
  'workloads': 'docs/WORKLOADS.md',
  'jobs': 'docs/jobs.md',
  'maintenance': 'docs/maintenance.md',
  'guardrails': 'docs/GUARDRAILS.md',
  'synth': 'docs/ARCHITECTURE.md',
};

/** One generated table: its name (in the markers), its doc and its Markdown. */
export interface RuleTable {
  readonly name: string;
  readonly doc: string;
  readonly markdown: string;
}

/**
 * Plain catalogue text as a Markdown table cell: `|` and `*` escaped, and each
 * word with a `<placeholder>` as code (Markdown would take it for HTML).
 */
function cell(text: string): string {
  return text
    .replace(/[|*]/g, c => `\\${c}`)
    .replace(/[^\s'",()]*<[a-z-]+>[^\s'",()]*/g, w => `\`${w.replace(/\\([|*])/g, '$1')}\``);
}

function severityCell(e: RuleEntry): string {
  return e.severity ?? 'error or warning';
}

/** A catalogue's table: one row per rule, by id. */
export function catalogueTable(c: RuleCatalogue): string {
  const rows = Object.entries(c.rules)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, e]) => `| \`${id}\` | ${severityCell(e)} | ${cell(e.summary)}${e.reserved ? ` (reserved: ${cell(e.reserved)})` : ''} | ${cell(e.fix)} |`);
  return ['| rule | severity | what it protects | default fix |', '|---|---|---|---|', ...rows].join('\n');
}

/** The guardrail rules as data: short name, violation id, scope, default severity, target. */
export function guardrailRulesTable(): string {
  const rows = GUARDRAIL_RULES.map(r => `| \`${r.name}\` | \`${r.id}\` | ${r.scope} | ${r.severity} | ${cell(r.target)} |`);
  return ['| rule (short name) | violation id | scope | default severity | target (for exemptions and overrides) |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The node sysctls a profile sets by default: key, value, what kube-proxy needs, the modes, the severity of an override, why. */
export function nodeSysctlsTable(): string {
  const rows = NODE_SYSCTLS.map(s => `| \`${s.key}\` | ${s.value} | ${cell(s.needs)} | ${s.modes.join(', ')} | ${s.severity} | ${cell(s.reason)} |`);
  rows.push(`| \`${CONNTRACK_MAX_SYSCTL}\` | max(${DEFAULT_CONNTRACK_MIN}, ${DEFAULT_CONNTRACK_MAX_PER_CORE} × cores) | at least what kube-proxy sets (max(conntrack.min, conntrack.maxPerCore × cores)) | ipvs, nftables, iptables | warning | kube-proxy sizes the table at start; a smaller value in the node's sysctl files lowers it again at the next apply, and a full table drops new connections |`);
  return ['| sysctl | default | kube-proxy needs | modes | override below the need | why |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** Every generated table, in catalogue order. */
export function ruleTables(): RuleTable[] {
  return [
    ...FLEET_RULE_CATALOGUES.map(c => ({ name: c.layer, doc: RULE_TABLE_DOCS[c.layer], markdown: catalogueTable(c) })),
    { name: 'guardrail-rules', doc: RULE_TABLE_DOCS.guardrails, markdown: guardrailRulesTable() },
    { name: 'node-sysctls', doc: 'docs/ARCHITECTURE.md', markdown: nodeSysctlsTable() },
  ];
}

const MARKER = /<!-- rules:([a-z-]+):(start|end) -->/g;

/**
 * The doc with every table it holds replaced by the generated one. Throws on
 * a table the doc lacks, on markers of a table that is not the doc's, and on
 * unpaired markers.
 */
export function withRuleTables(text: string, doc: string, tables: readonly RuleTable[] = ruleTables()): string {
  const mine = new Map(tables.filter(t => t.doc === doc).map(t => [t.name, t]));
  const found = new Set<string>();
  let out = '';
  let at = 0;
  let open: { name: string; end: number } | undefined;
  for (const m of text.matchAll(MARKER)) {
    const [marker, name, edge] = m;
    if (edge === 'start') {
      if (open) throw new Error(`${doc}: the rules:${open.name} table is not closed before rules:${name} starts`);
      if (!mine.has(name)) throw new Error(`${doc}: there is no rules:${name} table for this doc`);
      if (found.has(name)) throw new Error(`${doc}: the rules:${name} table appears twice`);
      open = { name, end: m.index + marker.length };
      out += text.slice(at, open.end);
    } else {
      if (!open || open.name !== name) throw new Error(`${doc}: rules:${name}:end without its start`);
      out += `\n${mine.get(name)!.markdown}\n`;
      at = m.index;
      found.add(name);
      open = undefined;
    }
  }
  if (open) throw new Error(`${doc}: the rules:${open.name} table is not closed`);
  const missing = [...mine.keys()].filter(n => !found.has(n));
  if (missing.length > 0) throw new Error(`${doc}: add the markers <!-- rules:<table>:start --> and <!-- rules:<table>:end --> for ${missing.join(', ')}`);
  return out + text.slice(at);
}

/** Each doc that holds a table, with its generated text, read from `root`. */
export function generatedDocs(root: string): Map<string, { readonly current: string; readonly generated: string }> {
  const out = new Map<string, { current: string; generated: string }>();
  const tables = ruleTables();
  for (const doc of [...new Set(tables.map(t => t.doc))].sort()) {
    const current = fs.readFileSync(path.join(root, doc), 'utf8');
    out.set(doc, { current, generated: withRuleTables(current, doc, tables) });
  }
  return out;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  for (const [doc, { current, generated }] of generatedDocs(root)) {
    if (current === generated) continue;
    fs.writeFileSync(path.join(root, doc), generated);
    process.stdout.write(`rewrote the rule tables of ${doc}\n`);
  }
}
