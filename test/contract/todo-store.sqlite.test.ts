import { openStorage } from '../../src/storage/open-storage.js';
import { migrate } from '../../src/storage/sqlite/migrations.js';
import { openDatabase } from '../../src/storage/sqlite/open-database.js';
import { createSqliteTodoStore } from '../../src/storage/sqlite/sqlite-todo-store.js';
import { makeTempDir } from '../support/temp-dir.js';
import { type StoreUnderTest, todoStoreContract } from './todo-store.contract.js';
import { todoWritesContract, type WritesUnderTest } from './todo-writes.contract.js';

todoStoreContract('SQLite (temporary file)', async (): Promise<StoreUnderTest> => {
  const dir = await makeTempDir('todo-store-contract-');
  const db = openDatabase(dir.file('todos.db'));
  migrate(db);
  const store = createSqliteTodoStore(db);
  return {
    store,
    async cleanup() {
      await store.close();
      await dir.dispose();
    },
  };
});

todoWritesContract('SQLite (temporary file)', async (): Promise<WritesUnderTest> => {
  const dir = await makeTempDir('todo-writes-contract-');
  const storage = await openStorage(dir.file('todos.db'));
  return {
    store: storage.todos,
    audit: storage.audit,
    async cleanup() {
      await storage.close();
      await dir.dispose();
    },
  };
});
