import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { runCli } from '../support/cli.js';
import { call, connectClient } from '../support/mcp-client.js';
import { connectWithOAuth, type MemoryOAuthClient, refreshTokens } from '../support/oauth-client.js';
import { scopedToken } from '../support/scoped-token.js';
import { startServer } from '../support/start-server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { useServer } from '../support/use-server.js';

const ctx = useServer({}, { frontDoor: true });
const passwords = new Map<string, string>();

before(async () => {
  await ctx.ready;
  for (const account of ctx.server.accounts) passwords.set(account.user.username, account.password);
});

async function signedIn(username: string): Promise<MemoryOAuthClient> {
  const { client, oauth } = await connectWithOAuth(
    ctx.server.mcpUrl,
    username,
    passwords.get(username) ?? '',
  );
  await client.close();
  return oauth;
}

const refresh = (oauth: MemoryOAuthClient) => refreshTokens(ctx.server.origin, oauth);

const kidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid: string }).kid;

test('as:restart-persistence tokens, refresh tokens and clients issued before a restart work after it', async () => {
  const oauth = await signedIn('user');
  const accessToken = oauth.tokens()?.access_token ?? '';
  const before = await connectClient(ctx.server.mcpUrl, accessToken);
  const todo = await call(before, 'create-todo', { content: 'survives restarts' });
  await before.close();

  await ctx.restart();
  assert.deepEqual(ctx.server.accounts, [], 'no accounts are created on a second start');

  const afterRestart = await connectClient(ctx.server.mcpUrl, accessToken);
  const list = await call(afterRestart, 'get-todos');
  assert.deepEqual(
    (list.value.todos as { id: string }[]).map((t) => t.id),
    [todo.value.id],
  );
  await afterRestart.close();
  const refreshed = await refresh(oauth);
  assert.equal(refreshed.status, 200);
  const tokens = (await refreshed.json()) as { access_token: string };
  const again = await connectClient(ctx.server.mcpUrl, tokens.access_token);
  assert.equal((await call(again, 'whoami')).isError, false);
  await again.close();
});

test('as:key-rotation after keys rotate and a restart, new tokens use the new key and old ones stay valid', async () => {
  const oauth = await signedIn('admin');
  const oldToken = oauth.tokens()?.access_token ?? '';
  const rotated = await runCli(['keys', 'rotate', '--database-url', ctx.server.databaseUrl]);
  assert.equal(rotated.code, 0, rotated.stderr);
  await ctx.restart();

  const jwks = (await (await fetch(`${ctx.server.origin}/jwks`)).json()) as { keys: { kid: string }[] };
  assert.equal(jwks.keys.length, 2);
  assert.ok(jwks.keys.some((k) => k.kid === kidOf(oldToken)));

  const old = await connectClient(ctx.server.mcpUrl, oldToken);
  assert.equal((await call(old, 'whoami')).isError, false);
  await old.close();
  const fresh = await signedIn('admin');
  const newKid = kidOf(fresh.tokens()?.access_token ?? '');
  assert.notEqual(newKid, kidOf(oldToken));
  assert.equal(jwks.keys[0]?.kid, newKid);
  for (const key of jwks.keys) assert.equal('d' in key, false, 'private key material is never published');
});

test('as:set-role-revokes changing a role revokes refresh tokens; the next sign-in gets the new scopes', async () => {
  const added = await runCli(
    ['users', 'add', 'carol', '--role', 'user', '--password-stdin', '--database-url', ctx.server.databaseUrl],
    {
      stdin: 'carol-password-1\n',
    },
  );
  assert.equal(added.code, 0, added.stderr);
  passwords.set('carol', 'carol-password-1');
  const asUser = await signedIn('carol');
  assert.equal(asUser.tokens()?.scope, 'create:todos');

  const promoted = await runCli([
    'users',
    'set-role',
    'carol',
    'admin',
    '--database-url',
    ctx.server.databaseUrl,
  ]);
  assert.equal(promoted.code, 0, promoted.stderr);
  const stale = await refresh(asUser);
  assert.equal(stale.status, 400);
  assert.equal(((await stale.json()) as { error: string }).error, 'invalid_grant');

  const asAdmin = await signedIn('carol');
  assert.deepEqual(asAdmin.tokens()?.scope?.split(' ').sort(), [
    'create:todos',
    'delete:todos',
    'read:todos',
  ]);

  const removed = await runCli(['users', 'remove', 'carol', '--database-url', ctx.server.databaseUrl]);
  assert.equal(removed.code, 0, removed.stderr);
  const gone = await refresh(asAdmin);
  assert.equal(gone.status, 400);
});

test('as:users-cli lists users and refuses bad input without changing anything', async () => {
  const list = await runCli(['users', 'list', '--database-url', ctx.server.databaseUrl]);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /^USERNAME\s+ROLE\s+SUBJECT\s+CREATED\s+STATE$/m);
  assert.match(list.stdout, /^admin\s+admin\s/m);
  assert.match(list.stdout, /^user\s+user\s/m);
  for (const args of [
    ['users', 'add', 'dave', '--role', 'root'],
    ['users', 'add', 'admin', '--role', 'user'],
    ['users', 'add', 'bad name', '--role', 'user'],
    ['users', 'set-role', 'nobody', 'admin'],
    ['users', 'remove', 'nobody'],
  ]) {
    const result = await runCli([...args, '--database-url', ctx.server.databaseUrl]);
    assert.equal(result.code, 1, args.join(' '));
    assert.match(result.stderr, /^Error: /m);
  }
  const generated = await runCli([
    'users',
    'add',
    'erin',
    '--role',
    'user',
    '--database-url',
    ctx.server.databaseUrl,
  ]);
  assert.match(generated.stdout, /Password \(shown once\): \S{20}/);
  const after = await runCli(['users', 'list', '--database-url', ctx.server.databaseUrl]);
  assert.deepEqual(
    after.stdout
      .split('\n')
      .filter(Boolean)
      .slice(1)
      .map((line) => line.split(/\s+/)[0]),
    ['admin', 'erin', 'user'],
  );
});

test('as:users-cli-safety usernames are case-insensitive, the last admin stays, and a new password revokes sign-ins', async () => {
  const db = ['--database-url', ctx.server.databaseUrl];
  const added = await runCli(['users', 'add', 'Frank', '--role', 'user', '--password-stdin', ...db], {
    stdin: 'frank-password-1\n',
  });
  assert.equal(added.code, 0, added.stderr);
  const again = await runCli(['users', 'add', 'FRANK', '--role', 'user', ...db]);
  assert.equal(again.code, 1, 'FRANK is the same account as Frank');
  passwords.set('frank', 'frank-password-1');
  const before = await signedIn('frank');

  const changed = await runCli(['users', 'set-password', 'frank', '--password-stdin', ...db], {
    stdin: 'frank-password-2\n',
  });
  assert.equal(changed.code, 0, changed.stderr);
  assert.equal((await refresh(before)).status, 400, 'the old sign-in is revoked');
  passwords.set('frank', 'frank-password-2');
  assert.equal((await signedIn('frank')).tokens()?.scope, 'create:todos');

  const admins = (await runCli(['users', 'list', ...db])).stdout
    .split('\n')
    .filter((l) => /^\S+\s+admin\s/.test(l));
  assert.equal(admins.length, 1);
  for (const args of [
    ['users', 'remove', 'admin'],
    ['users', 'set-role', 'ADMIN', 'user'],
  ]) {
    const refused = await runCli([...args, ...db]);
    assert.equal(refused.code, 1, args.join(' '));
  }
  assert.match((await runCli(['users', 'list', ...db])).stdout, /^admin\s+admin\s/m);
});

test('as:stored-keys the embedded server checks its own tokens without reaching PUBLIC_URL', async () => {
  // As behind a container's port mapping: clients use the public address, which the server
  // itself cannot reach; here the door in front is closed once the client has its token.
  const door = await startTcpProxy(1);
  const behind = await startServer(undefined, { PUBLIC_URL: `http://localhost:${door.port}` });
  try {
    door.setTarget(behind.app.address.port);
    const token = await scopedToken(
      behind.origin,
      behind.mcpUrl,
      'user',
      behind.password('user'),
      'create:todos',
    );
    await door.close();
    const direct = `http://127.0.0.1:${behind.app.address.port}/mcp`;
    const client = await connectClient(direct, token);
    assert.equal((await call(client, 'whoami')).isError, false);
    await client.close();
  } finally {
    await door.close();
    await behind.close();
  }
});
