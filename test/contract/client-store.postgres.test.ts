import { openStorage } from '../../src/storage/open-storage.js';
import { freshSchema } from '../support/postgres.js';
import type { AuthStoreUnderTest } from './auth-store.contract.js';
import { clientStoreContract } from './client-store.contract.js';

clientStoreContract('PostgreSQL (fresh schema)', async (): Promise<AuthStoreUnderTest> => {
  const schema = await freshSchema();
  const storage = await openStorage(schema.url);
  return {
    store: storage.auth,
    revocations: storage.revocations,
    async cleanup() {
      await storage.close();
      await schema.dispose();
    },
  };
});
