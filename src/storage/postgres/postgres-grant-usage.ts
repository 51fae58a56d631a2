import type pg from 'pg';
import type { GrantUsageStore } from '../auth-store.js';
import { type GrantRow, toGrantRecord } from '../grant-rows.js';
import { epoch } from '../oidc-model-rows.js';

/** Live grants and when their tokens were used, in PostgreSQL. */
export function createPostgresGrantUsage(pool: pg.Pool): GrantUsageStore {
  return {
    async recordGrantUse(grantId, at) {
      await pool.query(
        `INSERT INTO grant_usage (grant_id, first_used_at, last_used_at) VALUES ($1, $2, $2)
          ON CONFLICT (grant_id) DO UPDATE
            SET last_used_at = greatest(grant_usage.last_used_at, excluded.last_used_at)`,
        [grantId, at],
      );
    },
    async listGrantRecords(accountId) {
      const { rows } = await pool.query<GrantRow>(
        `SELECT g.id AS grant_id, g.account_id, g.payload, g.expires_at,
            c.payload AS client_payload, u.first_used_at, u.last_used_at
          FROM oidc_models g
          LEFT JOIN grant_usage u ON u.grant_id = g.id
          LEFT JOIN oidc_models c ON c.model = 'Client' AND c.id = (g.payload::jsonb ->> 'clientId')
          WHERE g.model = 'Grant' AND g.account_id IS NOT NULL
            AND (g.expires_at IS NULL OR g.expires_at > $1)
            AND ($2::text IS NULL OR g.account_id = $2)
          ORDER BY g.account_id, coalesce(u.last_used_at, 0) DESC, g.id`,
        [epoch(), accountId ?? null],
      );
      return rows.map(toGrantRecord);
    },
    async purgeGrantUsage() {
      const result = await pool.query(
        `DELETE FROM grant_usage WHERE grant_id NOT IN (SELECT id FROM oidc_models WHERE model = 'Grant')`,
      );
      return result.rowCount ?? 0;
    },
  };
}
