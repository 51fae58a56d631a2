import { openStorage } from '../../src/storage/open-storage.js';
import { freshSchema } from '../support/postgres.js';
import { accountStateContract } from './account-state.contract.js';
import { type AuthStoreUnderTest, authStoreContract } from './auth-store.contract.js';
import { clientStoreContract } from './client-store.contract.js';

async function make(): Promise<AuthStoreUnderTest> {
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
}

authStoreContract('PostgreSQL (fresh schema)', make);
accountStateContract('PostgreSQL (fresh schema)', make);
clientStoreContract('PostgreSQL (fresh schema)', make);
