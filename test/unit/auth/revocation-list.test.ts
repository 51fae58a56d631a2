import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Principal } from '../../../src/auth/principal.js';
import { createRevocationList } from '../../../src/auth/revocation-list.js';

const principal = (grantId?: string): Principal => ({
  subject: 's',
  clientId: 'c',
  scopes: [],
  issuer: 'https://issuer.example',
  expiresAt: 0,
  ...(grantId !== undefined && { grantId }),
});

test('as:code-replay-revokes the revocation list answers from memory: shared records after a read, local ones at once', async () => {
  let now = 1_000_000;
  const shared: string[] = [];
  const list = createRevocationList({
    source: { revokedGrants: async () => [...shared] },
    now: () => now,
    refreshMs: 3_600_000,
  });
  try {
    assert.equal(list.isRevoked(principal('g1')), false);
    shared.push('g1');
    assert.equal(list.isRevoked(principal('g1')), false, 'another instance revoked it; not read yet');
    await list.refresh();
    assert.equal(list.isRevoked(principal('g1')), true);
    assert.equal(list.isRevoked(principal()), false, 'a token without a grant is never refused by it');

    list.add('g2', now / 1000 + 60);
    assert.equal(list.isRevoked(principal('g2')), true, 'this instance revoked it: at once');
    now += 61_000;
    assert.equal(list.isRevoked(principal('g2')), false, 'kept only as long as its tokens could live');
  } finally {
    list.close();
  }
});
