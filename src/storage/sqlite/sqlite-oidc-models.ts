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

/** oidc-provider's sessions, grants, codes, tokens, clients and interactions in SQLite. */
export function createSqliteOidcModels(db: Database.Database): OidcModelStore {
  const q = {
    upsert:
      db.prepare(`INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, account_id, expires_at)
      VALUES (@model, @id, @payload, @grant_id, @user_code, @uid, @account_id, @expires_at)
      ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
        user_code = excluded.user_code, uid = excluded.uid, account_id = excluded.account_id,
        expires_at = excluded.expires_at, consumed_at = NULL`),
    consume: db.prepare('UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ?'),
    destroy: db.prepare('DELETE FROM oidc_models WHERE model = ? AND id = ?'),
    revokeGrant: db.prepare("DELETE FROM oidc_models WHERE grant_id = ? OR (model = 'Grant' AND id = ?)"),
    accountGrants: db.prepare("SELECT id FROM oidc_models WHERE model = 'Grant' AND account_id = ?"),
    revokeAccount: db.prepare('DELETE FROM oidc_models WHERE account_id = ?'),
    purge: db.prepare('DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    // A NULL account matches every account, so one statement serves both lists.
    list: db.prepare(`SELECT id, payload, consumed_at FROM oidc_models
      WHERE model = @model AND (@account IS NULL OR account_id = @account)
        AND (expires_at IS NULL OR expires_at > @now) ORDER BY rowid`),
  };
  // One transaction, so that it is atomic: everything the account's grants issued, then its own records.
  const revokeAccount = db.transaction((accountId: string) => {
    for (const { id } of q.accountGrants.all(accountId) as { id: string }[]) q.revokeGrant.run(id, id);
    q.revokeAccount.run(accountId);
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
    async revokeAccount(accountId) {
      revokeAccount(accountId);
    },
    purgeExpired: async (now) => q.purge.run(now).changes,
    listModels: async (model, accountId) =>
      (q.list.all({ model, account: accountId ?? null, now: epoch() }) as (ModelRow & { id: string })[]).map(
        (row) => ({ id: row.id, payload: payloadOf(row) ?? {} }),
      ),
  };
}
