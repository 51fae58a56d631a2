import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAccountAdmin } from '../../src/authorization-server/account-admin.js';
import { createUserDirectory } from '../../src/authorization-server/users.js';
import { AppError } from '../../src/errors.js';
import { openStorage, type Storage } from '../../src/storage/open-storage.js';
import { runCli } from '../support/cli.js';
import { connectWithOAuth, type MemoryOAuthClient, refreshTokens, signIn } from '../support/oauth-client.js';
import { summary, untilRefused } from '../support/revocation-probe.js';
import { useServer } from '../support/use-server.js';

/**
 * One server on SQLite, and what another process does to its database: the CLI (spawned, as an
 * operator runs it) and the service the account page uses, over a storage of its own. Each change
 * reaches the server only through the database, as it would from another instance.
 */
const ctx = useServer();
let storage: Storage;
before(async () => {
  await ctx.ready;
  storage = await openStorage(ctx.server.databaseUrl, { mustExist: true });
});
after(() => storage?.close());

const adminOf = (s: Storage) =>
  createAccountAdmin({ store: s.auth, revocations: s.revocations, users: createUserDirectory(s.auth) });
const cliAt = (args: string[], stdin?: string) =>
  runCli([...args, '--database-url', ctx.server.databaseUrl], { ...(stdin !== undefined && { stdin }) });

async function newAccount(username: string): Promise<{ password: string; oauth: MemoryOAuthClient }> {
  const password = `${username}-Pass-1-correct-horse`;
  const added = await cliAt(
    ['users', 'add', username, '--role', 'user', '--password-stdin'],
    `${password}\n`,
  );
  assert.equal(added.code, 0, added.stderr);
  const { client, oauth } = await connectWithOAuth(ctx.server.mcpUrl, username, password);
  await client.close();
  return { password, oauth };
}

test('as:disabled-account as:revocation-everywhere disabling from another process stops the tokens and the sign-in; enabling lets the account sign in again (SQLite)', async (t) => {
  const { password, oauth } = await newAccount('dora');
  const token = oauth.tokens()?.access_token ?? '';
  const disabled = await cliAt(['users', 'disable', 'dora']);
  assert.equal(disabled.code, 0, disabled.stderr);
  const refused = await untilRefused(ctx.server.mcpUrl, token);
  assert.equal(refused.error, 'invalid_token');
  t.diagnostic(`disable to first refusal (SQLite, another process): ${Math.round(refused.ms)} ms`);
  assert.equal((await refreshTokens(ctx.server.origin, oauth)).status, 400);

  const listed = await cliAt(['users', 'list']);
  assert.match(listed.stdout, /^dora\s+user\s+\S+\s+\S+\s+disabled$/m);
  await assert.rejects(connectWithOAuth(ctx.server.mcpUrl, 'dora', password), /sign-in refused \(HTTP 403\)/);
  // A wrong password learns nothing about the account being disabled: the usual 401.
  await assert.rejects(connectWithOAuth(ctx.server.mcpUrl, 'dora', 'not-the-password-1'), /\(HTTP 401\)/);

  assert.equal((await cliAt(['users', 'enable', 'dora'])).code, 0);
  const { client } = await connectWithOAuth(ctx.server.mcpUrl, 'dora', password);
  await client.close();
});

test('as:disabled-account the last enabled admin cannot be disabled', async () => {
  const refused = await cliAt(['users', 'disable', 'ADMIN']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^Error: /m);
});

test('as:grant-usage as:revocation-everywhere a grant is listed with its client and use; the account page revokes only its own', async (t) => {
  const { oauth } = await newAccount('gus');
  const token = oauth.tokens()?.access_token ?? '';
  const admin = adminOf(storage);
  const gus = (await storage.auth.findUserByUsername('gus'))?.id ?? '';
  const started = Date.now();
  let [app] = await admin.listGrants(gus);
  while (app?.lastUsedAt === undefined && Date.now() - started < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    [app] = await admin.listGrants(gus);
  }
  assert.ok(app, 'the grant is listed');
  assert.equal(app.clientId, oauth.clientInformation()?.client_id);
  assert.equal(app.clientName, 'Todo Manager test client');
  assert.equal(app.clientOrigin, 'dcr');
  assert.ok(app.scopes.includes('create:todos'), app.scopes.join(' '));
  assert.ok(app.lastUsedAt && app.firstUsedAt, 'the connect call was recorded as a use');
  assert.ok(Date.parse(app.createdAt) <= Date.parse(app.firstUsedAt));
  assert.ok((await admin.listAllGrants()).some((g) => g.grantId === app?.grantId));

  const adminId = (await storage.auth.findUserByUsername('admin'))?.id ?? '';
  await assert.rejects(admin.revokeGrant(app.grantId, { accountId: adminId }), (e: unknown) => {
    return e instanceof AppError && e.code === 'not_found';
  });
  await admin.revokeGrant(app.grantId, { accountId: gus });
  const refused = await untilRefused(ctx.server.mcpUrl, token);
  t.diagnostic(`revokeGrant to first refusal (SQLite, another connection): ${Math.round(refused.ms)} ms`);
  assert.equal(refused.error, 'invalid_token');
  assert.deepEqual(await admin.listGrants(gus), []);
  assert.equal((await refreshTokens(ctx.server.origin, oauth)).status, 400);
});

test('as:revocation-everywhere set-password, set-role and remove from the CLI each stop the tokens and the refresh token (SQLite)', async (t) => {
  const latencies: number[] = [];
  for (const [username, args, stdin] of [
    ['pia', ['users', 'set-password', 'pia', '--password-stdin'], 'a-new-Secret-9-battery\n'],
    ['rob', ['users', 'set-role', 'rob', 'admin'], undefined],
    ['ria', ['users', 'remove', 'ria'], undefined],
  ] as const) {
    const { oauth } = await newAccount(username);
    const changed = await cliAt([...args], stdin);
    assert.equal(changed.code, 0, changed.stderr);
    const refused = await untilRefused(ctx.server.mcpUrl, oauth.tokens()?.access_token ?? '');
    assert.equal(refused.error, 'invalid_token', username);
    latencies.push(refused.ms);
    assert.equal((await refreshTokens(ctx.server.origin, oauth)).status, 400, username);
  }
  const { median, max } = summary(latencies);
  t.diagnostic(`CLI change to first refusal (SQLite): median ${median} ms, max ${max} ms`);
});

test('as:disabled-account the sign-in page says the account is disabled, with 403', async () => {
  assert.equal(
    (await cliAt(['users', 'add', 'dan', '--role', 'user', '--password-stdin'], 'dan-Pass-1-correct-horse\n'))
      .code,
    0,
  );
  assert.equal((await cliAt(['users', 'disable', 'dan'])).code, 0);
  const registration = await fetch(`${ctx.server.origin}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      redirect_uris: ['http://127.0.0.1:45189/callback'],
      token_endpoint_auth_method: 'none',
    }),
  });
  const { client_id: clientId } = (await registration.json()) as { client_id: string };
  const url = new URL(`${ctx.server.origin}/auth`);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: 'http://127.0.0.1:45189/callback',
    scope: 'create:todos',
    resource: ctx.server.mcpUrl,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }).toString();
  const { callback, pages } = await signIn(
    url,
    'dan',
    'dan-Pass-1-correct-horse',
    'http://127.0.0.1:45189/callback',
  );
  assert.equal(callback, undefined);
  const last = pages.at(-1);
  assert.equal(last?.status, 403);
  assert.match(last?.html ?? '', /disabled/);
});
