import type { TodoStore } from '../todos/todo-store.js';
import { migrate } from './sqlite/migrations.js';
import { openDatabase } from './sqlite/open-database.js';
import { createSqliteTodoStore } from './sqlite/sqlite-todo-store.js';

export interface OpenedStore {
  readonly store: TodoStore;
  /** The migration versions this opening applied. */
  readonly applied: readonly number[];
}

/** Opens the store that `DATABASE_URL` names and brings its schema up to date. */
export async function openTodoStore(databaseUrl: string): Promise<OpenedStore> {
  const db = openDatabase(databaseUrl);
  try {
    const applied = migrate(db);
    return { store: createSqliteTodoStore(db), applied };
  } catch (error) {
    db.close();
    throw error;
  }
}
