import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { REQUIREMENTS } from '../requirements/index.js';

/** The calls that name a test or a suite: `test`, `it`, `describe`, `suite`, and `t.test` for subtests. */
const NAMING_CALLS = new Set(['test', 'it', 'describe', 'suite']);

function isNamingCall(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return NAMING_CALLS.has(callee.text);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'test';
}

/**
 * The literal text of a name: a string, a template's text between its substitutions (each
 * substitution becomes a space, so no id is made up across one), or the parts of a `+` chain.
 */
function literalText(node: ts.Expression): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
  }
  if (ts.isParenthesizedExpression(node)) return literalText(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return `${literalText(node.left)} ${literalText(node.right)}`;
  }
  return '';
}

/** The names of every test and suite a source file declares, as far as they are written out. */
function testNamesOf(file: string, source: string): string[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false);
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    const [first] = ts.isCallExpression(node) ? node.arguments : [];
    if (ts.isCallExpression(node) && isNamingCall(node.expression) && first !== undefined) {
      names.push(literalText(first));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return names;
}

/** The requirement ids that appear in no test name, each as a whole word (`rbac:x` is not `rbac:x-y`). */
function uncovered(ids: readonly string[], names: readonly string[]): string[] {
  const words = new Set(names.flatMap((name) => name.split(/[^\w:-]+/)));
  return ids.filter((id) => !words.has(id));
}

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && (e.name.endsWith('.test.ts') || e.name.endsWith('.contract.ts')))
    .map((e) => join(e.parentPath, e.name));
}

test('every requirement id is named by at least one test', async () => {
  const files = await testFiles('test');
  const names = (await Promise.all(files.map(async (f) => testNamesOf(f, await readFile(f, 'utf8'))))).flat();
  assert.ok(names.length > 100, 'the scan found the test names');
  assert.ok(Object.keys(REQUIREMENTS).length > 0, 'the requirement list must not be empty');
  assert.deepEqual(uncovered(Object.keys(REQUIREMENTS), names), []);
});

test('only test and suite names count: not comments, assertion messages or other strings', () => {
  const source = `
    // rbac:in-comment is only mentioned here
    describe('rbac:in-describe a suite', () => {
      test(\`rbac:in-template with \${'a substitution'} inside\`, () => {
        assert.equal(1, 1, 'rbac:in-assertion is only a message');
        const label = 'rbac:in-variable';
        it('rbac:in-it ' + label, () => {});
      });
      test(label, () => {});
      t.test('rbac:in-subtest', () => {});
    });
    check('rbac:in-other-call');
  `;
  const names = testNamesOf('fixture.test.ts', source);
  const ids = [
    'rbac:in-comment',
    'rbac:in-describe',
    'rbac:in-template',
    'rbac:in-assertion',
    'rbac:in-variable',
    'rbac:in-it',
    'rbac:in-subtest',
    'rbac:in-other-call',
  ];
  assert.deepEqual(uncovered(ids, names), [
    'rbac:in-comment',
    'rbac:in-assertion',
    'rbac:in-variable',
    'rbac:in-other-call',
  ]);
});

test('an id counts whole, not as the start of a longer id', () => {
  const names = testNamesOf('fixture.test.ts', "test('rbac:delete-own-todos and more', () => {});");
  assert.deepEqual(uncovered(['rbac:delete-own', 'rbac:delete-own-todos'], names), ['rbac:delete-own']);
});
