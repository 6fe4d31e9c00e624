import { buildExampleFleet } from '../../examples/fleet';
import { readTree, tmpOutdir } from '../support/fleet';

describe('deterministic output', () => {
  test('two separate syntheses of the same program give byte-identical files', () => {
    const a = buildExampleFleet({ outdir: tmpOutdir() });
    const b = buildExampleFleet({ outdir: tmpOutdir() });
    a.synth();
    b.synth();
    const ta = readTree(a.fleetOutdir);
    const tb = readTree(b.fleetOutdir);
    expect(ta.size).toBeGreaterThan(50);
    expect([...ta.keys()]).toEqual([...tb.keys()]);
    for (const [file, content] of ta) expect(tb.get(file)).toBe(content);
  });

  test('files come in sorted order and carry no timestamps', () => {
    const { files } = buildExampleFleet({ outdir: tmpOutdir() }).synthesize();
    const names = [...files.keys()];
    expect(names).toEqual([...names].sort());
    for (const content of files.values()) {
      expect(content).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(content).not.toMatch(/creationTimestamp:/);
    }
  });
});
