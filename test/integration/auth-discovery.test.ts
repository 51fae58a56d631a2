import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDiscovery } from '../../src/auth/discovery.js';
import { AppError } from '../../src/errors.js';
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js';

function isUnavailable(error: unknown): boolean {
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.code, 'temporarily_unavailable');
  assert.equal(error.status, 503);
  return true;
}

describe('createDiscovery against real local issuers', () => {
  let plain: TestIssuer;
  let oauthPath: TestIssuer;
  let oidcInserted: TestIssuer;
  let oidcAppended: TestIssuer;
  let impostor: TestIssuer;

  before(async () => {
    [plain, oauthPath, oidcInserted, oidcAppended, impostor] = await Promise.all([
      startTestIssuer(),
      startTestIssuer({ path: '/realms/test', discovery: 'oauth' }),
      startTestIssuer({ path: '/realms/test', discovery: 'oidc-inserted' }),
      startTestIssuer({ path: '/realms/test', discovery: 'oidc-appended' }),
      startTestIssuer({ claimedIssuer: 'https://evil.example.com' }),
    ]);
  });
  after(async () => {
    await Promise.all([plain, oauthPath, oidcInserted, oidcAppended, impostor].map((i) => i.close()));
  });

  /** Runs `body` and answers how many discovery documents the issuer served meanwhile. */
  async function fetchesDuring(issuer: TestIssuer, body: () => Promise<void>): Promise<number> {
    const before = issuer.hits.discovery;
    await body();
    return issuer.hits.discovery - before;
  }

  test('rfc8414:path-less-issuer is found at /.well-known/oauth-authorization-server', async () => {
    const fetches = await fetchesDuring(plain, async () => {
      const doc = await createDiscovery({ issuer: plain.issuer }).metadata();
      assert.equal(doc.issuer, plain.issuer);
      assert.equal(doc.jwks_uri, `${plain.origin}/jwks`);
    });
    assert.equal(fetches, 1);
  });

  test('rfc8414:path-inserted an issuer with a path is found via the path-inserted RFC 8414 URL', async () => {
    const doc = await createDiscovery({ issuer: oauthPath.issuer }).metadata();
    assert.equal(doc.issuer, `${oauthPath.origin}/realms/test`);
    assert.equal(doc.jwks_uri, `${oauthPath.origin}/realms/test/jwks`);
  });

  test('oidc-discovery:path-inserted an issuer with a path is found via the path-inserted OIDC URL', async () => {
    const doc = await createDiscovery({ issuer: oidcInserted.issuer }).metadata();
    assert.equal(doc.issuer, oidcInserted.issuer);
    // The document leads to the issuer's real signing keys.
    const jwks = (await (await fetch(String(doc.jwks_uri))).json()) as { keys: { kid: string }[] };
    assert.deepEqual(
      jwks.keys.map((k) => k.kid),
      oidcInserted.keys.map((k) => k.kid),
    );
  });

  test('oidc-discovery:path-appended an issuer with a path is found via the path-appended OIDC URL', async () => {
    const doc = await createDiscovery({ issuer: oidcAppended.issuer }).metadata();
    assert.equal(doc.issuer, oidcAppended.issuer);
    assert.equal(doc.jwks_uri, `${oidcAppended.origin}/realms/test/jwks`);
  });

  test('rfc8414:issuer-match a document whose issuer differs from the configured one is refused', async () => {
    const fetches = await fetchesDuring(impostor, async () => {
      await assert.rejects(createDiscovery({ issuer: impostor.issuer }).metadata(), isUnavailable);
    });
    assert.ok(fetches >= 1, 'the document was fetched, then refused');
  });

  test('rfc8414:issuer-match the configured issuer is compared exactly, trailing slash included', async () => {
    await assert.rejects(createDiscovery({ issuer: `${plain.issuer}/` }).metadata(), isUnavailable);
  });

  test('an issuer that serves no discovery document is reported unavailable', async () => {
    await assert.rejects(
      createDiscovery({ issuer: `${oidcAppended.origin}/realms/other` }).metadata(),
      isUnavailable,
    );
  });

  test('a fetched document is cached until maxAgeMs passes', async () => {
    let now = 1_000_000;
    const discovery = createDiscovery({ issuer: plain.issuer, maxAgeMs: 60_000, now: () => now });
    const cached = await fetchesDuring(plain, async () => {
      await discovery.metadata();
      now += 59_000;
      await discovery.metadata();
    });
    assert.equal(cached, 1);
    now += 2_000;
    assert.equal(await fetchesDuring(plain, () => discovery.metadata().then(() => undefined)), 1);
  });

  test('after a failure, callers are refused without a fetch until retryAfterMs passes', async () => {
    let now = 1_000_000;
    const discovery = createDiscovery({ issuer: plain.issuer, retryAfterMs: 5_000, now: () => now });
    plain.availability = 'down';
    try {
      await assert.rejects(discovery.metadata(), isUnavailable);
    } finally {
      plain.availability = 'ok';
    }
    now += 4_000;
    const refused = await fetchesDuring(plain, async () => {
      await assert.rejects(discovery.metadata(), isUnavailable);
    });
    assert.equal(refused, 0, 'no fetch during the retry delay');
    now += 2_000;
    assert.equal(await fetchesDuring(plain, () => discovery.metadata().then(() => undefined)), 1);
  });

  test('a stale document is kept while the issuer is briefly unreachable', async () => {
    let now = 1_000_000;
    const discovery = createDiscovery({ issuer: plain.issuer, maxAgeMs: 60_000, now: () => now });
    const fresh = await discovery.metadata();
    plain.availability = 'down';
    try {
      now += 120_000;
      assert.deepEqual(await discovery.metadata(), fresh);
    } finally {
      plain.availability = 'ok';
    }
  });

  test('concurrent callers share one fetch', async () => {
    const discovery = createDiscovery({ issuer: plain.issuer });
    const fetches = await fetchesDuring(plain, async () => {
      await Promise.all([discovery.metadata(), discovery.metadata(), discovery.metadata()]);
    });
    assert.equal(fetches, 1);
  });
});
