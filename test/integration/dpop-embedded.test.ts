import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as oauth from 'oauth4webapi';
import { DPOP_ALGS, parseChallenge } from '../support/auth-http.js';
import {
  callTool,
  type DpopSession,
  insecure,
  retryOnNonce,
  signInWithDpop,
} from '../support/oauth4webapi-client.js';
import { useServer } from '../support/use-server.js';

/**
 * oauth4webapi, an independent implementation of RFC 9449 for clients, against the embedded
 * authorization server and the MCP endpoint: the token it gets is bound to its key, the tools
 * answer it, and the ways a stolen token or proof could be reused are refused.
 */
const ctx = useServer();

const signInAs = (username: string, alg = 'ES256') =>
  signInWithDpop(ctx.server.origin, ctx.server.mcpUrl, username, ctx.server.password(username), alg);

/** The headers oauth4webapi sent on one tools/call, captured on their way out. */
async function capturedRequest(session: DpopSession, accessToken: string): Promise<Headers> {
  let captured: Headers | undefined;
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 7,
    method: 'tools/call',
    params: { name: 'whoami', arguments: {} },
  });
  await oauth.protectedResourceRequest(
    accessToken,
    'POST',
    new URL(ctx.server.mcpUrl),
    new Headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream' }),
    body,
    {
      ...insecure,
      DPoP: session.DPoP,
      [oauth.customFetch]: async (url, init) => {
        captured = new Headers(init.headers);
        return fetch(url, init as RequestInit);
      },
    },
  );
  if (captured === undefined) throw new Error('nothing was sent');
  return captured;
}

const rawCall = (headers: Headers) =>
  fetch(ctx.server.mcpUrl, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 8,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {} },
    }),
  });

describe('the embedded authorization server issues DPoP-bound tokens', () => {
  test('rfc9449:as-metadata discovery lists the DPoP proof algorithms (RFC 9449 §5.1)', async () => {
    const doc = (await (
      await fetch(`${ctx.server.origin}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    assert.deepEqual(doc.dpop_signing_alg_values_supported, DPOP_ALGS.split(' '));
  });

  test('rfc9449:oauth4webapi rfc9449:as-binds-tokens oauth4webapi signs in with DPoP, gets a bound at+jwt and calls the tools (RFC 9449 §5, §6.1, §7.1)', async () => {
    const session = await signInAs('admin');
    const { access_token: token } = session.tokens;
    assert.equal(session.tokens.token_type, 'dpop');
    assert.equal(decodeProtectedHeader(token).typ, 'at+jwt');
    const claims = decodeJwt(token);
    assert.deepEqual(claims.cnf, { jkt: await session.DPoP.calculateThumbprint() });
    assert.equal(claims.aud, ctx.server.mcpUrl);

    const created = await callTool(session, token, ctx.server.mcpUrl, 'create-todo', {
      content: 'bound to a key',
    });
    assert.equal(created.isError, undefined);
    const listed = await callTool(session, token, ctx.server.mcpUrl, 'get-todos');
    const contents = ((listed.structuredContent?.todos ?? []) as { content: string }[]).map((t) => t.content);
    assert.ok(contents.includes('bound to a key'));
    const who = await callTool(session, token, ctx.server.mcpUrl, 'whoami');
    assert.equal(who.structuredContent?.subject, claims.sub);
  });

  test('rfc9449:oauth4webapi an EdDSA key works as well as an ES256 one', async () => {
    const session = await signInAs('user', 'EdDSA');
    const who = await callTool(session, session.tokens.access_token, ctx.server.mcpUrl, 'whoami');
    assert.deepEqual(who.structuredContent?.scopes, ['create:todos']);
  });

  test("rfc9449:oauth4webapi oauth4webapi's own resource-server check accepts our token and proof (RFC 9068, RFC 9449 §7)", async () => {
    const session = await signInAs('user');
    const headers = await capturedRequest(session, session.tokens.access_token);
    const request = new Request(ctx.server.mcpUrl, { method: 'POST', headers });
    const claims = await oauth.validateJwtAccessToken(session.as, request, ctx.server.mcpUrl, {
      ...insecure,
      requireDPoP: true,
    });
    assert.equal(claims.cnf?.jkt, await session.DPoP.calculateThumbprint());
  });

  test('rfc9449:bound-as-bearer rfc9449:proof-replay a stolen token without the key, or a replayed proof, is refused (RFC 9449 §7.2, §11.1)', async () => {
    const session = await signInAs('user');
    const token = session.tokens.access_token;
    const asBearer = await fetch(ctx.server.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: '{}',
    });
    assert.equal(asBearer.status, 401);
    assert.equal(parseChallenge(asBearer.headers.get('www-authenticate')).params.error, 'invalid_token');

    const headers = await capturedRequest(session, token);
    const replayed = await rawCall(headers);
    assert.equal(replayed.status, 401);
    const { scheme, params } = parseChallenge(replayed.headers.get('www-authenticate'));
    assert.equal(scheme, 'DPoP');
    assert.equal(params.error, 'invalid_dpop_proof');
  });

  test("rfc9449:as-binds-refresh a public client's refresh token works with its key and fails with another (RFC 9449 §5)", async () => {
    const session = await signInAs('user');
    const { as, client } = session;
    const refreshToken = String(session.tokens.refresh_token);
    const refreshed = await retryOnNonce(async () =>
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, {
          ...insecure,
          DPoP: session.DPoP,
        }),
      ),
    );
    assert.equal(refreshed.token_type, 'dpop');
    assert.deepEqual(decodeJwt(refreshed.access_token).cnf, {
      jkt: await session.DPoP.calculateThumbprint(),
    });
    const who = await callTool(session, refreshed.access_token, ctx.server.mcpUrl, 'whoami');
    assert.deepEqual(who.structuredContent?.scopes, ['create:todos']);

    const otherKey = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));
    await assert.rejects(
      retryOnNonce(async () =>
        oauth.processRefreshTokenResponse(
          as,
          client,
          await oauth.refreshTokenGrantRequest(as, client, oauth.None(), String(refreshed.refresh_token), {
            ...insecure,
            DPoP: otherKey,
          }),
        ),
      ),
      (error: unknown) => error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant',
    );
  });
});
