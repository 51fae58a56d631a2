import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { GrantRevocations } from '../../src/storage/grant-revocations.js';

export interface GrantRevocationsUnderTest {
  readonly revocations: GrantRevocations;
  cleanup(): Promise<void>;
}

/** The behaviour every `GrantRevocations` adapter must show, on a fresh store per test. */
export function grantRevocationsContract(name: string, make: () => Promise<GrantRevocationsUnderTest>): void {
  describe(`GrantRevocations contract: ${name}`, () => {
    let subject: GrantRevocationsUnderTest;
    beforeEach(async () => {
      subject = await make();
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    test('a revoked grant is listed until its time is over', async () => {
      const { revocations } = subject;
      await revocations.revoke('g1', 1_000);
      await revocations.revoke('g2', 2_000);
      assert.deepEqual((await revocations.revokedGrants(500)).sort(), ['g1', 'g2']);
      assert.deepEqual(await revocations.revokedGrants(1_000), ['g2']);
      assert.deepEqual(await revocations.revokedGrants(2_000), []);
    });

    test('revoking again keeps the later time, never the earlier', async () => {
      const { revocations } = subject;
      await revocations.revoke('g1', 1_000);
      await revocations.revoke('g1', 3_000);
      await revocations.revoke('g1', 2_000);
      assert.deepEqual(await revocations.revokedGrants(2_500), ['g1']);
    });

    test('purgeExpired removes exactly the records whose time is over', async () => {
      const { revocations } = subject;
      await revocations.revoke('old', 1_000);
      await revocations.revoke('live', 5_000);
      assert.equal(await revocations.purgeExpired(1_000), 1);
      assert.equal(await revocations.purgeExpired(1_000), 0);
      assert.deepEqual(await revocations.revokedGrants(0), ['live']);
    });
  });
}
