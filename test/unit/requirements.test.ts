import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { REQUIREMENTS } from '../requirements/index.js';

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && (e.name.endsWith('.test.ts') || e.name.endsWith('.contract.ts')))
    .map((e) => join(e.parentPath, e.name));
}

test('every requirement id is named by at least one test', async () => {
  const sources = await Promise.all((await testFiles('test')).map((f) => readFile(f, 'utf8')));
  const corpus = sources.join('\n');
  const uncovered = Object.keys(REQUIREMENTS).filter((id) => !corpus.includes(id));
  assert.deepEqual(uncovered, []);
  assert.ok(Object.keys(REQUIREMENTS).length > 0, 'the requirement list must not be empty');
});
