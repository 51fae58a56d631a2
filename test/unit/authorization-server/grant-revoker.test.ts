import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Adapter } from 'oidc-provider';
import { createGrantRevoker } from '../../../src/authorization-server/grant-revoker.js';

/** Records what reaches the adapter, in order, beside what the store lists. */
function fixture(grants: string[]) {
  const calls: string[] = [];
  const store = {
    listModels: async (model: string, accountId?: string) => {
      calls.push(`list ${model} ${accountId}`);
      return grants.map((id) => ({ id, payload: { accountId } }));
    },
  };
  const adapter = class {
    constructor(readonly model: string) {}
    async revokeByGrantId(grantId: string) {
      calls.push(`revoke ${this.model} ${grantId}`);
    }
  } as unknown as new (
    model: string,
  ) => Adapter;
  return { calls, revoker: createGrantRevoker(store, adapter) };
}

test('revokeGrant goes through the adapter oidc-provider uses, which records the revocation', async () => {
  const { calls, revoker } = fixture([]);
  await revoker.revokeGrant('g1');
  assert.deepEqual(calls, ['revoke Grant g1']);
});

test('revokeAccountGrantsAfter lists the grants, makes the change, then revokes each grant held before it', async () => {
  const { calls, revoker } = fixture(['g1', 'g2']);
  const result = await revoker.revokeAccountGrantsAfter('alice', async () => {
    calls.push('change');
    return 'new password';
  });
  assert.equal(result, 'new password');
  assert.deepEqual(calls, ['list Grant alice', 'change', 'revoke Grant g1', 'revoke Grant g2']);
});

test('a change that throws revokes nothing', async () => {
  const { calls, revoker } = fixture(['g1']);
  await assert.rejects(
    revoker.revokeAccountGrantsAfter('alice', async () => {
      throw new Error('too weak');
    }),
    /too weak/,
  );
  assert.deepEqual(calls, ['list Grant alice']);
});
