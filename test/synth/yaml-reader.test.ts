import * as fc from 'fast-check';
import { parse } from 'yaml';
import { buildExampleFleet } from '../../examples/fleet';
import { synthesizeFleet } from '../../src/synth/pipeline';
import { emitYaml } from '../../src/synth/yaml-emitter';
import { readEmittedYaml } from '../../src/synth/yaml-reader';

const TRICKY = [
  '', ' ', 'a b', ' leading', 'trailing ', 'key: value', 'a:b', 'ends:', ':start', 'a #b', '#c', '-', '- item', '-flag', '?', '? x', '|', '|-', '>',
  '[a]', '{a}', '"', "'", '"quoted"', "'single'", 'it\'s "both"', '\\', 'null', '~', 'true', 'yes', 'on', '0', '-1', '007', '1e3', '1.0', '1_000',
  '0x10', '1:20', '.inf', '.nan', '1.28.9', '2001-12-14', 'line\nbreak', 'two\n', 'three\n\n', '\nleading', '\n', ' indented\nfirst', 'a\n  indented',
  'a\n\n\nb', 'a\r\nb', 'nul\u0000', 'nel\u0085', 'bom\ufeff', 'café', '日本語', 'emoji 🚀', 'a'.repeat(1100),
];
const tricky = fc.constantFrom(...TRICKY);
const str = fc.oneof(tricky, fc.string(), fc.string({ unit: 'grapheme' }));
const double = fc.double({ noNaN: true, noDefaultInfinity: true }).filter(d => !Object.is(d, -0));
const scalar = fc.oneof(str, fc.integer(), double, fc.boolean(), fc.constant(null));
const { value: json } = fc.letrec(tie => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.oneof(tricky, fc.string()), tie('value'), { maxKeys: 5 }),
}));

/** What the yaml package reads from a text. */
function yamlOf(text: string): unknown {
  return parse(text, { strict: true, uniqueKeys: true });
}

describe('the reader of the emitter\'s YAML: exact or it declines', () => {
  test('what the emitter writes reads back as the value, as the yaml package reads it', () => {
    let read = 0;
    fc.assert(fc.property(json, x => {
      const text = emitYaml(x);
      const v = readEmittedYaml(text);
      if (v !== undefined) {
        read++;
        expect(v).toEqual(x);
        expect(v).toEqual(yamlOf(text));
      }
    }), { numRuns: 3000 });
    // it declines only top-level scalars and the rare shapes it leaves to the yaml package
    expect(read).toBeGreaterThan(1000);
  });

  test('a changed text (a character removed, doubled or replaced) is read as the yaml package reads it, or declined', () => {
    const edit = fc.record({ at: fc.nat(), op: fc.constantFrom('drop', 'double', 'space', 'colon', 'dash', 'quote', 'newline') });
    fc.assert(fc.property(json, fc.array(edit, { minLength: 1, maxLength: 3 }), (x, edits) => {
      let text = emitYaml(x);
      for (const { at, op } of edits) {
        const i = text.length === 0 ? 0 : at % text.length;
        const put = { drop: '', double: text[i] ?? '', space: ' ', colon: ':', dash: '- ', quote: '"', newline: '\n' }[op as 'drop'];
        text = text.slice(0, i) + put + text.slice(op === 'double' ? i : i + 1);
      }
      const v = readEmittedYaml(text);
      if (v !== undefined) {
        expect(v).toEqual(yamlOf(text));
        // what it accepts is the emitter's own text for that value, byte for byte
        expect(emitYaml(v)).toBe(text);
      }
    }), { numRuns: 3000 });
  });

  test('a text with its lines moved, indented or joined is read only when it is the emitter\'s text for what it reads', () => {
    const edit = fc.record({ at: fc.nat(), to: fc.nat(), op: fc.constantFrom('swap', 'indent', 'outdent', 'join', 'blank', 'duplicate') });
    fc.assert(fc.property(json, fc.array(edit, { minLength: 1, maxLength: 3 }), (x, edits) => {
      const lines = emitYaml(x).slice(0, -1).split('\n');
      for (const { at, to, op } of edits) {
        const i = at % lines.length;
        const j = to % lines.length;
        if (op === 'swap') [lines[i], lines[j]] = [lines[j], lines[i]];
        else if (op === 'indent') lines[i] = `  ${lines[i]}`;
        else if (op === 'outdent') lines[i] = lines[i].replace(/^ {2}/, '');
        else if (op === 'join' && i + 1 < lines.length) lines.splice(i, 2, `${lines[i]} ${lines[i + 1].trim()}`);
        else if (op === 'blank') lines.splice(i, 0, '');
        else if (op === 'duplicate') lines.splice(i, 0, lines[i]);
      }
      const text = `${lines.join('\n')}\n`;
      const v = readEmittedYaml(text);
      if (v !== undefined) {
        expect(emitYaml(v)).toBe(text);
        expect(v).toEqual(yamlOf(text));
      }
    }), { numRuns: 3000 });
  });

  test.each([
    ['integer-like keys after a named one (an object would put them first)', 'b: 1\n"1": 2\n'],
    ['integer-like keys out of order', '"2": 1\n"1": 2\n'],
    ['a number written another way', 'a: 1.0\n'],
    ['a string quoted though it needs no quotes', "a: 'b'\n"],
    ['a string left plain that YAML 1.1 reads as a boolean', 'a: yes\n'],
    ['a key followed by nothing', 'a:\nb: 1\n'],
    ['two spaces after the colon', 'a:  b\n'],
    ['a trailing space', 'a: b \n'],
    ['a sequence at the key\'s own indentation', 'a:\n- b\n'],
    ['a comment', 'a: b\n# note\n'],
    ['a literal block whose value the emitter writes on one line', 'a: |-\n  b\n'],
    ['an anchor', 'a: &x b\n'],
  ])('declines %s (the yaml package reads it)', (_what, text) => {
    expect(readEmittedYaml(text)).toBeUndefined();
  });

  test('integer-like keys first and ascending are read, in the order an object keeps', () => {
    const text = '"1": a\n"2": b\nc: d\n';
    expect(readEmittedYaml(text)).toEqual({ 1: 'a', 2: 'b', c: 'd' });
    expect(emitYaml(readEmittedYaml(text))).toBe(text);
  });

  test('every file of the example fleet\'s output is read by it, as the yaml package reads it', () => {
    const { files } = synthesizeFleet(buildExampleFleet({ outdir: 'unused' }));
    let yamlFiles = 0;
    for (const [file, text] of files) {
      if (!file.endsWith('.yaml')) continue;
      yamlFiles++;
      const v = readEmittedYaml(text);
      if (v === undefined) throw new Error(`declined ${file}`);
      expect(v).toEqual(yamlOf(text));
    }
    expect(yamlFiles).toBeGreaterThan(100);
  });
});
