import type pg from 'pg';
import { AppError } from '../../errors.js';
import type { AuthStore, Role, SigningKeyRecord, UserRecord } from '../auth-store.js';

interface ModelRow {
  payload: string;
  /** bigint arrives as text. */
  consumed_at: string | null;
}

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  created_at: Date;
}

interface KeyRow {
  kid: string;
  private_jwk: string;
  created_at: Date;
  retired_at: Date | null;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  role: row.role,
  createdAt: row.created_at.toISOString(),
});

const toKey = (row: KeyRow): SigningKeyRecord => ({
  kid: row.kid,
  privateJwk: row.private_jwk,
  createdAt: row.created_at.toISOString(),
  ...(row.retired_at !== null && { retiredAt: row.retired_at.toISOString() }),
});

const payloadOf = (row: ModelRow | undefined): Record<string, unknown> | undefined => {
  if (row === undefined) return undefined;
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  return row.consumed_at === null ? payload : { ...payload, consumed: Number(row.consumed_at) };
};

const epoch = () => Math.floor(Date.now() / 1000);
const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);
const LIVE = '(expires_at IS NULL OR expires_at > $3)';
const USER_COLUMNS = 'id, username, password_hash, role, created_at';

/** The authorization server's state in the same PostgreSQL database as the todos. */
export function createPostgresAuthStore(pool: pg.Pool): AuthStore {
  const rows = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) =>
    (await pool.query<R>(sql, values)).rows;
  const changed = async (sql: string, values: unknown[]) => (await pool.query(sql, values)).rowCount ?? 0;
  const model = async (column: 'id' | 'uid' | 'user_code', name: string, key: string) =>
    payloadOf(
      (
        await rows<ModelRow>(
          `SELECT payload, consumed_at FROM oidc_models WHERE model = $1 AND ${column} = $2 AND ${LIVE}`,
          [name, key, epoch()],
        )
      )[0],
    );
  const user = async (column: 'id' | 'username', value: string) => {
    const [row] = await rows<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE ${column} = $1`, [value]);
    return row && toUser(row);
  };

  return {
    async upsertModel(name, id, { payload, expiresAt }) {
      await pool.query(
        `INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, account_id, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
          user_code = excluded.user_code, uid = excluded.uid, account_id = excluded.account_id,
          expires_at = excluded.expires_at, consumed_at = NULL`,
        [
          name,
          id,
          JSON.stringify(payload),
          textOrNull(payload.grantId),
          textOrNull(payload.userCode),
          textOrNull(payload.uid),
          textOrNull(payload.accountId),
          expiresAt ?? null,
        ],
      );
    },
    findModel: (name, id) => model('id', name, id),
    findModelByUid: (name, uid) => model('uid', name, uid),
    findModelByUserCode: (name, code) => model('user_code', name, code),
    async consumeModel(name, id, at) {
      await pool.query('UPDATE oidc_models SET consumed_at = $1 WHERE model = $2 AND id = $3', [
        at,
        name,
        id,
      ]);
    },
    async destroyModel(name, id) {
      await pool.query('DELETE FROM oidc_models WHERE model = $1 AND id = $2', [name, id]);
    },
    async revokeGrant(grantId) {
      await pool.query("DELETE FROM oidc_models WHERE grant_id = $1 OR (model = 'Grant' AND id = $1)", [
        grantId,
      ]);
    },
    async revokeAccount(accountId) {
      // One statement, so that it is atomic: the account's records, and everything its grants issued.
      await pool.query(
        `DELETE FROM oidc_models WHERE account_id = $1
          OR grant_id IN (SELECT id FROM oidc_models WHERE model = 'Grant' AND account_id = $1)`,
        [accountId],
      );
    },
    purgeExpired: (now) =>
      changed('DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at <= $1', [now]),

    async insertUser(u) {
      await pool.query(`INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
        u.id,
        u.username,
        u.passwordHash,
        u.role,
        u.createdAt,
      ]);
    },
    findUserByUsername: (username) => user('username', username),
    findUserById: (id) => user('id', id),
    listUsers: async () =>
      (await rows<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`)).map(toUser),
    deleteUser: async (id) => (await changed('DELETE FROM users WHERE id = $1', [id])) > 0,
    setUserRole: async (id, role) =>
      (await changed('UPDATE users SET role = $1 WHERE id = $2', [role, id])) > 0,
    countUsers: async () =>
      (await rows<{ n: number }>('SELECT count(*)::integer AS n FROM users'))[0]?.n ?? 0,

    listSigningKeys: async () =>
      (
        await rows<KeyRow>(
          'SELECT kid, private_jwk, created_at, retired_at FROM signing_keys ORDER BY seq DESC',
        )
      ).map(toKey),
    async addSigningKey(key, retiredAt) {
      // The UPDATE sees the table as it was before the INSERT, so the new key is never retired.
      await pool.query(
        `WITH added AS (
          INSERT INTO signing_keys (kid, private_jwk, created_at) VALUES ($1, $2, $3) RETURNING kid
        )
        UPDATE signing_keys SET retired_at = $4 WHERE retired_at IS NULL AND kid <> $1`,
        [key.kid, key.privateJwk, key.createdAt, retiredAt],
      );
    },
    async deleteSigningKey(kid) {
      await pool.query('DELETE FROM signing_keys WHERE kid = $1', [kid]);
    },

    async secret(name, generate) {
      // Two statements, not one: the SELECT needs a snapshot taken after a concurrent first writer committed.
      await pool.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        name,
        generate(),
      ]);
      const [row] = await rows<{ value: string }>('SELECT value FROM secrets WHERE name = $1', [name]);
      if (row === undefined)
        throw new AppError('internal_error', `secret ${name} vanished after it was written`);
      return row.value;
    },
  };
}
