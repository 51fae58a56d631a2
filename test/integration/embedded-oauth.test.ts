import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call } from '../support/mcp-client.js';
import {
  authorizationUrl,
  connectWithOAuth,
  exchangeCode,
  MemoryOAuthClient,
  signIn,
} from '../support/oauth-client.js';
import { startServer } from '../support/start-server.js';
import { useServer } from '../support/use-server.js';

const ctx = useServer();
const password = (username: string) => ctx.server.password(username);

async function decodeToken(oauth: MemoryOAuthClient): Promise<Record<string, unknown>> {
  const token = oauth.tokens()?.access_token ?? '';
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('first start', () => {
  test('as:bootstrap-accounts creates an admin and a user with distinct random passwords', () => {
    const accounts = ctx.server.accounts.map((a) => [a.user.username, a.user.role]);
    assert.deepEqual(accounts, [
      ['admin', 'admin'],
      ['user', 'user'],
    ]);
    assert.notEqual(password('admin'), password('user'));
    assert.ok(password('admin').length >= 16);
  });
});

describe('discovery', () => {
  test('as:discovery advertises PKCE S256, registration, RFC 9207 iss and the resource scopes', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const response = await fetch(`${ctx.server.origin}${path}`);
      assert.equal(response.status, 200);
      const doc = (await response.json()) as Record<string, unknown>;
      assert.equal(doc.issuer, ctx.server.origin);
      assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
      assert.equal(doc.authorization_response_iss_parameter_supported, true);
      assert.equal(typeof doc.registration_endpoint, 'string');
      assert.deepEqual(doc.response_types_supported, ['code']);
      for (const scope of ['create:todos', 'read:todos', 'delete:todos', 'offline_access']) {
        assert.ok((doc.scopes_supported as string[]).includes(scope), scope);
      }
    }
  });

  test('as:prm-names-embedded-issuer the protected resource metadata points at the embedded issuer', async () => {
    const response = await fetch(`${ctx.server.origin}/.well-known/oauth-protected-resource/mcp`);
    const doc = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(doc.authorization_servers, [ctx.server.origin]);
    assert.equal(doc.resource, ctx.server.mcpUrl);
  });
});

for (const era of ['legacy', 'modern'] as const) {
  describe(`the whole sign-in flow (${era})`, () => {
    test('as:flow-admin an admin signs in and gets every todo scope, in an at+jwt for the MCP resource', async () => {
      const { client, oauth } = await connectWithOAuth(ctx.server.mcpUrl, 'admin', password('admin'), era);
      const who = await call(client, 'whoami');
      assert.deepEqual([...(who.value.scopes as string[])].sort(), [
        'create:todos',
        'delete:todos',
        'read:todos',
      ]);
      const header = JSON.parse(
        Buffer.from((oauth.tokens()?.access_token ?? '').split('.')[0] ?? '', 'base64url').toString('utf8'),
      ) as Record<string, unknown>;
      assert.equal(header.typ, 'at+jwt');
      const claims = await decodeToken(oauth);
      assert.equal(claims.aud, ctx.server.mcpUrl);
      assert.equal(claims.iss, ctx.server.origin);
      assert.equal(typeof oauth.tokens()?.refresh_token, 'string');
      await client.close();
    });

    test('as:flow-user mcp:no-step-up-loop a user gets only create:todos; what the role never has is refused, not stepped up', async () => {
      const { client: admin } = await connectWithOAuth(ctx.server.mcpUrl, 'admin', password('admin'), era);
      const adminTodo = await call(admin, 'create-todo', { content: `admin's todo (${era})` });
      const { client: user } = await connectWithOAuth(ctx.server.mcpUrl, 'user', password('user'), era);
      const who = await call(user, 'whoami');
      assert.deepEqual(who.value.scopes, ['create:todos']);
      const own = await call(user, 'create-todo', { content: `user's todo (${era})` });
      assert.equal(own.isError, false);
      const list = await call(user, 'get-todos');
      const owners = new Set((list.value.todos as { ownerId: string }[]).map((t) => t.ownerId));
      assert.deepEqual([...owners], [who.value.subject]);
      const denied = await call(user, 'delete-todo', { id: adminTodo.value.id });
      assert.equal(denied.isError, true);
      assert.deepEqual(denied.value, { error: { code: 'not_found', message: 'no such todo' } });
      // The user's role can never hold read:todos: no step-up the person could not complete, but
      // a refusal that says so.
      const refused = await call(user, 'get-todos', { ownerId: adminTodo.value.ownerId });
      assert.equal(refused.isError, true);
      const { code, message } = refused.value.error as { code: string; message: string };
      assert.equal(code, 'insufficient_scope');
      assert.match(message, /read:todos.*role user/);
      const all = await call(admin, 'get-todos');
      const ids = (all.value.todos as { id: string }[]).map((t) => t.id);
      assert.ok(ids.includes(own.value.id as string) && ids.includes(adminTodo.value.id as string));
      await user.close();
      await admin.close();
    });
  });
}

describe('tokens', () => {
  test('as:refresh-rotation a refresh token yields a working access token and cannot be replayed', async () => {
    const { client, oauth } = await connectWithOAuth(ctx.server.mcpUrl, 'user', password('user'));
    await client.close();
    const clientId = oauth.clientInformation()?.client_id ?? '';
    const first = oauth.tokens()?.refresh_token ?? '';
    const refresh = (token: string) =>
      fetch(`${ctx.server.origin}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: clientId }),
      });
    const response = await refresh(first);
    assert.equal(response.status, 200);
    const tokens = (await response.json()) as { access_token: string; refresh_token: string; scope: string };
    assert.notEqual(tokens.refresh_token, first);
    assert.equal(tokens.scope.split(' ').includes('read:todos'), false);
    const check = await fetch(ctx.server.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    assert.equal(check.status, 200);
    const replay = await refresh(first);
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant');
  });

  test('as:pkce-required an authorization request without a code challenge is refused', async () => {
    const oauth = new MemoryOAuthClient();
    const registration = await fetch(`${ctx.server.origin}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(oauth.clientMetadata),
    });
    const { client_id } = (await registration.json()) as { client_id: string };
    const url = new URL(`${ctx.server.origin}/auth`);
    url.search = new URLSearchParams({
      client_id,
      response_type: 'code',
      redirect_uri: oauth.redirectUrl,
      scope: 'create:todos',
      state: 'xyz',
      resource: ctx.server.mcpUrl,
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '', ctx.server.origin);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
  });
});

describe('client registration', () => {
  const register = (redirect_uris: string[]) =>
    fetch(`${ctx.server.origin}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris, token_endpoint_auth_method: 'none', client_name: 'x' }),
    });

  test('as:dcr-redirect-policy loopback and https redirect URIs are accepted', async () => {
    for (const uri of [
      'http://127.0.0.1:9/cb',
      'http://localhost:33418/',
      'https://app.example.com/oauth/callback',
    ]) {
      const response = await register([uri]);
      assert.equal(response.status, 201, uri);
    }
  });

  test('as:dcr-redirect-policy plain http to other hosts and custom schemes are refused', async () => {
    for (const uri of ['http://evil.example/cb', 'myapp://callback', 'javascript:alert(1)']) {
      const response = await register([uri]);
      assert.equal(response.status, 400, uri);
      const body = (await response.json()) as { error: string };
      assert.match(body.error, /invalid_redirect_uri|invalid_client_metadata/);
    }
  });
});

describe('sign-in page', () => {
  test('as:login-wrong-password a wrong password shows the form again with an error and issues nothing', async () => {
    const oauth = new MemoryOAuthClient();
    await assert.rejects(
      connectWithOAuth(ctx.server.mcpUrl, 'user', 'not-the-password', 'legacy', oauth),
      /sign-in refused/,
    );
    assert.equal(oauth.tokens(), undefined);
  });

  test('as:login-throttle repeated failures for one user are throttled with HTTP 429, even for the right password', async () => {
    const fresh = await startServer(undefined);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        const { url, redirectUrl } = await authorizationUrl(fresh.origin, fresh.mcpUrl);
        const { pages } = await signIn(url, 'admin', `wrong-${i}`, redirectUrl);
        statuses.push(pages.at(-1)?.status ?? 0);
      }
      assert.deepEqual(statuses, Array(10).fill(401));
      const admin = fresh.accounts.find((a) => a.user.username === 'admin');
      const { url, redirectUrl } = await authorizationUrl(fresh.origin, fresh.mcpUrl);
      const { callback, pages } = await signIn(url, 'admin', admin?.password ?? '', redirectUrl);
      assert.equal(callback, undefined);
      assert.equal(pages.at(-1)?.status, 429);
      assert.match(pages.at(-1)?.html ?? '', /role="alert"/);
      const other = await authorizationUrl(fresh.origin, fresh.mcpUrl);
      const user = fresh.accounts.find((a) => a.user.username === 'user');
      const ok = await signIn(other.url, 'user', user?.password ?? '', other.redirectUrl);
      assert.equal(typeof ok.callback?.get('code'), 'string');
    } finally {
      await fresh.close();
    }
  });
});

describe('client id metadata documents', () => {
  test('as:cimd the server advertises CIMD and refuses to fetch a client id from its own network', async () => {
    const discovery = (await (
      await fetch(`${ctx.server.origin}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    assert.equal(discovery.client_id_metadata_document_supported, true);
    const url = new URL(`${ctx.server.origin}/auth`);
    url.search = new URLSearchParams({
      client_id: 'https://127.0.0.1/oauth/client.json',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:9/cb',
      scope: 'create:todos',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      resource: ctx.server.mcpUrl,
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null, 'never redirected to an unverified client');
  });
});

/** Signs in through an authorization URL and exchanges the code: the scope the token was granted. */
async function grantedScope(
  url: URL,
  verifier: string,
  clientId: string,
  redirectUrl: string,
  username: string,
) {
  const { callback, pages } = await signIn(url, username, password(username), redirectUrl);
  assert.ok(callback?.get('code'), `a code came back: ${callback?.toString()}`);
  const code = callback?.get('code') ?? '';
  const response = await exchangeCode(ctx.server.origin, { code, verifier, clientId, redirectUrl });
  const body = (await response.json()) as { scope?: string };
  return { scope: body.scope, consent: pages.find((page) => page.html.includes('Allow access'))?.html ?? '' };
}

describe('requested scopes', () => {
  for (const [username, expected] of [
    ['user', 'create:todos'],
    ['admin', 'create:todos read:todos delete:todos'],
  ] as const) {
    test(`as:default-scope a request without scope is granted the role's todo scopes (${username})`, async () => {
      const { url, verifier, clientId, redirectUrl } = await authorizationUrl(
        ctx.server.origin,
        ctx.server.mcpUrl,
      );
      url.searchParams.delete('scope');
      const granted = await grantedScope(url, verifier, clientId, redirectUrl, username);
      assert.deepEqual(granted.scope?.split(' ').sort(), expected.split(' ').sort());
      assert.match(granted.consent, /Allow access/, 'the person saw the consent page');
    });
  }

  test('as:unknown-scope an unknown scope is ignored; the known ones are granted as the role allows (RFC 6749 §3.3)', async () => {
    const { url, verifier, clientId, redirectUrl } = await authorizationUrl(
      ctx.server.origin,
      ctx.server.mcpUrl,
      {
        scope: 'create:todos frobnicate:everything',
      },
    );
    const granted = await grantedScope(url, verifier, clientId, redirectUrl, 'user');
    assert.equal(granted.scope, 'create:todos');
    assert.doesNotMatch(granted.consent, /frobnicate/);
  });
});
