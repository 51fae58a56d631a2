import { openStorage } from '../../src/storage/open-storage.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { AuthStoreUnderTest } from './auth-store.contract.js';
import { clientStoreContract } from './client-store.contract.js';

clientStoreContract('SQLite (temporary file)', async (): Promise<AuthStoreUnderTest> => {
  const dir = await makeTempDir('client-store-contract-');
  const storage = await openStorage(dir.file('auth.db'));
  return {
    store: storage.auth,
    revocations: storage.revocations,
    async cleanup() {
      await storage.close();
      await dir.dispose();
    },
  };
});
