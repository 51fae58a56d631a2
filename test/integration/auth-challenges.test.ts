import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InsufficientScopeError } from '@modelcontextprotocol/client';
import {
  ALL_SCOPES,
  getJson,
  noCredentialsChallenge,
  parseChallenge,
  postMcp,
  sendRaw,
  toolCallBody,
  toolOutcome,
} from '../support/auth-http.js';
import { call, connectClient } from '../support/mcp-client.js';
import { type RunningServer, startServer } from '../support/start-server.js';
import { useServerWithIssuer } from '../support/use-server.js';

const ctx = useServerWithIssuer();
const metadataUrl = () => `${ctx.server.origin}/.well-known/oauth-protected-resource/mcp`;

/** Every todo in the store, seen through an admin token (read:todos lists all owners). */
async function allTodoContents(): Promise<string[]> {
  const admin = await ctx.issuer.sign({ claims: { sub: 'admin', scope: ALL_SCOPES } });
  const listed = toolOutcome(
    await postMcp(ctx.server.mcpUrl, { token: admin, body: toolCallBody('get-todos', { limit: 200 }) }),
  );
  assert.equal(listed.isError, false);
  return (listed.value.todos as { content: string }[]).map((t) => t.content);
}

describe('challenges without usable credentials', () => {
  test('rfc6750:401-challenge rfc9449:both-challenges no Authorization header → 401 with the exact Bearer and DPoP challenges', async () => {
    const res = await postMcp(ctx.server.mcpUrl);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), noCredentialsChallenge(metadataUrl()));
  });

  test('rfc6750:401-challenge a tools/call without a token is refused before the tool runs', async () => {
    const res = await postMcp(ctx.server.mcpUrl, {
      body: toolCallBody('create-todo', { content: 'challenge-no-token' }),
    });
    assert.equal(res.status, 401);
    assert.equal(parseChallenge(res.headers.get('www-authenticate')).params.error, undefined);
    assert.ok(!(await allTodoContents()).includes('challenge-no-token'));
  });

  test('rfc6750:non-bearer-scheme Basic credentials → 401 Bearer and DPoP challenges without error', async () => {
    const res = await postMcp(ctx.server.mcpUrl, {
      authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}`,
    });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), noCredentialsChallenge(metadataUrl()));
  });

  test('rfc6750:invalid-token-challenge a presented invalid token → 401 error="invalid_token" with resource_metadata and scope', async () => {
    const res = await postMcp(ctx.server.mcpUrl, { token: 'not-a-jwt' });
    assert.equal(res.status, 401);
    const header = res.headers.get('www-authenticate') ?? '';
    assert.ok(header.startsWith('Bearer error="invalid_token"'), header);
    const { scheme, params } = parseChallenge(header);
    assert.equal(scheme, 'Bearer');
    assert.equal(params.error, 'invalid_token');
    assert.equal(params.resource_metadata, metadataUrl());
    assert.equal(params.scope, ALL_SCOPES);
    assert.equal((JSON.parse(res.text) as { error: string }).error, 'invalid_token');
  });

  test('rfc6750:invalid-token-challenge an expired, correctly signed token gets the same challenge', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await ctx.issuer.sign({ claims: { iat: now - 7200, exp: now - 3600 } });
    const res = await postMcp(ctx.server.mcpUrl, { token });
    assert.equal(res.status, 401);
    const { params } = parseChallenge(res.headers.get('www-authenticate'));
    assert.equal(params.error, 'invalid_token');
    assert.equal(params.resource_metadata, metadataUrl());
    assert.equal(params.scope, ALL_SCOPES);
  });

  test('the Bearer scheme name is matched case-insensitively (RFC 9110 §11.1)', async () => {
    const token = await ctx.issuer.sign();
    const res = await postMcp(ctx.server.mcpUrl, { authorization: `bearer ${token}` });
    assert.equal(res.status, 200);
  });
});

describe('insufficient scope (403 step-up)', () => {
  test('rfc6750:insufficient-scope create-todo without create:todos → 403 over a raw legacy JSON-RPC post', async () => {
    const token = await ctx.issuer.sign({ claims: { sub: 'reader', scope: 'read:todos' } });
    const res = await postMcp(ctx.server.mcpUrl, {
      token,
      body: toolCallBody('create-todo', { content: 'step-up-raw' }),
    });
    assert.equal(res.status, 403);
    const { scheme, params } = parseChallenge(res.headers.get('www-authenticate'));
    assert.equal(scheme, 'Bearer');
    assert.equal(params.error, 'insufficient_scope');
    assert.equal(params.scope, 'create:todos');
    assert.equal(params.resource_metadata, metadataUrl());
    assert.ok(!(await allTodoContents()).includes('step-up-raw'));
  });

  for (const era of ['legacy', 'modern'] as const) {
    test(`rfc6750:insufficient-scope the SDK client sees InsufficientScopeError for create-todo (${era})`, async () => {
      const token = await ctx.issuer.sign({ claims: { sub: `reader-${era}`, scope: 'read:todos' } });
      const client = await connectClient(ctx.server.mcpUrl, token, era);
      try {
        await assert.rejects(call(client, 'create-todo', { content: `step-up-${era}` }), (error: unknown) => {
          assert.ok(error instanceof InsufficientScopeError, String(error));
          assert.equal(error.requiredScope, 'create:todos');
          assert.equal(error.resourceMetadataUrl?.href, metadataUrl());
          return true;
        });
      } finally {
        await client.close();
      }
      assert.ok(!(await allTodoContents()).includes(`step-up-${era}`));
    });
  }

  test('mcp:step-up-owner-filter get-todos for another owner without read:todos → 403 scope="read:todos"', async () => {
    const token = await ctx.issuer.sign({ claims: { sub: 'carol', scope: 'create:todos' } });
    const res = await postMcp(ctx.server.mcpUrl, {
      token,
      body: toolCallBody('get-todos', { ownerId: 'someone-else' }),
    });
    assert.equal(res.status, 403);
    const { params } = parseChallenge(res.headers.get('www-authenticate'));
    assert.equal(params.error, 'insufficient_scope');
    assert.equal(params.scope, 'read:todos');
    assert.equal(params.resource_metadata, metadataUrl());
  });

  for (const era of ['legacy', 'modern'] as const) {
    test(`mcp:step-up-owner-filter the SDK client sees InsufficientScopeError for read:todos (${era})`, async () => {
      const token = await ctx.issuer.sign({ claims: { sub: 'carol', scope: 'create:todos' } });
      const client = await connectClient(ctx.server.mcpUrl, token, era);
      try {
        await assert.rejects(call(client, 'get-todos', { ownerId: 'someone-else' }), (error: unknown) => {
          assert.ok(error instanceof InsufficientScopeError, String(error));
          assert.equal(error.requiredScope, 'read:todos');
          return true;
        });
        // The caller's own ownerId needs no step-up.
        const own = await call(client, 'get-todos', { ownerId: 'carol' });
        assert.equal(own.isError, false);
      } finally {
        await client.close();
      }
    });
  }
});

describe('malformed requests', () => {
  test('rfc6750:no-query-token access_token in the query string → 400 invalid_request', async () => {
    const token = await ctx.issuer.sign({ claims: { sub: 'query-user' } });
    const res = await postMcp(ctx.server.mcpUrl, {
      search: `?access_token=${token}`,
      body: toolCallBody('create-todo', { content: 'query-token' }),
    });
    assert.equal(res.status, 400);
    assert.equal((JSON.parse(res.text) as { error: string }).error, 'invalid_request');
    assert.ok(!(await allTodoContents()).includes('query-token'));
  });

  test('rfc6750:no-query-token a query token is refused even next to a valid Authorization header', async () => {
    const token = await ctx.issuer.sign();
    const res = await postMcp(ctx.server.mcpUrl, { token, search: `?access_token=${token}` });
    assert.equal(res.status, 400);
    assert.equal((JSON.parse(res.text) as { error: string }).error, 'invalid_request');
    assert.equal(parseChallenge(res.headers.get('www-authenticate')).params.error, 'invalid_request');
  });

  test('rfc6750:single-authorization-header two Authorization headers → 400 invalid_request', async () => {
    const token = await ctx.issuer.sign({ claims: { sub: 'twice' } });
    const res = await sendRaw(
      ctx.server.mcpUrl,
      {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: [`Bearer ${token}`, `Bearer ${token}`],
      },
      toolCallBody('create-todo', { content: 'two-headers' }),
    );
    assert.equal(res.status, 400);
    assert.equal((JSON.parse(res.text) as { error: string }).error, 'invalid_request');
    assert.ok(!(await allTodoContents()).includes('two-headers'));
  });

  test('rfc6750:single-authorization-header one Authorization header sent through node:http is accepted', async () => {
    const token = await ctx.issuer.sign();
    const res = await sendRaw(
      ctx.server.mcpUrl,
      {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: [`Bearer ${token}`],
      },
      toolCallBody('whoami'),
    );
    assert.equal(res.status, 200);
  });
});

describe('tokens are never echoed', () => {
  test('rfc6750:token-not-echoed a rejected token appears in neither the body nor any header', async () => {
    const now = Math.floor(Date.now() / 1000);
    const tokens = [
      await ctx.issuer.sign({ claims: { aud: 'https://elsewhere.example/mcp' } }),
      await ctx.issuer.sign({ claims: { iat: now - 7200, exp: now - 3600 } }),
      await ctx.issuer.sign({ rogue: true }),
      'opaque-token-value-that-must-not-come-back',
    ];
    for (const token of tokens) {
      const res = await postMcp(ctx.server.mcpUrl, { token });
      assert.equal(res.status, 401);
      assert.ok(!res.text.includes(token), 'token in body');
      for (const [name, value] of res.headers) assert.ok(!value.includes(token), `token in ${name}`);
      // The signature alone would let anyone replay a JWT as well.
      const signature = token.split('.').at(-1) ?? token;
      assert.ok(!res.text.includes(signature), 'signature in body');
    }
  });
});

describe('protected resource metadata', () => {
  const expected = () => ({
    resource: ctx.server.mcpUrl,
    authorization_servers: [ctx.issuer.issuer],
    scopes_supported: ['create:todos', 'read:todos', 'delete:todos'],
    bearer_methods_supported: ['header'],
  });

  function assertMetadata(text: string): void {
    const doc = JSON.parse(text) as Record<string, unknown>;
    const want = expected();
    assert.equal(doc.resource, want.resource);
    assert.deepEqual(doc.authorization_servers, want.authorization_servers);
    assert.deepEqual(doc.scopes_supported, want.scopes_supported);
    assert.deepEqual(doc.bearer_methods_supported, want.bearer_methods_supported);
    assert.ok(!String(doc.resource).endsWith('/'), 'resource has a trailing slash');
    assert.ok(!(doc.scopes_supported as string[]).includes('offline_access'));
  }

  test('rfc9728:prm-path-aware the challenge names /.well-known/oauth-protected-resource/mcp and it serves the metadata', async () => {
    const challenge = parseChallenge((await postMcp(ctx.server.mcpUrl)).headers.get('www-authenticate'));
    const url = challenge.params.resource_metadata ?? '';
    assert.equal(new URL(url).pathname, '/.well-known/oauth-protected-resource/mcp');
    const res = await getJson(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assertMetadata(res.text);
  });

  test('rfc9728:prm-root the root /.well-known/oauth-protected-resource serves the same metadata', async () => {
    const res = await getJson(`${ctx.server.origin}/.well-known/oauth-protected-resource`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assertMetadata(res.text);
  });

  test('rfc9728:prm-fields resource is <PUBLIC_URL>/mcp, authorization_servers is [issuer], scopes in contract order', async () => {
    assert.equal(ctx.server.mcpUrl, `${ctx.server.origin}/mcp`);
    const res = await getJson(metadataUrl());
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const doc = JSON.parse(res.text) as Record<string, unknown>;
    assert.deepEqual(
      {
        resource: doc.resource,
        authorization_servers: doc.authorization_servers,
        scopes_supported: doc.scopes_supported,
        bearer_methods_supported: doc.bearer_methods_supported,
      },
      expected(),
    );
  });

  test('rfc9728:prm-fields other suffixes of the well-known path are not metadata', async () => {
    const res = await getJson(`${ctx.server.origin}/.well-known/oauth-protected-resource/other`);
    assert.equal(res.status, 404);
  });
});

describe('metadata behind a proxy (PUBLIC_URL differs from the address)', () => {
  const publicUrl = 'https://todos.example.com/';
  let proxied: RunningServer;
  /** Where the app really listens; the public URL names a proxy that does not exist here. */
  let local: string;

  before(async () => {
    proxied = await startServer(ctx.issuer.issuer, { PUBLIC_URL: publicUrl });
    const address = proxied.app.server.address();
    assert.ok(address !== null && typeof address === 'object');
    local = `http://127.0.0.1:${address.port}`;
  });
  after(async () => {
    await proxied.close();
  });

  test('rfc9728:resource-from-public-url resource and resource_metadata come from PUBLIC_URL, not Host', async () => {
    const prm = await getJson(`${local}/.well-known/oauth-protected-resource/mcp`);
    assert.equal(prm.status, 200);
    const doc = JSON.parse(prm.text) as Record<string, unknown>;
    assert.equal(doc.resource, 'https://todos.example.com/mcp');
    const res = await postMcp(`${local}/mcp`);
    assert.equal(res.status, 401);
    assert.equal(
      res.headers.get('www-authenticate'),
      noCredentialsChallenge('https://todos.example.com/.well-known/oauth-protected-resource/mcp'),
    );
  });

  test('rfc9728:resource-from-public-url tokens must carry the public resource as audience', async () => {
    const forLocalAddress = await ctx.issuer.sign({ claims: { aud: `${local}/mcp` } });
    assert.equal((await postMcp(`${local}/mcp`, { token: forLocalAddress })).status, 401);
    const publicToken = await ctx.issuer.sign({ claims: { aud: 'https://todos.example.com/mcp' } });
    assert.equal((await postMcp(`${local}/mcp`, { token: publicToken })).status, 200);
  });
});
