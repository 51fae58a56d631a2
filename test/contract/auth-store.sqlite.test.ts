import { openStorage } from '../../src/storage/open-storage.js';
import { makeTempDir } from '../support/temp-dir.js';
import { accountStateContract } from './account-state.contract.js';
import { type AuthStoreUnderTest, authStoreContract } from './auth-store.contract.js';
import { clientStoreContract } from './client-store.contract.js';

async function make(): Promise<AuthStoreUnderTest> {
  const dir = await makeTempDir('auth-store-contract-');
  const storage = await openStorage(dir.file('auth.db'));
  return {
    store: storage.auth,
    revocations: storage.revocations,
    async cleanup() {
      await storage.close();
      await dir.dispose();
    },
  };
}

authStoreContract('SQLite (temporary file)', make);
accountStateContract('SQLite (temporary file)', make);
clientStoreContract('SQLite (temporary file)', make);
