import type pg from 'pg';
import { AppError } from '../../errors.js';
import type { KeyMaterialStore } from '../auth-store.js';
import { type SigningKeyRow, toSigningKey } from '../signing-key-rows.js';
import { POSTGRES_VALUES } from './postgres-values.js';

/** The server's key material in PostgreSQL: token signing keys and named secrets. */
export function createPostgresKeyMaterial(pool: pg.Pool): KeyMaterialStore {
  return {
    async listSigningKeys() {
      const { rows } = await pool.query<SigningKeyRow<Date>>(
        'SELECT kid, private_jwk, created_at, retired_at FROM signing_keys ORDER BY seq DESC',
      );
      return rows.map((row) => toSigningKey(row, POSTGRES_VALUES));
    },
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
      const sql = 'SELECT value FROM secrets WHERE name = $1';
      const [row] = (await pool.query<{ value: string }>(sql, [name])).rows;
      if (row === undefined)
        throw new AppError('internal_error', `secret ${name} vanished after it was written`);
      return row.value;
    },
  };
}
