import { openStorage } from '../../src/storage/open-storage.js';
import { makeTempDir } from '../support/temp-dir.js';
import { type GrantRevocationsUnderTest, grantRevocationsContract } from './grant-revocations.contract.js';

grantRevocationsContract('SQLite (temporary file)', async (): Promise<GrantRevocationsUnderTest> => {
  const dir = await makeTempDir('grant-revocations-contract-');
  const storage = await openStorage(dir.file('revocations.db'));
  return {
    revocations: storage.revocations,
    async cleanup() {
      await storage.close();
      await dir.dispose();
    },
  };
});
