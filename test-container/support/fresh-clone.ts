import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runOk } from './process.js';

/** The repository under test. */
const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/**
 * The environment for npm in a fresh clone: this process's, less every `npm_*` variable and
 * `INIT_CWD` that an outer `npm run` exported about itself and this checkout
 * (`npm_config_local_prefix`, `npm_package_json`…), which would point npm back here; npm reads its
 * configuration from its files again. Where Node's headers are installed beside node, node-gyp is
 * told to use them (`npm_config_nodedir`), as .ci/run does, instead of downloading them.
 */
export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && key.toLowerCase() !== 'npm_config_nodedir') continue;
    if (key === 'INIT_CWD') continue;
    env[key] = value;
  }
  const prefix = dirname(dirname(process.execPath));
  if (env.npm_config_nodedir === undefined && existsSync(join(prefix, 'include/node/node.h'))) {
    env.npm_config_nodedir = prefix;
  }
  return { ...env, ...extra };
}

/** Clones this repository's HEAD commit into a new temporary folder; returns the clone's path and commit. */
export async function cloneHead(label: string): Promise<{ dir: string; commit: string }> {
  const commit = (
    await runOk('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, timeoutMs: 10_000 })
  ).stdout.trim();
  const dir = join(await mkdtemp(join(tmpdir(), `todo-manager-${label}-`)), 'app');
  await runOk('git', ['clone', '--quiet', '--no-checkout', REPO_ROOT, dir], { timeoutMs: 60_000 });
  await runOk('git', ['checkout', '--quiet', '--detach', commit], { cwd: dir, timeoutMs: 60_000 });
  return { dir, commit };
}

/** Whether the checkout has changes that a clone of HEAD does not carry. */
export async function hasUncommittedChanges(): Promise<boolean> {
  const status = await runOk('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: REPO_ROOT,
    timeoutMs: 10_000,
  });
  return status.stdout.trim() !== '';
}
