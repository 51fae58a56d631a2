import type Database from 'better-sqlite3';
import type { OidcModelStore } from '../auth-store.js';
import { columnsOf, epoch, type ModelRow, payloadOf } from '../oidc-model-rows.js';

/** A lookup of unexpired records by one column, its statement prepared once. */
function finder(db: Database.Database, column: 'id' | 'uid' | 'user_code') {
  const find = db.prepare(
    `SELECT payload, consumed_at FROM oidc_models
      WHERE model = ? AND ${column} = ? AND (expires_at IS NULL OR expires_at > ?)`,
  );
  return async (model: string, key: string) =>
    payloadOf(find.get(model, key, epoch()) as ModelRow | undefined);
}

/** The statements of the store, prepared once. */
function statements(db: Database.Database) {
  return {
    upsert:
      db.prepare(`INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, account_id, expires_at)
      VALUES (@model, @id, @payload, @grant_id, @user_code, @uid, @account_id, @expires_at)
      ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
        user_code = excluded.user_code, uid = excluded.uid, account_id = excluded.account_id,
        expires_at = excluded.expires_at, consumed_at = NULL`),
    consume: db.prepare('UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ?'),
    destroy: db.prepare('DELETE FROM oidc_models WHERE model = ? AND id = ?'),
    revokeGrant: db.prepare("DELETE FROM oidc_models WHERE grant_id = ? OR (model = 'Grant' AND id = ?)"),
    accountGrants: db
      .prepare(
        `SELECT id FROM oidc_models WHERE model = 'Grant' AND account_id = ?
          UNION SELECT grant_id FROM oidc_models WHERE account_id = ? AND grant_id IS NOT NULL`,
      )
      .pluck(),
    recordRevoked: db.prepare(`INSERT INTO revoked_grants (grant_id, expires_at) VALUES (?, ?)
      ON CONFLICT (grant_id) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`),
    revokeAccount: db.prepare('DELETE FROM oidc_models WHERE account_id = ?'),
    purge: db.prepare('DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    // A NULL account matches every account, so one statement serves both lists.
    list: db.prepare(`SELECT id, payload, consumed_at FROM oidc_models
      WHERE model = @model AND (@account IS NULL OR account_id = @account)
        AND (expires_at IS NULL OR expires_at > @now) ORDER BY rowid`),
  };
}

/** oidc-provider's sessions, grants, codes, tokens, clients and interactions in SQLite. */
export function createSqliteOidcModels(db: Database.Database): OidcModelStore {
  const q = statements(db);
  // One transaction, so that it is atomic: the revocation records, everything the account's grants
  // issued, then its own records. Run immediate: a read that later writes must hold the write
  // lock from the start, or a concurrent writer makes it fail with SQLITE_BUSY without waiting.
  const revokeAccount = db.transaction((accountId: string, until: number) => {
    const grantIds = q.accountGrants.all(accountId, accountId) as string[];
    for (const id of grantIds) {
      q.recordRevoked.run(id, until);
      q.revokeGrant.run(id, id);
    }
    q.revokeAccount.run(accountId);
    return grantIds;
  });

  return {
    async upsertModel(model, id, record) {
      q.upsert.run({ model, id, ...columnsOf(record) });
    },
    findModel: finder(db, 'id'),
    findModelByUid: finder(db, 'uid'),
    findModelByUserCode: finder(db, 'user_code'),
    async consumeModel(model, id, at) {
      q.consume.run(at, model, id);
    },
    async destroyModel(model, id) {
      q.destroy.run(model, id);
    },
    async revokeGrant(grantId) {
      q.revokeGrant.run(grantId, grantId);
    },
    revokeAccount: async (accountId, until) => revokeAccount.immediate(accountId, until),
    purgeExpired: async (now) => q.purge.run(now).changes,
    listModels: async (model, accountId) =>
      (q.list.all({ model, account: accountId ?? null, now: epoch() }) as (ModelRow & { id: string })[]).map(
        (row) => ({ id: row.id, payload: payloadOf(row) ?? {} }),
      ),
  };
}
