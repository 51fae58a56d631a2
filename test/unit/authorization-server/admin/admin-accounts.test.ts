import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccountAdmin } from '../../../../src/authorization-server/account-admin.js';
import { createAdminAccounts } from '../../../../src/authorization-server/admin/admin-accounts.js';
import { createAdminClients } from '../../../../src/authorization-server/admin/admin-clients.js';
import type { ConsoleChange } from '../../../../src/authorization-server/console-audit.js';
import { createUserDirectory } from '../../../../src/authorization-server/users.js';
import { AppError } from '../../../../src/errors.js';
import type { UserRecord } from '../../../../src/storage/auth-store.js';
import { openStorage, type Storage } from '../../../../src/storage/open-storage.js';

const hasCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
const live = { expiresAt: Math.floor(Date.now() / 1000) + 3600 };
/** Whoever made the first account (in the server, the bootstrap or the CLI). */
const operator: UserRecord = { id: 'op', username: 'op', passwordHash: '', role: 'admin', createdAt: '' };

/** The console's services over a real (in-memory) database, with the audit records they make. */
async function withConsole(
  run: (s: {
    storage: Storage;
    audited: ConsoleChange[];
    accounts: ReturnType<typeof createAdminAccounts>;
    clients: ReturnType<typeof createAdminClients>;
  }) => Promise<void>,
) {
  const storage = await openStorage(':memory:');
  try {
    const users = createUserDirectory(storage.auth);
    const admin = createAccountAdmin({ store: storage.auth, revocations: storage.revocations, users });
    const audited: ConsoleChange[] = [];
    const audit = async (change: ConsoleChange) => {
      audited.push(change);
    };
    const staticName = async (id: string) => (id === 'configured' ? 'Configured client' : undefined);
    await run({
      storage,
      audited,
      accounts: createAdminAccounts({ users, admin, audit }),
      clients: createAdminClients({ store: storage.auth, admin, staticName, audit }),
    });
  } finally {
    await storage.close();
  }
}

test('as:disabled-account the console disables and enables through AccountAdmin, audits both, and keeps the last admin', () =>
  withConsole(async ({ storage, audited, accounts }) => {
    const root = (await accounts.add(operator, 'root', 'admin')).user;
    const { user } = await accounts.add(root, 'dora', 'user');
    await storage.auth.upsertModel('Grant', 'g1', {
      payload: { accountId: user.id, clientId: 'c' },
      ...live,
    });
    await accounts.disable(root, user.id);
    assert.ok((await accounts.list()).find((u) => u.id === user.id)?.disabledAt);
    assert.deepEqual(await storage.revocations.revokedGrants(0), ['g1'], 'its grants are revoked');
    await accounts.enable(root, user.id);
    assert.equal((await accounts.list()).find((u) => u.id === user.id)?.disabledAt, undefined);
    await assert.rejects(accounts.disable(root, root.id), hasCode('invalid_params'));
    await assert.rejects(accounts.disable(root, 'nobody'), hasCode('not_found'));
    assert.deepEqual(
      audited.slice(2).map((c) => [c.operation, c.ownerId]),
      [
        ['disable-account', user.id],
        ['enable-account', user.id],
      ],
      'a refused change is not audited',
    );
  }));

test('as:revocation-everywhere an admin revokes a grant only of the account named, and the audit names its client', () =>
  withConsole(async ({ storage, audited, accounts }) => {
    const root = (await accounts.add(operator, 'root', 'admin')).user;
    await storage.auth.upsertModel('Grant', 'g1', {
      payload: { accountId: root.id, clientId: 'c1' },
      ...live,
    });
    await assert.rejects(accounts.revokeGrant(root, 'someone-else', 'g1'), hasCode('not_found'));
    assert.equal(await accounts.revokeGrant(root, root.id, 'g1'), 'c1');
    assert.deepEqual((await accounts.grants(root.id)).apps, []);
    assert.deepEqual(audited.at(-1), {
      actor: root.id,
      operation: 'revoke-grant',
      ownerId: root.id,
      detail: 'c1',
    });
  }));

test('the clients page names clients by where they came from, and refuses to delete a configured one', () =>
  withConsole(async ({ storage, clients }) => {
    await storage.auth.upsertModel('Client', 'dcr-1', {
      payload: { client_id: 'dcr-1', client_name: 'Desktop' },
    });
    for (const [id, clientId] of [
      ['g1', 'dcr-1'],
      ['g2', 'https://app.example/client.json'],
      ['g3', 'configured'],
    ]) {
      await storage.auth.upsertModel('Grant', id ?? '', { payload: { accountId: 'a', clientId }, ...live });
    }
    assert.deepEqual(
      (await clients.list()).map((c) => [c.clientId, c.name, c.origin, c.grants]),
      [
        ['https://app.example/client.json', 'app.example', 'metadata-document', 1],
        ['configured', 'Configured client', 'pre-registered', 1],
        ['dcr-1', 'Desktop', 'dcr', 1],
      ],
    );
    await assert.rejects(clients.remove(operator, 'configured'), hasCode('invalid_params'));
    await clients.remove(operator, 'dcr-1');
    assert.deepEqual(
      (await clients.list()).map((c) => c.clientId),
      ['https://app.example/client.json', 'configured'],
    );
  }));
