import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryRateLimiter, waitMs } from '../../../src/http/rate-limiter.js';

test('abuse:rate-limit-window a limit of 3 allows 3 calls a minute, then asks to wait', async () => {
  let now = 60_000 * 1000;
  const limiter = createMemoryRateLimiter({ limit: 3, now: () => now });
  for (let i = 0; i < 3; i += 1) assert.deepEqual(await limiter.hit(['sub:a']), { allowed: true });
  const refused = await limiter.hit(['sub:a']);
  assert.equal(refused.allowed, false);
  assert.ok(!refused.allowed && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 120);
  now += 120_000;
  assert.deepEqual(await limiter.hit(['sub:a']), { allowed: true });
});

test('abuse:rate-limit-window refused calls are not counted, so a client that waits gets through', async () => {
  let now = 0;
  const limiter = createMemoryRateLimiter({ limit: 2, now: () => now });
  await limiter.hit(['k']);
  await limiter.hit(['k']);
  for (let i = 0; i < 50; i += 1) assert.equal((await limiter.hit(['k'])).allowed, false);
  const refused = await limiter.hit(['k']);
  now += (refused.allowed ? 0 : refused.retryAfterSeconds) * 1000;
  assert.deepEqual(await limiter.hit(['k']), { allowed: true });
});

test('abuse:rate-limit-keys every key must have room, and a refused call counts against none', async () => {
  const limiter = createMemoryRateLimiter({ limit: 2, now: () => 0 });
  assert.equal((await limiter.hit(['sub:a', 'client:c'])).allowed, true);
  assert.equal((await limiter.hit(['sub:b', 'client:c'])).allowed, true);
  assert.equal((await limiter.hit(['sub:a', 'client:c'])).allowed, false, 'the client is out of room');
  assert.equal((await limiter.hit(['sub:a'])).allowed, true, 'sub:a still had room');
});

test('waitMs follows the sliding-window estimate', () => {
  assert.equal(waitMs({ current: 0, previous: 0 }, 10, 0, 60_000), 0);
  assert.equal(waitMs({ current: 4, previous: 10 }, 10, 30_000, 60_000), 0, '10 × 0.5 + 4 + 1 = 10 fits');
  assert.ok(waitMs({ current: 5, previous: 10 }, 10, 30_000, 60_000) > 0);
  const wait = waitMs({ current: 10, previous: 0 }, 10, 0, 60_000);
  assert.ok(wait >= 60_000 && wait <= 120_000, `waits into the next window: ${wait}`);
});
