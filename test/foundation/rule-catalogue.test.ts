import * as path from 'path';
import * as ts from 'typescript';
import { RULE_TABLES_COMMAND, generatedDocs, withRuleTables } from '../../scripts/rule-tables';
import { RuleEntry } from '../../src/core/rules';
import { GUARDRAIL_RULES } from '../../src/guardrails/rules';
import { FLEET_RULE_CATALOGUES } from '../../src/synth/layers';

const ROOT = path.join(__dirname, '..', '..');

const catalogued = new Map<string, { layer: string; entry: RuleEntry }>();
for (const c of FLEET_RULE_CATALOGUES) {
  for (const [id, entry] of Object.entries(c.rules)) {
    if (!catalogued.has(id)) catalogued.set(id, { layer: c.layer, entry });
  }
}

/**
 * Every rule id the source raises, with the files that name it: each string
 * literal or template whose contextual type is made of catalogued ids only
 * (the `rule` parameter of `Violations`, a `rule` field typed as a rule id,
 * `GuardrailRule.id`). A template counts with every id its type can take
 * (`control-plane.unsafe.${key}` is one id per key). The catalogues
 * themselves are left out: an entry is not a call site.
 */
function raisedRuleIds(): Map<string, Set<string>> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: d => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const literals = (t: ts.Type): string[] =>
    (t.isUnion() ? t.types : [t]).filter(m => m.isStringLiteral()).map(m => (m as ts.StringLiteralType).value);
  const isRuleIdType = (t: ts.Type): boolean => {
    const members = (t.isUnion() ? t.types : [t]).filter(m => m.flags !== ts.TypeFlags.Undefined && m.flags !== ts.TypeFlags.Null);
    return members.length > 0 && members.every(m => m.isStringLiteral() && catalogued.has(m.value));
  };
  const out = new Map<string, Set<string>>();
  for (const sf of program.getSourceFiles()) {
    const file = path.relative(ROOT, sf.fileName);
    if (sf.isDeclarationFile || file.startsWith('..') || path.basename(file) === 'rule-catalogue.ts') continue;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
        const context = checker.getContextualType(node);
        if (context && isRuleIdType(context)) {
          for (const id of literals(checker.getTypeAtLocation(node))) {
            if (!out.has(id)) out.set(id, new Set());
            out.get(id)!.add(file);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

describe('the rule catalogues', () => {
  test('each id is catalogued once, by one layer, and each layer has one catalogue', () => {
    const layers = FLEET_RULE_CATALOGUES.map(c => c.layer);
    expect(new Set(layers).size).toBe(layers.length);
    const ids = FLEET_RULE_CATALOGUES.flatMap(c => Object.keys(c.rules));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.length).toBeGreaterThan(250);
  });

  test('every entry has a well-formed id, and a one-line summary and fix', () => {
    for (const [id, { entry }] of catalogued) {
      expect(id).toMatch(/^[a-z][a-z0-9-]*(\.[A-Za-z0-9-]+)+$/);
      for (const text of [entry.summary, entry.fix]) {
        expect(text.trim()).not.toBe('');
        expect(text).not.toMatch(/\n|undefined|NaN|\[object /);
      }
    }
  });

  test('the guardrail rules as data are catalogued with their own summary, and their severity is left to the configuration', () => {
    const guardrails = FLEET_RULE_CATALOGUES.find(c => c.layer === 'guardrails')!;
    for (const r of GUARDRAIL_RULES) {
      const entry: RuleEntry = guardrails.rules[r.id];
      expect(entry.summary).toBe(r.summary);
      expect(entry.severity).toBeUndefined();
    }
  });

  describe('against the source', () => {
    let raised: Map<string, Set<string>>;
    beforeAll(() => {
      raised = raisedRuleIds();
    });

    test('every catalogued rule is raised somewhere (unless reserved), and a reserved one nowhere', () => {
      const unraised = [...catalogued].filter(([id, { entry }]) => !entry.reserved && !raised.has(id)).map(([id]) => id);
      expect(unraised).toEqual([]);
      const reservedButRaised = [...catalogued].filter(([id, { entry }]) => entry.reserved && raised.has(id)).map(([id]) => id);
      expect(reservedButRaised).toEqual([]);
    });

    test('the ids built at run time count with every id their type can take', () => {
      for (const id of ['control-plane.unsafe.anonymousAuth', 'control-plane.threshold.services.near', 'guardrails.canary-percent']) {
        expect(raised.get(id)).toBeDefined();
      }
      expect([...raised.get('guardrails.scale-down')!]).toEqual([path.join('src', 'guardrails', 'rules.ts')]);
    });

    test('a rule is raised only in the folder of the layer whose catalogue holds it', () => {
      const misplaced: string[] = [];
      for (const [id, files] of raised) {
        const layer = catalogued.get(id)!.layer;
        for (const f of files) {
          if (f.split(path.sep)[1] !== layer) misplaced.push(`${id} (catalogued by ${layer}) in ${f}`);
        }
      }
      expect(misplaced).toEqual([]);
    });
  });
});

describe('the docs\' rule tables', () => {
  test(`are what \`${RULE_TABLES_COMMAND}\` writes`, () => {
    const stale = [...generatedDocs(ROOT)].filter(([, d]) => d.current !== d.generated).map(([doc]) => doc);
    if (stale.length > 0) {
      throw new Error(`the rule tables of ${stale.join(', ')} are not what the rule catalogues say; run \`${RULE_TABLES_COMMAND}\` and commit the result`);
    }
  });

  test('list every catalogued rule', () => {
    const docs = [...generatedDocs(ROOT).values()].map(d => d.generated).join('\n');
    const missing = [...catalogued.keys()].filter(id => !docs.includes(`| \`${id}\` |`));
    expect(missing).toEqual([]);
  });

  test('are replaced between their markers only, and a doc without its markers is refused', () => {
    const doc = 'docs/tenancy.md';
    const text = 'before\n<!-- rules:tenancy:start -->\nhand-written\n<!-- rules:tenancy:end -->\nafter\n';
    const out = withRuleTables(text, doc);
    expect(out.startsWith('before\n<!-- rules:tenancy:start -->\n| rule | severity |')).toBe(true);
    expect(out.endsWith('|\n<!-- rules:tenancy:end -->\nafter\n')).toBe(true);
    expect(out).not.toContain('hand-written');
    expect(withRuleTables(out, doc)).toBe(out);
    expect(() => withRuleTables('no markers\n', doc)).toThrow(/add the markers .* for tenancy/);
    expect(() => withRuleTables('<!-- rules:workloads:start -->\n<!-- rules:workloads:end -->\n' + text, doc)).toThrow(/no rules:workloads table/);
    expect(() => withRuleTables('<!-- rules:tenancy:start -->\n', doc)).toThrow(/not closed/);
  });
});
