/**
 * The atomic write under `kill -9`: a child process writes a generated fleet's
 * output (about 9,000 files, so both writer threads run) over the previous one
 * and is killed at seeded random moments of the write (which begins with the
 * repair of what the previous kill left). After every kill the
 * output directory is the previous output byte for byte or the new one
 * complete, and the next synth leaves nothing beside it.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { clustersFor, generateFleet, seededRng, statefulAppsFor } from '../../bench/generator';
import { OUTPUT_MARKER } from '../../src/synth/layout';
import { markerText, parseScratchName, recoverOutput } from '../../src/synth/output-dir';
import { ROOT, ensureCompiled, tmpDir } from '../support/cli';
import { readTree, tmpOutdir } from '../support/fleet';

const APPS = 600;
const KILLS = 12;

beforeAll(ensureCompiled, 180_000);

/** The files of a generated fleet's output. */
function generatedOutput(seed: number): Map<string, string> {
  const fleet = generateFleet({ apps: APPS, statefulApps: statefulAppsFor(APPS), clusters: clustersFor(APPS), seed, outdir: tmpOutdir() });
  return new Map(fleet.synthesize().files);
}

/** The next change of a fleet's output: every tenth file's object removed, every other file changed (a cheaper second synth). */
function changedOutput(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].filter((_, i) => i % 10 !== 3).map(([f, c], i) => [f, i % 2 === 0 ? `${c}# changed\n` : c]));
}

function withMarker(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files, [OUTPUT_MARKER, markerText(files.keys())]]);
}

/** The child: the compiled library's write of the files in a JSON file, announcing when it starts writing. */
const CHILD = `const fs = require('fs');
const { writeOutputAtomically } = require(process.argv[2]);
const files = new Map(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')));
process.stdout.write('writing\\n');
writeOutputAtomically(process.argv[4], files);
process.stdout.write('done\\n');
`;

interface ChildRun {
  /** True when the kill landed (the child did not finish). */
  readonly killed: boolean;
  /** Milliseconds from the start of the write to the child's end. */
  readonly ms: number;
  /** The child's pid. */
  readonly pid: number;
}

/** Runs the child writing `json` into `out`; with `killAfterMs`, kills it (SIGKILL) that long after it starts writing. */
function runChild(script: string, json: string, out: string, killAfterMs?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, path.join(ROOT, 'lib', 'synth', 'write.js'), json, out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let started = 0;
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      if (!started && stdout.includes('writing\n')) {
        started = Date.now();
        if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') return resolve({ killed: true, ms: Date.now() - started, pid: child.pid! });
      if (code !== 0 || !stdout.includes('done\n')) return reject(new Error(`the writing child failed (${code}):\n${stderr}`));
      resolve({ killed: false, ms: Date.now() - started, pid: child.pid! });
    });
  });
}

function sameTree(actual: ReadonlyMap<string, string>, expected: ReadonlyMap<string, string>): boolean {
  if (actual.size !== expected.size) return false;
  for (const [f, c] of expected) if (actual.get(f) !== c) return false;
  return true;
}

describe('the atomic write under kill -9', () => {
  test(`${KILLS} kills at random moments of a ~9,000-file write: the previous output byte-identical or the new one complete, nothing left after the next synth`, async () => {
    const first = generatedOutput(1);
    const trees = [withMarker(first), withMarker(changedOutput(first))];
    expect(trees[1].size).toBeGreaterThan(8000);
    // on tmpfs where there is one: ext4 on a busy machine can take seconds for this many files, more right after a removal
    const work = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/fleet-kill-') : tmpDir('fleet-kill-');
    const script = path.join(work, 'child.js');
    fs.writeFileSync(script, CHILD);
    const json = trees.map((t, i) => {
      const file = path.join(work, `tree-${i}.json`);
      fs.writeFileSync(file, JSON.stringify([...t].filter(([f]) => f !== OUTPUT_MARKER)));
      return file;
    });
    const out = path.join(work, 'gitops', 'dist');

    // the previous output, then one complete replacing write to time it
    await runChild(script, json[0], out);
    const timed = await runChild(script, json[1], out);
    expect(sameTree(readTree(out), trees[1])).toBe(true);
    let current = 1;

    const rng = seededRng(13);
    const outcomes = { previous: 0, next: 0, leftovers: 0, noOutput: 0 };
    let kills = 0;
    for (let attempt = 0; kills < KILLS && attempt < KILLS * 3; attempt++) {
      const next = 1 - current;
      const run = await runChild(script, json[next], out, Math.floor(rng() * timed.ms));
      if (!run.killed) {
        expect(sameTree(readTree(out), trees[next])).toBe(true);
        current = next;
        continue;
      }
      kills++;
      const beside = fs.readdirSync(path.dirname(out)).filter(n => n !== 'dist');
      // whatever is beside the output is a scratch directory of a process that has ended
      for (const name of beside) expect(parseScratchName(out, name)).toEqual(expect.objectContaining({ pid: expect.any(Number) }));
      if (beside.length > 0) outcomes.leftovers++;
      if (!fs.existsSync(out)) {
        // killed between the two renames of the swap: repaired as the next synth's first step does
        outcomes.noOutput++;
        recoverOutput(out);
      }
      const tree = readTree(out);
      if (sameTree(tree, trees[current])) {
        outcomes.previous++;
      } else {
        // not the previous output: it must be the new one, complete
        expect(sameTree(tree, trees[next])).toBe(true);
        outcomes.next++;
        current = next;
      }
      // the leftovers are not removed here: the next child's synth does it
    }
    expect(kills).toBe(KILLS);
    expect(outcomes.previous + outcomes.next).toBe(KILLS);
    // the kills did land in the write: some left a staging or previous directory behind
    expect(outcomes.leftovers).toBeGreaterThan(0);

    // the next synth completes and leaves nothing beside the output
    await runChild(script, json[1 - current], out);
    expect(sameTree(readTree(out), trees[1 - current])).toBe(true);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
    fs.rmSync(work, { recursive: true, force: true });
  }, 90_000);
});
