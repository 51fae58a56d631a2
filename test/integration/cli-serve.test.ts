import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { cli, serve } from '../support/cli-io.js';
import { useTempDir } from '../support/temp-dir.js';

const inTemp = useTempDir('todo-manager-cli-serve-');

// `serve` run in this process with fake I/O, on a real port; the real entry in its own process is
// in cli-process.test.ts.
describe('cli serve', () => {
  test('serve without AUTH_ISSUER runs the embedded authorization server and shows the first accounts once', async () => {
    const env = { PORT: '0', DATABASE_URL: inTemp('embedded.db') };
    const serveOnce = async () => {
      const server = serve(env);
      try {
        await server.listening;
        const origin = `http://localhost:${server.port()}`;
        const discovery = await fetch(`${origin}/.well-known/oauth-authorization-server`);
        assert.equal(((await discovery.json()) as { issuer: string }).issuer, origin);
      } finally {
        server.stop('SIGTERM');
      }
      assert.equal(await server.exited, 0);
      return { stdout: server.stdout(), stderr: server.stderr() };
    };
    const first = await serveOnce();
    assert.match(first.stderr, /First start/);
    assert.match(first.stderr, /^\s+admin\s+role admin\s+password \S{20}$/m);
    assert.match(first.stderr, /^\s+user\s+role user\s+password \S{20}$/m);
    assert.doesNotMatch(first.stdout, /password/, 'the passwords never reach the log on stdout');
    for (const line of first.stdout.trimEnd().split('\n')) JSON.parse(line);
    const second = await serveOnce();
    assert.doesNotMatch(
      second.stderr + second.stdout,
      /First start|password/,
      'passwords are shown only on the first start',
    );
    assert.match(second.stdout, /"msg":"shutting down","signal":"SIGTERM"/);
  });

  test('a start on a port in use fails plainly and creates nothing; the next start shows both accounts', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const databaseUrl = inTemp('first-start.db');
    try {
      const refused = await cli(['serve'], { env: { PORT: String(port), DATABASE_URL: databaseUrl } });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`^Error: 127\\.0\\.0\\.1:${port} is already in use`));
      assert.doesNotMatch(refused.stderr + refused.stdout, /password/);
      assert.equal(existsSync(databaseUrl), false, 'no database, so no accounts whose passwords nobody saw');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    const server = serve({ PORT: '0', DATABASE_URL: databaseUrl });
    await server.listening;
    server.stop('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.match(server.stderr(), /^\s+admin\s+role admin\s+password \S{20}$/m);
    assert.match(server.stderr(), /^\s+user\s+role user\s+password \S{20}$/m);
  });

  test('an external issuer that cannot be reached is a warning at start, with its cause', async () => {
    const wrong = createHttpServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => wrong.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(wrong.address() as AddressInfo).port}`;
    const server = serve({ PORT: '0', DATABASE_URL: inTemp('unreachable.db'), AUTH_ISSUER: issuer });
    await server.listening;
    const warning = await until(() =>
      server
        .stdout()
        .split('\n')
        .find((line) => line.includes('the authorization server cannot be reached')),
    );
    server.stop('SIGTERM');
    assert.equal(await server.exited, 0);
    await new Promise((resolve) => wrong.close(resolve));
    const entry = JSON.parse(warning) as { level: string; err: { cause: { message: string } } };
    assert.equal(entry.level, 'warn');
    assert.match(entry.err.cause.message, /oauth-authorization-server: HTTP 404/);
  });

  test('a misspelt variable is logged as a JSON warning naming the likely setting', async () => {
    const server = serve({ PORT: '0', DATABASE_URL: inTemp('spelling.db'), LOG_LEVL: 'debug' });
    await server.listening;
    server.stop('SIGTERM');
    assert.equal(await server.exited, 0);
    const warning = server
      .stdout()
      .split('\n')
      .find((line) => line.includes('LOG_LEVL'));
    assert.deepEqual(JSON.parse(warning ?? '{}'), {
      ...JSON.parse(warning ?? '{}'),
      level: 'warn',
      msg: 'LOG_LEVL is not a setting; did you mean LOG_LEVEL?',
      variable: 'LOG_LEVL',
      setting: 'LOG_LEVEL',
    });
  });

  test('serve gives up waiting for the shutdown at a second signal: exit 1', async () => {
    const server = serve({ PORT: '0', DATABASE_URL: inTemp('impatient.db') });
    await server.listening;
    server.stop('SIGINT');
    server.stop('SIGINT');
    assert.equal(await server.exited, 1);
  });
});

/** Resolves with `probe`'s first defined answer, checked every 10 ms (the condition, not a fixed wait). */
async function until<T>(probe: () => T | undefined): Promise<T> {
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
