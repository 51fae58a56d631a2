import type pg from 'pg';
import { notOurDatabase, type OpenOptions } from '../open-options.js';
import type { Storage } from '../open-storage.js';
import { createPool, endPool, poolStats } from './create-pool.js';
import { migrate } from './migrations.js';
import { createPostgresAuditLog } from './postgres-audit-log.js';
import { createPostgresAuthStore } from './postgres-auth-store.js';
import { createPostgresTodoStore } from './postgres-todo-store.js';
import { createPostgresGrantRevocations, createPostgresReplayStore } from './postgres-token-guards.js';

/** Every store over one PostgreSQL database through a pool, its schema brought up to date. */
export async function openPostgresStorage(databaseUrl: string, options: OpenOptions = {}): Promise<Storage> {
  const pool = createPool(databaseUrl);
  try {
    if (options.mustExist && !(await hasSchema(pool))) throw notOurDatabase('This PostgreSQL database');
    const applied = await migrate(pool);
    const todos = createPostgresTodoStore(pool);
    return {
      todos,
      auth: createPostgresAuthStore(pool),
      audit: createPostgresAuditLog(pool),
      replay: createPostgresReplayStore(pool),
      revocations: createPostgresGrantRevocations(pool),
      applied,
      ping: () => todos.ping(),
      poolStats: () => poolStats(pool),
      close: () => endPool(pool),
    };
  } catch (error) {
    await endPool(pool);
    throw error;
  }
}

async function hasSchema(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ found: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS found",
  );
  return rows[0]?.found === true;
}
