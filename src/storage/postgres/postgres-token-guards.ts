import type pg from 'pg';
import type { GrantRevocations } from '../grant-revocations.js';
import { epoch } from '../oidc-model-rows.js';
import { REPLAY_PURGE_INTERVAL_S, type ReplayStore } from '../replay-store.js';

/**
 * Seen DPoP proofs in PostgreSQL. `INSERT … ON CONFLICT` is atomic across connections: of two
 * instances claiming one key at once, the second waits for the first to commit, then finds the
 * key taken. Expired keys are purged in the background, never in a request's way.
 */
export function createPostgresReplayStore(pool: pg.Pool): ReplayStore {
  let purgedAt = 0;
  const purge = async (now: number) =>
    (await pool.query('DELETE FROM dpop_proofs WHERE expires_at <= $1', [now])).rowCount ?? 0;
  return {
    async claim(key, expiresAt) {
      const now = epoch();
      if (now - purgedAt >= REPLAY_PURGE_INTERVAL_S) {
        purgedAt = now;
        // A failed purge is retried a minute later; expired keys never block a claim meanwhile.
        purge(now).catch(() => {});
      }
      const result = await pool.query(
        `INSERT INTO dpop_proofs (key, expires_at) VALUES ($1, $2)
          ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE dpop_proofs.expires_at <= $3`,
        [key, expiresAt, now],
      );
      return result.rowCount === 1;
    },
    purgeExpired: purge,
  };
}

/** Revoked grants in PostgreSQL. */
export function createPostgresGrantRevocations(pool: pg.Pool): GrantRevocations {
  return {
    async revoke(grantId, until) {
      await pool.query(
        `INSERT INTO revoked_grants (grant_id, expires_at) VALUES ($1, $2)
          ON CONFLICT (grant_id) DO UPDATE SET expires_at = greatest(revoked_grants.expires_at, excluded.expires_at)`,
        [grantId, until],
      );
    },
    async revokedGrants(now) {
      const sql = 'SELECT grant_id FROM revoked_grants WHERE expires_at > $1';
      return (await pool.query<{ grant_id: string }>(sql, [now])).rows.map((row) => row.grant_id);
    },
    async purgeExpired(now) {
      return (await pool.query('DELETE FROM revoked_grants WHERE expires_at <= $1', [now])).rowCount ?? 0;
    },
  };
}
