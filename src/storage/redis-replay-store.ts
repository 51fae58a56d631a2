import { createClient } from 'redis';
import { AppError } from '../errors.js';
import type { ReplayStore } from './replay-store.js';

const CONNECT_WAIT_MS = 2_000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export interface RedisReplayStore extends ReplayStore {
  close(): Promise<void>;
}

/**
 * Seen DPoP proofs in Redis, for deployments that share one (`REDIS_URL`): `SET key NX PX` is
 * one atomic command, and Redis expires the key itself. While Redis cannot answer, a claim fails
 * with `temporarily_unavailable` (503): a proof must never pass unchecked, and another store
 * would not know which proofs Redis had already seen.
 */
export async function createRedisReplayStore(url: string): Promise<RedisReplayStore> {
  const client = createClient({
    url,
    // Fail fast while disconnected instead of queueing claims behind a dead connection.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000) },
  });
  // Connection errors surface on each claim; the client keeps reconnecting meanwhile.
  client.on('error', () => {});
  // The first requests should find it connected, but a Redis that is down must not stop the start.
  await Promise.race([client.connect().catch(() => {}), delay(CONNECT_WAIT_MS)]);
  return {
    async claim(key, expiresAt) {
      const ms = expiresAt * 1000 - Date.now();
      // A key whose time is already over protects nothing; no proof that old is accepted anyway.
      if (ms <= 0) return true;
      try {
        const answer = await client.set(`todo-manager:dpop:${key}`, '1', {
          condition: 'NX',
          expiration: { type: 'PX', value: ms },
        });
        return answer === 'OK';
      } catch (cause) {
        throw new AppError('temporarily_unavailable', 'DPoP proofs cannot be checked now', { cause });
      }
    },
    // Redis drops expired keys by itself.
    purgeExpired: async () => 0,
    async close() {
      client.destroy();
    },
  };
}
