import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { postMcp, toolOutcome } from '../support/auth-http.js';
import { call, connectClient } from '../support/mcp-client.js';
import { connectWithOAuth, refreshTokens } from '../support/oauth-client.js';
import { startServer } from '../support/start-server.js';
import { useServer, useServerWithIssuer } from '../support/use-server.js';

const CLIENT = { id: 'resource-server', secret: 'a-long-shared-secret' };

describe('introspection against an external issuer', () => {
  const ctx = useServerWithIssuer(
    { AUTH_TOKEN_VALIDATION: 'introspection', AUTH_CLIENT_ID: CLIENT.id, AUTH_CLIENT_SECRET: CLIENT.secret },
    { introspectionClient: CLIENT },
  );
  const now = () => Math.floor(Date.now() / 1000);
  const opaque = (claims: Record<string, unknown>) => {
    const token = randomBytes(24).toString('base64url');
    ctx.issuer.introspection.set(token, claims);
    return token;
  };
  const claims = (extra: Record<string, unknown> = {}) => ({
    active: true,
    iss: ctx.issuer.issuer,
    aud: ctx.server.mcpUrl,
    sub: 'opaque-user',
    client_id: 'c1',
    scope: 'create:todos read:todos',
    exp: now() + 300,
    token_type: 'Bearer',
    ...extra,
  });

  test('rfc7662:active-token an active token for this resource is accepted with its scopes', async () => {
    const client = await connectClient(ctx.server.mcpUrl, opaque(claims()));
    const who = await call(client, 'whoami');
    assert.equal(who.value.subject, 'opaque-user');
    assert.deepEqual(who.value.scopes, ['create:todos', 'read:todos']);
    await client.close();
  });

  for (const [label, bad] of [
    ['inactive', { active: false }],
    ['for another audience', { aud: 'https://other.example/mcp' }],
    ['from another issuer', { iss: 'https://evil.example' }],
    ['expired', { exp: now() - 120 }],
    ['without a subject', { sub: undefined }],
    ['bound to a key', { cnf: { jkt: 'abc' } }],
    ['of another token type', { token_type: 'refresh_token' }],
  ] as const) {
    test(`rfc7662:rejected a token ${label} gets 401 invalid_token`, async () => {
      const token = opaque(
        Object.fromEntries(Object.entries(claims(bad)).filter(([, v]) => v !== undefined)),
      );
      const result = await postMcp(ctx.server.mcpUrl, { token });
      assert.equal(result.status, 401);
      assert.match(result.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
    });
  }

  test('rfc7662:unknown-token a token the issuer does not know gets 401', async () => {
    assert.equal((await postMcp(ctx.server.mcpUrl, { token: 'never-issued' })).status, 401);
  });

  test('rfc7662:fail-closed an unreachable introspection endpoint gives 503, not 401', async () => {
    const token = opaque(claims());
    ctx.issuer.availability = 'down';
    try {
      const result = await postMcp(ctx.server.mcpUrl, { token });
      assert.equal(result.status, 503);
      assert.ok(result.headers.get('retry-after'));
    } finally {
      ctx.issuer.availability = 'ok';
    }
    assert.equal(toolOutcome(await postMcp(ctx.server.mcpUrl, { token })).value.subject, 'opaque-user');
  });

  test('rfc7662:client-auth wrong introspection credentials are the server’s problem: 503', async () => {
    const misconfigured = await startServer(ctx.issuer.issuer, {
      AUTH_TOKEN_VALIDATION: 'introspection',
      AUTH_CLIENT_ID: CLIENT.id,
      AUTH_CLIENT_SECRET: 'wrong',
    });
    try {
      assert.equal((await postMcp(misconfigured.mcpUrl, { token: opaque(claims()) })).status, 503);
    } finally {
      await misconfigured.close();
    }
  });
});

describe('introspection with the embedded authorization server issuing opaque tokens', () => {
  const ctx = useServer({ AUTH_TOKEN_VALIDATION: 'introspection' });
  const password = (name: string) => ctx.server.password(name);

  test('rfc7662:embedded-opaque sign-in yields an opaque token that works through introspection', async () => {
    const { client, oauth } = await connectWithOAuth(ctx.server.mcpUrl, 'admin', password('admin'));
    const token = oauth.tokens()?.access_token ?? '';
    assert.equal(token.split('.').length, 1, 'the access token is opaque, not a JWT');
    const who = await call(client, 'whoami');
    assert.deepEqual([...(who.value.scopes as string[])].sort(), [
      'create:todos',
      'delete:todos',
      'read:todos',
    ]);
    await client.close();
  });

  test('rfc7662:revoked a revoked opaque token is refused', async () => {
    const { client, oauth } = await connectWithOAuth(ctx.server.mcpUrl, 'user', password('user'));
    await client.close();
    // A fresh token that no cache has seen: refresh, then revoke the new access token.
    const refreshed = await refreshTokens(ctx.server.origin, oauth);
    const token = ((await refreshed.json()) as { access_token: string }).access_token;
    const revoked = await fetch(`${ctx.server.origin}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: oauth.clientInformation()?.client_id ?? '' }),
    });
    assert.equal(revoked.status, 200);
    assert.equal((await postMcp(ctx.server.mcpUrl, { token })).status, 401);
  });

  test('rfc7662:introspection-restricted other clients may not introspect', async () => {
    const response = await fetch(`${ctx.server.origin}/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'anything', client_id: 'someone-else' }),
    });
    assert.notEqual(response.status, 200);
  });
});
