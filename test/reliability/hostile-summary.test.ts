import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose';
import type { Todo } from '../../src/todos/todo.js';
import { REQUIREMENTS } from '../requirements/index.js';
import {
  ALL_SCOPES,
  compactJws,
  nowSeconds,
  postMcp,
  sendRaw,
  signRs256,
  toolCallBody,
  toolResultOf,
} from '../support/auth-http.js';
import type { SignOptions } from '../support/test-issuer.js';
import { useServerWithIssuer } from '../support/use-server.js';

/**
 * One request an attacker might send, the rule that refuses it, and how it must be refused:
 * an HTTP status, or HTTP 200 carrying a tool error with `toolError` as its code.
 */
interface HostileCase {
  readonly requirement: string;
  readonly name: string;
  readonly status: number;
  readonly toolError?: string;
  send(marker: string): Promise<Answer>;
  /** For cases answered with data: whether the answer reached someone else's todos. */
  readonly leaks?: (answer: Answer) => boolean;
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
}

const VICTIM = 'victim';
const ATTACKER = 'mallory';
const MARKER = 'hostile-case-';

const ctx = useServerWithIssuer();
let victimTodos: Todo[];
let victimCursor: string;
let attackerToken: string;
let adminToken: string;

async function post(options: Parameters<typeof postMcp>[1]): Promise<Answer> {
  const result = await postMcp(ctx.server.mcpUrl, options);
  return { status: result.status, text: result.text, contentType: result.headers.get('content-type') ?? '' };
}

function raw(headers: Record<string, string | string[]>, body: string, search = ''): Promise<Answer> {
  return sendRaw(`${ctx.server.mcpUrl}${search}`, headers, body);
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** Claims of a token for this server, for hand-built shapes the test issuer will not sign. */
function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return {
    iss: ctx.issuer.issuer,
    aud: ctx.server.mcpUrl,
    sub: VICTIM,
    client_id: 'evil-client',
    scope: ALL_SCOPES,
    iat: now,
    exp: now + 300,
    ...extra,
  };
}

/** Presents a forged or unusable token on a create-todo call that would leave a marker behind. */
const withToken = (token: () => Promise<string> | string) => async (marker: string) =>
  post({ token: await token(), body: toolCallBody('create-todo', { content: marker }) });

/** A victim-impersonating token with every scope, signed by the real issuer with changes. */
const signed = (options: () => SignOptions) => () => {
  const { claims: extra, ...rest } = options();
  return ctx.issuer.sign({ ...rest, claims: { sub: VICTIM, scope: ALL_SCOPES, ...extra } });
};

const asAttacker = (name: string, args: Record<string, unknown>) => async () =>
  post({ token: attackerToken, body: toolCallBody(name, args) });

const victimTodo = (index: number): Todo => {
  const todo = victimTodos[index];
  assert.ok(todo, `victim todo ${index}`);
  return todo;
};

/** Whether a get-todos answer lists any todo that is not the attacker's. */
const listsOthers = (answer: Answer) =>
  ((toolResultOf(answer)?.value.todos as Todo[] | undefined) ?? []).some((todo) => todo.ownerId !== ATTACKER);

const CASES: readonly HostileCase[] = [
  // Token tricks: forged signatures, algorithms and keys.
  {
    requirement: 'rfc8725:alg-none',
    name: 'an unsigned token (alg none) for the victim',
    status: 401,
    send: withToken(() => compactJws({ alg: 'none', typ: 'at+jwt' }, claims())),
  },
  {
    requirement: 'rfc8725:alg-none',
    name: 'alg NONE with a made-up signature, lowercase "bearer" scheme',
    status: 401,
    send: async (marker) =>
      post({
        authorization: `bearer ${compactJws({ alg: 'NONE', typ: 'at+jwt' }, claims(), 'c2lnbmF0dXJl')}`,
        body: toolCallBody('create-todo', { content: marker }),
      }),
  },
  {
    requirement: 'rfc8725:no-hmac',
    name: 'HS256 keyed with the published RSA public key (key confusion)',
    status: 401,
    send: withToken(async () => {
      const jwk = ctx.issuer.keys[0]?.publicJwk;
      assert.ok(jwk);
      const publicKey = await importJWK(jwk, 'RS256', { extractable: true });
      assert.ok(!(publicKey instanceof Uint8Array));
      return new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwk.kid ?? '' })
        .sign(new TextEncoder().encode(await exportSPKI(publicKey)));
    }),
  },
  {
    requirement: 'rfc8725:no-hmac',
    name: 'HS256 with a guessed shared secret',
    status: 401,
    send: withToken(() =>
      new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .sign(new TextEncoder().encode('secretsecretsecretsecretsecret!!')),
    ),
  },
  {
    requirement: 'rfc8725:alg-allow-list',
    name: 'an algorithm outside the allow-list (RS1)',
    status: 401,
    send: withToken(() =>
      compactJws({ alg: 'RS1', typ: 'at+jwt', kid: ctx.issuer.keys[0]?.kid }, claims(), 'c2lnbmF0dXJl'),
    ),
  },
  {
    requirement: 'rfc7515:signature-verified',
    name: "the attacker's own token with its payload swapped for the victim's and every scope",
    status: 401,
    send: withToken(() => {
      const [header, , signature] = attackerToken.split('.');
      return `${header}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.${signature}`;
    }),
  },
  {
    requirement: 'rfc9068:keys-from-jwks',
    name: 'signed by an unpublished key that borrows a published kid',
    status: 401,
    send: withToken(signed(() => ({ rogue: true, kid: ctx.issuer.keys[0]?.kid ?? '' }))),
  },
  {
    requirement: 'rfc8725:no-embedded-keys',
    name: 'signed by the attacker, who embeds the matching public key in a jwk header',
    status: 401,
    send: withToken(async () => {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      return new SignJWT(claims())
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', jwk: await exportJWK(publicKey) })
        .sign(privateKey);
    }),
  },
  {
    requirement: 'rfc8725:no-embedded-keys',
    name: 'a correctly signed token whose jku header points at a key set the attacker serves',
    status: 401,
    send: withToken(signed(() => ({ header: { jku: 'http://127.0.0.1:9/jwks.json' } }))),
  },
  {
    requirement: 'rfc7515:crit',
    name: 'a correctly signed token with an unknown critical header',
    status: 401,
    send: withToken(() => {
      const key = ctx.issuer.keys[0];
      assert.ok(key);
      const header = { kid: key.kid, typ: 'at+jwt', crit: ['urn:evil:ext'], 'urn:evil:ext': true };
      return signRs256(header, claims(), key.privateKey);
    }),
  },
  {
    requirement: 'rfc9068:jws-only',
    name: 'an encrypted-looking (JWE, five segments) token',
    status: 401,
    send: withToken(
      () =>
        `${Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url')}..aXY.Y2lwaGVy.dGFn`,
    ),
  },
  {
    requirement: 'rfc6750:malformed-token',
    name: 'a garbage credential',
    status: 401,
    send: withToken(() => 'a.b.c'),
  },
  // Token tricks: claims.
  {
    requirement: 'rfc9068:iss-exact',
    name: 'a token from another issuer',
    status: 401,
    send: withToken(signed(() => ({ claims: { iss: 'https://evil.example.com' } }))),
  },
  {
    requirement: 'rfc9068:iss-exact',
    name: 'the issuer with a trailing slash',
    status: 401,
    send: withToken(signed(() => ({ claims: { iss: `${ctx.issuer.issuer}/` } }))),
  },
  {
    requirement: 'rfc8707:audience',
    name: 'a token for another resource (token passthrough)',
    status: 401,
    send: withToken(signed(() => ({ claims: { aud: 'https://other-api.example.com/mcp' } }))),
  },
  {
    requirement: 'rfc8707:audience',
    name: 'a token whose audience is the authorization server',
    status: 401,
    send: withToken(signed(() => ({ claims: { aud: ctx.issuer.issuer } }))),
  },
  {
    requirement: 'rfc9068:typ',
    name: 'an ID token (typ id_token+jwt) used as an access token',
    status: 401,
    send: withToken(signed(() => ({ header: { typ: 'id_token+jwt' } }))),
  },
  {
    requirement: 'rfc9068:typ',
    name: 'a DPoP proof (typ dpop+jwt) used as an access token',
    status: 401,
    send: withToken(signed(() => ({ header: { typ: 'dpop+jwt' } }))),
  },
  {
    requirement: 'rfc7519:exp-required',
    name: 'a token that expired an hour ago',
    status: 401,
    send: withToken(signed(() => ({ claims: { iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 } }))),
  },
  {
    requirement: 'rfc7519:exp-required',
    name: 'a token without exp (never expires)',
    status: 401,
    send: withToken(signed(() => ({ claims: { exp: undefined } }))),
  },
  {
    requirement: 'rfc7519:nbf',
    name: 'a token not valid for another two minutes',
    status: 401,
    send: withToken(signed(() => ({ claims: { nbf: nowSeconds() + 120, exp: nowSeconds() + 600 } }))),
  },
  {
    requirement: 'rfc9068:iat-sanity',
    name: 'a token issued an hour in the future',
    status: 401,
    send: withToken(signed(() => ({ claims: { iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 } }))),
  },
  {
    requirement: 'rs:token-size-limit',
    name: 'a correctly signed token over 8192 characters',
    status: 401,
    send: withToken(signed(() => ({ claims: { padding: 'x'.repeat(9000) } }))),
  },
  {
    requirement: 'rfc9449:key-bound-token',
    name: 'a DPoP-bound token (cnf.jkt) replayed as a bearer token',
    status: 401,
    send: withToken(
      signed(() => ({ claims: { cnf: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' } } })),
    ),
  },
  {
    requirement: 'rfc9068:sub-required',
    name: 'a token without a subject',
    status: 401,
    send: withToken(signed(() => ({ claims: { sub: undefined } }))),
  },
  {
    // A lone surrogate is not Unicode: a UTF-8 driver stores U+FFFD instead, so on PostgreSQL two
    // such subjects ("victim\ud800", "victim\udfff") would become one owner.
    requirement: 'rfc9068:sub-required',
    name: 'a subject that is not well-formed Unicode (a lone surrogate)',
    status: 401,
    send: withToken(signed(() => ({ claims: { sub: `${VICTIM}\ud800` } }))),
  },
  {
    requirement: 'rfc9068:scope-claim',
    name: 'scopes smuggled as an object',
    status: 401,
    send: withToken(signed(() => ({ claims: { scope: { 'read:todos': true } } }))),
  },
  // Where the token is placed.
  {
    requirement: 'rfc6750:no-query-token',
    name: "the victim's valid token in the query string",
    status: 400,
    send: async (marker) =>
      raw(
        JSON_HEADERS,
        toolCallBody('create-todo', { content: marker }),
        `?access_token=${await ctx.issuer.sign({ claims: { sub: VICTIM } })}`,
      ),
  },
  {
    requirement: 'rfc6750:no-query-token',
    name: 'a query token next to a valid Authorization header',
    status: 400,
    send: async (marker) =>
      raw(
        { ...JSON_HEADERS, authorization: `Bearer ${attackerToken}` },
        toolCallBody('create-todo', { content: marker }),
        `?access_token=${await ctx.issuer.sign({ claims: { sub: VICTIM, scope: ALL_SCOPES } })}`,
      ),
  },
  {
    requirement: 'rfc6750:single-authorization-header',
    name: 'two Authorization headers (the attacker’s and a forged admin one)',
    status: 400,
    send: async (marker) =>
      raw(
        {
          ...JSON_HEADERS,
          authorization: [`Bearer ${attackerToken}`, `Bearer ${compactJws({ alg: 'none' }, claims())}`],
        },
        toolCallBody('create-todo', { content: marker }),
      ),
  },
  {
    requirement: 'rfc6750:non-bearer-scheme',
    name: 'Basic credentials for the victim',
    status: 401,
    send: async (marker) =>
      post({
        authorization: `Basic ${Buffer.from(`${VICTIM}:password`).toString('base64')}`,
        body: toolCallBody('create-todo', { content: marker }),
      }),
  },
  {
    requirement: 'rfc6750:non-bearer-scheme',
    name: 'a valid token under an odd scheme (Token …)',
    status: 401,
    send: async (marker) =>
      post({ authorization: `Token ${adminToken}`, body: toolCallBody('create-todo', { content: marker }) }),
  },
  {
    requirement: 'rfc6750:401-challenge',
    name: 'a valid token in a form body instead of the header',
    status: 401,
    send: async (marker) =>
      raw(
        { 'content-type': 'application/x-www-form-urlencoded', accept: JSON_HEADERS.accept },
        new URLSearchParams({ access_token: adminToken, content: marker }).toString(),
      ),
  },
  // Scope misuse.
  {
    requirement: 'rbac:create-needs-scope',
    name: 'create-todo with a token that has no scopes',
    status: 403,
    send: async (marker) =>
      post({
        token: await ctx.issuer.sign({ claims: { sub: ATTACKER, scope: '' } }),
        body: toolCallBody('create-todo', { content: marker }),
      }),
  },
  {
    requirement: 'mcp:step-up-owner-filter',
    name: "get-todos with the victim's ownerId, without read:todos",
    status: 403,
    send: asAttacker('get-todos', { ownerId: VICTIM }),
  },
  {
    requirement: 'rbac:owner-filter-needs-read',
    name: 'get-todos with a look-alike ownerId (case and spaces), without read:todos',
    status: 403,
    send: asAttacker('get-todos', { ownerId: ` ${VICTIM.toUpperCase()}` }),
  },
  // Object-level access: ids, filters and cursors.
  {
    requirement: 'rbac:update-owner-only',
    name: "update-todo on the victim's todo by id",
    status: 200,
    toolError: 'not_found',
    send: async () => asAttacker('update-todo', { id: victimTodo(0).id, content: 'owned', done: true })(),
  },
  {
    requirement: 'rbac:update-owner-only',
    name: "update-todo on the victim's todo with every scope (admin)",
    status: 200,
    toolError: 'not_found',
    send: async () =>
      post({ token: adminToken, body: toolCallBody('update-todo', { id: victimTodo(1).id, done: true }) }),
  },
  {
    requirement: 'rbac:delete-others-denied',
    name: "delete-todo on the victim's todo by id",
    status: 200,
    toolError: 'not_found',
    send: async () => asAttacker('delete-todo', { id: victimTodo(0).id })(),
  },
  {
    requirement: 'rbac:delete-others-denied',
    name: "delete-todo on the victim's todo, naming the victim as owner in the arguments",
    status: 200,
    toolError: 'not_found',
    send: async () => asAttacker('delete-todo', { id: victimTodo(2).id, ownerId: VICTIM })(),
  },
  {
    requirement: 'rbac:not-found-indistinguishable',
    name: 'delete-todo with an SQL-injection id',
    status: 200,
    toolError: 'not_found',
    send: asAttacker('delete-todo', { id: "' OR '1'='1" }),
  },
  {
    requirement: 'rbac:cursor-no-widening',
    name: "a forged cursor naming the victim's newest todo",
    status: 200,
    toolError: 'invalid_params',
    send: async () => {
      const todo = victimTodo(0);
      const forged = Buffer.from(JSON.stringify([todo.createdAt, todo.id, 'forged-tag'])).toString(
        'base64url',
      );
      return asAttacker('get-todos', { cursor: forged })();
    },
    leaks: listsOthers,
  },
  {
    requirement: 'rbac:cursor-no-widening',
    name: "the victim's own page cursor replayed by the attacker",
    status: 200,
    toolError: 'invalid_params',
    send: async () => asAttacker('get-todos', { cursor: victimCursor })(),
    leaks: listsOthers,
  },
  {
    requirement: 'rbac:list-own-only',
    name: "get-todos searching for the victim's text, and for SQL wildcards",
    status: 200,
    send: async () => {
      const byText = await asAttacker('get-todos', { query: victimTodo(0).content })();
      const wildcard = await asAttacker('get-todos', { query: '%' })();
      return listsOthers(byText) ? byText : wildcard;
    },
    leaks: listsOthers,
  },
  {
    requirement: 'rbac:create-owned-by-caller',
    name: 'create-todo naming the victim as owner in the arguments',
    status: 200,
    send: async (marker) => asAttacker('create-todo', { content: marker, ownerId: VICTIM })(),
    leaks: (answer) => toolResultOf(answer)?.value.ownerId !== ATTACKER,
  },
];

/** Every todo, as an admin (read:todos) sees them. */
async function everyTodo(): Promise<Todo[]> {
  const answer = toolResultOf(
    await post({ token: adminToken, body: toolCallBody('get-todos', { limit: 200 }) }),
  );
  assert.ok(answer && !answer.isError, 'the admin can list');
  assert.equal(answer.value.nextCursor, undefined, 'one page holds everything');
  return answer.value.todos as Todo[];
}

before(async () => {
  await ctx.ready;
  attackerToken = await ctx.issuer.sign({
    claims: { sub: ATTACKER, client_id: 'evil-client', scope: 'create:todos' },
  });
  adminToken = await ctx.issuer.sign({
    claims: { sub: 'boss', client_id: 'admin-console', scope: ALL_SCOPES },
  });
  const victimToken = await ctx.issuer.sign({ claims: { sub: VICTIM, scope: 'create:todos' } });
  for (const content of ['pay the rent', 'call the bank about PIN 4921', 'birthday present for Ann']) {
    const answer = toolResultOf(
      await post({ token: victimToken, body: toolCallBody('create-todo', { content }) }),
    );
    assert.ok(answer && !answer.isError);
  }
  victimTodos = (await everyTodo()).filter((todo) => todo.ownerId === VICTIM);
  assert.equal(victimTodos.length, 3);
  const page = toolResultOf(
    await post({ token: victimToken, body: toolCallBody('get-todos', { limit: 1 }) }),
  );
  victimCursor = String(page?.value.nextCursor);
});

const accepted: string[] = [];
const markers = new Map<string, HostileCase>();

describe('hostile requests', () => {
  CASES.forEach((hostile, index) => {
    test(`${hostile.requirement} ${hostile.name}`, async () => {
      assert.ok(hostile.requirement in REQUIREMENTS, `${hostile.requirement} is a listed requirement`);
      const marker = `${MARKER}${index}`;
      markers.set(marker, hostile);
      const answer = await hostile.send(marker);
      const tool = toolResultOf(answer);
      const isAccepted =
        hostile.leaks?.(answer) ??
        (hostile.status === 200 ? tool !== undefined && !tool.isError : answer.status < 300);
      if (isAccepted) accepted.push(`${hostile.requirement} ${hostile.name}`);
      assert.equal(isAccepted, false, `accepted: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
      assert.equal(answer.status, hostile.status, answer.text.slice(0, 300));
      if (hostile.toolError !== undefined) {
        assert.ok(tool?.isError, `a tool error: ${answer.text.slice(0, 300)}`);
        assert.equal((tool.value.error as { code?: unknown } | undefined)?.code, hostile.toolError);
      }
    });
  });
});

test('summary: no hostile case was accepted, and nothing of the victim changed', async (t) => {
  t.diagnostic(`${CASES.length} hostile cases, ${accepted.length} accepted`);
  assert.ok(CASES.length >= 40, 'the suite covers at least 40 cases');
  assert.deepEqual(accepted, []);

  const after = await everyTodo();
  assert.deepEqual(
    after.filter((todo) => todo.ownerId === VICTIM),
    victimTodos,
    "the victim's todos are exactly as before",
  );
  // The only todo a hostile case may leave is the attacker's own, made with its own valid token.
  const left = after.filter((todo) => todo.ownerId !== VICTIM);
  assert.deepEqual(
    left.map((todo) => [todo.ownerId, markers.get(todo.content)?.requirement]),
    [[ATTACKER, 'rbac:create-owned-by-caller']],
  );
});
