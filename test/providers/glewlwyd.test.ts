import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Todo } from '../../src/todos/todo.js';
import { parseChallenge, postMcp } from '../support/auth-http.js';
import { type DpopKey, dpopKey, makeProof, postWithProof } from '../support/dpop.js';
import {
  authorizationRequest,
  type Glewlwyd,
  type GlewlwydAccount,
  redeemCode,
  signInToGlewlwyd,
  startGlewlwyd,
} from '../support/glewlwyd.js';
import { call, connectClient } from '../support/mcp-client.js';
import { MemoryOAuthClient } from '../support/oauth-client.js';
import { freePort, type RunningServer, startServer } from '../support/start-server.js';
import { expectStepUp } from '../support/tool-result.js';

/**
 * An independent OpenID Connect provider, Debian's glewlwyd, in front of the real server: the
 * authorization-code + PKCE flow over HTTP, its JWT access tokens (issuer with a path, opaque
 * `sub`, `typ: at+jwt`, `scope` string, `aud` from the `resource` parameter) and its RFC 7662
 * introspection, with the same RBAC as with any other issuer.
 */

const ALL = 'create:todos read:todos delete:todos';
/** Nothing listens here: the sign-in stops at the redirect, as a native client's loopback would. */
const REDIRECT_URI = 'http://127.0.0.1:45190/callback';

let glewlwyd: Glewlwyd;
/** Validates glewlwyd's JWTs against its JWKS. */
let jwtServer: RunningServer;
/** Asks glewlwyd's introspection endpoint, as the resource server's own confidential client. */
let introspectionServer: RunningServer;
/** Introspects with a wrong client secret. */
let wrongSecretServer: RunningServer;

before(async () => {
  const ports = { jwt: await freePort(), introspection: await freePort(), wrongSecret: await freePort() };
  const resource = (port: number) => `http://localhost:${port}/mcp`;
  glewlwyd = await startGlewlwyd({
    resources: Object.values(ports).map(resource),
    redirectUri: REDIRECT_URI,
  });
  const rs = glewlwyd.resourceServerClient;
  const introspection = { AUTH_TOKEN_VALIDATION: 'introspection', AUTH_CLIENT_ID: rs.id };
  jwtServer = await startServer(glewlwyd.issuer, { PORT: String(ports.jwt) });
  introspectionServer = await startServer(glewlwyd.issuer, {
    PORT: String(ports.introspection),
    ...introspection,
    AUTH_CLIENT_SECRET: rs.secret,
  });
  wrongSecretServer = await startServer(glewlwyd.issuer, {
    PORT: String(ports.wrongSecret),
    ...introspection,
    AUTH_CLIENT_SECRET: `${rs.secret}-wrong`,
  });
});
after(async () => {
  await wrongSecretServer?.close();
  await introspectionServer?.close();
  await jwtServer?.close();
  await glewlwyd?.close();
});

/** The whole flow for one account: authorize with PKCE, sign in through glewlwyd, redeem the code. */
async function signIn(account: GlewlwydAccount, resource: string | undefined) {
  const client = glewlwyd.publicClient;
  const request = authorizationRequest(glewlwyd, client, { scope: ALL, resource });
  const { callback } = await signInToGlewlwyd(request.url, account, REDIRECT_URI);
  assert.ok(callback, `glewlwyd refused ${account.username}'s sign-in`);
  assert.equal(callback.searchParams.get('error'), null, callback.search);
  assert.equal(callback.searchParams.get('state'), request.state);
  assert.equal(callback.searchParams.get('iss'), glewlwyd.issuer, 'RFC 9207 iss on the redirect');
  const { status, tokens } = await redeemCode(glewlwyd, client, {
    code: callback.searchParams.get('code') ?? '',
    verifier: request.verifier,
    resource,
  });
  assert.equal(status, 200, JSON.stringify(tokens));
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  return tokens;
}

describe('glewlwyd as the authorization server', () => {
  test('glewlwyd publishes an issuer with a path, PKCE S256, an RS256 JWKS and introspection', async () => {
    const discovery = await fetch(`${glewlwyd.issuer}/.well-known/openid-configuration`);
    assert.equal(discovery.status, 200);
    const doc = (await discovery.json()) as Record<string, unknown>;
    assert.equal(doc.issuer, glewlwyd.issuer);
    assert.equal(new URL(glewlwyd.issuer).pathname, '/api/oidc');
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.equal(doc.introspection_endpoint, `${glewlwyd.issuer}/introspect`);
    // Only the appended OIDC form exists; the RFC 8414 path-inserted forms are 404.
    for (const form of ['oauth-authorization-server', 'openid-configuration']) {
      const inserted = await fetch(`${glewlwyd.origin}/.well-known/${form}/api/oidc`);
      assert.equal(inserted.status, 404, form);
    }
    const jwks = (await (await fetch(String(doc.jwks_uri))).json()) as { keys: Record<string, unknown>[] };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.alg, 'RS256');
    // Our server finds that document and that key set on its own.
    assert.equal((await fetch(`${jwtServer.origin}/readyz`)).status, 200);
  });

  test('a wrong password ends at glewlwyd, with no code for the client', async () => {
    const request = authorizationRequest(glewlwyd, glewlwyd.publicClient, {
      scope: ALL,
      resource: jwtServer.mcpUrl,
    });
    const { callback, loginPage } = await signInToGlewlwyd(
      request.url,
      { username: glewlwyd.accounts.user.username, password: 'not-the-password' },
      REDIRECT_URI,
    );
    assert.equal(callback, undefined);
    assert.equal(loginPage?.status, 200);
    assert.equal(loginPage?.url.pathname, '/login.html');
  });

  test('glewlwyd signs an RS256 at+jwt for the resource, with an opaque sub and a scope string', async () => {
    const tokens = await signIn(glewlwyd.accounts.admin, jwtServer.mcpUrl);
    const header = decodeProtectedHeader(tokens.access_token);
    assert.equal(header.alg, 'RS256');
    assert.equal(header.typ, 'at+jwt');
    assert.equal(typeof header.kid, 'string');
    const claims = decodeJwt(tokens.access_token);
    assert.equal(claims.iss, glewlwyd.issuer);
    assert.equal(claims.aud, jwtServer.mcpUrl);
    assert.equal(claims.client_id, glewlwyd.publicClient.id);
    assert.equal(claims.scope, ALL);
    assert.equal(typeof claims.sub, 'string');
    assert.notEqual(claims.sub, glewlwyd.accounts.admin.username, 'sub is not the username');
  });
});

describe('JWT validation of glewlwyd tokens', () => {
  let userTodo: Todo;
  let adminTodo: Todo;
  let adminSub: string;
  let userSub: string;

  test('the user is granted create:todos only and keeps to their own todos', async () => {
    const adminTokens = await signIn(glewlwyd.accounts.admin, jwtServer.mcpUrl);
    adminSub = String(decodeJwt(adminTokens.access_token).sub);
    const admin = await connectClient(jwtServer.mcpUrl, adminTokens.access_token);
    adminTodo = (await call(admin, 'create-todo', { content: "the admin's todo" })).value as unknown as Todo;
    await admin.close();

    const tokens = await signIn(glewlwyd.accounts.user, jwtServer.mcpUrl);
    assert.equal(tokens.scope, 'create:todos', 'requested ∩ the account: read and delete are not granted');
    userSub = String(decodeJwt(tokens.access_token).sub);
    const user = await connectClient(jwtServer.mcpUrl, tokens.access_token);
    const who = await call(user, 'whoami');
    assert.equal(who.value.subject, userSub);
    assert.equal(who.value.clientId, glewlwyd.publicClient.id);
    assert.deepEqual(who.value.scopes, ['create:todos']);

    const created = await call(user, 'create-todo', { content: "the user's todo" });
    assert.equal(created.isError, false);
    userTodo = created.value as unknown as Todo;
    assert.equal(userTodo.ownerId, userSub);
    const own = (await call(user, 'get-todos')).value.todos as Todo[];
    assert.deepEqual(
      own.map((t) => t.id),
      [userTodo.id],
    );
    const denied = await call(user, 'delete-todo', { id: adminTodo.id });
    assert.equal(denied.isError, true);
    assert.equal((denied.value.error as { code: string }).code, 'not_found');
    await user.close();
  });

  test('mcp:step-up-owner-filter a glewlwyd user asking for another owner gets a 403 naming read:todos', async () => {
    const tokens = await signIn(glewlwyd.accounts.user, jwtServer.mcpUrl);
    const user = await connectClient(jwtServer.mcpUrl, tokens.access_token);
    await expectStepUp(call(user, 'get-todos', { ownerId: adminSub }), 'read:todos');
    await user.close();
  });

  test("the admin sees everyone's todos and deletes the user's", async () => {
    const tokens = await signIn(glewlwyd.accounts.admin, jwtServer.mcpUrl);
    const admin = await connectClient(jwtServer.mcpUrl, tokens.access_token);
    const all = (await call(admin, 'get-todos')).value.todos as Todo[];
    assert.deepEqual(new Set(all.map((t) => t.id)), new Set([userTodo.id, adminTodo.id]));
    const theirs = (await call(admin, 'get-todos', { ownerId: userSub })).value.todos as Todo[];
    assert.deepEqual(
      theirs.map((t) => t.id),
      [userTodo.id],
    );
    const deleted = await call(admin, 'delete-todo', { id: userTodo.id });
    assert.equal(deleted.isError, false);
    assert.equal(deleted.value.id, userTodo.id);
    const left = (await call(admin, 'get-todos')).value.todos as Todo[];
    assert.deepEqual(
      left.map((t) => t.id),
      [adminTodo.id],
    );
    await admin.close();
  });

  test('rfc8707:audience a glewlwyd token requested without a resource carries its scopes as aud and is refused', async () => {
    const tokens = await signIn(glewlwyd.accounts.user, undefined);
    assert.equal(decodeJwt(tokens.access_token).aud, 'create:todos');
    const result = await postMcp(jwtServer.mcpUrl, { token: tokens.access_token });
    assert.equal(result.status, 401);
    assert.equal(parseChallenge(result.headers.get('www-authenticate')).params.error, 'invalid_token');
  });

  test('the SDK client discovers glewlwyd from the challenge and signs in with PKCE', async () => {
    const oauth = new MemoryOAuthClient(REDIRECT_URI);
    // Registration is off in this glewlwyd: the client is pre-registered, stamped with the issuer
    // it belongs to (SEP-2352) so the SDK uses it only with that authorization server.
    oauth.saveClientInformation({ client_id: glewlwyd.publicClient.id, issuer: glewlwyd.issuer });
    const makeClient = () => new Client({ name: 'glewlwyd-sdk-flow', version: '1.0.0' });
    const makeTransport = () =>
      new StreamableHTTPClientTransport(new URL(jwtServer.mcpUrl), {
        authProvider: oauth,
        onInsufficientScope: 'throw',
      });
    const transport = makeTransport();
    await assert.rejects(makeClient().connect(transport), UnauthorizedError);
    const url = oauth.authorizationUrl;
    assert.ok(url, 'the SDK asked to open an authorization URL');
    assert.equal(url.origin + url.pathname, `${glewlwyd.issuer}/auth`);
    assert.equal(url.searchParams.get('resource'), jwtServer.mcpUrl);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    const { callback } = await signInToGlewlwyd(url, glewlwyd.accounts.admin, REDIRECT_URI);
    assert.ok(callback);
    await transport.finishAuth(callback.searchParams.get('code') ?? '');
    const client = makeClient();
    await client.connect(makeTransport());
    const who = await call(client, 'whoami');
    assert.deepEqual(who.value.scopes, ALL.split(' '));
    await client.close();
  });
});

describe('introspection (RFC 7662) of glewlwyd tokens', () => {
  test('rfc7662:active-token the server introspects as its own client and applies the same RBAC', async () => {
    const userTokens = await signIn(glewlwyd.accounts.user, introspectionServer.mcpUrl);
    const user = await connectClient(introspectionServer.mcpUrl, userTokens.access_token);
    const who = await call(user, 'whoami');
    assert.equal(who.value.subject, decodeJwt(userTokens.access_token).sub);
    assert.equal(who.value.clientId, glewlwyd.publicClient.id);
    assert.deepEqual(who.value.scopes, ['create:todos']);
    const created = (await call(user, 'create-todo', { content: 'introspected' })).value as unknown as Todo;
    await expectStepUp(call(user, 'get-todos', { ownerId: 'someone-else' }), 'read:todos');
    await user.close();

    const adminTokens = await signIn(glewlwyd.accounts.admin, introspectionServer.mcpUrl);
    const admin = await connectClient(introspectionServer.mcpUrl, adminTokens.access_token);
    const all = (await call(admin, 'get-todos')).value.todos as Todo[];
    assert.ok(all.some((t) => t.id === created.id));
    assert.equal((await call(admin, 'delete-todo', { id: created.id })).isError, false);
    await admin.close();
  });

  test('rfc7662:revoked a token revoked at glewlwyd is refused at once by introspection', async () => {
    const tokens = await signIn(glewlwyd.accounts.user, introspectionServer.mcpUrl);
    const rs = glewlwyd.resourceServerClient;
    const revoked = await fetch(`${glewlwyd.issuer}/revoke`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${rs.id}:${rs.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: tokens.access_token, token_type_hint: 'access_token' }),
    });
    assert.equal(revoked.status, 200);
    const result = await postMcp(introspectionServer.mcpUrl, { token: tokens.access_token });
    assert.equal(result.status, 401);
    assert.equal(parseChallenge(result.headers.get('www-authenticate')).params.error, 'invalid_token');
  });

  test('rfc7662:client-auth glewlwyd refuses a wrong client secret and the server answers 503, never a pass', async () => {
    const tokens = await signIn(glewlwyd.accounts.admin, wrongSecretServer.mcpUrl);
    const result = await postMcp(wrongSecretServer.mcpUrl, { token: tokens.access_token });
    assert.equal(result.status, 503);
  });
});

describe('DPoP-bound tokens from glewlwyd (RFC 9449)', () => {
  /** Signs in and redeems the code with a DPoP proof for glewlwyd's token endpoint. */
  async function signInWithProof(key: DpopKey, resource: string) {
    const client = glewlwyd.publicClient;
    const request = authorizationRequest(glewlwyd, client, { scope: ALL, resource });
    const { callback } = await signInToGlewlwyd(request.url, glewlwyd.accounts.user, REDIRECT_URI);
    assert.ok(callback);
    const dpop = await makeProof({ key, htu: `${glewlwyd.issuer}/token` });
    return redeemCode(glewlwyd, client, {
      code: callback.searchParams.get('code') ?? '',
      verifier: request.verifier,
      resource,
      dpop,
    });
  }

  test('rfc9449:accepted glewlwyd binds its token to the proof key, and the server takes it only with a proof (RFC 9449 §6.1, §7)', async () => {
    const discovery = (await (
      await fetch(`${glewlwyd.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    assert.ok((discovery.dpop_signing_alg_values_supported as string[]).includes('ES256'));
    const key = await dpopKey('ES256');
    const { status, tokens } = await signInWithProof(key, jwtServer.mcpUrl);
    assert.equal(status, 200, JSON.stringify(tokens));
    assert.equal(tokens.token_type, 'DPoP');
    assert.deepEqual(decodeJwt(tokens.access_token).cnf, { jkt: key.thumbprint });

    const token = tokens.access_token;
    const proof = await makeProof({ key, htu: jwtServer.mcpUrl, accessToken: token });
    const accepted = await postWithProof(jwtServer.mcpUrl, token, proof);
    assert.equal(accepted.status, 200, accepted.text);
    const asBearer = await postMcp(jwtServer.mcpUrl, { token });
    assert.equal(asBearer.status, 401);
    assert.equal(parseChallenge(asBearer.headers.get('www-authenticate')).params.error, 'invalid_token');
    const replayed = await postWithProof(jwtServer.mcpUrl, token, proof);
    assert.equal(replayed.status, 401);
  });

  test('rfc9449:introspection-cnf glewlwyd introspection of a bound token binds it the same way (RFC 9449 §6.2)', async () => {
    const key = await dpopKey('ES256');
    const { tokens } = await signInWithProof(key, introspectionServer.mcpUrl);
    const token = tokens.access_token;
    const proof = await makeProof({ key, htu: introspectionServer.mcpUrl, accessToken: token });
    const accepted = await postWithProof(introspectionServer.mcpUrl, token, proof);
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal((await postMcp(introspectionServer.mcpUrl, { token })).status, 401);
  });
});
