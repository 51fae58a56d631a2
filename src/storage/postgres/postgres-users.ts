import type pg from 'pg';
import type { UserStore } from '../auth-store.js';
import { toUser, type UserRow } from '../user-rows.js';
import { POSTGRES_VALUES } from './postgres-values.js';

const USER_COLUMNS = 'id, username, password_hash, role, created_at';
const READ_COLUMNS = `${USER_COLUMNS}, disabled_at`;

/** The accounts people sign in with, in PostgreSQL. */
export function createPostgresUsers(pool: pg.Pool): UserStore {
  const users = async (sql: string, values: unknown[] = []) =>
    (await pool.query<UserRow<Date>>(sql, values)).rows.map((row) => toUser(row, POSTGRES_VALUES));
  const changed = async (sql: string, values: unknown[]) =>
    ((await pool.query(sql, values)).rowCount ?? 0) > 0;
  const user = async (column: 'id' | 'username', value: string) =>
    (await users(`SELECT ${READ_COLUMNS} FROM users WHERE ${column} = $1`, [value]))[0];

  return {
    async insertUser(u) {
      await pool.query(`INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
        u.id,
        u.username,
        u.passwordHash,
        u.role,
        u.createdAt,
      ]);
    },
    async insertFirstUsers(first) {
      // One statement, so all rows or none; two instances racing on an empty table collide on the
      // unique username, and the one that loses inserted nothing.
      const values = first.map(
        (_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5}::timestamptz)`,
      );
      const params = first.flatMap((u) => [u.id, u.username, u.passwordHash, u.role, u.createdAt]);
      try {
        const result = await pool.query(
          `INSERT INTO users (${USER_COLUMNS}) SELECT * FROM (VALUES ${values.join(', ')}) AS v
            WHERE NOT EXISTS (SELECT 1 FROM users)`,
          params,
        );
        return (result.rowCount ?? 0) > 0;
      } catch (error) {
        if ((error as { code?: unknown }).code === '23505') return false;
        throw error;
      }
    },
    findUserByUsername: (username) => user('username', username),
    findUserById: (id) => user('id', id),
    listUsers: () => users(`SELECT ${READ_COLUMNS} FROM users ORDER BY username`),
    deleteUser: (id) => changed('DELETE FROM users WHERE id = $1', [id]),
    setUserRole: (id, role) => changed('UPDATE users SET role = $1 WHERE id = $2', [role, id]),
    setUserPassword: (id, hash) => changed('UPDATE users SET password_hash = $1 WHERE id = $2', [hash, id]),
    setUserDisabled: (id, at) => changed('UPDATE users SET disabled_at = $1 WHERE id = $2', [at ?? null, id]),
    async countUsers() {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM users');
      return rows[0]?.n ?? 0;
    },
  };
}
