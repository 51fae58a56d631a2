import { randomBytes } from 'node:crypto';
import { createRedisReplayStore } from '../../src/storage/redis-replay-store.js';
import { type ReplayStoreUnderTest, replayStoreContract } from './replay-store.contract.js';

/** The Redis the suite uses (127.0.0.1:6379); set TEST_REDIS_URL to point elsewhere. There is no skip. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

replayStoreContract('Redis (two clients)', async (): Promise<ReplayStoreUnderTest> => {
  // Keys of other tests never meet: each store here sees the same Redis, so keys get a fresh prefix.
  const prefix = randomBytes(8).toString('hex');
  const [first, second] = await Promise.all([
    createRedisReplayStore(REDIS_URL),
    createRedisReplayStore(REDIS_URL),
  ]);
  const scoped = (store: typeof first) => ({
    claim: (key: string, expiresAt: number) => store.claim(`${prefix}:${key}`, expiresAt),
    purgeExpired: (now: number) => store.purgeExpired(now),
  });
  return {
    store: scoped(first),
    other: scoped(second),
    countsPurges: false,
    async cleanup() {
      await first.close();
      await second.close();
    },
  };
});
