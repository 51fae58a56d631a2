import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { calculateJwkThumbprint, type JWK, SignJWT } from 'jose';
import { REQUIREMENTS } from '../requirements/index.js';
import {
  ALL_SCOPES,
  base64url,
  DPOP_ALGS,
  nowSeconds,
  parseChallenge,
  postMcp,
  type RawResult,
  toolCallBody,
  toolResultOf,
} from '../support/auth-http.js';
import {
  ath,
  type DpopKey,
  dpopKey,
  makeProof,
  type ProofOptions,
  postWithProof,
  signWithoutChecks,
} from '../support/dpop.js';
import { useServerWithIssuer } from '../support/use-server.js';

/**
 * The DPoP adversarial suite (RFC 9449 §4.3, §7, §11): every request here presents a key-bound
 * token the way an attacker might, on a `create-todo` call that would leave a marker behind, and
 * each must be refused with a 401 and the challenge the contract names (ARCHITECTURE §2).
 */
interface DpopCase {
  readonly requirement: string;
  readonly name: string;
  readonly scheme: 'DPoP' | 'Bearer';
  readonly error: 'invalid_dpop_proof' | 'invalid_token';
  send(marker: string): Promise<RawResult>;
}

const ctx = useServerWithIssuer();
let key: DpopKey;
let otherKey: DpopKey;
let token: string;
let adminToken: string;
const MARKER = 'dpop-case-';

const htu = () => ctx.server.mcpUrl;
const createBody = (marker: string) => toolCallBody('create-todo', { content: marker });
const boundToken = (jkt = key.thumbprint, claims: Record<string, unknown> = {}) =>
  ctx.issuer.sign({ claims: { sub: 'dpop-user', scope: ALL_SCOPES, cnf: { jkt }, ...claims } });

/** A proof for `token` on this server unless the options bend it. */
const proof = (options: Partial<ProofOptions> = {}) =>
  makeProof({ key, htu: htu(), accessToken: token, ...options });

/** Sends `token` under the DPoP scheme with the proof the options describe. */
const withProof =
  (options: () => Partial<ProofOptions> | Promise<Partial<ProofOptions>> = () => ({})) =>
  async (marker: string) =>
    postWithProof(htu(), token, await proof(await options()), { body: createBody(marker) });

/** Sends an arbitrary proof text with `token`. */
const rawProof = (text: () => string | Promise<string>) => async (marker: string) =>
  postWithProof(htu(), token, await text(), { body: createBody(marker) });

const hostPort = () => new URL(htu());
const CASES: readonly DpopCase[] = [
  ...proofCases(),
  ...headerCases(),
  ...bindingCases(),
  ...malformedCases(),
];

function proofCases(): DpopCase[] {
  const bad = (requirement: string, name: string, send: DpopCase['send']): DpopCase => ({
    requirement,
    name,
    scheme: 'DPoP',
    error: 'invalid_dpop_proof',
    send,
  });
  return [
    bad(
      'rfc9449:proof-replay',
      'a proof used twice on one instance is refused the second time (RFC 9449 §11.1)',
      async (marker) => {
        const once = await proof();
        const first = await postWithProof(htu(), token, once, { body: toolCallBody('whoami') });
        assert.equal(first.status, 200, 'the first use is accepted');
        return postWithProof(htu(), token, once, { body: createBody(marker) });
      },
    ),
    bad(
      'rfc9449:htu',
      'htu with another host (RFC 9449 §4.3 item 9)',
      withProof(() => ({ htu: htu().replace(hostPort().hostname, 'evil.example') })),
    ),
    bad(
      'rfc9449:htu',
      'htu with another port (RFC 9449 §4.3 item 9)',
      withProof(() => ({ htu: htu().replace(`:${hostPort().port}`, ':1') })),
    ),
    bad(
      'rfc9449:htu',
      'htu with another scheme (RFC 9449 §4.3 item 9)',
      withProof(() => ({ htu: htu().replace('http:', 'https:') })),
    ),
    bad(
      'rfc9449:htu',
      'htu with another path (RFC 9449 §4.3 item 9)',
      withProof(() => ({ htu: `${hostPort().origin}/mcp/other` })),
    ),
    bad(
      'rfc9449:htu',
      'htu with a trailing slash (RFC 9449 §4.3 item 9)',
      withProof(() => ({ htu: `${htu()}/` })),
    ),
    bad(
      'rfc9449:htu',
      'htu with a query (RFC 9449 §4.2: htu has no query)',
      withProof(() => ({ htu: `${htu()}?x=1` })),
    ),
    bad(
      'rfc9449:htu',
      'htu with a fragment (RFC 9449 §4.2: htu has no fragment)',
      withProof(() => ({ htu: `${htu()}#f` })),
    ),
    bad(
      'rfc9449:htu',
      'htu with userinfo (RFC 9449 §4.3 item 9)',
      withProof(() => ({ htu: htu().replace('//', '//user@') })),
    ),
    bad(
      'rfc9449:htu',
      'htu that is not a URL (RFC 9449 §4.3 item 9)',
      withProof(() => ({ claims: { htu: 'mcp' } })),
    ),
    bad(
      'rfc9449:htu',
      'no htu (RFC 9449 §4.3 item 3)',
      withProof(() => ({ claims: { htu: undefined } })),
    ),
    bad(
      'rfc9449:htm',
      'htm GET on a POST (RFC 9449 §4.3 item 8)',
      withProof(() => ({ htm: 'GET' })),
    ),
    bad(
      'rfc9449:htm',
      'htm in lower case (RFC 9449 §4.3 item 8; methods are case-sensitive)',
      withProof(() => ({ htm: 'post' })),
    ),
    bad(
      'rfc9449:htm',
      'no htm (RFC 9449 §4.3 item 3)',
      withProof(() => ({ claims: { htm: undefined } })),
    ),
    bad(
      'rfc9449:iat-window',
      'iat two minutes old (RFC 9449 §4.3 item 11, §11.1)',
      withProof(() => ({ claims: { iat: nowSeconds() - 120 } })),
    ),
    bad(
      'rfc9449:iat-window',
      'iat two minutes ahead (RFC 9449 §4.3 item 11, §11.1)',
      withProof(() => ({ claims: { iat: nowSeconds() + 120 } })),
    ),
    bad(
      'rfc9449:iat-window',
      'iat an hour old (RFC 9449 §4.3 item 11)',
      withProof(() => ({ claims: { iat: nowSeconds() - 3600 } })),
    ),
    bad(
      'rfc9449:required-claims',
      'no iat (RFC 9449 §4.3 item 3)',
      withProof(() => ({ claims: { iat: undefined } })),
    ),
    bad(
      'rfc9449:required-claims',
      'iat as a string (RFC 9449 §4.2)',
      withProof(() => ({ claims: { iat: String(nowSeconds()) } })),
    ),
    bad(
      'rfc9449:required-claims',
      'no jti (RFC 9449 §4.3 item 3)',
      withProof(() => ({ claims: { jti: undefined } })),
    ),
    bad(
      'rfc9449:required-claims',
      'an oversized jti (RFC 9449 §11.1)',
      withProof(() => ({ claims: { jti: 'j'.repeat(1000) } })),
    ),
    bad(
      'rfc9449:ath',
      'no ath (RFC 9449 §4.3 item 12, §7)',
      withProof(() => ({ claims: { ath: undefined } })),
    ),
    bad(
      'rfc9449:ath',
      'ath of another token (RFC 9449 §4.3 item 12, §7)',
      withProof(async () => ({ accessToken: await boundToken() })),
    ),
  ];
}

function headerCases(): DpopCase[] {
  const bad = (requirement: string, name: string, send: DpopCase['send']): DpopCase => ({
    requirement,
    name,
    scheme: 'DPoP',
    error: 'invalid_dpop_proof',
    send,
  });
  return [
    bad(
      'rfc9449:public-jwk',
      'a jwk with the private key in it (RFC 9449 §4.3 item 7)',
      withProof(() => ({ header: { jwk: key.privateJwk } })),
    ),
    bad(
      'rfc9449:public-jwk',
      'a symmetric (oct) jwk under an asymmetric alg (RFC 9449 §4.3 item 7)',
      withProof(() => ({
        header: { jwk: { kty: 'oct', k: base64url('0123456789abcdef0123456789abcdef') } },
      })),
    ),
    bad(
      'rfc9449:public-jwk',
      'no jwk header (RFC 9449 §4.3 item 6)',
      withProof(() => ({ header: { jwk: undefined } })),
    ),
    bad(
      'rfc9449:public-jwk',
      'a jwk that is a string (RFC 9449 §4.2)',
      withProof(() => ({ header: { jwk: 'not-a-key' } })),
    ),
    bad(
      'rfc9449:asymmetric-alg',
      'alg none (RFC 9449 §4.3 item 5, §11.6)',
      rawProof(
        async () =>
          `${base64url({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk })}.${base64url(await proofClaims())}.`,
      ),
    ),
    bad(
      'rfc9449:asymmetric-alg',
      'alg none with a signature part (RFC 9449 §4.3 item 5)',
      rawProof(
        async () =>
          `${base64url({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk })}.${base64url(await proofClaims())}.AAAA`,
      ),
    ),
    bad(
      'rfc9449:asymmetric-alg',
      'HS256 keyed with a shared secret (RFC 9449 §4.3 item 5)',
      rawProof(() => hmacProof({ jwk: key.publicJwk })),
    ),
    bad(
      'rfc9449:asymmetric-alg',
      'RS256 with a 1024-bit key (RFC 9449 §4.3 item 5: acceptable per local policy)',
      async (marker) => {
        const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
        const jwk = publicKey.export({ format: 'jwk' }) as JWK;
        const weakToken = await boundToken(await calculateJwkThumbprint(jwk, 'sha256'));
        const claims = { ...(await proofClaims()), ath: ath(weakToken) };
        const weakProof = signWithoutChecks({ alg: 'RS256', typ: 'dpop+jwt', jwk }, claims, privateKey);
        return postWithProof(htu(), weakToken, weakProof, { body: createBody(marker) });
      },
    ),
    bad(
      'rfc9449:typ',
      'typ JWT (RFC 9449 §4.3 item 4)',
      withProof(() => ({ header: { typ: 'JWT' } })),
    ),
    bad(
      'rfc9449:typ',
      'typ at+jwt, an access token as a proof (RFC 9449 §4.3 item 4)',
      withProof(() => ({ header: { typ: 'at+jwt' } })),
    ),
    bad(
      'rfc9449:typ',
      'no typ (RFC 9449 §4.3 item 4)',
      withProof(() => ({ header: { typ: undefined } })),
    ),
    bad(
      'rfc9449:signature',
      'signed by another key than its jwk (RFC 9449 §4.3 item 6)',
      withProof(() => ({ signWith: otherKey.privateKey })),
    ),
    bad(
      'rfc9449:signature',
      'a signature from another proof (RFC 9449 §4.3 item 6)',
      rawProof(async () => {
        const [header, payload] = (await proof()).split('.');
        const [, , signature] = (await proof()).split('.');
        return `${header}.${payload}.${signature}`;
      }),
    ),
    bad(
      'rfc9449:signature',
      'an unknown crit extension (RFC 7515 §4.1.11; RFC 9449 §4.3 item 6)',
      rawProof(async () =>
        signWithoutChecks(
          { alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk, crit: ['x-unknown'], 'x-unknown': 1 },
          await proofClaims(),
          key.privateKey,
        ),
      ),
    ),
  ];
}

function bindingCases(): DpopCase[] {
  return [
    {
      requirement: 'rfc9449:key-binding',
      name: "a valid proof by a key other than the token's cnf.jkt (RFC 9449 §4.3 item 12, §6.1)",
      scheme: 'DPoP',
      error: 'invalid_token',
      send: (marker) =>
        makeProof({ key: otherKey, htu: htu(), accessToken: token }).then((p) =>
          postWithProof(htu(), token, p, { body: createBody(marker) }),
        ),
    },
    {
      requirement: 'rfc9449:key-binding',
      name: 'a token bound by x5t#S256 (mutual TLS), which no proof can satisfy (RFC 9449 §6; RFC 8705 §3.1)',
      scheme: 'DPoP',
      error: 'invalid_token',
      send: async (marker) => {
        const mtls = await ctx.issuer.sign({
          claims: { sub: 'dpop-user', scope: ALL_SCOPES, cnf: { 'x5t#S256': key.thumbprint } },
        });
        const p = await makeProof({ key, htu: htu(), accessToken: mtls });
        return postWithProof(htu(), mtls, p, { body: createBody(marker) });
      },
    },
    {
      requirement: 'rfc9449:bound-as-bearer',
      name: 'a DPoP-bound token sent as a Bearer token (RFC 9449 §7.2)',
      scheme: 'Bearer',
      error: 'invalid_token',
      send: (marker) => postWithProof(htu(), token, [], { scheme: 'Bearer', body: createBody(marker) }),
    },
    {
      requirement: 'rfc9449:bound-as-bearer',
      name: 'a DPoP-bound token sent as a Bearer token with a valid proof beside it (RFC 9449 §7.2)',
      scheme: 'Bearer',
      error: 'invalid_token',
      send: async (marker) =>
        postWithProof(htu(), token, await proof(), { scheme: 'Bearer', body: createBody(marker) }),
    },
    {
      requirement: 'rfc9449:unbound-as-dpop',
      name: 'an unbound token sent as DPoP with a valid proof (RFC 9449 §7.1)',
      scheme: 'DPoP',
      error: 'invalid_token',
      send: async (marker) => {
        const unbound = await ctx.issuer.sign({ claims: { sub: 'dpop-user', scope: ALL_SCOPES } });
        const p = await makeProof({ key, htu: htu(), accessToken: unbound });
        return postWithProof(htu(), unbound, p, { body: createBody(marker) });
      },
    },
    {
      requirement: 'rfc9449:dpop-challenge',
      name: 'an expired bound token with a valid proof gets the DPoP invalid_token challenge (RFC 9449 §7.1)',
      scheme: 'DPoP',
      error: 'invalid_token',
      send: async (marker) => {
        const expired = await boundToken(key.thumbprint, {
          iat: nowSeconds() - 7200,
          exp: nowSeconds() - 3600,
        });
        const p = await makeProof({ key, htu: htu(), accessToken: expired });
        return postWithProof(htu(), expired, p, { body: createBody(marker) });
      },
    },
  ];
}

function malformedCases(): DpopCase[] {
  const bad = (name: string, send: DpopCase['send']): DpopCase => ({
    requirement: name.includes('item 1') ? 'rfc9449:single-proof' : 'rfc9449:well-formed-proof',
    name,
    scheme: 'DPoP',
    error: 'invalid_dpop_proof',
    send,
  });
  return [
    bad('two DPoP headers (RFC 9449 §4.3 item 1)', async (marker) =>
      postWithProof(htu(), token, [await proof(), await proof()], { body: createBody(marker) }),
    ),
    bad(
      'two proofs joined in one DPoP header (RFC 9449 §4.3 item 1)',
      rawProof(async () => `${await proof()}, ${await proof()}`),
    ),
    bad('no DPoP header with the DPoP scheme (RFC 9449 §4.3 item 1, §7.1)', (marker) =>
      postWithProof(htu(), token, [], { body: createBody(marker) }),
    ),
    bad(
      'an oversized proof (RFC 9449 §4.3 item 2)',
      withProof(() => ({ claims: { pad: 'x'.repeat(9000) } })),
    ),
    bad(
      'a proof that is not a JWT (RFC 9449 §4.3 item 2)',
      rawProof(() => 'not-a-proof'),
    ),
    bad(
      'a proof with two segments (RFC 9449 §4.3 item 2)',
      rawProof(async () => (await proof()).split('.').slice(0, 2).join('.')),
    ),
    bad(
      'a proof whose header is not JSON (RFC 9449 §4.3 item 2)',
      rawProof(async () => `${base64url('{not json')}.${(await proof()).split('.').slice(1).join('.')}`),
    ),
    bad(
      'a proof whose payload is not JSON (RFC 9449 §4.3 item 2)',
      rawProof(async () =>
        signWithoutChecks({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk }, '[1,2', key.privateKey),
      ),
    ),
    bad(
      'an empty DPoP header (RFC 9449 §4.3 item 2)',
      rawProof(() => ''),
    ),
  ];
}

/** The claims of a correct proof, for hand-built ones. */
async function proofClaims(): Promise<Record<string, unknown>> {
  const [, payload = ''] = (await proof()).split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
}

/** A proof MACed with HS256 under a shared secret, with the header's jwk as given. */
async function hmacProof(header: Record<string, unknown>): Promise<string> {
  const secret = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
  return new SignJWT(await proofClaims())
    .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', ...header })
    .sign(secret);
}

async function everyMarker(): Promise<string[]> {
  const answer = toolResultOf(
    await postWithProof(htu(), adminToken, [], {
      scheme: 'Bearer',
      body: toolCallBody('get-todos', { limit: 200 }),
    }),
  );
  assert.ok(answer && !answer.isError, 'the admin can list');
  return (answer.value.todos as { content: string }[])
    .map((t) => t.content)
    .filter((c) => c.startsWith(MARKER));
}

before(async () => {
  await ctx.ready;
  [key, otherKey] = await Promise.all([dpopKey('ES256'), dpopKey('ES256')]);
  token = await boundToken();
  adminToken = await ctx.issuer.sign({ claims: { sub: 'auditor', scope: ALL_SCOPES } });
});

describe('correct DPoP requests (controls)', () => {
  for (const alg of ['ES256', 'RS256', 'PS256', 'EdDSA', 'Ed25519', 'ES384']) {
    test(`rfc9449:accepted a token bound to an ${alg} key, with a fresh proof, is accepted (RFC 9449 §7.1)`, async () => {
      const algKey = await dpopKey(alg);
      const bound = await boundToken(algKey.thumbprint);
      const answer = await postWithProof(
        htu(),
        bound,
        await makeProof({ key: algKey, htu: htu(), accessToken: bound }),
      );
      assert.equal(answer.status, 200, answer.text);
      assert.equal(toolResultOf(answer)?.value.subject, 'dpop-user');
    });
  }

  test('rfc9449:htu an equivalent htu after RFC 3986 normalization is accepted (RFC 9449 §4.3 item 9)', async () => {
    const url = new URL(htu());
    const variants = [
      `HTTP://${url.host.toUpperCase()}/mcp`,
      `${url.origin}/a/../mcp`,
      `${url.origin}/%6Dcp`,
      `${url.protocol}//${url.hostname}:${url.port}/./mcp`,
    ];
    for (const variant of variants) {
      const answer = await postWithProof(htu(), token, await proof({ htu: variant }));
      assert.equal(answer.status, 200, `${variant}: ${answer.text}`);
    }
  });

  test('rfc9449:iat-window a proof 30 s old or 30 s ahead is accepted (RFC 9449 §11.1 clock skew)', async () => {
    for (const skew of [-30, 30]) {
      const answer = await postWithProof(htu(), token, await proof({ claims: { iat: nowSeconds() + skew } }));
      assert.equal(answer.status, 200, `${skew} s: ${answer.text}`);
    }
  });

  test('rfc9449:token-cache-proof the token is cached, yet every request needs its own fresh proof (RFC 9449 §4.3)', async () => {
    const first = await proof();
    assert.equal((await postWithProof(htu(), token, first)).status, 200);
    assert.equal((await postWithProof(htu(), token, await proof())).status, 200);
    assert.equal(
      (await postWithProof(htu(), token, first)).status,
      401,
      'the cached token did not let a used proof through',
    );
    assert.equal((await postWithProof(htu(), token, [])).status, 401, 'nor no proof at all');
  });
});

const accepted: string[] = [];
const ran = new Set<DpopCase>();

/** Runs the cases of one requirement; each group's title names its id, as the requirements check wants. */
function casesOf(requirement: string): void {
  for (const bad of CASES.filter((c) => c.requirement === requirement)) {
    test(bad.name, async () => {
      ran.add(bad);
      assert.ok(bad.requirement in REQUIREMENTS, `${bad.requirement} is a listed requirement`);
      const answer = await bad.send(`${MARKER}${CASES.indexOf(bad)}`);
      if (answer.status < 300) accepted.push(bad.name);
      assert.equal(answer.status, 401, answer.text.slice(0, 300));
      const header = String(answer.headers['www-authenticate'] ?? '');
      const { scheme, params } = parseChallenge(header);
      assert.equal(scheme, bad.scheme, header);
      assert.equal(params.error, bad.error, header);
      assert.equal(params.resource_metadata, `${ctx.server.origin}/.well-known/oauth-protected-resource/mcp`);
      if (bad.scheme === 'DPoP') assert.equal(params.algs, DPOP_ALGS);
      assert.equal((JSON.parse(answer.text) as { error: string }).error, bad.error);
      assert.ok(!answer.text.includes(token) && !header.includes(token), 'the token is not echoed');
    });
  }
}

describe('DPoP adversarial requests', () => {
  describe('rfc9449:single-proof not exactly one DPoP header (RFC 9449 §4.3 item 1)', () =>
    casesOf('rfc9449:single-proof'));
  describe('rfc9449:well-formed-proof malformed and oversized proofs (RFC 9449 §4.3 item 2)', () =>
    casesOf('rfc9449:well-formed-proof'));
  describe('rfc9449:required-claims missing or bad jti and iat (RFC 9449 §4.3 item 3)', () =>
    casesOf('rfc9449:required-claims'));
  describe('rfc9449:typ a type other than dpop+jwt (RFC 9449 §4.3 item 4)', () => casesOf('rfc9449:typ'));
  describe('rfc9449:asymmetric-alg none, MAC and weak keys (RFC 9449 §4.3 item 5)', () =>
    casesOf('rfc9449:asymmetric-alg'));
  describe('rfc9449:signature signatures that do not verify (RFC 9449 §4.3 item 6)', () =>
    casesOf('rfc9449:signature'));
  describe('rfc9449:public-jwk keys that are not public (RFC 9449 §4.3 item 7)', () =>
    casesOf('rfc9449:public-jwk'));
  describe('rfc9449:htm another method (RFC 9449 §4.3 item 8)', () => casesOf('rfc9449:htm'));
  describe('rfc9449:htu another URL (RFC 9449 §4.2, §4.3 item 9)', () => casesOf('rfc9449:htu'));
  describe('rfc9449:iat-window proofs made at another time (RFC 9449 §4.3 item 11, §11.1)', () =>
    casesOf('rfc9449:iat-window'));
  describe('rfc9449:ath proofs for another token (RFC 9449 §4.3 item 12)', () => casesOf('rfc9449:ath'));
  describe('rfc9449:key-binding proofs by another key (RFC 9449 §4.3 item 12, §6.1)', () =>
    casesOf('rfc9449:key-binding'));
  describe('rfc9449:proof-replay replayed proofs (RFC 9449 §11.1)', () => casesOf('rfc9449:proof-replay'));
  describe('rfc9449:bound-as-bearer bound tokens under the Bearer scheme (RFC 9449 §7.2)', () =>
    casesOf('rfc9449:bound-as-bearer'));
  describe('rfc9449:unbound-as-dpop unbound tokens under the DPoP scheme (RFC 9449 §7.1)', () =>
    casesOf('rfc9449:unbound-as-dpop'));
  describe('rfc9449:dpop-challenge token failures under the DPoP scheme (RFC 9449 §7.1)', () =>
    casesOf('rfc9449:dpop-challenge'));
});

test('summary: no DPoP adversarial case was accepted, and none left a todo behind', async (t) => {
  t.diagnostic(`${CASES.length} DPoP adversarial cases, ${accepted.length} accepted`);
  assert.ok(CASES.length >= 45, 'the suite covers at least 45 cases');
  assert.equal(ran.size, CASES.length, 'every case ran in the group of its requirement');
  assert.deepEqual(accepted, []);
  assert.deepEqual(await everyMarker(), []);
  // A sanity check that the marker listing would see one: a correct request leaves its marker.
  const marker = `${MARKER}control-${randomUUID()}`;
  const answer = await postWithProof(htu(), token, await proof(), { body: createBody(marker) });
  assert.equal(toolResultOf(answer)?.isError, false);
  assert.deepEqual(await everyMarker(), [marker]);
});

describe('DPoP and the rest of the contract', () => {
  test('rfc9449:dpop-challenge a proof failure names DPoP, invalid_dpop_proof, algs, resource_metadata and scope (RFC 9449 §7.1)', async () => {
    const answer = await postWithProof(htu(), token, await proof({ htm: 'PUT' }));
    const { scheme, params } = parseChallenge(String(answer.headers['www-authenticate']));
    assert.deepEqual(
      { scheme, ...params },
      {
        scheme: 'DPoP',
        error: 'invalid_dpop_proof',
        error_description: 'the DPoP proof is for another HTTP method',
        algs: DPOP_ALGS,
        resource_metadata: `${ctx.server.origin}/.well-known/oauth-protected-resource/mcp`,
        scope: ALL_SCOPES,
      },
    );
  });

  test('rfc9449:step-up-dpop a DPoP caller lacking a scope gets a 403 DPoP insufficient_scope challenge (RFC 9449 §7.1; RFC 6750 §3.1)', async () => {
    const narrow = await ctx.issuer.sign({
      claims: { sub: 'reader', scope: 'read:todos', cnf: { jkt: key.thumbprint } },
    });
    const p = await makeProof({ key, htu: htu(), accessToken: narrow });
    const answer = await postWithProof(htu(), narrow, p, { body: createBody('needs create') });
    assert.equal(answer.status, 403);
    const { scheme, params } = parseChallenge(String(answer.headers['www-authenticate']));
    assert.equal(scheme, 'DPoP');
    assert.equal(params.error, 'insufficient_scope');
    assert.equal(params.scope, 'create:todos');
    assert.equal(params.algs, DPOP_ALGS);
  });

  test('rfc9449:prm-algs the metadata lists the proof algorithms and does not require DPoP (RFC 9728 §2)', async () => {
    const doc = (await (
      await fetch(`${ctx.server.origin}/.well-known/oauth-protected-resource/mcp`)
    ).json()) as Record<string, unknown>;
    assert.deepEqual(doc.dpop_signing_alg_values_supported, DPOP_ALGS.split(' '));
    assert.equal(doc.dpop_bound_access_tokens_required, undefined);
  });

  test('rfc9449:cors-dpop-header a browser preflight may send the DPoP header', async () => {
    const response = await fetch(htu(), {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:6274', 'access-control-request-headers': 'authorization, dpop' },
    });
    assert.equal(response.status, 204);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /(^|, )DPoP(,|$)/);
  });

  test('rfc9449:both-challenges a Bearer token still works beside DPoP in the default mode', async () => {
    const bearer = await ctx.issuer.sign({ claims: { sub: 'plain' } });
    assert.equal((await postMcp(htu(), { token: bearer })).status, 200);
  });
});
