/**
 * The layering rules of the README ("How it is built"), checked on the source text so that a change breaking
 * them fails `npm test` instead of waiting for a reviewer:
 *   - no import cycle between the files of src/ and commands/ (type-only imports count: a cycle of types is
 *     still two modules that cannot be read one before the other);
 *   - src/transports/ is platform-only: it never imports the app (src/app.ts), the store or the database;
 *   - only src/store/ and src/db/ speak Prisma (a model query, $transaction, $queryRaw ...).
 * bench/ and test/ are not checked for Prisma: they seed rows and look at what was written, which is their job;
 * they are not layers of the product.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The .ts files under the given folders of the repository (generated Prisma clients left out), relative paths. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) {
        if (rel !== 'src/generated') walk(rel);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

/** The repository files one file imports (static, re-exports and import()), type-only imports included. */
export function importsOf(root: string, file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specifiers.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)));
}

/** Every cycle of the graph, each once, as the files in import order starting from the smallest name. */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  // Tarjan's strongly connected components; a component of more than one file holds at least one cycle
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const components: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(c.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return components;
}

/** Lines that query the database through Prisma: a model's methods, $transaction, raw SQL. */
export function prismaCalls(root: string, file: string, models: readonly string[]): string[] {
  const call = new RegExp(`\\b(?:prisma|tx|client|db)\\s*\\.\\s*(?:(?:${models.join('|')})\\s*\\.|\\$(?:transaction|queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)\\b)`);
  return fs
    .readFileSync(path.join(root, file), 'utf8')
    .split('\n')
    .flatMap((line, i) => (call.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

/** The Prisma client's model properties (plan, task, chatGroup ...) from the schema. */
export function modelNames(root: string): string[] {
  const schema = fs.readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
  return [...schema.matchAll(/^model\s+(\w+)/gm)].map((m) => m[1]![0]!.toLowerCase() + m[1]!.slice(1));
}

const graphs = new Map<string, Map<string, string[]>>();
export function importGraph(root: string): Map<string, string[]> {
  if (!graphs.has(root)) graphs.set(root, new Map(sourceFiles(root, ['src', 'commands']).map((f) => [f, importsOf(root, f)])));
  return graphs.get(root)!;
}

/** The import cycles of the tree, each as its files sorted and joined by " ⇄ ". */
export function cycles(root: string): string[] {
  return cyclesOf(importGraph(root)).map((c) => c.join(' ⇄ '));
}

/** Imports from src/transports/ of the app, the store or the database. */
export function transportLeaks(root: string): string[] {
  return [...importGraph(root)]
    .filter(([f]) => f.startsWith('src/transports/'))
    .flatMap(([f, deps]) => deps.filter((d) => d === 'src/app.ts' || d.startsWith('src/store/') || d.startsWith('src/db/')).map((d) => `${f} → ${d}`));
}

/** Prisma queries outside src/store/ and src/db/. */
export function prismaLeaks(root: string): string[] {
  const models = modelNames(root);
  return [...importGraph(root).keys()].filter((f) => !f.startsWith('src/store/') && !f.startsWith('src/db/')).flatMap((f) => prismaCalls(root, f, models));
}

/**
 * Cycles that exist today inside the round pipeline, which its rework breaks (issue 17). Nothing may be added
 * here; an entry that no longer exists fails the test too, so that the list stays exactly what is left.
 */
const KNOWN_CYCLES: string[] = [];

describe('architecture', () => {
  it('has no import cycle between files', () => {
    const found = cycles(ROOT);
    expect(found.filter((c) => !KNOWN_CYCLES.includes(c)), 'new import cycles').toEqual([]);
    expect(KNOWN_CYCLES.filter((c) => !found.includes(c)), 'cycles gone: remove them from KNOWN_CYCLES').toEqual([]);
  });

  it('keeps src/transports/ platform-only', () => {
    expect(transportLeaks(ROOT)).toEqual([]);
  });

  it('speaks Prisma only in src/store/ and src/db/', () => {
    expect(prismaLeaks(ROOT)).toEqual([]);
  });

  it('finds each kind of violation in a tree that has them', () => {
    // a small repository with one of each: the checks above must be able to fail
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-arch-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    try {
      write('prisma/schema.prisma', 'model ChatGroup {\n  id Int @id\n}\n');
      write('src/a.ts', "import { b } from './b.ts';\nexport const a = () => b;\n");
      write('src/b.ts', "import type { a } from './a.ts';\nexport const b = 1;\n");
      write('src/c.ts', "export const c = async () => (await import('./c.ts')).c;\n");
      write('src/app.ts', 'export const app = 1;\n');
      write('src/store/groups.ts', 'export const groups = (prisma: any) => prisma.chatGroup.findMany();\n');
      write('src/transports/t.ts', "import { app } from '../app.ts';\nimport { groups } from '../store/groups.ts';\nexport const t = [app, groups];\n");
      write('commands/x.ts', 'export const x = (ctx: any) => ctx.prisma.chatGroup.count();\nexport const y = (db: any) => db.$transaction(async () => {});\nexport const z = (ctx: any) => ctx.prisma;\n');
      expect(cycles(root)).toEqual(['src/a.ts ⇄ src/b.ts', 'src/c.ts']);
      expect(transportLeaks(root)).toEqual(['src/transports/t.ts → src/app.ts', 'src/transports/t.ts → src/store/groups.ts']);
      expect(prismaLeaks(root)).toEqual(['commands/x.ts:1: export const x = (ctx: any) => ctx.prisma.chatGroup.count();', 'commands/x.ts:2: export const y = (db: any) => db.$transaction(async () => {});']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
