import type pg from 'pg';
import type { Migration } from '../migration.js';
import { MIGRATIONS } from './schema-changes.js';

export type { Migration };
export { MIGRATIONS };

/** The first key of the advisory lock that serializes migrations ('todo' in ASCII). */
const LOCK_CLASS = 0x746f646f;

/**
 * Applies every migration not yet recorded, in version order, in one transaction that first takes
 * a transaction-level advisory lock for the current schema, so that instances starting together
 * wait for each other and each version runs exactly once. A version is pending when it is missing,
 * not only when it is above the highest applied one: changes developed side by side may be
 * released in either order. Returns the versions this call applied.
 */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  // A checked-out connection has no pool listener; one that breaks here must not crash the process.
  const ignore = () => {};
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    // A migration may outlast the pool's per-statement limit (an index on a large table).
    await client.query("SET LOCAL statement_timeout = '15min'");
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [
      LOCK_CLASS,
    ]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const pending = migrations.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
    return pending.map((m) => m.version);
  } catch (error) {
    await client.query('ROLLBACK').catch((cause: unknown) => {
      broken = cause instanceof Error ? cause : new Error(String(cause));
    });
    throw error;
  } finally {
    client.off('error', ignore);
    // A connection whose rollback failed is in an unknown state: destroy it rather than reuse it.
    client.release(broken);
  }
}
