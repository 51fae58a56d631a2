import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ATTEMPTS,
  inspectorCli,
  type Measured,
  mcpRemote,
  pythonSdk,
  type Stage,
  sdkV2Reauthorize,
} from '../support/consent-harness.js';
import { type CountingProxy, startCountingProxy } from '../support/counting-proxy.js';
import { connectWithOAuth } from '../support/oauth-client.js';
import { type RunningServer, startServer } from '../support/start-server.js';

// Plain hooks and startServer only: the same file measures an older commit for comparison.
let stage: Stage;
let proxy: CountingProxy;
let server: RunningServer;
let home = '';

before(async () => {
  proxy = await startCountingProxy();
  server = await startServer(undefined, { PUBLIC_URL: proxy.origin });
  proxy.setTarget(server.app.address.port);
  home = await mkdtemp(join(tmpdir(), 'consent-harness-'));
  const admin = server.accounts.find((a) => a.user.username === 'admin');
  stage = { server, proxy, ownerId: admin?.user.id ?? '', home };
});
after(async () => {
  await server?.close();
  await proxy?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

/**
 * A person whose role can never hold read:todos asks each client, three times, for another
 * owner's todos. Re-authorizing cannot help, so the server must not send them to sign-in or
 * consent pages again (no 403 to step up on), and what the client shows must name the scope.
 */
function expectNoLoop(measured: Measured): void {
  assert.ok(measured.consentPages <= 1, `at most one extra consent page, got ${measured.consentPages}`);
  assert.equal(measured.consentPages, 0, 'no consent page at all: the refusal is a tool error');
  assert.equal(measured.signInPages, 0);
  assert.equal(measured.forbidden, 0, 'no 403 to step up on');
  assert.match(measured.message, /insufficient_scope/);
  assert.match(measured.message, /read:todos/);
}

test('client:no-consent-loop the proxy counts what a sign-in shows: one sign-in page, one consent page, one 401', async () => {
  proxy.reset();
  const { client } = await connectWithOAuth(server.mcpUrl, 'user', server.password('user'));
  await client.close();
  const counts = proxy.counts();
  assert.deepEqual(
    { signInPages: counts.signInPages, consentPages: counts.consentPages, forbidden: counts.forbidden },
    { signInPages: 1, consentPages: 1, forbidden: 0 },
  );
  assert.ok(counts.unauthorized >= 1, 'the first request met the challenge');
});

describe(`a user asks ${ATTEMPTS} times for another owner's todos`, { timeout: 120_000 }, () => {
  const clients: [string, (stage: Stage) => Promise<Measured>][] = [
    ['the SDK v2 client (onInsufficientScope: reauthorize)', sdkV2Reauthorize],
    ['mcp-remote', mcpRemote],
    ['the Python SDK', pythonSdk],
    ['the Inspector CLI', inspectorCli],
  ];
  for (const [name, measure] of clients) {
    test(`client:no-consent-loop ${name} shows no consent page and gets no 403, only a refusal naming the scope`, async (t) => {
      const measured = await measure(stage);
      t.diagnostic(`measured ${JSON.stringify(measured)}`);
      expectNoLoop(measured);
    });
  }
});
