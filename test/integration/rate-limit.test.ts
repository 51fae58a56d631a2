import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { postMcp, toolCallBody } from '../support/auth-http.js';
import { type RunningServer, startServer } from '../support/start-server.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';

let issuer: TestIssuer;
before(async () => {
  issuer = await startTestIssuer();
});
after(() => issuer.close());

const tokenFor = (server: RunningServer, sub: string, client = `client-${sub}`) => {
  issuer.audience = server.mcpUrl;
  return issuer.sign({ claims: { sub, client_id: client, scope: 'create:todos' } });
};
const whoami = (server: RunningServer, token: string) =>
  postMcp(server.mcpUrl, { token, body: toolCallBody('whoami') });

describe('in one process', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer(issuer.issuer, { RATE_LIMIT_PER_MINUTE: '5' });
  });
  after(() => server.close());

  test('abuse:rate-limit-http the call over the limit gets 429 with Retry-After; others are unaffected', async () => {
    const token = await tokenFor(server, 'busy');
    for (let i = 0; i < 5; i += 1) assert.equal((await whoami(server, token)).status, 200);
    const limited = await whoami(server, token);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(JSON.parse(limited.text).error, 'rate_limited');
    assert.equal(
      (await whoami(server, await tokenFor(server, 'calm'))).status,
      200,
      'another subject has its own count',
    );
    const list = await postMcp(server.mcpUrl, {
      token,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    assert.equal(list.status, 200, 'only tool calls are counted');
  });

  test('abuse:rate-limit-batch every tools/call in a batch counts', async () => {
    const token = await tokenFor(server, `batcher-${randomUUID()}`);
    const call = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {} },
    });
    const batch = await postMcp(server.mcpUrl, { token, body: JSON.stringify([1, 2, 3, 4, 5, 6].map(call)) });
    assert.equal(batch.status, 429, 'six calls in one batch are over a limit of five');
    assert.equal((await whoami(server, token)).status, 200, 'a refused batch counted nothing');
  });

  test('abuse:rate-limit-client one client is limited across its subjects', async () => {
    const client = `shared-${randomUUID()}`;
    for (let i = 0; i < 5; i += 1) {
      assert.equal((await whoami(server, await tokenFor(server, `user-${i}`, client))).status, 200);
    }
    assert.equal((await whoami(server, await tokenFor(server, 'user-5', client))).status, 429);
  });
});

test('abuse:rate-limit-off RATE_LIMIT_PER_MINUTE=0 turns the limit off', async () => {
  const server = await startServer(issuer.issuer, { RATE_LIMIT_PER_MINUTE: '0' });
  try {
    const token = await tokenFor(server, 'unlimited');
    for (let i = 0; i < 30; i += 1) assert.equal((await whoami(server, token)).status, 200);
  } finally {
    await server.close();
  }
});

describe('shared through Redis', () => {
  let a: RunningServer;
  let b: RunningServer;
  before(async () => {
    a = await startServer(issuer.issuer, { RATE_LIMIT_PER_MINUTE: '6', REDIS_URL: 'redis://127.0.0.1:6379' });
    b = await startServer(issuer.issuer, {
      RATE_LIMIT_PER_MINUTE: '6',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PUBLIC_URL: a.origin,
    });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  test('abuse:rate-limit-redis instances count against one limit', async () => {
    const token = await tokenFor(a, `shared-${randomUUID()}`);
    for (let i = 0; i < 3; i += 1) assert.equal((await whoami(a, token)).status, 200);
    const bUrl = `http://localhost:${(b.app.server.address() as AddressInfo).port}/mcp`;
    for (let i = 0; i < 3; i += 1) {
      assert.equal((await postMcp(bUrl, { token, body: toolCallBody('whoami') })).status, 200);
    }
    assert.equal((await whoami(a, token)).status, 429, 'the seventh call, on A, is over the shared limit');
    assert.equal((await postMcp(bUrl, { token, body: toolCallBody('whoami') })).status, 429);
  });
});

test('abuse:rate-limit-redis-down without Redis, limits are counted per instance and calls still work', async () => {
  const server = await startServer(issuer.issuer, {
    RATE_LIMIT_PER_MINUTE: '3',
    // Nothing listens on port 1: every Redis call fails at once.
    REDIS_URL: 'redis://127.0.0.1:1',
  });
  try {
    const token = await tokenFor(server, `offline-${randomUUID()}`);
    for (let i = 0; i < 3; i += 1) assert.equal((await whoami(server, token)).status, 200);
    assert.equal((await whoami(server, token)).status, 429);
  } finally {
    await server.close();
  }
});
