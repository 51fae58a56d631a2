import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { parseChallenge, postMcp } from '../support/auth-http.js';
import { useConnectionCounter } from '../support/connection-counter.js';
import { authorizationUrl, signIn } from '../support/oauth-client.js';
import { useServer } from '../support/use-server.js';

/**
 * The authorization server tried as an attacker would (issue 14, part 2): nothing a client
 * registers makes the server connect where the client says, redirect URIs cannot hide their host
 * behind userinfo, every answer refuses framing and sniffing, and a replayed authorization code
 * takes the first redemption's access token down with the grant.
 */
const ctx = useServer();

const target = useConnectionCounter();

const register = (metadata: Record<string, unknown>) =>
  fetch(`${ctx.server.origin}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:45191/cb'], ...metadata }),
  });

describe('registration', () => {
  test('as:no-jwks-uri private_key_jwt with a jwks_uri is refused, wherever it points, and nothing is fetched', async () => {
    const before = target.connections;
    for (const jwksUri of [
      `http://127.0.0.1:${target.port}/jwks`,
      `https://localhost:${target.port}/jwks`,
      'http://169.254.169.254/latest/meta-data/',
      'https://keys.example.com/jwks.json',
    ]) {
      const response = await register({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUri });
      assert.equal(response.status, 400, jwksUri);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_client_metadata');
    }
    const sector = await register({ sector_identifier_uri: `https://127.0.0.1:${target.port}/sector` });
    assert.equal(sector.status, 400, 'a sector_identifier_uri is refused too');
    assert.equal(target.connections, before, 'the server never connected to the listener');
  });

  test('as:no-jwks-uri private_key_jwt with inline keys still works: /token checks the assertion without a fetch', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const response = await register({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } });
    assert.equal(response.status, 201);
    const { client_id: clientId } = (await response.json()) as { client_id: string };
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(ctx.server.origin)
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(privateKey);
    const token = await fetch(`${ctx.server.origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'not-a-code',
        redirect_uri: 'http://127.0.0.1:45191/cb',
        code_verifier: 'v'.repeat(43),
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    // The client authenticated (else invalid_client); only the made-up code is refused.
    assert.equal(((await token.json()) as { error: string }).error, 'invalid_grant');
  });

  test('as:redirect-userinfo redirect URIs with a user name or password are refused', async () => {
    for (const metadata of [
      { redirect_uris: ['https://good.example@evil.example/cb'] },
      { redirect_uris: ['https://good.example:secret@evil.example/cb'] },
      { redirect_uris: ['http://user@127.0.0.1:45191/cb'] },
      { post_logout_redirect_uris: ['https://good.example@evil.example/bye'] },
    ]) {
      const response = await register(metadata);
      assert.equal(response.status, 400, JSON.stringify(metadata));
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_client_metadata');
    }
    assert.equal((await register({ redirect_uris: ['https://good.example/cb'] })).status, 201, 'control');
  });
});

describe('client id metadata documents', () => {
  test('as:cimd-resolved-address as:cimd-ssrf a client id on localhost. (trailing dot) is refused and never fetched', async () => {
    const before = target.connections;
    for (const clientId of [
      `https://localhost.:${target.port}/client.json`,
      `https://127.0.0.1.:${target.port}/client.json`,
      `https://[::ffff:127.0.0.1]:${target.port}/client.json`,
    ]) {
      const url = new URL(`${ctx.server.origin}/auth`);
      url.search = new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: 'http://127.0.0.1:9/cb',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        resource: ctx.server.mcpUrl,
      }).toString();
      const response = await fetch(url, { redirect: 'manual' });
      assert.equal(response.status, 400, clientId);
    }
    assert.equal(target.connections, before, 'the server never connected to the listener');
  });
});

describe('headers on every answer', () => {
  test('as:provider-pages JSON and plain-text answers are never sniffed or framed either', async () => {
    for (const path of [
      '/.well-known/openid-configuration',
      '/jwks',
      '/session/end?id_token_hint=garbage',
      '/no-such-endpoint',
      '/token',
    ]) {
      const response = await fetch(`${ctx.server.origin}${path}`);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
      assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
    }
  });
});

/** Signs in as `user`, then redeems the code: the code and the token answer. */
async function redeemOnce() {
  const { url, verifier, clientId, redirectUrl } = await authorizationUrl(
    ctx.server.origin,
    ctx.server.mcpUrl,
    { scope: 'create:todos offline_access' },
  );
  // oidc-provider grants offline_access only when consent is asked for (OIDC Core §11).
  url.searchParams.set('prompt', 'consent');
  const { callback } = await signIn(url, 'user', ctx.server.password('user'), redirectUrl);
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: callback?.get('code') ?? '',
    code_verifier: verifier,
    client_id: clientId,
    redirect_uri: redirectUrl,
  });
  const exchange = () =>
    fetch(`${ctx.server.origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
  const first = (await (await exchange()).json()) as { access_token: string; refresh_token?: string };
  return { exchange, clientId, ...first };
}

describe('revoked grants', () => {
  test('as:code-replay-revokes after a replayed authorization code, the first access token is refused at /mcp', async () => {
    const { exchange, access_token: token } = await redeemOnce();
    assert.equal((await postMcp(ctx.server.mcpUrl, { token })).status, 200);
    const replay = await exchange();
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant');
    const refused = await postMcp(ctx.server.mcpUrl, { token });
    assert.equal(refused.status, 401);
    const { params } = parseChallenge(refused.headers.get('www-authenticate'));
    assert.equal(params.error, 'invalid_token');
    assert.match(params.error_description ?? '', /revoked/);
  });

  test('as:code-replay-revokes revoking the refresh token (RFC 7009 §2.1) takes its access tokens down too', async () => {
    const { clientId, access_token: token, refresh_token: refreshToken } = await redeemOnce();
    assert.ok(refreshToken, 'a refresh token was issued');
    assert.equal((await postMcp(ctx.server.mcpUrl, { token })).status, 200);
    const revoked = await fetch(`${ctx.server.origin}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken ?? '', client_id: clientId }),
    });
    assert.equal(revoked.status, 200);
    assert.equal((await postMcp(ctx.server.mcpUrl, { token })).status, 401);
  });
});
