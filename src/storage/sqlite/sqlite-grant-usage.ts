import type Database from 'better-sqlite3';
import type { GrantUsageStore } from '../auth-store.js';
import { type GrantRow, toGrantRecord } from '../grant-rows.js';
import { epoch } from '../oidc-model-rows.js';

/** Live grants and when their tokens were used, in SQLite. */
export function createSqliteGrantUsage(db: Database.Database): GrantUsageStore {
  const q = {
    use: db.prepare(`INSERT INTO grant_usage (grant_id, first_used_at, last_used_at) VALUES (?, ?, ?)
      ON CONFLICT (grant_id) DO UPDATE SET last_used_at = max(last_used_at, excluded.last_used_at)`),
    list: db.prepare(`SELECT g.id AS grant_id, g.account_id, g.payload, g.expires_at,
        c.payload AS client_payload, u.first_used_at, u.last_used_at
      FROM oidc_models g
      LEFT JOIN grant_usage u ON u.grant_id = g.id
      LEFT JOIN oidc_models c ON c.model = 'Client' AND c.id = json_extract(g.payload, '$.clientId')
      WHERE g.model = 'Grant' AND g.account_id IS NOT NULL
        AND (g.expires_at IS NULL OR g.expires_at > @now)
        AND (@account IS NULL OR g.account_id = @account)
      ORDER BY g.account_id, coalesce(u.last_used_at, 0) DESC, g.id`),
    purge: db.prepare(`DELETE FROM grant_usage
      WHERE grant_id NOT IN (SELECT id FROM oidc_models WHERE model = 'Grant')`),
  };
  return {
    async recordGrantUse(grantId, at) {
      q.use.run(grantId, at, at);
    },
    listGrantRecords: async (accountId) =>
      (q.list.all({ now: epoch(), account: accountId ?? null }) as GrantRow[]).map(toGrantRecord),
    purgeGrantUsage: async () => q.purge.run().changes,
  };
}
