import type { TodoStore } from '../todos/todo-store.js';
import type { AuthStore } from './auth-store.js';
import { migrate } from './sqlite/migrations.js';
import { openDatabase } from './sqlite/open-database.js';
import { createSqliteAuthStore } from './sqlite/sqlite-auth-store.js';
import { createSqliteTodoStore } from './sqlite/sqlite-todo-store.js';

export interface Storage {
  readonly todos: TodoStore;
  readonly auth: AuthStore;
  /** The migration versions this opening applied. */
  readonly applied: readonly number[];
  /** Throws unless the database can serve requests. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the database that `DATABASE_URL` names and brings its schema up to date. */
export async function openStorage(databaseUrl: string): Promise<Storage> {
  const db = openDatabase(databaseUrl);
  try {
    const applied = migrate(db);
    const todos = createSqliteTodoStore(db);
    return {
      todos,
      auth: createSqliteAuthStore(db),
      applied,
      ping: () => todos.ping(),
      async close() {
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
