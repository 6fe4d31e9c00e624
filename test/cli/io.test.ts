import { Progress, formatTable } from '../../src/cli/io';
import { memoryIo, tmpDir } from '../support/cli';

describe('progress display', () => {
  test('line-oriented when not on a terminal', () => {
    const m = memoryIo(tmpDir());
    const p = new Progress(m.io);
    p.start('running app');
    p.done('ok');
    expect(m.err()).toMatch(/^cdk8s-fleet: running app\.\.\.\ncdk8s-fleet: running app: ok \(\d+\.\ds\)\n$/);
  });

  test('animated on a terminal: the line is redrawn in place', () => {
    const m = memoryIo(tmpDir());
    const p = new Progress({ ...m.io, interactive: true });
    p.start('running app');
    p.done('ok');
    expect(m.err()).toMatch(/^\r\x1b\[K. running app \d+\.\ds\r\x1b\[Kcdk8s-fleet: running app: ok/);
  });

  test('quiet prints nothing', () => {
    const m = memoryIo(tmpDir());
    const p = new Progress(m.io, true);
    p.start('x');
    p.done();
    expect(m.err()).toBe('');
  });
});

describe('tables', () => {
  test('columns aligned, numbers right-aligned', () => {
    expect(formatTable([['NAME', 'NODES', 'NOTE'], ['general', '8', 'a'], ['gpu', '1,200', 'bb']])).toBe(
      'NAME     NODES  NOTE\n'
      + 'general      8  a\n'
      + 'gpu      1,200  bb\n');
  });
});
