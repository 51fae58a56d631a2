import { openStorage } from '../../src/storage/open-storage.js';
import { freshSchema } from '../support/postgres.js';
import { type StoreUnderTest, todoStoreContract } from './todo-store.contract.js';
import { todoWritesContract, type WritesUnderTest } from './todo-writes.contract.js';

todoStoreContract('PostgreSQL (fresh schema, opened by openStorage)', async (): Promise<StoreUnderTest> => {
  const schema = await freshSchema();
  const storage = await openStorage(schema.url);
  return {
    store: storage.todos,
    async cleanup() {
      await storage.close();
      await schema.dispose();
    },
  };
});

todoWritesContract('PostgreSQL (fresh schema)', async (): Promise<WritesUnderTest> => {
  const schema = await freshSchema();
  const storage = await openStorage(schema.url);
  return {
    store: storage.todos,
    audit: storage.audit,
    async cleanup() {
      await storage.close();
      await schema.dispose();
    },
  };
});
