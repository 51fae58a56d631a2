import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { collectOutput } from '../test/support/child-output.js';
import { connectWithOAuth } from '../test/support/oauth-client.js';
import { callRaw, expectSuccess } from '../test/support/tool-result.js';
import { cloneHead, hasUncommittedChanges, npmEnv } from './support/fresh-clone.js';
import {
  freePort,
  healthStatus,
  isListening,
  run,
  runOk,
  seconds,
  tail,
  waitFor,
} from './support/process.js';

// What docs/deployment.md tells an operator to do, from a fresh clone of this commit: install with
// the dev dependencies (which builds), prune them, migrate, add an admin, `npm start`, sign in,
// stop with SIGTERM. And the mistake to catch early: installing without dev dependencies. The two
// run one after the other: each compiles better-sqlite3, and side by side on two cores both take
// longer than in turn.

const NPM_CI_TIMEOUT_MS = 10 * 60_000;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 40_000;
const clones: string[] = [];

after(async () => {
  for (const dir of clones) await rm(dirname(dir), { recursive: true, force: true });
});

/** `npm start` in `cwd`, with its output collected and its exit awaited. */
function npmStart(cwd: string, env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn('npm', ['start'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collectOutput(child);
  return {
    child,
    exited: output.exited,
    output: () => ({ stdout: output.stdout(), stderr: output.stderr() }),
  };
}

/** Resolves with `promise`'s value, or rejects once `ms` have passed. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('production path from a fresh clone', { timeout: 30 * 60_000 }, () => {
  test('npm ci, prune, migrate, users add, npm start; SIGTERM to npm exits 0', async (t) => {
    if (await hasUncommittedChanges()) t.diagnostic('the checkout has uncommitted changes: this tests HEAD');
    const { dir, commit } = await cloneHead('production');
    clones.push(dir);
    t.diagnostic(`clone of ${commit.slice(0, 12)} in ${dir}`);
    const env = npmEnv();
    const options = { cwd: dir, env, timeoutMs: NPM_CI_TIMEOUT_MS };

    const install = await runOk('npm', ['ci', '--no-audit', '--no-fund'], options);
    t.diagnostic(`npm ci (with the build its prepare script runs): ${seconds(install.ms)}`);
    assert.ok(existsSync(join(dir, 'dist/src/cli.js')), 'npm ci built dist/');
    const prune = await runOk('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], options);
    t.diagnostic(`npm prune --omit=dev: ${seconds(prune.ms)}`);
    assert.equal(existsSync(join(dir, 'node_modules/typescript')), false, 'dev dependencies are gone');

    const databaseUrl = join(dirname(dir), 'todo-manager.db');
    const cli = (args: string[], input?: string) =>
      runOk(process.execPath, ['dist/src/cli.js', ...args, '--database-url', databaseUrl], {
        cwd: dir,
        env,
        timeoutMs: 60_000,
        ...(input === undefined ? {} : { input }),
      });
    assert.match((await cli(['migrate'])).stdout, /^Applied migrations: /);
    const password = 'boss-password-for-the-production-test';
    const added = await cli(['users', 'add', 'boss', '--role', 'admin', '--password-stdin'], `${password}\n`);
    assert.equal(added.stdout, 'Added boss (admin).\n');

    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const started = performance.now();
    const server = npmStart(dir, npmEnv({ PORT: String(port), DATABASE_URL: databaseUrl }));
    try {
      await waitFor('npm start to serve', START_TIMEOUT_MS, async () => {
        if (server.child.exitCode !== null) throw new Error(`npm start exited:\n${tail(server.output())}`);
        if ((await healthStatus(origin)) !== 200) return undefined;
        return server.output().stdout.includes('"msg":"listening"') ? true : undefined;
      });
      t.diagnostic(`npm start to healthy: ${seconds(performance.now() - started)}`);
      assert.doesNotMatch(server.output().stderr, /First start/, 'an account existed, so none was created');

      const { client } = await connectWithOAuth(`${origin}/mcp`, 'boss', password);
      try {
        const whoami = expectSuccess(await callRaw(client, 'whoami'));
        assert.deepEqual(whoami.scopes, ['create:todos', 'read:todos', 'delete:todos']);
        expectSuccess(await callRaw(client, 'create-todo', { content: 'deployed from a fresh clone' }));
      } finally {
        await client.close();
      }
    } finally {
      // SIGTERM to npm itself, as a supervisor that knows only npm's pid sends it.
      server.child.kill('SIGTERM');
    }
    const code = await within(STOP_TIMEOUT_MS, 'npm start to stop', server.exited);
    assert.equal(code, 0, tail(server.output()));
    assert.match(server.output().stdout, /"msg":"shutting down","signal":"SIGTERM"/);
    assert.equal(await isListening(port), false, 'nothing listens on the port any more');
  });

  test('npm ci --omit=dev without a build: npm start fails and says to build with dev dependencies', async (t) => {
    const { dir } = await cloneHead('omit-dev');
    clones.push(dir);
    const env = npmEnv();
    const install = await runOk('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
      cwd: dir,
      env,
      timeoutMs: NPM_CI_TIMEOUT_MS,
    });
    t.diagnostic(`npm ci --omit=dev: ${seconds(install.ms)}`);
    assert.equal(existsSync(join(dir, 'dist/src/cli.js')), false, 'nothing was built');

    const port = await freePort();
    const start = await run('npm', ['start'], {
      cwd: dir,
      env: npmEnv({ PORT: String(port), DATABASE_URL: join(dirname(dir), 'todo-manager.db') }),
      timeoutMs: 60_000,
    });
    assert.notEqual(start.code, 0);
    assert.match(start.stderr, /dist\/ has no build, and TypeScript is not installed/);
    assert.match(start.stderr, /npm ci && npm run build/);
    assert.equal(await isListening(port), false);
  });
});
