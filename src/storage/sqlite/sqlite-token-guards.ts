import type Database from 'better-sqlite3';
import type { GrantRevocations } from '../grant-revocations.js';
import { epoch } from '../oidc-model-rows.js';
import { REPLAY_PURGE_INTERVAL_S, type ReplayStore } from '../replay-store.js';

/** Seen DPoP proofs in SQLite: the upsert only takes over a key whose time is over. */
export function createSqliteReplayStore(db: Database.Database): ReplayStore {
  const q = {
    claim: db.prepare(`INSERT INTO dpop_proofs (key, expires_at) VALUES (?, ?)
      ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE dpop_proofs.expires_at <= ?`),
    purge: db.prepare('DELETE FROM dpop_proofs WHERE expires_at <= ?'),
  };
  let purgedAt = 0;
  return {
    async claim(key, expiresAt) {
      const now = epoch();
      if (now - purgedAt >= REPLAY_PURGE_INTERVAL_S) {
        purgedAt = now;
        q.purge.run(now);
      }
      return q.claim.run(key, expiresAt, now).changes === 1;
    },
    purgeExpired: async (now) => q.purge.run(now).changes,
  };
}

/** Revoked grants in SQLite. */
export function createSqliteGrantRevocations(db: Database.Database): GrantRevocations {
  const q = {
    revoke: db.prepare(`INSERT INTO revoked_grants (grant_id, expires_at) VALUES (?, ?)
      ON CONFLICT (grant_id) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`),
    list: db.prepare('SELECT grant_id FROM revoked_grants WHERE expires_at > ?').pluck(),
    purge: db.prepare('DELETE FROM revoked_grants WHERE expires_at <= ?'),
  };
  return {
    async revoke(grantId, until) {
      q.revoke.run(grantId, until);
    },
    revokedGrants: async (now) => q.list.all(now) as string[],
    purgeExpired: async (now) => q.purge.run(now).changes,
  };
}
