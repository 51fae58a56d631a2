import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open-storage.js';
import { freshSchema } from '../support/postgres.js';
import { type AuthStoreUnderTest, authStoreContract } from './auth-store.contract.js';

authStoreContract('SQLite (temporary file)', async (): Promise<AuthStoreUnderTest> => {
  const dir = await mkdtemp(join(tmpdir(), 'auth-store-contract-'));
  const storage = await openStorage(join(dir, 'auth.db'));
  return {
    store: storage.auth,
    async cleanup() {
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

authStoreContract('PostgreSQL (fresh schema)', async (): Promise<AuthStoreUnderTest> => {
  const schema = await freshSchema();
  const storage = await openStorage(schema.url);
  return {
    store: storage.auth,
    async cleanup() {
      await storage.close();
      await schema.dispose();
    },
  };
});
