import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { ReplayStore } from '../../src/storage/replay-store.js';

export interface ReplayStoreUnderTest {
  readonly store: ReplayStore;
  /** A second store over the same data, as another instance of the server holds it. */
  readonly other: ReplayStore;
  /** Whether `purgeExpired` counts what it removed (Redis expires keys by itself). */
  readonly countsPurges: boolean;
  cleanup(): Promise<void>;
}

const now = () => Math.floor(Date.now() / 1000);

/** The behaviour every `ReplayStore` adapter must show, on a fresh store per test. */
export function replayStoreContract(name: string, makeStore: () => Promise<ReplayStoreUnderTest>): void {
  describe(`ReplayStore contract: ${name}`, () => {
    let subject: ReplayStoreUnderTest;
    beforeEach(async () => {
      subject = await makeStore();
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    test('rfc9449:jti-replay-store a key is claimed once; other keys are independent', async () => {
      const { store } = subject;
      assert.equal(await store.claim('k1', now() + 60), true);
      assert.equal(await store.claim('k1', now() + 60), false);
      assert.equal(await store.claim('k2', now() + 60), true);
    });

    test('rfc9449:jti-replay-store a key claimed by one instance is taken for the other', async () => {
      assert.equal(await subject.store.claim('shared', now() + 60), true);
      assert.equal(await subject.other.claim('shared', now() + 60), false);
    });

    test('rfc9449:jti-replay-store of many simultaneous claims of one key on two instances, exactly one wins', async () => {
      const claims = Array.from({ length: 24 }, (_, i) =>
        (i % 2 === 0 ? subject.store : subject.other).claim('raced', now() + 60),
      );
      const won = (await Promise.all(claims)).filter(Boolean);
      assert.equal(won.length, 1);
    });

    test('rfc9449:jti-replay-store a key whose time is over can be claimed again, then not', async () => {
      const { store } = subject;
      assert.equal(await store.claim('old', now() - 1), true);
      assert.equal(await store.claim('old', now() + 60), true);
      assert.equal(await store.claim('old', now() + 60), false);
    });

    test('rfc9449:jti-replay-store purgeExpired removes the keys whose time is over, and only those', async () => {
      const { store } = subject;
      await store.claim('gone', now() - 5);
      await store.claim('kept', now() + 60);
      const purged = await store.purgeExpired(now());
      if (subject.countsPurges) assert.equal(purged, 1);
      assert.equal(await store.purgeExpired(now()), 0);
      assert.equal(await store.claim('kept', now() + 60), false);
    });
  });
}
