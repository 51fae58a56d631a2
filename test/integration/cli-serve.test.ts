import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serve } from '../support/cli-io.js';
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

  test('serve gives up waiting for the shutdown at a second signal: exit 1', async () => {
    const server = serve({ PORT: '0', DATABASE_URL: inTemp('impatient.db') });
    await server.listening;
    server.stop('SIGINT');
    server.stop('SIGINT');
    assert.equal(await server.exited, 1);
  });
});
