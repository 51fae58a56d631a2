import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { ManagedClientRecord } from '../../src/storage/auth-store.js';
import type { AuthStoreUnderTest } from './auth-store.contract.js';

const service: ManagedClientRecord = {
  clientId: 'svc_aaaaaaaaaaaaaaaa',
  name: 'ci-bot',
  kind: 'service',
  role: 'admin',
  authMethod: 'client_secret_basic',
  secret: 'first-secret',
  createdAt: '2026-05-01T08:00:00.123Z',
};

const signer: ManagedClientRecord = {
  clientId: 'app_bbbbbbbbbbbbbbbb',
  name: 'assistant',
  kind: 'enterprise',
  role: 'user',
  authMethod: 'private_key_jwt',
  jwks: '{"keys":[{"kty":"EC"}]}',
  createdAt: '2026-05-01T08:00:01.000Z',
};

/** The admin-created clients part of every `AuthStore` adapter (migration 8). */
export function clientStoreContract(name: string, makeStore: () => Promise<AuthStoreUnderTest>): void {
  describe(`ClientStore contract: ${name}`, () => {
    let subject: AuthStoreUnderTest;
    beforeEach(async () => {
      subject = await makeStore();
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    test('clients read back exactly, listed by name; names and ids are unique', async () => {
      const { store } = subject;
      await store.insertClient(service);
      await store.insertClient(signer);
      assert.deepEqual(await store.findClient(service.clientId), service);
      assert.deepEqual(await store.findClient(signer.clientId), signer);
      assert.equal(await store.findClient('svc_nobody'), undefined);
      assert.deepEqual(
        (await store.listClients()).map((c) => c.name),
        ['assistant', 'ci-bot'],
      );
      await assert.rejects(store.insertClient({ ...service, clientId: 'svc_cccccccccccccccc' }));
    });

    test('a secret changes only for a secret client; delete reports whether it found one', async () => {
      const { store } = subject;
      await store.insertClient(service);
      await store.insertClient(signer);
      assert.equal(await store.setClientSecret(service.clientId, 'second'), true);
      assert.equal((await store.findClient(service.clientId))?.secret, 'second');
      assert.equal(await store.setClientSecret(signer.clientId, 'nope'), false);
      assert.equal(await store.deleteClient(service.clientId), true);
      assert.equal(await store.deleteClient(service.clientId), false);
      assert.equal(await store.findClient(service.clientId), undefined);
    });
  });
}
