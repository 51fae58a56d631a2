import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../../src/config.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { freePort } from '../support/start-server.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A child that outlives this is stuck (for instance, serving when it should have refused to start). */
const CHILD_TIMEOUT_MS = 20_000;

interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Only PATH and HOME reach the child, so the developer's own settings cannot leak in. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), ...extra };
}

function startCli(args: readonly string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const child = startCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function assertNoStackTrace(run: CliRun): void {
  assert.doesNotMatch(run.stderr, /^\s+at /m, `a clear message, not a stack trace:\n${run.stderr}`);
}

const flagOf = (key: string) => `--${key.toLowerCase().replaceAll('_', '-')}`;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-manager-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Two children at a time: each spends about a second loading modules, and CI machines have few cores.
describe('cli', { concurrency: 2 }, () => {
  test('--help lists the commands and exits 0', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0, run.stderr);
    for (const command of ['serve', 'migrate'])
      assert.match(run.stdout, new RegExp(`^\\s+${command}\\s`, 'm'));
  });

  test('serve --help lists a flag for every configuration variable and exits 0', async () => {
    const run = await runCli(['serve', '--help']);
    assert.equal(run.code, 0, run.stderr);
    const keys = Object.keys(configSchema.shape);
    assert.ok(keys.length > 0);
    for (const key of keys) {
      assert.match(
        run.stdout,
        new RegExp(`${flagOf(key)}\\b.*\\[${key}\\]`),
        `serve --help lists ${flagOf(key)}`,
      );
    }
    assert.match(run.stdout, /--help/);
  });

  test('migrate --help lists --database-url and exits 0', async () => {
    const run = await runCli(['migrate', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /--database-url/);
    assert.match(run.stdout, /--help/);
  });

  test('serve without AUTH_ISSUER runs the embedded authorization server and shows the first accounts once', async () => {
    const port = await freePort();
    const env = { PORT: String(port), DATABASE_URL: join(dir, 'embedded.db') };
    const serveOnce = async () => {
      const child = startCli(['serve'], env);
      let stdout = '';
      child.stderr.resume();
      const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            stdout += chunk;
            if (stdout.includes('"listening"')) resolve();
          });
          void exited.then(() => reject(new Error(`serve exited early:\n${stdout}`)));
        });
        const discovery = await fetch(`http://localhost:${port}/.well-known/oauth-authorization-server`);
        assert.equal(((await discovery.json()) as { issuer: string }).issuer, `http://localhost:${port}`);
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0);
      clearTimeout(timer);
      return stdout;
    };
    const first = await serveOnce();
    assert.match(first, /First start/);
    assert.match(first, /^\s+admin\s+role admin\s+password \S{20}$/m);
    assert.match(first, /^\s+user\s+role user\s+password \S{20}$/m);
    const second = await serveOnce();
    assert.doesNotMatch(second, /First start|password/, 'passwords are shown only on the first start');
  });

  test('serve lists every configuration problem at once; a flag overrides its variable', async () => {
    const run = await runCli(
      [
        'serve',
        '--port',
        '0',
        '--public-url',
        'http://todos.example.com',
        '--database-url',
        join(dir, 'x.db'),
      ],
      { PORT: 'not-a-port', LOG_LEVEL: 'loud' },
    );
    assert.notEqual(run.code, 0);
    assert.equal(run.signal, null, 'the process exited by itself');
    for (const variable of ['PUBLIC_URL', 'LOG_LEVEL']) {
      assert.match(run.stderr, new RegExp(variable), `the message names ${variable}`);
    }
    assert.doesNotMatch(run.stderr, /PORT must/, '--port 0 wins over PORT=not-a-port');
    assertNoStackTrace(run);
  });

  test('an unknown command exits 1 and shows the usage', async () => {
    const run = await runCli(['frobnicate']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /frobnicate/);
    assert.match(run.stderr, /serve/);
    assertNoStackTrace(run);
  });

  test('an unknown flag fails with a message naming it', async () => {
    const run = await runCli(['serve', '--no-such-flag', 'x']);
    assert.notEqual(run.code, 0);
    assert.equal(run.signal, null);
    assert.match(run.stderr, /--no-such-flag/);
    assertNoStackTrace(run);
  });

  test('migrate applies every migration, then reports the database up to date', async () => {
    const databaseUrl = join(dir, 'migrate', 'todos.db');
    const first = await runCli(['migrate', '--database-url', databaseUrl]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, `Applied migrations: ${MIGRATIONS.map((m) => m.version).join(', ')}\n`);
    assert.ok(existsSync(databaseUrl), 'the database file was created');
    const second = await runCli(['migrate', '--database-url', databaseUrl]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, 'The database is up to date.\n');
  });

  describe('serve with an issuer', () => {
    let issuer: TestIssuer;
    before(async () => {
      issuer = await startTestIssuer();
    });
    after(async () => {
      await issuer.close();
    });

    test('starts, answers, logs JSON lines without tokens, and exits 0 on SIGTERM', async () => {
      const port = await freePort();
      issuer.audience = `http://localhost:${port}/mcp`;
      const child = startCli(['serve'], {
        AUTH_ISSUER: issuer.issuer,
        PORT: String(port),
        DATABASE_URL: join(dir, 'serve.db'),
        LOG_LEVEL: 'debug',
      });
      let stdout = '';
      let stderr = '';
      const tokens: string[] = [];
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('close', (code, signal) => resolve({ code, signal })),
      );
      const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            stdout += chunk;
            if (stdout.includes('"listening"')) resolve();
          });
          void exited.then(() => reject(new Error(`serve exited early:\n${stdout}\n${stderr}`)));
        });
        const valid = await issuer.sign({ claims: { sub: 'cli-user', scope: 'create:todos' } });
        const rogue = await issuer.sign({ rogue: true });
        tokens.push(valid, rogue);
        const mcp = `http://localhost:${port}/mcp`;
        const call = (token: string) =>
          fetch(mcp, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json, text/event-stream',
              'content-type': 'application/json',
              'mcp-protocol-version': '2025-11-25',
            },
            body: JSON.stringify({
              jsonrpc: '2.0',
              id: 1,
              method: 'tools/call',
              params: { name: 'whoami', arguments: {} },
            }),
          });
        const ok = await call(valid);
        assert.equal(ok.status, 200);
        assert.match(await ok.text(), /cli-user/);
        const refused = await call(rogue);
        assert.equal(refused.status, 401);
        await refused.arrayBuffer();
      } finally {
        child.kill('SIGTERM');
      }
      const { code, signal } = await exited;
      clearTimeout(timer);
      assert.equal(signal, null, 'the server stopped by itself after SIGTERM');
      assert.equal(code, 0, stderr);
      const lines = stdout.trim().split('\n');
      for (const line of lines) {
        const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
        assert.equal(typeof entry.level, 'string');
        assert.equal(typeof entry.msg, 'string');
      }
      assert.ok(
        lines.some((line) => line.includes('"status":401')),
        'requests are logged',
      );
      for (const output of [stdout, stderr]) {
        assert.doesNotMatch(output, /eyJ[A-Za-z0-9_-]{10,}/, 'no JWT appears in the output');
        for (const token of tokens) {
          for (const part of token.split('.')) assert.ok(!output.includes(part), 'no token part is logged');
        }
      }
    });
  });
});
