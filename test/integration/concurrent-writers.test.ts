import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import { type AccountAdmin, createAccountAdmin } from '../../src/authorization-server/account-admin.js';
import { createUserDirectory } from '../../src/authorization-server/users.js';
import { openStorage, type Storage } from '../../src/storage/open-storage.js';
import { runCli } from '../support/cli.js';
import { cli } from '../support/cli-io.js';
import { call } from '../support/mcp-client.js';
import { connectWithOAuth } from '../support/oauth-client.js';
import { runProcess } from '../support/run-process.js';
import { useServer } from '../support/use-server.js';

/**
 * The server takes tool calls while CLI commands and the admin console's service write the same
 * SQLite database at the same moment: three commands in this process (each its own connection, as
 * runCli opens one), two in processes of their own, and the console over a connection of its own.
 * Every writer must wait for the lock as SQLite intends (busy timeout, short immediate
 * transactions); none may fail with "database is locked".
 */
const ctx = useServer();
let client: Client;
/** The admin console's service, over a connection of its own, as the pages will use it. */
let consoleSide: { storage: Storage; admin: AccountAdmin };
before(async () => {
  await ctx.ready;
  ({ client } = await connectWithOAuth(ctx.server.mcpUrl, 'admin', ctx.server.password('admin')));
  const storage = await openStorage(ctx.server.databaseUrl, { mustExist: true });
  const users = createUserDirectory(storage.auth);
  consoleSide = {
    storage,
    admin: createAccountAdmin({ store: storage.auth, revocations: storage.revocations, users }),
  };
});
after(() => consoleSide?.storage.close());

const db = () => ['--database-url', ctx.server.databaseUrl];
const PASSWORD = 'Writers-Pass-1-correct-horse\n';

/** What the console does in a round: sign the previous round's account out everywhere, and list grants. */
async function consoleAction(username: string) {
  const what = `(console) revoke ${username}'s grants`;
  try {
    const account = await consoleSide.storage.auth.findUserByUsername(username);
    if (account !== undefined) await consoleSide.admin.revokeAccountGrants(account.id);
    await consoleSide.admin.listAllGrants();
    return { code: 0, stderr: '', what };
  } catch (error) {
    return { code: 1, stderr: String(error), what };
  }
}

/** One round's commands: every kind of account change, each of which writes in a transaction. */
function commands(round: number): Promise<{ code: number | null; stderr: string; what: string }>[] {
  const inProcess = (args: string[], stdin?: string) =>
    cli([...args, ...db()], { ...(stdin !== undefined && { stdin }) }).then((r) => ({
      ...r,
      what: args.join(' '),
    }));
  const spawned = (args: string[], stdin?: string) =>
    runCli([...args, ...db()], { ...(stdin !== undefined && { stdin }) }).then((r) => ({
      ...r,
      what: `(process) ${args.join(' ')}`,
    }));
  return [
    inProcess(['users', 'add', `a${round}`, '--role', 'user', '--password-stdin'], PASSWORD),
    inProcess(['users', 'set-role', 'user', round % 2 === 0 ? 'admin' : 'user']),
    inProcess(['users', round % 2 === 0 ? 'disable' : 'enable', 'user']),
    spawned(['users', 'add', `p${round}`, '--role', 'user', '--password-stdin'], PASSWORD),
    spawned(['users', 'set-password', 'user', '--password-stdin'], PASSWORD),
    consoleAction(`a${round - 1}`),
  ];
}

test('as:concurrent-writers the console, CLI commands here and in other processes, and tool calls write one SQLite database at once', async () => {
  for (let round = 0; round < 4; round += 1) {
    const calls = Array.from({ length: 20 }, (_, i) =>
      call(client, 'create-todo', { content: `round ${round} call ${i}` }),
    );
    const [results, outcomes] = await Promise.all([Promise.all(commands(round)), Promise.all(calls)]);
    for (const result of results) {
      assert.doesNotMatch(result.stderr, /locked|SQLITE_BUSY/i, result.what);
      assert.equal(result.code, 0, `${result.what}: ${result.stderr}`);
    }
    assert.ok(
      outcomes.every((o) => !o.isError),
      `round ${round}: every tool call succeeded`,
    );
  }
  const listed = await cli(['users', 'list', ...db()]);
  for (let round = 0; round < 4; round += 1) {
    assert.match(listed.stdout, new RegExp(`^a${round}\\s`, 'm'));
    assert.match(listed.stdout, new RegExp(`^p${round}\\s`, 'm'));
  }
  await client.close();
});

test('as:concurrent-writers three processes revoking one account in a loop never meet "database is locked"', async () => {
  // A read-then-write transaction begun deferred fails at once with SQLITE_BUSY when another
  // process wrote in between, whatever the busy timeout; this failed about 7 times in 3,000.
  const runs = await Promise.all(
    ['x', 'y', 'z'].map((tag) =>
      runProcess(process.execPath, [
        '--import',
        'tsx',
        'test/support/revoke-accounts-loop.ts',
        ctx.server.databaseUrl,
        tag,
        '1000',
      ]),
    ),
  );
  for (const run of runs) {
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { failures: 0 });
  }
});
