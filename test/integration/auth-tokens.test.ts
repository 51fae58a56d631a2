import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { exportSPKI, importJWK, SignJWT } from 'jose';
import {
  ALL_SCOPES,
  compactJws,
  nowSeconds,
  parseChallenge,
  postMcp,
  signRs256,
  toolCallBody,
  toolOutcome,
} from '../support/auth-http.js';
import type { SignOptions } from '../support/test-issuer.js';
import { useServerWithIssuer } from '../support/use-server.js';

const ctx = useServerWithIssuer();
const metadataUrl = () => `${ctx.server.origin}/.well-known/oauth-protected-resource/mcp`;

/** Default claims of a token hand-built for this server (for shapes the test issuer cannot sign). */
function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return {
    iss: ctx.issuer.issuer,
    aud: ctx.server.mcpUrl,
    sub: 'alice',
    client_id: 'test-client',
    scope: 'create:todos',
    iat: now,
    exp: now + 300,
    ...extra,
  };
}

/**
 * Presents a token on a `create-todo` call and asserts the RFC 6750 rejection: 401, an
 * `invalid_token` challenge that names the metadata and scopes, no echo of the token, and no todo
 * created (checked through an admin's listing, which sees every owner).
 */
async function assertRejected(token: string, label = 'token'): Promise<void> {
  const marker = `must-not-exist-${randomUUID()}`;
  const res = await postMcp(ctx.server.mcpUrl, {
    token,
    body: toolCallBody('create-todo', { content: marker }),
  });
  assert.equal(res.status, 401, `${label}: expected 401, got ${res.status}: ${res.text}`);
  const { scheme, params } = parseChallenge(res.headers.get('www-authenticate'));
  assert.equal(scheme, 'Bearer', label);
  assert.equal(params.error, 'invalid_token', label);
  assert.equal(params.resource_metadata, metadataUrl(), label);
  assert.equal(params.scope, ALL_SCOPES, label);
  assert.equal((JSON.parse(res.text) as { error: string }).error, 'invalid_token', label);
  assert.ok(!res.text.includes(token), `${label}: the token is echoed in the body`);
  for (const [name, value] of res.headers) {
    assert.ok(!value.includes(token), `${label}: the token is echoed in ${name}`);
  }

  const admin = await ctx.issuer.sign({ claims: { sub: 'auditor', scope: ALL_SCOPES } });
  const listed = toolOutcome(
    await postMcp(ctx.server.mcpUrl, { token: admin, body: toolCallBody('get-todos', { limit: 200 }) }),
  );
  const contents = (listed.value.todos as { content: string }[]).map((t) => t.content);
  assert.ok(!contents.includes(marker), `${label}: a rejected token created a todo`);
}

/** Presents a token to `whoami` and returns what the server made of it. */
async function whoami(token: string): Promise<{ subject: string; clientId: string; scopes: string[] }> {
  const outcome = toolOutcome(await postMcp(ctx.server.mcpUrl, { token, body: toolCallBody('whoami') }));
  assert.equal(outcome.isError, false);
  return outcome.value as { subject: string; clientId: string; scopes: string[] };
}

const sign = (options: SignOptions) => ctx.issuer.sign(options);

describe('signature and keys', () => {
  test('a correctly signed token is accepted (control)', async () => {
    assert.equal((await whoami(await sign({}))).subject, 'alice');
  });

  test('rfc7515:signature-verified a payload altered after signing is rejected', async () => {
    const [header, , signature] = (await sign({ claims: { scope: 'create:todos' } })).split('.');
    const forged = Buffer.from(JSON.stringify(claims({ scope: ALL_SCOPES, sub: 'mallory' }))).toString(
      'base64url',
    );
    await assertRejected(`${header}.${forged}.${signature}`);
  });

  test('rfc7515:signature-verified a signature from another token is rejected', async () => {
    const [header, payload] = (await sign({ claims: { sub: 'mallory' } })).split('.');
    const [, , otherSignature] = (await sign({ claims: { sub: 'alice' } })).split('.');
    await assertRejected(`${header}.${payload}.${otherSignature}`);
  });

  test('rfc9068:keys-from-jwks a token signed by an unpublished (rogue) key is rejected', async () => {
    await assertRejected(await sign({ rogue: true }));
  });

  test('rfc9068:keys-from-jwks a rogue key borrowing a published kid is rejected', async () => {
    const published = ctx.issuer.keys[0]?.kid ?? '';
    await assertRejected(await sign({ rogue: true, kid: published }));
  });

  test('rfc8725:alg-none an unsigned token (alg none) is rejected in every spelling', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      await assertRejected(compactJws({ alg, typ: 'at+jwt' }, claims()));
      await assertRejected(compactJws({ alg, typ: 'at+jwt' }, claims(), 'AAAA'));
    }
  });

  test('rfc8725:no-hmac an HS256 token signed with a shared secret is rejected', async () => {
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: ctx.issuer.keys[0]?.kid ?? '' })
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!'));
    await assertRejected(token);
  });

  test('rfc8725:no-hmac an HS256 token keyed with the published public key (key confusion) is rejected', async () => {
    const jwk = ctx.issuer.keys[0]?.publicJwk;
    assert.ok(jwk);
    const publicKey = await importJWK(jwk, 'RS256', { extractable: true });
    assert.ok(!(publicKey instanceof Uint8Array));
    const pem = await exportSPKI(publicKey);
    for (const secret of [pem, JSON.stringify(jwk)]) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwk.kid ?? '' })
        .sign(new TextEncoder().encode(secret));
      await assertRejected(token);
    }
  });

  test('rfc8725:alg-allow-list algorithms outside the asymmetric allow-list are rejected', async () => {
    const hs512 = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS512', typ: 'at+jwt' })
      .sign(new TextEncoder().encode('x'.repeat(64)));
    await assertRejected(hs512);
    for (const alg of ['ES256K', 'RSA-OAEP', 'RS1', 'rs256']) {
      await assertRejected(
        compactJws({ alg, typ: 'at+jwt', kid: ctx.issuer.keys[0]?.kid }, claims(), 'c2lnbmF0dXJl'),
      );
    }
  });

  test('rfc8725:no-embedded-keys a correctly signed token with a jku, jwk, x5u or x5c header is rejected', async () => {
    const headers = {
      jku: `${ctx.issuer.origin}/jwks`,
      jwk: ctx.issuer.keys[0]?.publicJwk,
      x5u: `${ctx.issuer.origin}/cert.pem`,
      x5c: ['MIIBszCCAVmgAwIBAgIUJ0'],
    };
    for (const [name, value] of Object.entries(headers)) {
      await assertRejected(await sign({ header: { [name]: value } }), name);
    }
  });

  test('rfc7515:crit a token naming an unknown critical extension is rejected', async () => {
    const key = ctx.issuer.keys[0];
    assert.ok(key);
    // Control: the same hand-made signature without the extension is accepted.
    const plain = { kid: key.kid, typ: 'at+jwt' };
    assert.equal((await whoami(await signRs256(plain, claims(), key.privateKey))).subject, 'alice');
    const header = { ...plain, crit: ['urn:example:ext'], 'urn:example:ext': true };
    await assertRejected(await signRs256(header, claims(), key.privateKey));
  });
});

describe('issuer and audience', () => {
  test('rfc9068:iss-exact another issuer, a trailing-slash variant and a missing iss are rejected', async () => {
    await assertRejected(await sign({ claims: { iss: 'https://evil.example.com' } }), 'other issuer');
    await assertRejected(await sign({ claims: { iss: `${ctx.issuer.issuer}/` } }), 'trailing slash');
    await assertRejected(await sign({ claims: { iss: undefined } }), 'no iss');
  });

  test('rfc8707:audience a token for another resource is rejected', async () => {
    await assertRejected(await sign({ claims: { aud: 'http://localhost:1/mcp' } }));
    await assertRejected(await sign({ claims: { aud: ctx.server.origin } }));
    await assertRejected(await sign({ claims: { aud: ctx.issuer.issuer } }));
  });

  test('rfc8707:audience a token without aud is rejected', async () => {
    await assertRejected(await sign({ claims: { aud: undefined } }));
    await assertRejected(await sign({ claims: { aud: [] } }));
  });

  test('rfc8707:audience an aud array that contains this resource is accepted', async () => {
    const token = await sign({ claims: { aud: ['https://api.example.com', ctx.server.mcpUrl] } });
    assert.equal((await whoami(token)).subject, 'alice');
  });

  test('rfc8707:audience an aud array without this resource is rejected', async () => {
    await assertRejected(
      await sign({ claims: { aud: ['https://api.example.com', `${ctx.server.origin}/other`] } }),
    );
  });
});

describe('time claims', () => {
  test('rfc7519:exp-required an expired token is rejected', async () => {
    const now = nowSeconds();
    await assertRejected(await sign({ claims: { iat: now - 7200, exp: now - 3600 } }));
  });

  test('rfc7519:exp-required a token without exp or with a non-numeric exp is rejected', async () => {
    await assertRejected(await sign({ claims: { exp: undefined } }), 'no exp');
    await assertRejected(await sign({ claims: { exp: String(nowSeconds() + 300) } }), 'string exp');
  });

  test('rfc7519:clock-tolerance a token expired 10 s ago is still accepted', async () => {
    const now = nowSeconds();
    const token = await sign({ claims: { iat: now - 310, exp: now - 10 } });
    assert.equal((await whoami(token)).subject, 'alice');
  });

  test('rfc7519:clock-tolerance a token expired 120 s ago is rejected', async () => {
    const now = nowSeconds();
    await assertRejected(await sign({ claims: { iat: now - 420, exp: now - 120 } }));
  });

  test('rfc7519:nbf a token not valid for another 120 s is rejected', async () => {
    const now = nowSeconds();
    await assertRejected(await sign({ claims: { nbf: now + 120, exp: now + 600 } }));
  });

  test('rfc7519:nbf a token valid from 10 s ahead is accepted within the tolerance', async () => {
    const now = nowSeconds();
    assert.equal((await whoami(await sign({ claims: { nbf: now + 10 } }))).subject, 'alice');
  });

  test('rfc9068:iat-sanity a token issued an hour in the future is rejected', async () => {
    const now = nowSeconds();
    await assertRejected(await sign({ claims: { iat: now + 3600, exp: now + 7200 } }));
  });

  test('rfc9068:iat-sanity a token issued 10 s ahead is accepted within the tolerance', async () => {
    const now = nowSeconds();
    assert.equal((await whoami(await sign({ claims: { iat: now + 10 } }))).subject, 'alice');
  });
});

describe('subject, type and binding', () => {
  test('rfc9068:sub-required a missing, empty or non-string sub is rejected', async () => {
    await assertRejected(await sign({ claims: { sub: undefined } }), 'no sub');
    await assertRejected(await sign({ claims: { sub: '' } }), 'empty sub');
    await assertRejected(await sign({ claims: { sub: 42 } }), 'numeric sub');
  });

  test('rfc9068:typ at+jwt, application/at+jwt, JWT (any case) and an absent typ are accepted', async () => {
    for (const typ of ['at+jwt', 'application/at+jwt', 'JWT', 'AT+JWT', undefined]) {
      assert.equal((await whoami(await sign({ header: { typ } }))).subject, 'alice', String(typ));
    }
  });

  test('rfc9068:typ id_token+jwt, dpop+jwt, JOSE and other explicit types are rejected', async () => {
    for (const typ of ['id_token+jwt', 'dpop+jwt', 'JOSE', 'logout+jwt', 'secevent+jwt', '']) {
      await assertRejected(await sign({ header: { typ } }), `typ "${typ}"`);
    }
  });

  test('rfc9449:key-bound-token a DPoP-bound token (cnf.jkt) presented as bearer is rejected', async () => {
    await assertRejected(
      await sign({ claims: { cnf: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' } } }),
    );
  });

  test('rfc9449:key-bound-token a certificate-bound token (cnf.x5t#S256) presented as bearer is rejected', async () => {
    await assertRejected(
      await sign({ claims: { cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' } } }),
    );
  });
});

describe('token shape', () => {
  test('rs:token-size-limit a correctly signed token longer than 8192 characters is rejected', async () => {
    const token = await sign({ claims: { padding: 'x'.repeat(7000) } });
    assert.ok(token.length > 8192, `token is only ${token.length} characters`);
    await assertRejected(token);
  });

  test('rs:token-size-limit a correctly signed token just under the limit is accepted', async () => {
    const base = await sign({ claims: { padding: '' } });
    // Base64url grows by 4/3: fill to about 8000 characters, safely under 8192.
    const token = await sign({ claims: { padding: 'x'.repeat(Math.floor(((8000 - base.length) * 3) / 4)) } });
    assert.ok(token.length <= 8192 && token.length > 7800, `token has ${token.length} characters`);
    assert.equal((await whoami(token)).subject, 'alice');
  });

  test('rfc9068:jws-only a JWE-shaped token (five segments) is rejected', async () => {
    const header = Buffer.from(
      JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', typ: 'at+jwt' }),
    ).toString('base64url');
    await assertRejected(`${header}.ZW5jcnlwdGVka2V5.aXY.Y2lwaGVydGV4dA.dGFn`);
  });

  test('rfc9068:jws-only a JWS in JSON serialization is rejected', async () => {
    const [protectedHeader, payload, signature] = (await sign({})).split('.');
    const json = JSON.stringify({ protected: protectedHeader, payload, signature });
    const res = await postMcp(ctx.server.mcpUrl, {
      authorization: `Bearer ${Buffer.from(json).toString('base64url')}`,
    });
    assert.equal(res.status, 401);
    assert.equal(parseChallenge(res.headers.get('www-authenticate')).params.error, 'invalid_token');
  });

  test('rfc6750:malformed-token garbage and wrongly segmented strings are rejected', async () => {
    for (const garbage of [
      'abc',
      'a.b',
      'a.b.c',
      'a.b.c.d',
      '...',
      'eyJhbGciOiJSUzI1NiJ9..',
      `${Buffer.from('not json').toString('base64url')}.e30.c2ln`,
      `${Buffer.from('[1,2]').toString('base64url')}.e30.c2ln`,
    ]) {
      await assertRejected(garbage, garbage);
    }
  });

  test('rfc6750:malformed-token characters outside b64token and an empty credential are rejected', async () => {
    for (const authorization of ['Bearer abc$def', 'Bearer a b', 'Bearer "abc"', 'Bearer']) {
      const res = await postMcp(ctx.server.mcpUrl, { authorization });
      assert.equal(res.status, 401, authorization);
      const { params } = parseChallenge(res.headers.get('www-authenticate'));
      assert.equal(params.error, 'invalid_token', authorization);
      assert.equal(params.resource_metadata, metadataUrl());
    }
  });
});

describe('scopes and client', () => {
  test('rfc9068:scope-claim a numeric or object scope claim is rejected', async () => {
    await assertRejected(await sign({ claims: { scope: 42 } }), 'number');
    await assertRejected(await sign({ claims: { scope: { 'create:todos': true } } }), 'object');
  });

  test('rfc9068:scope-claim a scope with characters outside scope-token is rejected', async () => {
    await assertRejected(await sign({ claims: { scope: 'create:todos "quoted"' } }));
  });

  test('rfc9068:scope-claim a space-separated scope string is honoured', async () => {
    const who = await whoami(await sign({ claims: { scope: 'create:todos  read:todos' } }));
    assert.deepEqual([...who.scopes].sort(), ['create:todos', 'read:todos']);
  });

  test('rfc9068:scope-claim an Okta-style scp array is honoured', async () => {
    const who = await whoami(
      await sign({ claims: { scope: undefined, scp: ['read:todos', 'delete:todos'] } }),
    );
    assert.deepEqual([...who.scopes].sort(), ['delete:todos', 'read:todos']);
  });

  test('rfc9068:scope-claim an Entra-style scp string is honoured', async () => {
    const who = await whoami(await sign({ claims: { scope: undefined, scp: 'create:todos delete:todos' } }));
    assert.deepEqual([...who.scopes].sort(), ['create:todos', 'delete:todos']);
  });

  test('rfc9068:scope-claim an scp array with a non-string entry is rejected', async () => {
    await assertRejected(await sign({ claims: { scope: undefined, scp: ['create:todos', 7] } }));
  });

  test('rfc9068:scope-claim scopes from scp govern tools: scp ["create:todos"] may create', async () => {
    const token = await sign({ claims: { sub: 'okta-user', scope: undefined, scp: ['create:todos'] } });
    const created = toolOutcome(
      await postMcp(ctx.server.mcpUrl, { token, body: toolCallBody('create-todo', { content: 'via scp' }) }),
    );
    assert.equal(created.isError, false);
    assert.equal(created.value.ownerId, 'okta-user');
  });

  test('rfc9068:client-id the client is taken from azp when client_id is absent', async () => {
    const who = await whoami(await sign({ claims: { client_id: undefined, azp: 'auth0-client' } }));
    assert.equal(who.clientId, 'auth0-client');
  });

  test('rfc9068:client-id client_id wins over azp', async () => {
    const who = await whoami(await sign({ claims: { client_id: 'the-client', azp: 'other' } }));
    assert.equal(who.clientId, 'the-client');
  });

  test('rfc9068:client-id a non-string client_id is rejected', async () => {
    await assertRejected(await sign({ claims: { client_id: 12345 } }));
  });
});
