import { openStorage } from '../../src/storage/open-storage.js';
import { freshSchema } from '../support/postgres.js';
import { type ReplayStoreUnderTest, replayStoreContract } from './replay-store.contract.js';

replayStoreContract('PostgreSQL (one schema, two pools)', async (): Promise<ReplayStoreUnderTest> => {
  const schema = await freshSchema();
  const storage = await openStorage(schema.url);
  const second = await openStorage(schema.url);
  return {
    store: storage.replay,
    other: second.replay,
    countsPurges: true,
    async cleanup() {
      await second.close();
      await storage.close();
      await schema.dispose();
    },
  };
});
