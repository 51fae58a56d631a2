import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUserDirectory } from '../../src/authorization-server/users.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { runCli } from '../support/cli.js';
import { startServerProcess } from '../support/server-process.js';
import { useTempDir } from '../support/temp-dir.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';

/** A child that outlives this is stuck (for instance, ignoring SIGTERM). */
const CHILD_TIMEOUT_MS = 20_000;

const inTemp = useTempDir('todo-manager-cli-process-');

// The real entry, src/cli.ts, in its own process: what it does with argv, stdin, signals and the
// exit status. What the commands print and return is tested in-process, in test/unit/cli.test.ts
// (serve, which binds a port, in cli-serve.test.ts).
describe('cli process', { concurrency: 2 }, () => {
  test('--help lists the commands and exits 0; an unknown option exits 2', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0, run.stderr);
    for (const command of ['serve', 'migrate'])
      assert.match(run.stdout, new RegExp(`^\\s+${command}\\s`, 'm'));
    const refused = await runCli(['migrate', '--no-such-flag']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--no-such-flag/);
  });

  test('users add --password-stdin reads the password from the piped standard input', async () => {
    const databaseUrl = inTemp('users.db');
    assert.equal((await runCli(['migrate', '--database-url', databaseUrl])).code, 0);
    const run = await runCli(
      ['users', 'add', 'carol', '--role', 'user', '--password-stdin', '--database-url', databaseUrl],
      { stdin: 'carol-password-1\n' },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Added carol (user).\n');
    const storage = await openStorage(databaseUrl);
    try {
      const user = await createUserDirectory(storage.auth).authenticate('carol', 'carol-password-1');
      assert.equal(user?.role, 'user');
    } finally {
      await storage.close();
    }
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
      issuer.audience = 'http://localhost/mcp';
      const server = await startServerProcess({
        AUTH_ISSUER: issuer.issuer,
        PORT: '0',
        PUBLIC_URL: 'http://localhost',
        DATABASE_URL: inTemp('serve.db'),
        LOG_LEVEL: 'debug',
      });
      const tokens: string[] = [];
      setTimeout(() => server.child.kill('SIGKILL'), CHILD_TIMEOUT_MS).unref();
      let stopped: Promise<number | string | null> | undefined;
      try {
        const valid = await issuer.sign({ claims: { sub: 'cli-user', scope: 'create:todos' } });
        const rogue = await issuer.sign({ rogue: true });
        tokens.push(valid, rogue);
        const call = (token: string) =>
          fetch(`http://localhost:${server.port}/mcp`, {
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
        stopped = server.stop('SIGTERM');
      }
      // 0, not the name of a signal: the server stopped by itself after SIGTERM.
      assert.equal(await stopped, 0, server.errorOutput());
      const lines = server.output().trim().split('\n');
      for (const line of lines) {
        const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
        assert.equal(typeof entry.level, 'string');
        assert.equal(typeof entry.msg, 'string');
      }
      assert.ok(
        lines.some((line) => line.includes('"status":401')),
        'requests are logged',
      );
      for (const output of [server.output(), server.errorOutput()]) {
        assert.doesNotMatch(output, /eyJ[A-Za-z0-9_-]{10,}/, 'no JWT appears in the output');
        for (const token of tokens) {
          for (const part of token.split('.')) assert.ok(!output.includes(part), 'no token part is logged');
        }
      }
    });
  });
});
