/**
 * The package's declarations as a user gets them: compiled from src/ with the
 * project's compiler options (`stripInternal` removes every `@internal`
 * declaration), written to a temporary directory, then read back as a user's
 * compiler reads `lib/index.d.ts`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const PROJECT = path.resolve(__dirname, '..', '..');

/** What a user of the package sees. */
export interface PublicSurface {
  /** The root's exported names in its declarations, sorted. */
  readonly names: readonly string[];
  /** The names src/index.ts exports in its source, sorted (a stripped export statement makes them differ). */
  readonly sourceNames: readonly string[];
  /** Errors of the emitted declarations (a public declaration naming a stripped one), as `file:line: message`. */
  readonly declarationErrors: readonly string[];
  /**
   * Types and values of the package that a public declaration refers to but the
   * root does not export (a user could receive them but not name them), as
   * `<public name> → <referenced name> (<file>)`.
   */
  readonly unexported: readonly string[];
  /**
   * Exports of library modules (src/ but the CLI) that are neither exported by
   * the root nor marked `@internal`, as `<file>: <name>`: each needs a decision.
   */
  readonly undecided: readonly string[];
}

/** Compiles the declarations of src/ (as the build does) and inspects the root, src/index.ts. */
export function publicSurface(): PublicSurface {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(PROJECT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: d => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config) throw new Error('cannot read tsconfig.json');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-fleet-api-'));
  try {
    const options: ts.CompilerOptions = {
      ...config.options,
      declaration: true,
      emitDeclarationOnly: true,
      noEmit: false,
      inlineSourceMap: false,
      inlineSources: false,
      sourceMap: false,
      declarationMap: false,
      outDir: out,
    };
    const build = ts.createProgram({ rootNames: config.fileNames, options });
    const emitted = build.emit();
    if (emitted.emitSkipped) throw new Error('the declarations were not emitted');
    // the declarations resolve cdk8s, constructs... as a user's compiler does: from node_modules beside them
    fs.symlinkSync(path.join(PROJECT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
    return { ...inspect(out), undecided: undecided(build), sourceNames: sourceNames(build) };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function inspect(out: string): Omit<PublicSurface, 'undecided' | 'sourceNames'> {
  const index = path.join(out, 'index.d.ts');
  const program = ts.createProgram({
    rootNames: [index],
    options: { strict: true, noEmit: true, skipLibCheck: false, types: ['node'], target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
  });
  const ours = (f: ts.SourceFile) => f.fileName.startsWith(`${out}/`) && !f.fileName.includes('/node_modules/');
  const shown = (f: ts.SourceFile) => path.relative(out, f.fileName);

  const declarationErrors: string[] = [];
  for (const sf of program.getSourceFiles().filter(ours)) {
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      declarationErrors.push(`${shown(sf)}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  }

  const checker = program.getTypeChecker();
  const root = checker.getSymbolAtLocation(program.getSourceFile(index)!);
  if (!root) throw new Error('index.d.ts has no exports');
  const exports = checker.getExportsOfModule(root);
  const resolve = (s: ts.Symbol) => (has(s, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(s) : s);
  const exported = new Set(exports.map(resolve));

  const unexported = new Set<string>();
  for (const symbol of exports) {
    for (const declaration of resolve(symbol).declarations ?? []) {
      if (!ours(declaration.getSourceFile())) continue;
      visit(declaration, node => {
        const name = referencedName(node);
        if (!name) return;
        const target = checker.getSymbolAtLocation(name);
        if (!target) return;
        const t = resolve(target);
        if (has(t, ts.SymbolFlags.TypeParameter) || exported.has(t)) return;
        const files = (t.declarations ?? []).map(d => d.getSourceFile());
        if (files.length === 0 || !files.every(ours)) return;
        unexported.add(`${symbol.name} → ${t.name} (${shown(files[0])})`);
      });
    }
  }
  return { names: exports.map(s => s.name).sort(), declarationErrors, unexported: [...unexported].sort() };
}

/** The names the root exports, read from its source. */
function sourceNames(program: ts.Program): string[] {
  const checker = program.getTypeChecker();
  const root = checker.getSymbolAtLocation(program.getSourceFile(path.join(PROJECT, 'src', 'index.ts'))!);
  if (!root) throw new Error('src/index.ts has no exports');
  return checker.getExportsOfModule(root).map(s => s.name).sort();
}

/** Top-level exports of library modules that the root does not export and that are not `@internal`. */
function undecided(program: ts.Program): string[] {
  const checker = program.getTypeChecker();
  const src = path.join(PROJECT, 'src');
  const root = checker.getSymbolAtLocation(program.getSourceFile(path.join(src, 'index.ts'))!);
  if (!root) throw new Error('src/index.ts has no exports');
  const resolve = (s: ts.Symbol) => (has(s, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(s) : s);
  const exported = new Set(checker.getExportsOfModule(root).map(resolve));
  const out: string[] = [];
  for (const sf of program.getSourceFiles()) {
    const file = path.relative(src, sf.fileName);
    if (file.startsWith('..') || file.startsWith(`cli${path.sep}`) || path.basename(file) === 'index.ts') continue;
    for (const statement of sf.statements) {
      if (!ts.canHaveModifiers(statement) || !ts.getModifiers(statement)?.some(m => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      const declarations = ts.isVariableStatement(statement) ? [...statement.declarationList.declarations] : [statement];
      // stripInternal reads the comments before a declaration
      const internal = sf.text.slice(statement.getFullStart(), statement.getStart()).includes('@internal');
      for (const d of declarations) {
        const name = (d as ts.DeclarationStatement).name;
        const symbol = name && checker.getSymbolAtLocation(name);
        if (!symbol || internal || exported.has(symbol)) continue;
        out.push(`${file}: ${symbol.name}`);
      }
    }
  }
  return out.sort();
}

/** True when a symbol has a flag. */
function has(symbol: ts.Symbol, flag: ts.SymbolFlags): boolean {
  // eslint-disable-next-line no-bitwise
  return (symbol.flags & flag) !== 0;
}

/** The identifier a type position names (`Foo`, `ns.Foo`, `typeof foo`, `extends Foo`), if the node is one. */
function referencedName(node: ts.Node): ts.Node | undefined {
  const last = (n: ts.EntityName | ts.Expression) => (ts.isQualifiedName(n) ? n.right : ts.isPropertyAccessExpression(n) ? n.name : n);
  if (ts.isTypeReferenceNode(node)) return last(node.typeName);
  if (ts.isTypeQueryNode(node)) return last(node.exprName);
  if (ts.isExpressionWithTypeArguments(node)) return last(node.expression);
  return undefined;
}

/** Every node under a declaration, skipping private and protected-internal members (their types are not emitted). */
function visit(node: ts.Node, fn: (n: ts.Node) => void): void {
  fn(node);
  node.forEachChild(child => {
    if (ts.canHaveModifiers(child) && ts.getModifiers(child)?.some(m => m.kind === ts.SyntaxKind.PrivateKeyword)) return;
    visit(child, fn);
  });
}
