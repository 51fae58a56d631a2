import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { AuthStore, SigningKeyRecord, UserRecord } from '../../src/storage/auth-store.js';
import type { GrantRevocations } from '../../src/storage/grant-revocations.js';

export interface AuthStoreUnderTest {
  readonly store: AuthStore;
  /** The revocation list in the same database, which `revokeAccount` writes. */
  readonly revocations: GrantRevocations;
  /** Releases everything the store used. */
  cleanup(): Promise<void>;
}

const now = () => Math.floor(Date.now() / 1000);
const at = (n: number) => new Date(Date.parse('2026-05-01T08:00:00.000Z') + n).toISOString();

function user(fields: Partial<UserRecord> = {}): UserRecord {
  return { id: 'u1', username: 'alice', passwordHash: 'scrypt$x', role: 'user', createdAt: at(1), ...fields };
}

function key(kid: string, createdAt: string): SigningKeyRecord {
  return { kid, privateJwk: JSON.stringify({ kid, kty: 'OKP' }), createdAt };
}

/**
 * The behaviour every `AuthStore` adapter must show (the embedded authorization server's state),
 * run against a fresh store per test.
 */
export function authStoreContract(name: string, makeStore: () => Promise<AuthStoreUnderTest>): void {
  describe(`AuthStore contract: ${name}`, () => {
    let subject: AuthStoreUnderTest;
    let store: AuthStore;
    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    describe('oidc-provider models', () => {
      test('an upserted payload reads back unchanged, by id, uid and user code, within its model', async () => {
        const payload = {
          uid: 'uid-1',
          userCode: 'ABCD',
          nested: { list: [1, 'two', null], ok: true },
          text: 'é 🍎',
        };
        await store.upsertModel('Session', 's1', { payload, expiresAt: now() + 60 });
        assert.deepEqual(await store.findModel('Session', 's1'), payload);
        assert.deepEqual(await store.findModelByUid('Session', 'uid-1'), payload);
        assert.deepEqual(await store.findModelByUserCode('Session', 'ABCD'), payload);
        assert.equal(await store.findModel('Grant', 's1'), undefined);
        assert.equal(await store.findModelByUid('Grant', 'uid-1'), undefined);
        assert.equal(await store.findModel('Session', 's2'), undefined);
      });

      test('upsert replaces the payload and clears consumed; consume folds the time into the payload', async () => {
        await store.upsertModel('AuthorizationCode', 'c1', { payload: { v: 1 }, expiresAt: now() + 60 });
        await store.consumeModel('AuthorizationCode', 'c1', 1_700_000_000);
        assert.deepEqual(await store.findModel('AuthorizationCode', 'c1'), { v: 1, consumed: 1_700_000_000 });
        await store.upsertModel('AuthorizationCode', 'c1', { payload: { v: 2 } });
        assert.deepEqual(await store.findModel('AuthorizationCode', 'c1'), { v: 2 });
      });

      test('expired records are not found and purgeExpired removes exactly them', async () => {
        await store.upsertModel('Session', 'old', { payload: { uid: 'u-old' }, expiresAt: now() - 1 });
        await store.upsertModel('Session', 'live', { payload: { uid: 'u-live' }, expiresAt: now() + 60 });
        await store.upsertModel('Client', 'forever', { payload: { client_id: 'forever' } });
        assert.equal(await store.findModel('Session', 'old'), undefined);
        assert.equal(await store.findModelByUid('Session', 'u-old'), undefined);
        assert.deepEqual(await store.findModel('Session', 'live'), { uid: 'u-live' });
        assert.deepEqual(await store.findModel('Client', 'forever'), { client_id: 'forever' });
        assert.equal(await store.purgeExpired(now()), 1);
        assert.equal(await store.purgeExpired(now()), 0);
        assert.deepEqual(await store.findModel('Session', 'live'), { uid: 'u-live' });
      });

      test('destroy removes one record', async () => {
        await store.upsertModel('Session', 'a', { payload: {} });
        await store.upsertModel('Session', 'b', { payload: {} });
        await store.destroyModel('Session', 'a');
        assert.equal(await store.findModel('Session', 'a'), undefined);
        assert.deepEqual(await store.findModel('Session', 'b'), {});
      });

      test('revokeGrant removes the grant and everything issued under it, nothing else', async () => {
        await store.upsertModel('Grant', 'g1', { payload: { accountId: 'alice' } });
        await store.upsertModel('AccessToken', 't1', { payload: { grantId: 'g1' } });
        await store.upsertModel('RefreshToken', 'r1', { payload: { grantId: 'g1' } });
        await store.upsertModel('AccessToken', 't2', { payload: { grantId: 'g2' } });
        await store.revokeGrant('g1');
        assert.equal(await store.findModel('Grant', 'g1'), undefined);
        assert.equal(await store.findModel('AccessToken', 't1'), undefined);
        assert.equal(await store.findModel('RefreshToken', 'r1'), undefined);
        assert.deepEqual(await store.findModel('AccessToken', 't2'), { grantId: 'g2' });
      });

      test("revokeAccount removes the account's grants, their tokens and its sessions, nobody else's", async () => {
        await store.upsertModel('Grant', 'g1', { payload: { accountId: 'alice' } });
        await store.upsertModel('RefreshToken', 'r1', { payload: { grantId: 'g1' } });
        await store.upsertModel('Session', 's1', { payload: { accountId: 'alice' } });
        await store.upsertModel('Grant', 'g2', { payload: { accountId: 'bob' } });
        await store.upsertModel('RefreshToken', 'r2', { payload: { grantId: 'g2' } });
        // A token whose grant record is gone still names its account: its grant is revoked too.
        await store.upsertModel('AccessToken', 't3', { payload: { grantId: 'g3', accountId: 'alice' } });
        assert.deepEqual((await store.revokeAccount('alice', now() + 900)).sort(), ['g1', 'g3']);
        assert.deepEqual((await subject.revocations.revokedGrants(now())).sort(), ['g1', 'g3']);
        for (const [model, id] of [
          ['Grant', 'g1'],
          ['RefreshToken', 'r1'],
          ['Session', 's1'],
        ] as const) {
          assert.equal(await store.findModel(model, id), undefined, `${model} ${id}`);
        }
        assert.ok(await store.findModel('Grant', 'g2'));
        assert.ok(await store.findModel('RefreshToken', 'r2'));
      });
      test("listModels lists one model's unexpired records, of one account when asked", async () => {
        await store.upsertModel('Grant', 'g1', { payload: { accountId: 'alice', iat: 1 } });
        await store.upsertModel('Grant', 'g2', { payload: { accountId: 'bob', iat: 2 } });
        await store.upsertModel('Grant', 'g3', { payload: { accountId: 'alice' }, expiresAt: now() - 1 });
        await store.upsertModel('Session', 's1', { payload: { accountId: 'alice' } });
        const ids = (list: { id: string }[]) => list.map((m) => m.id).sort();
        assert.deepEqual(ids(await store.listModels('Grant')), ['g1', 'g2']);
        assert.deepEqual(await store.listModels('Grant', 'alice'), [
          { id: 'g1', payload: { accountId: 'alice', iat: 1 } },
        ]);
        assert.deepEqual(await store.listModels('Grant', 'nobody'), []);
      });
    });

    describe('users', () => {
      test('users read back exactly, by name and id; names are unique and case-sensitive', async () => {
        const alice = user({ createdAt: '2026-01-02T03:04:05.006Z' });
        await store.insertUser(alice);
        assert.deepEqual(await store.findUserByUsername('alice'), alice);
        assert.deepEqual(await store.findUserById('u1'), alice);
        assert.equal(await store.findUserByUsername('Alice'), undefined);
        await assert.rejects(store.insertUser(user({ id: 'u2' })));
        await assert.rejects(store.insertUser(user({ username: 'other' })));
        await store.insertUser(user({ id: 'u3', username: 'Alice' }));
        assert.equal(await store.countUsers(), 2);
      });

      test('the first accounts go in all together, only into an empty table, and only once when racing', async () => {
        const first = [user({ id: 'a1', username: 'admin' }), user({ id: 'u1', username: 'user' })];
        const rival = [user({ id: 'a2', username: 'admin' }), user({ id: 'u2', username: 'user' })];
        const outcomes = await Promise.all([store.insertFirstUsers(first), store.insertFirstUsers(rival)]);
        assert.deepEqual(outcomes.filter(Boolean).length, 1, 'exactly one set went in');
        const ids = (await store.listUsers()).map((u) => u.id).sort();
        assert.ok(
          JSON.stringify(ids) === '["a1","u1"]' || JSON.stringify(ids) === '["a2","u2"]',
          `one whole set: ${ids}`,
        );
        assert.equal(await store.insertFirstUsers([user({ id: 'x', username: 'late' })]), false);
        assert.equal(await store.countUsers(), 2);
      });

      test('first accounts are refused whole when one of them cannot go in', async () => {
        const clash = [user({ id: 'd1', username: 'same' }), user({ id: 'd2', username: 'same' })];
        const outcome = await store.insertFirstUsers(clash).catch(() => 'refused');
        assert.notEqual(outcome, true);
        assert.equal(await store.countUsers(), 0, 'neither went in');
      });

      test('list is ordered by username, bytewise; role changes and deletes report whether they found one', async () => {
        for (const [id, username] of [
          ['1', 'carol'],
          ['2', 'Bob'],
          ['3', 'alice'],
          ['4', 'bob'],
        ] as const) {
          await store.insertUser(user({ id, username }));
        }
        assert.deepEqual(
          (await store.listUsers()).map((u) => u.username),
          ['Bob', 'alice', 'bob', 'carol'],
        );
        assert.equal(await store.setUserRole('3', 'admin'), true);
        assert.equal((await store.findUserById('3'))?.role, 'admin');
        assert.equal(await store.setUserRole('nobody', 'admin'), false);
        assert.equal(await store.setUserPassword('3', 'scrypt$new'), true);
        assert.equal((await store.findUserById('3'))?.passwordHash, 'scrypt$new');
        assert.equal(await store.setUserPassword('nobody', 'x'), false);
        assert.equal(await store.deleteUser('3'), true);
        assert.equal(await store.deleteUser('3'), false);
        assert.equal(await store.countUsers(), 3);
      });
    });

    describe('signing keys and secrets', () => {
      test('keys list newest first by insertion; adding one retires every older unretired key', async () => {
        assert.deepEqual(await store.listSigningKeys(), []);
        // Creation times run backwards, so only insertion order can pass the check.
        await store.addSigningKey(key('k1', at(3000)), at(10));
        await store.addSigningKey(key('k2', at(2000)), at(20));
        await store.addSigningKey(key('k3', at(1000)), at(30));
        assert.deepEqual(await store.listSigningKeys(), [
          key('k3', at(1000)),
          { ...key('k2', at(2000)), retiredAt: at(30) },
          { ...key('k1', at(3000)), retiredAt: at(20) },
        ]);
        await store.deleteSigningKey('k2');
        assert.deepEqual(
          (await store.listSigningKeys()).map((k) => k.kid),
          ['k3', 'k1'],
        );
        await assert.rejects(store.addSigningKey(key('k3', at(4000)), at(40)));
        assert.equal(
          (await store.listSigningKeys())[0]?.retiredAt,
          undefined,
          'a failed add retires nothing',
        );
      });

      test('a secret is generated once: the first writer wins, also when callers race', async () => {
        assert.equal(await store.secret('cookie', () => 'first'), 'first');
        assert.equal(await store.secret('cookie', () => 'second'), 'first');
        const raced = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.secret('csrf', () => `v${i}`)),
        );
        assert.equal(new Set(raced).size, 1, raced.join(', '));
      });
    });
  });
}
