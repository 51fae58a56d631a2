import type { AuditLog } from '../todos/audit-log.js';
import type { TodoStore } from '../todos/todo-store.js';
import type { AuthStore } from './auth-store.js';
import type { GrantRevocations } from './grant-revocations.js';
import type { OpenOptions } from './open-options.js';
import type { PoolStats } from './postgres/create-pool.js';
import type { ReplayStore } from './replay-store.js';

export type { OpenOptions } from './open-options.js';
export type { PoolStats } from './postgres/create-pool.js';

export interface Storage {
  readonly todos: TodoStore;
  readonly auth: AuthStore;
  /** The append-only audit trail. */
  readonly audit: AuditLog;
  /** DPoP proofs already accepted, shared by every instance on this database. */
  readonly replay: ReplayStore;
  /** Revoked grants whose access tokens the resource server refuses. */
  readonly revocations: GrantRevocations;
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
 * path or `file:`/`sqlite:` URL) and brings its schema up to date. The only place that tells
 * backends apart.
 */
export async function openStorage(databaseUrl: string, options: OpenOptions = {}): Promise<Storage> {
  // Loaded on demand: a server only ever needs one driver, and each costs memory at import.
  if (isPostgresUrl(databaseUrl)) {
    const { openPostgresStorage } = await import('./postgres/open-postgres-storage.js');
    return openPostgresStorage(databaseUrl, options);
  }
  const { openSqliteStorage } = await import('./sqlite/open-sqlite-storage.js');
  return openSqliteStorage(databaseUrl, options);
}
