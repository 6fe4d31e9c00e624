/**
 * The public API is deliberate: the root exports exactly the names in
 * public-surface.txt, the declarations a user gets (internals stripped, as
 * the build strips them) compile, every type a public declaration mentions can
 * be named from the root, and every other export of a library module is
 * marked `@internal`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PublicSurface, publicSurface } from './declarations';

const LIST = path.join(__dirname, 'public-surface.txt');

function committedNames(): string[] {
  return fs.readFileSync(LIST, 'utf8').split('\n').map(l => l.trim()).filter(l => l !== '' && !l.startsWith('#'));
}

describe('public API', () => {
  let surface: PublicSurface;
  beforeAll(() => {
    surface = publicSurface();
  });

  test('the committed list is sorted and has each name once', () => {
    const names = committedNames();
    expect(names).toEqual([...new Set(names)].sort());
  });

  test('the root exports exactly the names of public-surface.txt (edit the list with the change that adds or removes a name)', () => {
    expect(surface.names).toEqual(committedNames());
  });

  test('every name src/index.ts exports survives in the declarations (a comment naming the tag strips the statement after it)', () => {
    expect(surface.names).toEqual(surface.sourceNames);
  });

  test('the declarations compile with every @internal declaration stripped', () => {
    expect(surface.declarationErrors).toEqual([]);
  });

  test('every type or value of the package a public declaration refers to is exported by the root', () => {
    expect(surface.unexported).toEqual([]);
  });

  test('every other export of a library module is marked @internal', () => {
    expect(surface.undecided).toEqual([]);
  });
});
