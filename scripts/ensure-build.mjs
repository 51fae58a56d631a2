#!/usr/bin/env node
// Makes sure dist/ holds a build of src/ before `npm start` or `npm run cli` runs it with plain
// node: builds when it is missing or older than a source file and TypeScript is installed;
// otherwise says what to do. Runs first in `npm start` and `npm run cli`, and as `prepare` after install,
// where `--if-possible` lets an install without dev dependencies finish.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const entry = join(root, 'dist/src/cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const isBuilt = existsSync(entry);
if (isBuilt && !existsSync(join(root, 'src'))) process.exit(0);
if (isBuilt && statSync(entry).mtimeMs >= newestSource(join(root, 'src'))) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (isBuilt) process.exit(0); // An install without dev dependencies runs the build it has.
  process.stderr.write('dist/ has no build, and TypeScript is not installed to make one.\n');
  process.stderr.write('Install with dev dependencies and build: npm ci && npm run build\n');
  process.exit(process.argv.includes('--if-possible') ? 0 : 1);
}
const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
process.exit(build.status ?? 1);
