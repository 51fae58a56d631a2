import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type TestContext, test } from 'node:test';
import {
  getJson,
  nowSeconds,
  parseChallenge,
  postMcp,
  signRs256,
  toolCallBody,
} from '../support/auth-http.js';
import { type RunningServer, startServer } from '../support/start-server.js';
import { startTestIssuer, type TestIssuer, type TestIssuerOptions } from '../support/test-issuer.js';

/** The app's JWKS refetch cooldown (jose's default, kept by src/auth/jwt-verifier.ts). */
const JWKS_COOLDOWN_MS = 30_000;

interface Fixture {
  readonly issuer: TestIssuer;
  readonly server: RunningServer;
}

/**
 * Each case gets its own issuer and server: what is under test is the server's key and discovery
 * cache, which a shared server would carry from one case into the next.
 */
async function withFixture(
  options: TestIssuerOptions,
  run: (fixture: Fixture) => Promise<void>,
  prepare?: (issuer: TestIssuer) => void,
): Promise<void> {
  const issuer = await startTestIssuer(options);
  prepare?.(issuer);
  const server = await startServer(issuer.issuer);
  issuer.audience = server.mcpUrl;
  try {
    await run({ issuer, server });
  } finally {
    await server.close();
    await issuer.close();
  }
}

/**
 * Moves the wall clock past the JWKS cooldown, as if the server had been running for a while.
 * Only `Date` is faked: jose reads it for its cache and cooldown; the app's own verifier clock and
 * every real timer keep running. Tokens are signed before the jump, in real time.
 */
function pastCooldown(t: TestContext): void {
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() + JWKS_COOLDOWN_MS + 1000 });
}

async function status(server: RunningServer, token: string): Promise<number> {
  return (await postMcp(server.mcpUrl, { token, body: toolCallBody('whoami') })).status;
}

async function readiness(server: RunningServer): Promise<{ status: number; tokens: string }> {
  const res = await getJson(`${server.origin}/readyz`);
  return {
    status: res.status,
    tokens: (JSON.parse(res.text) as { checks: { tokens: string } }).checks.tokens,
  };
}

/** A token with an unknown `crit` extension: the server runs discovery for it, then rejects it before any key lookup. */
async function discoveryOnlyToken(issuer: TestIssuer): Promise<string> {
  const key = issuer.keys[0];
  assert.ok(key);
  const now = nowSeconds();
  return signRs256(
    { kid: key.kid, typ: 'at+jwt', crit: ['urn:example:ext'], 'urn:example:ext': 1 },
    { iss: issuer.issuer, aud: issuer.audience, sub: 'alice', iat: now, exp: now + 300 },
    key.privateKey,
  );
}

test('rfc8725:jwks-rotation a rotated-in key is accepted after one JWKS refetch; the old key still works', async (t) => {
  await withFixture({}, async ({ issuer, server }) => {
    const oldKeyToken = await issuer.sign();
    assert.equal(await status(server, oldKeyToken), 200);
    assert.equal(issuer.hits.jwks, 1);

    await issuer.rotate();
    const newKeyToken = await issuer.sign();
    const newKid = issuer.keys.at(-1)?.kid;
    assert.notEqual(
      JSON.parse(Buffer.from(oldKeyToken.split('.')[0] ?? '', 'base64url').toString()).kid,
      newKid,
    );

    pastCooldown(t);
    assert.equal(await status(server, newKeyToken), 200);
    assert.equal(issuer.hits.jwks, 2, 'the unknown kid should cause exactly one refetch');
    assert.equal(await status(server, oldKeyToken), 200, 'a still-published old key must keep working');
    assert.equal(await status(server, newKeyToken), 200);
    assert.equal(issuer.hits.jwks, 2, 'known kids must be served from the cache');
  });
});

test('rs:jwks-refetch-cooldown unknown kids cause no refetch within the cooldown and only one after it', async (t) => {
  await withFixture({}, async ({ issuer, server }) => {
    const good = await issuer.sign();
    assert.equal(await status(server, good), 200);
    assert.equal(issuer.hits.jwks, 1);

    const forged = await Promise.all([1, 2, 3, 4, 5, 6].map(() => issuer.sign({ kid: randomUUID() })));
    for (const token of forged.slice(0, 3)) {
      const res = await postMcp(server.mcpUrl, { token });
      assert.equal(res.status, 401);
      assert.equal(parseChallenge(res.headers.get('www-authenticate')).params.error, 'invalid_token');
    }
    assert.equal(issuer.hits.jwks, 1, 'no refetch within the cooldown of the first fetch');

    pastCooldown(t);
    for (const token of forged.slice(3)) assert.equal(await status(server, token), 401);
    assert.equal(issuer.hits.jwks, 2, 'at most one refetch per cooldown');
    assert.equal(await status(server, good), 200);
  });
});

test('rs:issuer-unavailable-503 an issuer down before the first request → 503 with Retry-After, never 401', async (t) => {
  // The whole server runs on a fake wall clock, so the discovery retry delay can pass without a sleep.
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  await withFixture(
    {},
    async ({ issuer, server }) => {
      const token = await issuer.sign();
      const res = await postMcp(server.mcpUrl, {
        token,
        body: toolCallBody('create-todo', { content: 'x' }),
      });
      assert.equal(res.status, 503);
      assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.equal(res.headers.get('www-authenticate'), null);
      assert.equal((JSON.parse(res.text) as { error: string }).error, 'temporarily_unavailable');
      assert.ok(!res.text.includes(token));

      // A request without credentials is still told how to get some.
      assert.equal((await postMcp(server.mcpUrl)).status, 401);
      assert.deepEqual(await readiness(server), { status: 503, tokens: 'unavailable' });

      // rs:readyz-token-verification: back up, and ready again once the retry delay has passed.
      issuer.availability = 'ok';
      assert.equal((await postMcp(server.mcpUrl, { token })).status, 503, 'within the retry delay');
      t.mock.timers.tick(6_000);
      assert.deepEqual(await readiness(server), { status: 200, tokens: 'ok' });
      assert.equal(await status(server, token), 200);
    },
    (issuer) => {
      issuer.availability = 'down';
    },
  );
});

test('rs:readyz-token-verification an unreachable JWKS makes /readyz 503 and requests 503; both recover when it is back', async () => {
  await withFixture({}, async ({ issuer, server }) => {
    // Discovery succeeds and is cached, but the key set has never been fetched.
    assert.equal(await status(server, await discoveryOnlyToken(issuer)), 401);
    assert.deepEqual(issuer.hits, { discovery: 1, jwks: 0 });

    const token = await issuer.sign();
    issuer.availability = 'down';
    assert.deepEqual(await readiness(server), { status: 503, tokens: 'unavailable' });
    const down = await postMcp(server.mcpUrl, { token });
    assert.equal(down.status, 503, 'rs:issuer-unavailable-503: a JWKS outage is not a token problem');
    assert.match(down.headers.get('retry-after') ?? '', /^[1-9]\d*$/);

    issuer.availability = 'ok';
    assert.deepEqual(await readiness(server), { status: 200, tokens: 'ok' });
    assert.equal(await status(server, token), 200);
  });
});

test('rs:readyz-token-verification /readyz is 200 once discovery and keys are fetched', async () => {
  await withFixture({}, async ({ server }) => {
    assert.deepEqual(await readiness(server), { status: 200, tokens: 'ok' });
  });
});

test('rfc8414:issuer-match a discovery document naming another issuer is refused → 503, not 401', async () => {
  await withFixture({ claimedIssuer: 'https://evil.example.com' }, async ({ issuer, server }) => {
    const res = await postMcp(server.mcpUrl, { token: await issuer.sign() });
    assert.equal(res.status, 503);
    assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal(issuer.hits.jwks, 0, 'keys of an unverified issuer must not be fetched');
    assert.deepEqual(await readiness(server), { status: 503, tokens: 'unavailable' });
  });
});

test('oidc-discovery:path-appended a Keycloak-style issuer with a path is served end to end', async () => {
  await withFixture({ path: '/realms/test', discovery: 'oidc-appended' }, async ({ issuer, server }) => {
    assert.equal(await status(server, await issuer.sign({ header: { typ: 'JWT' } })), 200);
    assert.equal(await status(server, await issuer.sign({ claims: { iss: issuer.origin } })), 401);
  });
});
