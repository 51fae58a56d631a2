import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGrantUseRecorder } from '../../../src/authorization-server/grant-usage.js';

/** Resolves once the recorder's deferred writes of this turn have been made. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

test('as:grant-usage a grant is written at most once a minute, never in the caller’s turn', async () => {
  const writes: [string, number][] = [];
  let now = 1_000_000_000;
  const seen = createGrantUseRecorder({
    store: {
      recordGrantUse: async (grantId, at) => {
        writes.push([grantId, at]);
      },
      listGrantRecords: async () => [],
      purgeGrantUsage: async () => 0,
    },
    now: () => now,
  });
  seen('g1');
  assert.deepEqual(writes, [], 'the request does not wait for the write');
  await settled();
  assert.deepEqual(writes, [['g1', 1_000_000]]);
  now += 59_000;
  seen('g1');
  seen('g2');
  await settled();
  assert.deepEqual(writes, [
    ['g1', 1_000_000],
    ['g2', 1_000_059],
  ]);
  now += 1_000;
  seen('g1');
  await settled();
  assert.deepEqual(writes.at(-1), ['g1', 1_000_060]);
});

test('as:grant-usage a failed write is reported and never reaches the request', async () => {
  const errors: unknown[] = [];
  const seen = createGrantUseRecorder({
    store: {
      recordGrantUse: async () => {
        throw new Error('database down');
      },
      listGrantRecords: async () => [],
      purgeGrantUsage: async () => 0,
    },
    onError: (error) => errors.push(error),
  });
  assert.doesNotThrow(() => seen('g1'));
  await settled();
  await settled();
  assert.equal(errors.length, 1);
});
