import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccountAdmin } from '../../../src/authorization-server/account-admin.js';
import { createUserDirectory } from '../../../src/authorization-server/users.js';
import { AppError } from '../../../src/errors.js';
import { openStorage, type Storage } from '../../../src/storage/open-storage.js';

const hasCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

async function withAdmin(
  run: (storage: Storage, admin: ReturnType<typeof createAccountAdmin>) => Promise<void>,
) {
  const storage = await openStorage(':memory:');
  try {
    const users = createUserDirectory(storage.auth);
    await run(storage, createAccountAdmin({ store: storage.auth, revocations: storage.revocations, users }));
  } finally {
    await storage.close();
  }
}

const live = { expiresAt: Math.floor(Date.now() / 1000) + 3600 };

test('as:revocation-everywhere revoking a client’s grants revokes them in every account and nothing else', () =>
  withAdmin(async (storage, admin) => {
    await storage.auth.upsertModel('Grant', 'g1', { payload: { accountId: 'a', clientId: 'c1' }, ...live });
    await storage.auth.upsertModel('Grant', 'g2', { payload: { accountId: 'b', clientId: 'c1' }, ...live });
    await storage.auth.upsertModel('Grant', 'g3', { payload: { accountId: 'b', clientId: 'c2' }, ...live });
    assert.equal(await admin.revokeClientGrants('c1'), 2);
    assert.deepEqual((await storage.revocations.revokedGrants(0)).sort(), ['g1', 'g2']);
    assert.deepEqual(
      (await admin.listAllGrants()).map((g) => g.grantId),
      ['g3'],
    );
  }));

test('as:revocation-everywhere changing a password needs the current one, then revokes every grant of the account', () =>
  withAdmin(async (storage, admin) => {
    const users = createUserDirectory(storage.auth);
    const { user } = await users.add('eve', 'user', 'eve-Pass-1-correct-horse');
    await storage.auth.upsertModel('Grant', 'g1', {
      payload: { accountId: user.id, clientId: 'c' },
      ...live,
    });
    await assert.rejects(
      admin.changePassword(user.id, 'not-the-password', 'eve-Pass-2-battery-staple'),
      hasCode('forbidden'),
    );
    assert.equal((await admin.listGrants(user.id)).length, 1, 'nothing changed');
    await assert.rejects(admin.changePassword('nobody', 'x', 'y'), hasCode('not_found'));
    await admin.changePassword(user.id, 'eve-Pass-1-correct-horse', 'eve-Pass-2-battery-staple');
    assert.deepEqual(await admin.listGrants(user.id), []);
    assert.deepEqual(await storage.revocations.revokedGrants(0), ['g1']);
    assert.equal((await users.authenticate('eve', 'eve-Pass-2-battery-staple'))?.id, user.id);
  }));

test('as:revocation-everywhere a change refused (a weak password, another account’s grant) revokes nothing', () =>
  withAdmin(async (storage, admin) => {
    const users = createUserDirectory(storage.auth);
    const { user } = await users.add('fay', 'user', 'fay-Pass-1-correct-horse');
    await storage.auth.upsertModel('Grant', 'g1', {
      payload: { accountId: user.id, clientId: 'c' },
      ...live,
    });
    await assert.rejects(admin.setPassword('fay', 'password1'));
    await assert.rejects(admin.revokeGrant('g1', { accountId: 'someone-else' }), hasCode('not_found'));
    assert.equal((await admin.listGrants(user.id)).length, 1);
    assert.deepEqual(await storage.revocations.revokedGrants(0), []);
  }));
