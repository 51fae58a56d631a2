import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The layer table of ARCHITECTURE.md §1, made executable. Every source file belongs to the first
 * rule whose `files` pattern matches it and may import only the modules of the layers it names.
 * A file that no rule matches fails the test: a new folder needs a row here first.
 */
interface LayerRule {
  readonly layer: string;
  readonly files: RegExp;
  /** Layers (by name) this layer may import, besides itself. `'*'` means every layer. */
  readonly mayImport: readonly string[] | '*';
  /** `builtins`: only `node:` modules; `packages`: npm packages too; `none`: no import at all. */
  readonly external: 'none' | 'builtins' | 'packages';
}

const RULES: readonly LayerRule[] = [
  // A leaf every layer may use: the one error model.
  { layer: 'errors', files: /^errors\.ts$/, mayImport: [], external: 'none' },
  { layer: 'log', files: /^log\.ts$/, mayImport: [], external: 'builtins' },
  // Web primitives every HTTP edge shares: bounded bodies, JSON answers, loopback names.
  { layer: 'web', files: /^web\//, mayImport: ['errors'], external: 'builtins' },
  { layer: 'todos', files: /^todos\//, mayImport: ['errors'], external: 'builtins' },
  { layer: 'auth', files: /^auth\//, mayImport: ['todos', 'errors'], external: 'packages' },
  {
    layer: 'mcp',
    files: /^mcp\//,
    mayImport: ['todos', 'auth', 'web', 'errors', 'log'],
    external: 'packages',
  },
  {
    layer: 'http',
    files: /^http\//,
    mayImport: ['mcp', 'auth', 'web', 'errors', 'log'],
    external: 'packages',
  },
  { layer: 'storage', files: /^storage\//, mayImport: ['todos', 'errors'], external: 'packages' },
  // The embedded authorization server keeps its own tables in storage.
  {
    layer: 'authorization-server',
    files: /^authorization-server\//,
    mayImport: ['storage', 'todos', 'web', 'errors', 'log'],
    external: 'packages',
  },
  { layer: 'config', files: /^config\//, mayImport: ['log', 'web'], external: 'packages' },
  // The composition root and the command line wire everything together.
  { layer: 'app', files: /^app\.ts$|^app\//, mayImport: '*', external: 'packages' },
  { layer: 'cli', files: /^cli\.ts$/, mayImport: '*', external: 'packages' },
  // One file per command: they may use every layer as the entry does, but reach the process only
  // through the I/O the entry hands them.
  { layer: 'cli commands', files: /^cli\//, mayImport: '*', external: 'packages' },
];

/** Only the CLI's entry touches the process: arguments, environment, exit, signals and the console. */
const PROCESS_OWNER = 'cli.ts';
const PROCESS_MEMBERS = new Set([
  'env',
  'argv',
  'exit',
  'exitCode',
  'stdout',
  'stderr',
  'stdin',
  'on',
  'once',
]);

const SRC = resolve(fileURLToPath(new URL('../../src/', import.meta.url)));
const BUILTINS = new Set(builtinModules);

function ruleFor(file: string): LayerRule | undefined {
  return RULES.find((rule) => rule.files.test(file));
}

async function sourceFiles(): Promise<string[]> {
  const entries = await readdir(SRC, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(SRC, join(e.parentPath, e.name)).replaceAll('\\', '/'))
    .sort();
}

/** Every module specifier: static imports and re-exports, dynamic `import()`, `require()`. */
function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** What a specifier names: a layer (for relative imports), a builtin, or a package. */
function classify(
  file: string,
  specifier: string,
): { kind: 'layer'; layer: string; target: string } | { kind: 'builtin' | 'package' } {
  if (specifier.startsWith('.')) {
    const target = relative(SRC, resolve(SRC, dirname(file), specifier))
      .replaceAll('\\', '/')
      .replace(/\.js$/, '.ts');
    return { kind: 'layer', layer: ruleFor(target)?.layer ?? `outside src (${target})`, target };
  }
  if (specifier.startsWith('node:') || BUILTINS.has(specifier)) return { kind: 'builtin' };
  return { kind: 'package' };
}

function importViolations(file: string, source: string): string[] {
  const rule = ruleFor(file);
  if (rule === undefined) return [`src/${file}: no layer rule covers this file; add one to RULES`];
  const problems: string[] = [];
  for (const specifier of importsOf(source)) {
    const target = classify(file, specifier);
    const where = `src/${file} (${rule.layer}) imports '${specifier}'`;
    switch (target.kind) {
      case 'layer':
        if (target.layer === rule.layer || rule.mayImport === '*') break;
        if (!rule.mayImport.includes(target.layer)) {
          problems.push(
            `${where}: layer ${target.layer} is not allowed; ${rule.layer} may import only ${
              rule.mayImport.length ? rule.mayImport.join(', ') : 'nothing'
            }`,
          );
        }
        break;
      case 'builtin':
        if (rule.external === 'none') problems.push(`${where}: ${rule.layer} may import nothing`);
        break;
      case 'package':
        if (rule.external !== 'packages')
          problems.push(`${where}: ${rule.layer} may not import npm packages`);
        break;
    }
  }
  return problems;
}

/** `process.env`, `process['argv']`, `const { exit } = process`, `import … from 'node:process'`, `console`. */
function processViolations(file: string, source: string): string[] {
  if (file === PROCESS_OWNER) return [];
  const problems: string[] = [];
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const report = (node: ts.Node, what: string) => {
    const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart());
    problems.push(`src/${file}:${line + 1} uses ${what}; only src/${PROCESS_OWNER} may`);
  };
  const isProcess = (node: ts.Node) => ts.isIdentifier(node) && node.text === 'process';
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && isProcess(node.expression)) {
      if (PROCESS_MEMBERS.has(node.name.text)) report(node, `process.${node.name.text}`);
    } else if (
      ts.isElementAccessExpression(node) &&
      isProcess(node.expression) &&
      (!ts.isStringLiteral(node.argumentExpression) || PROCESS_MEMBERS.has(node.argumentExpression.text))
    ) {
      report(node, `process[${node.argumentExpression.getText(sourceFile)}]`);
    } else if (ts.isVariableDeclaration(node) && node.initializer && isProcess(node.initializer)) {
      report(node, 'a destructured process');
    } else if (ts.isIdentifier(node) && node.text === 'console') {
      report(node, 'console');
    } else if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      ['process', 'node:process'].includes(node.moduleSpecifier.text)
    ) {
      report(node, `'${node.moduleSpecifier.text}'`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return problems;
}

async function violations(check: (file: string, source: string) => string[]): Promise<string[]> {
  const files = await sourceFiles();
  assert.ok(files.length > 10, 'the scan found the source files');
  const results = await Promise.all(
    files.map(async (file) => check(file, await readFile(join(SRC, file), 'utf8'))),
  );
  return results.flat();
}

test('every source file imports only what its layer allows (ARCHITECTURE.md §1)', async () => {
  assert.deepEqual(await violations(importViolations), []);
});

test('only src/cli.ts reads process.env or argv, exits, handles signals, or writes to the console', async () => {
  assert.deepEqual(await violations(processViolations), []);
});

test('the checks catch what they are meant to', () => {
  assert.deepEqual(importViolations('todos/todo.ts', "import { x } from '../errors.js';"), []);
  assert.match(
    importViolations('todos/todo.ts', "import type { Principal } from '../auth/principal.js';").join(),
    /src\/todos\/todo\.ts \(todos\) imports '\.\.\/auth\/principal\.js'/,
  );
  assert.equal(importViolations('todos/todo.ts', "import * as z from 'zod';").length, 1);
  assert.equal(importViolations('errors.ts', "import { x } from 'node:util';").length, 1);
  assert.equal(importViolations('auth/x.ts', "export { y } from '../mcp/tool-result.js';").length, 1);
  assert.equal(importViolations('storage/x.ts', "const m = await import('../http/metrics.js');").length, 1);
  assert.equal(
    importViolations('http/x.ts', "import { isLoopbackHost } from '../web/loopback.js';").length,
    0,
  );
  assert.equal(
    importViolations('http/x.ts', "import { loadConfig } from '../config/load-config.js';").length,
    1,
  );
  assert.equal(importViolations('mcp/x.ts', "import { a } from '../app.js';").length, 1);
  assert.equal(importViolations('new-folder/x.ts', '').length, 1);
  assert.equal(processViolations('log.ts', 'const a = process.env.X;').length, 1);
  assert.equal(processViolations('log.ts', "const a = process['argv'];").length, 1);
  assert.equal(processViolations('log.ts', 'const { exit } = process;').length, 1);
  assert.equal(processViolations('log.ts', 'console.log(1);').length, 1);
  assert.equal(processViolations('log.ts', "import { env } from 'node:process';").length, 1);
  assert.equal(processViolations('log.ts', '// process.exit() is for the cli\nconst a = 1;').length, 0);
  assert.equal(processViolations('cli.ts', 'process.exit(1);').length, 0);
  assert.equal(processViolations('cli/users.ts', 'const a = process.env.X;').length, 1);
  assert.equal(processViolations('cli/serve.ts', "process.on('SIGTERM', stop);").length, 1);
  assert.equal(processViolations('cli/run.ts', 'process.exitCode = 2;').length, 1);
  assert.equal(
    importViolations('cli/serve.ts', "const { createApp } = await import('../app.js');").length,
    0,
  );
});

/**
 * Packages that only some deployments use, each costing megabytes of memory once imported: the
 * embedded authorization server's, each database's driver, and the shared rate limit's client.
 */
const ON_DEMAND_PACKAGES = new Set(['oidc-provider', 'pg', 'redis', 'better-sqlite3']);
const ENTRY_POINTS = ['cli.ts', 'app.ts'];

/**
 * The specifiers a module loads as soon as it is evaluated: every `import` and `export … from`
 * except `import type`/`export type`. Under `verbatimModuleSyntax`, `import { type X }` still loads
 * its module, so it counts. `import()` does not: it loads when it runs.
 */
function staticImportsOf(file: string, source: string): string[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isExportDeclaration(statement) &&
      !statement.isTypeOnly &&
      statement.moduleSpecifier !== undefined
    ) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

/** The on-demand packages each entry point loads at startup, through its chain of static imports. */
function eagerlyLoaded(sources: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: readonly string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = sources.get(file);
    if (source === undefined) return;
    for (const specifier of staticImportsOf(file, source)) {
      const target = classify(file, specifier);
      if (target.kind === 'layer') visit(target.target, [...chain, target.target]);
      else if (ON_DEMAND_PACKAGES.has(specifier)) {
        problems.push(`${[...chain].join(' -> ')} imports '${specifier}' statically`);
      }
    }
  };
  for (const entry of ENTRY_POINTS) visit(entry, [entry]);
  return problems;
}

test('the server loads the authorization server, database drivers and Redis client only on demand', async () => {
  const files = await sourceFiles();
  const sources = new Map(
    await Promise.all(files.map(async (file) => [file, await readFile(join(SRC, file), 'utf8')] as const)),
  );
  assert.ok(
    ENTRY_POINTS.every((entry) => sources.has(entry)),
    'the entry points exist',
  );
  assert.deepEqual(eagerlyLoaded(sources), []);
});

test('the on-demand check follows static imports and lets import() and type imports pass', () => {
  const check = (files: Record<string, string>) => eagerlyLoaded(new Map(Object.entries(files)));
  const base = { 'cli.ts': "import { createApp } from './app.js';" };
  assert.deepEqual(
    check({
      ...base,
      'app.ts': "import { x } from './storage/a.js';",
      'storage/a.ts': "import pg from 'pg';",
    }),
    ["cli.ts -> app.ts -> storage/a.ts imports 'pg' statically"],
  );
  assert.equal(check({ ...base, 'app.ts': "export { Provider } from 'oidc-provider';" }).length, 1);
  assert.equal(check({ ...base, 'app.ts': "import { type Pool } from 'pg';" }).length, 1);
  assert.deepEqual(check({ ...base, 'app.ts': "import type { Pool } from 'pg';" }), []);
  assert.deepEqual(check({ ...base, 'app.ts': "const { createClient } = await import('redis');" }), []);
});

const MAX_FILE_LINES = 200;
const MAX_FUNCTION_LINES = 60;

/** Files over the line limit and functions (with their nested closures) over theirs. */
function sizeViolations(file: string, source: string): string[] {
  const problems: string[] = [];
  const lines = source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE_LINES) problems.push(`src/${file} has ${lines} lines (at most ${MAX_FILE_LINES})`);
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const line = (at: number) => sourceFile.getLineAndCharacterOfPosition(at).line;
      const length = line(node.getEnd()) - line(node.getStart()) + 1;
      if (length > MAX_FUNCTION_LINES) {
        problems.push(
          `src/${file}:${line(node.getStart()) + 1} a function of ${length} lines (at most ${MAX_FUNCTION_LINES})`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return problems;
}

test('no source file is over 200 lines and no function over 60: long pipelines become named steps', async () => {
  assert.deepEqual(await violations(sizeViolations), []);
});

test('the size check counts what it should', () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  const a${i} = ${i};`).join('\n');
  assert.deepEqual(sizeViolations('x.ts', `function f() {\n${body(58)}\n}\n`), []);
  assert.equal(sizeViolations('x.ts', `function f() {\n${body(59)}\n}\n`).length, 1);
  assert.equal(sizeViolations('x.ts', `const f = () => {\n${body(59)}\n};\n`).length, 1);
  assert.equal(sizeViolations('x.ts', `${body(201)}\n`).length, 1);
});
