import type { AuditLog } from '../todos/audit-log.js';
import type { TodoStore } from '../todos/todo-store.js';
import type { AuthStore } from './auth-store.js';
import { createPool, endPool, type PoolStats, poolStats } from './postgres/create-pool.js';
import { migrate as migratePostgres } from './postgres/migrations.js';
import { createPostgresAuditLog } from './postgres/postgres-audit-log.js';
import { createPostgresAuthStore } from './postgres/postgres-auth-store.js';
import { createPostgresTodoStore } from './postgres/postgres-todo-store.js';
import { migrate as migrateSqlite } from './sqlite/migrations.js';
import { openDatabase } from './sqlite/open-database.js';
import { createSqliteAuditLog } from './sqlite/sqlite-audit-log.js';
import { createSqliteAuthStore } from './sqlite/sqlite-auth-store.js';
import { createSqliteTodoStore } from './sqlite/sqlite-todo-store.js';

export type { PoolStats } from './postgres/create-pool.js';

export interface Storage {
  readonly todos: TodoStore;
  readonly auth: AuthStore;
  /** The append-only audit trail. */
  readonly audit: AuditLog;
  /** The migration versions this opening applied. */
  readonly applied: readonly number[];
  /** Throws unless the database can serve requests. */
  ping(): Promise<void>;
  /** Connection pool counts, for backends that pool connections (PostgreSQL); `undefined` otherwise. */
  poolStats(): PoolStats | undefined;
  close(): Promise<void>;
}

/** Whether a `DATABASE_URL` names PostgreSQL rather than a SQLite file. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:/i.test(databaseUrl);
}

/**
 * Opens the database that `DATABASE_URL` names (a `postgres:`/`postgresql:` URL, or else a SQLite
 * path or `file:` URL) and brings its schema up to date. The only place that tells backends apart.
 */
export function openStorage(databaseUrl: string): Promise<Storage> {
  return isPostgresUrl(databaseUrl) ? openPostgres(databaseUrl) : openSqlite(databaseUrl);
}

async function openSqlite(databaseUrl: string): Promise<Storage> {
  const db = openDatabase(databaseUrl);
  try {
    const applied = migrateSqlite(db);
    const todos = createSqliteTodoStore(db);
    return {
      todos,
      auth: createSqliteAuthStore(db),
      audit: createSqliteAuditLog(db),
      applied,
      ping: () => todos.ping(),
      poolStats: () => undefined,
      async close() {
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

async function openPostgres(databaseUrl: string): Promise<Storage> {
  const pool = createPool(databaseUrl);
  try {
    const applied = await migratePostgres(pool);
    const todos = createPostgresTodoStore(pool);
    return {
      todos,
      auth: createPostgresAuthStore(pool),
      audit: createPostgresAuditLog(pool),
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
