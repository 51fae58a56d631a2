import type { OpenOptions } from '../open-options.js';
import type { Storage } from '../open-storage.js';
import { migrate } from './migrations.js';
import { openDatabase } from './open-database.js';
import { createSqliteAuditLog } from './sqlite-audit-log.js';
import { createSqliteAuthStore } from './sqlite-auth-store.js';
import { createSqliteTodoStore } from './sqlite-todo-store.js';
import { createSqliteGrantRevocations, createSqliteReplayStore } from './sqlite-token-guards.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

/** Every store over one SQLite file (or `:memory:`), its schema brought up to date. */
export async function openSqliteStorage(databaseUrl: string, options: OpenOptions = {}): Promise<Storage> {
  const db = openDatabase(databaseUrl, options);
  try {
    const applied = migrate(db);
    const todos = createSqliteTodoStore(db);
    const stores = {
      auth: createSqliteAuthStore(db),
      audit: createSqliteAuditLog(db),
      replay: createSqliteReplayStore(db),
      revocations: createSqliteGrantRevocations(db),
    };
    const checkpointer =
      options.checkpointInBackground && !db.memory ? startWalCheckpointer(db.name) : undefined;
    return {
      todos,
      ...stores,
      applied,
      ping: () => todos.ping(),
      poolStats: () => undefined,
      async close() {
        await checkpointer?.stop();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
