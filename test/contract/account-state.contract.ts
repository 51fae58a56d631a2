import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { AuthStore } from '../../src/storage/auth-store.js';
import type { AuthStoreUnderTest } from './auth-store.contract.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * What every `AuthStore` adapter must show for the account page and console: disabled accounts,
 * and the live grants listed with their client and when their tokens were used.
 */
export function accountStateContract(name: string, makeStore: () => Promise<AuthStoreUnderTest>): void {
  describe(`AuthStore account state: ${name}`, () => {
    let subject: AuthStoreUnderTest;
    let store: AuthStore;
    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    test('an account is disabled as of a time and enabled again; reads carry it', async () => {
      const createdAt = '2026-05-01T08:00:00.000Z';
      await store.insertUser({ id: 'u1', username: 'alice', passwordHash: 'h', role: 'user', createdAt });
      assert.equal((await store.findUserById('u1'))?.disabledAt, undefined);
      assert.equal(await store.setUserDisabled('u1', '2026-05-02T09:00:00.000Z'), true);
      assert.equal((await store.findUserByUsername('alice'))?.disabledAt, '2026-05-02T09:00:00.000Z');
      assert.equal((await store.listUsers())[0]?.disabledAt, '2026-05-02T09:00:00.000Z');
      assert.equal(await store.setUserDisabled('u1', undefined), true);
      assert.deepEqual(await store.findUserById('u1'), {
        id: 'u1',
        username: 'alice',
        passwordHash: 'h',
        role: 'user',
        createdAt,
      });
      assert.equal(await store.setUserDisabled('nobody', undefined), false);
    });

    test('live grants list with their client record and usage; the first use stays, the last moves on', async () => {
      const grant = (accountId: string, clientId: string) => ({
        payload: { accountId, clientId, iat: 100, openid: { scope: 'openid' } },
        expiresAt: now() + 3600,
      });
      await store.upsertModel('Client', 'dcr-1', { payload: { client_id: 'dcr-1', client_name: 'App' } });
      await store.upsertModel('Grant', 'g1', grant('alice', 'dcr-1'));
      await store.upsertModel('Grant', 'g2', grant('alice', 'https://app.example/client.json'));
      await store.upsertModel('Grant', 'g3', grant('bob', 'dcr-1'));
      await store.upsertModel('Grant', 'old', { ...grant('alice', 'dcr-1'), expiresAt: now() - 1 });
      await store.recordGrantUse('g2', 1_000);
      await store.recordGrantUse('g2', 2_000);
      await store.recordGrantUse('g2', 1_500);

      const alice = await store.listGrantRecords('alice');
      assert.deepEqual(
        alice.map((g) => [g.grantId, g.clientId, g.firstUsedAt, g.lastUsedAt]),
        [
          ['g2', 'https://app.example/client.json', 1_000, 2_000],
          ['g1', 'dcr-1', undefined, undefined],
        ],
      );
      assert.equal(alice[1]?.client?.client_name, 'App');
      assert.equal(alice[0]?.client, undefined);
      assert.deepEqual(alice[1]?.payload.openid, { scope: 'openid' });
      assert.deepEqual(
        (await store.listGrantRecords()).map((g) => [g.accountId, g.grantId]),
        [
          ['alice', 'g2'],
          ['alice', 'g1'],
          ['bob', 'g3'],
        ],
      );
      await store.revokeGrant('g2');
      assert.equal(await store.purgeGrantUsage(), 1);
      assert.equal(await store.purgeGrantUsage(), 0);
    });
  });
}
