import type pg from 'pg';
import { AppError } from '../../errors.js';
import type { AuthStore } from '../auth-store.js';
import { type SigningKeyRow, toSigningKey } from '../signing-key-rows.js';
import { toUser, type UserRow } from '../user-rows.js';
import { createPostgresOidcModels } from './postgres-oidc-models.js';

// timestamptz columns come back as Date; the domain wrote millisecond ISO text, which toISOString restores.
const isoText = (time: Date) => time.toISOString();

const USER_COLUMNS = 'id, username, password_hash, role, created_at';

/** The authorization server's state in the same PostgreSQL database as the todos. */
export function createPostgresAuthStore(pool: pg.Pool): AuthStore {
  const rows = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) =>
    (await pool.query<R>(sql, values)).rows;
  const changed = async (sql: string, values: unknown[]) =>
    ((await pool.query(sql, values)).rowCount ?? 0) > 0;
  const user = async (column: 'id' | 'username', value: string) => {
    const [row] = await rows<UserRow<Date>>(`SELECT ${USER_COLUMNS} FROM users WHERE ${column} = $1`, [
      value,
    ]);
    return row && toUser(row, isoText);
  };

  return {
    ...createPostgresOidcModels(pool),

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
      (await rows<UserRow<Date>>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`)).map((row) =>
        toUser(row, isoText),
      ),
    deleteUser: (id) => changed('DELETE FROM users WHERE id = $1', [id]),
    setUserRole: (id, role) => changed('UPDATE users SET role = $1 WHERE id = $2', [role, id]),
    setUserPassword: (id, hash) => changed('UPDATE users SET password_hash = $1 WHERE id = $2', [hash, id]),
    countUsers: async () =>
      (await rows<{ n: number }>('SELECT count(*)::integer AS n FROM users'))[0]?.n ?? 0,

    listSigningKeys: async () =>
      (
        await rows<SigningKeyRow<Date>>(
          'SELECT kid, private_jwk, created_at, retired_at FROM signing_keys ORDER BY seq DESC',
        )
      ).map((row) => toSigningKey(row, isoText)),
    async addSigningKey(key, retiredAt) {
      // One atomic statement; the UPDATE sees the table as it was before the INSERT.
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
      // Two statements: the SELECT needs a snapshot taken after a concurrent first writer committed.
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
