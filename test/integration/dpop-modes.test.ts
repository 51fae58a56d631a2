import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import {
  ALL_SCOPES,
  noCredentialsChallenge,
  parseChallenge,
  postMcp,
  type RawResult,
  toolResultOf,
} from '../support/auth-http.js';
import { type DpopKey, dpopKey, makeProof, postWithProof } from '../support/dpop.js';
import { callTool, signInWithDpop } from '../support/oauth4webapi-client.js';
import { type RunningServer, startServer } from '../support/start-server.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';
import { useServer, useServerWithIssuer } from '../support/use-server.js';

let key: DpopKey;
before(async () => {
  key = await dpopKey('ES256');
});

/** What the server's metadata says about DPoP. */
async function prm(origin: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`);
  return (await response.json()) as Record<string, unknown>;
}

const metadataUrl = (origin: string) => `${origin}/.well-known/oauth-protected-resource/mcp`;

/** Sends a token under DPoP with a fresh, correct proof by `key`. */
const sendBound = async (mcpUrl: string, token: string): Promise<RawResult> =>
  postWithProof(mcpUrl, token, await makeProof({ key, htu: mcpUrl, accessToken: token }));

describe('AUTH_DPOP=required', () => {
  const ctx = useServerWithIssuer({ AUTH_DPOP: 'required' });
  const bound = () => ctx.issuer.sign({ claims: { cnf: { jkt: key.thumbprint } } });

  test('rfc9449:mode-required a DPoP-bound token with its proof is accepted', async () => {
    assert.equal((await sendBound(ctx.server.mcpUrl, await bound())).status, 200);
  });

  test('rfc9449:mode-required a Bearer token is refused with a DPoP invalid_token challenge', async () => {
    for (const token of [await ctx.issuer.sign(), await bound()]) {
      const res = await postMcp(ctx.server.mcpUrl, { token });
      assert.equal(res.status, 401);
      const { scheme, params } = parseChallenge(res.headers.get('www-authenticate'));
      assert.equal(scheme, 'DPoP');
      assert.equal(params.error, 'invalid_token');
      assert.equal(params.resource_metadata, metadataUrl(ctx.server.origin));
    }
  });

  test('rfc9449:mode-required no credentials get the DPoP challenge alone', async () => {
    const res = await postMcp(ctx.server.mcpUrl);
    assert.equal(res.status, 401);
    assert.equal(
      res.headers.get('www-authenticate'),
      noCredentialsChallenge(metadataUrl(ctx.server.origin), 'required'),
    );
  });

  test('rfc9449:mode-required rfc9449:prm-algs the metadata says DPoP-bound tokens are required (RFC 9728 §2)', async () => {
    const doc = await prm(ctx.server.origin);
    assert.equal(doc.dpop_bound_access_tokens_required, true);
    assert.ok(Array.isArray(doc.dpop_signing_alg_values_supported));
  });
});

describe('AUTH_DPOP=off', () => {
  const ctx = useServerWithIssuer({ AUTH_DPOP: 'off' });

  test('rfc9449:mode-off the DPoP scheme counts as no credentials: a Bearer challenge without error', async () => {
    const token = await ctx.issuer.sign({ claims: { cnf: { jkt: key.thumbprint } } });
    const res = await sendBound(ctx.server.mcpUrl, token);
    assert.equal(res.status, 401);
    assert.equal(
      res.headers['www-authenticate'],
      noCredentialsChallenge(metadataUrl(ctx.server.origin), 'off'),
    );
  });

  test('rfc9449:mode-off rfc9449:key-bound-token a DPoP-bound token as a Bearer token is refused; unbound ones work', async () => {
    const bound = await ctx.issuer.sign({ claims: { cnf: { jkt: key.thumbprint } } });
    const refused = await postMcp(ctx.server.mcpUrl, { token: bound });
    assert.equal(refused.status, 401);
    assert.equal(parseChallenge(refused.headers.get('www-authenticate')).params.error, 'invalid_token');
    assert.equal((await postMcp(ctx.server.mcpUrl, { token: await ctx.issuer.sign() })).status, 200);
  });

  test('rfc9449:mode-off no credentials get the Bearer challenge alone, and the metadata says nothing of DPoP', async () => {
    const res = await postMcp(ctx.server.mcpUrl);
    assert.equal(
      res.headers.get('www-authenticate'),
      noCredentialsChallenge(metadataUrl(ctx.server.origin), 'off'),
    );
    const doc = await prm(ctx.server.origin);
    assert.equal(doc.dpop_signing_alg_values_supported, undefined);
    assert.equal(doc.dpop_bound_access_tokens_required, undefined);
  });
});

describe('AUTH_DPOP=off with the embedded authorization server', () => {
  const ctx = useServer({ AUTH_DPOP: 'off' });

  test('rfc9449:mode-off the embedded server neither advertises DPoP nor binds a token to a proof it is sent', async () => {
    const doc = (await (
      await fetch(`${ctx.server.origin}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    assert.equal(doc.dpop_signing_alg_values_supported, undefined);
    const session = await signInWithDpop(
      ctx.server.origin,
      ctx.server.mcpUrl,
      'user',
      ctx.server.password('user'),
    );
    assert.equal(session.tokens.token_type, 'bearer');
    assert.equal(decodeJwt(session.tokens.access_token).cnf, undefined);
    assert.equal((await postMcp(ctx.server.mcpUrl, { token: session.tokens.access_token })).status, 200);
  });
});

describe('DPoP with token introspection, embedded', () => {
  const ctx = useServer({ AUTH_TOKEN_VALIDATION: 'introspection' });

  test('rfc9449:introspection-cnf an opaque DPoP-bound token is checked through cnf.jkt (RFC 9449 §6.2)', async () => {
    const session = await signInWithDpop(
      ctx.server.origin,
      ctx.server.mcpUrl,
      'admin',
      ctx.server.password('admin'),
    );
    const token = session.tokens.access_token;
    assert.equal(token.split('.').length, 1, 'an opaque token');
    const who = await callTool(session, token, ctx.server.mcpUrl, 'whoami');
    assert.deepEqual(
      [...((who.structuredContent?.scopes ?? []) as string[])].sort(),
      ALL_SCOPES.split(' ').sort(),
    );
    const asBearer = await postMcp(ctx.server.mcpUrl, { token });
    assert.equal(asBearer.status, 401);
    assert.equal(parseChallenge(asBearer.headers.get('www-authenticate')).params.error, 'invalid_token');
  });
});

describe('DPoP with token introspection, external issuer', () => {
  const CLIENT = { id: 'resource-server', secret: 'a-long-shared-secret' };
  const ctx = useServerWithIssuer(
    { AUTH_TOKEN_VALIDATION: 'introspection', AUTH_CLIENT_ID: CLIENT.id, AUTH_CLIENT_SECRET: CLIENT.secret },
    { introspectionClient: CLIENT },
  );
  const opaque = (extra: Record<string, unknown>) => {
    const token = randomBytes(24).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    ctx.issuer.introspection.set(token, {
      active: true,
      iss: ctx.issuer.issuer,
      aud: ctx.server.mcpUrl,
      sub: 'opaque-dpop',
      scope: 'create:todos',
      exp: now + 300,
      ...extra,
    });
    return token;
  };

  test('rfc9449:introspection-cnf token_type DPoP with cnf.jkt is accepted with a proof by that key (RFC 9449 §6.2)', async () => {
    const token = opaque({ token_type: 'DPoP', cnf: { jkt: key.thumbprint } });
    const res = await sendBound(ctx.server.mcpUrl, token);
    assert.equal(toolResultOf(res)?.value.subject, 'opaque-dpop');
  });

  test('rfc9449:introspection-cnf token_type DPoP without cnf.jkt, or a proof by another key, is refused', async () => {
    const unbound = opaque({ token_type: 'DPoP' });
    assert.equal((await sendBound(ctx.server.mcpUrl, unbound)).status, 401);
    const other = await dpopKey('ES256');
    const token = opaque({ token_type: 'DPoP', cnf: { jkt: other.thumbprint } });
    const res = await sendBound(ctx.server.mcpUrl, token);
    assert.equal(res.status, 401);
    assert.equal(parseChallenge(String(res.headers['www-authenticate'])).params.error, 'invalid_token');
  });
});

describe('DPoP replay through Redis (REDIS_URL)', () => {
  const PUBLIC_URL = 'http://localhost:9';
  let issuer: TestIssuer;
  let a: RunningServer;
  let b: RunningServer;
  before(async () => {
    issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/mcp` });
    // Two instances, each on a SQLite file of its own: only Redis is shared.
    const settings = { PUBLIC_URL, REDIS_URL: 'redis://127.0.0.1:6379' };
    [a, b] = await Promise.all([startServer(issuer.issuer, settings), startServer(issuer.issuer, settings)]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await issuer?.close();
  });

  test('rfc9449:jti-replay-store rfc9449:cross-instance-replay a proof accepted by one instance is refused by another through Redis (RFC 9449 §11.1)', async () => {
    const token = await issuer.sign({ claims: { cnf: { jkt: key.thumbprint } } });
    const proof = await makeProof({ key, htu: `${PUBLIC_URL}/mcp`, accessToken: token });
    const at = (server: RunningServer) => `http://127.0.0.1:${server.app.address.port}/mcp`;
    assert.equal((await postWithProof(at(a), token, proof)).status, 200);
    const again = await postWithProof(at(b), token, proof);
    assert.equal(again.status, 401);
    assert.equal(
      parseChallenge(String(again.headers['www-authenticate'])).params.error,
      'invalid_dpop_proof',
    );
  });
});
