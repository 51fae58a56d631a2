import type pg from 'pg';
import type { OidcModelStore, StoredModel } from '../auth-store.js';
import { columnsOf, epoch, type ModelRow, payloadOf } from '../oidc-model-rows.js';

/**
 * One statement, so that it is atomic: the revocation records of an account's grants (`$2` the
 * time they last until), the account's records, and everything its grants issued.
 */
const REVOKE_ACCOUNT = `WITH grants AS (
    SELECT id AS grant_id FROM oidc_models WHERE model = 'Grant' AND account_id = $1
    UNION SELECT grant_id FROM oidc_models WHERE account_id = $1 AND grant_id IS NOT NULL),
  recorded AS (
    INSERT INTO revoked_grants (grant_id, expires_at) SELECT grant_id, $2 FROM grants
    ON CONFLICT (grant_id) DO UPDATE
      SET expires_at = greatest(revoked_grants.expires_at, excluded.expires_at)),
  deleted AS (
    DELETE FROM oidc_models WHERE account_id = $1
      OR grant_id IN (SELECT grant_id FROM grants)
      OR (model = 'Grant' AND id IN (SELECT grant_id FROM grants)))
  SELECT grant_id FROM grants`;

/** oidc-provider's sessions, grants, codes, tokens, clients and interactions in PostgreSQL. */
export function createPostgresOidcModels(pool: pg.Pool): OidcModelStore {
  const find = async (column: 'id' | 'uid' | 'user_code', model: string, key: string) => {
    const { rows } = await pool.query<ModelRow>(
      `SELECT payload, consumed_at FROM oidc_models
        WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > $3)`,
      [model, key, epoch()],
    );
    return payloadOf(rows[0]);
  };

  return {
    async upsertModel(model, id, record) {
      const c = columnsOf(record);
      await pool.query(
        `INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, account_id, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
          user_code = excluded.user_code, uid = excluded.uid, account_id = excluded.account_id,
          expires_at = excluded.expires_at, consumed_at = NULL`,
        [model, id, c.payload, c.grant_id, c.user_code, c.uid, c.account_id, c.expires_at],
      );
    },
    findModel: (model, id) => find('id', model, id),
    findModelByUid: (model, uid) => find('uid', model, uid),
    findModelByUserCode: (model, code) => find('user_code', model, code),
    async consumeModel(model, id, at) {
      await pool.query('UPDATE oidc_models SET consumed_at = $1 WHERE model = $2 AND id = $3', [
        at,
        model,
        id,
      ]);
    },
    async destroyModel(model, id) {
      await pool.query('DELETE FROM oidc_models WHERE model = $1 AND id = $2', [model, id]);
    },
    async revokeGrant(grantId) {
      await pool.query("DELETE FROM oidc_models WHERE grant_id = $1 OR (model = 'Grant' AND id = $1)", [
        grantId,
      ]);
    },
    async revokeAccount(accountId, until) {
      const { rows } = await pool.query<{ grant_id: string }>(REVOKE_ACCOUNT, [accountId, until]);
      return rows.map((row) => row.grant_id);
    },
    async purgeExpired(now) {
      const result = await pool.query(
        'DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at <= $1',
        [now],
      );
      return result.rowCount ?? 0;
    },
    listModels: (model, accountId) => listModels(pool, model, accountId),
  };
}

async function listModels(
  pool: pg.Pool,
  model: string,
  accountId: string | undefined,
): Promise<StoredModel[]> {
  const { rows } = await pool.query<ModelRow & { id: string }>(
    `SELECT id, payload, consumed_at FROM oidc_models
      WHERE model = $1 AND ($2::text IS NULL OR account_id = $2)
        AND (expires_at IS NULL OR expires_at > $3) ORDER BY id`,
    [model, accountId ?? null, epoch()],
  );
  return rows.map((row) => ({ id: row.id, payload: payloadOf(row) ?? {} }));
}
