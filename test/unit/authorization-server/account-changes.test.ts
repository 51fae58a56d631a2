import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUserDirectory } from '../../../src/authorization-server/users.js';
import { AppError } from '../../../src/errors.js';
import { openStorage } from '../../../src/storage/open-storage.js';

const isInvalidParams = (error: unknown) => error instanceof AppError && error.code === 'invalid_params';

test('as:disabled-account only enabled admins count as the last admin; a disabled one can be changed freely', async () => {
  const storage = await openStorage(':memory:');
  try {
    const users = createUserDirectory(storage.auth);
    await users.add('ann', 'admin', 'ann-Pass-1-correct-horse');
    await users.add('ben', 'admin', 'ben-Pass-1-correct-horse');
    await users.disable('ann');
    await assert.rejects(users.setRole('ben', 'user'), isInvalidParams);
    await assert.rejects(users.disable('ben'), isInvalidParams);
    await assert.rejects(users.remove('BEN'), isInvalidParams);
    await users.setRole('ann', 'user');
    await users.remove('ann');
    assert.deepEqual(
      (await users.list()).map((u) => [u.username, u.role, u.disabledAt]),
      [['ben', 'admin', undefined]],
    );
  } finally {
    await storage.close();
  }
});

test('as:revocation-everywhere an account change revokes its grants on the shared list and tells this process', async () => {
  const storage = await openStorage(':memory:');
  try {
    const told: [readonly string[], number][] = [];
    const now = new Date('2027-01-15T08:00:00.000Z');
    const users = createUserDirectory(storage.auth, {
      now: () => now,
      onRevoked: (ids, until) => told.push([ids, until]),
    });
    const { user } = await users.add('cy', 'user', 'cy-Pass-1-correct-horse');
    await storage.auth.upsertModel('Grant', 'g1', { payload: { accountId: user.id } });
    await users.disable('cy');
    const until = now.getTime() / 1000 + 15 * 60 + 60;
    assert.deepEqual(told, [[['g1'], until]]);
    assert.deepEqual(await storage.revocations.revokedGrants(until - 1), ['g1']);
    assert.equal(await users.authenticate('cy', 'cy-Pass-1-correct-horse'), undefined);
    assert.deepEqual(await users.checkSignIn('cy', 'cy-Pass-1-correct-horse'), { outcome: 'disabled' });
    assert.deepEqual(await users.checkSignIn('cy', 'wrong-password-1'), { outcome: 'wrong_credentials' });
    await users.enable('cy');
    assert.equal((await users.authenticate('cy', 'cy-Pass-1-correct-horse'))?.id, user.id);
  } finally {
    await storage.close();
  }
});
