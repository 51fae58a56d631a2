import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accountFor } from '../../../../src/authorization-server/enterprise/enterprise-accounts.js';
import type { TrustedIdp } from '../../../../src/authorization-server/enterprise/verify-id-jag.js';
import { createUserDirectory, type UserDirectory } from '../../../../src/authorization-server/users.js';
import { openStorage, type Storage } from '../../../../src/storage/open-storage.js';

const idp = (fields: Partial<TrustedIdp> = {}): TrustedIdp => ({
  issuer: 'https://acme.example',
  claim: 'email',
  accounts: 'create',
  keys: async () => {
    throw new Error('no key is needed to link an account');
  },
  ...fields,
});

/** The error an ID-JAG refusal carries at the token endpoint. */
const refusal = (code: string) => (error: unknown) =>
  (error as { error?: string; error_description?: string }).error === code &&
  typeof (error as { error_description?: string }).error_description === 'string';

describe('enterprise account linking', () => {
  let storage: Storage;
  let users: UserDirectory;
  before(async () => {
    storage = await openStorage(':memory:');
    users = createUserDirectory(storage.auth);
  });
  after(() => storage.close());

  test('eam:id-jag-flow the claim, lower-cased, names an account an admin created, with its role', async () => {
    const { user } = await users.add('lead@acme.example', 'admin');
    const linked = await accountFor(idp(), { email: 'Lead@ACME.example' }, users);
    assert.equal(linked.id, user.id);
    assert.equal(linked.role, 'admin');
  });

  test('eam:id-jag-flow a person without an account gets one with role user, once', async () => {
    const first = await accountFor(idp(), { email: 'new@acme.example' }, users);
    const again = await accountFor(idp(), { email: 'new@acme.example' }, users);
    assert.equal(first.role, 'user');
    assert.equal(again.id, first.id);
  });

  test('eam:id-jag-refusals with accounts=existing, an unknown person is refused', async () => {
    await assert.rejects(
      accountFor(idp({ accounts: 'existing' }), { email: 'ghost@acme.example' }, users),
      refusal('invalid_grant'),
    );
    assert.equal(await users.findByUsername('ghost@acme.example'), undefined);
  });

  test('eam:id-jag-refusals a missing claim, or one no username can be, is refused', async () => {
    await assert.rejects(accountFor(idp(), { sub: 'x' }, users), refusal('invalid_grant'));
    await assert.rejects(accountFor(idp(), { email: 'has space@acme' }, users), refusal('invalid_grant'));
    await assert.rejects(
      accountFor(idp({ claim: 'groups' }), { groups: ['a'] }, users),
      refusal('invalid_grant'),
    );
  });
});
