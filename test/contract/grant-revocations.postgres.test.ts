import { openStorage } from '../../src/storage/open-storage.js';
import { freshSchema } from '../support/postgres.js';
import { type GrantRevocationsUnderTest, grantRevocationsContract } from './grant-revocations.contract.js';

grantRevocationsContract('PostgreSQL (fresh schema)', async (): Promise<GrantRevocationsUnderTest> => {
  const schema = await freshSchema();
  const storage = await openStorage(schema.url);
  return {
    revocations: storage.revocations,
    async cleanup() {
      await storage.close();
      await schema.dispose();
    },
  };
});
