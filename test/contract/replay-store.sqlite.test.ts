import { openStorage } from '../../src/storage/open-storage.js';
import { makeTempDir } from '../support/temp-dir.js';
import { type ReplayStoreUnderTest, replayStoreContract } from './replay-store.contract.js';

replayStoreContract('SQLite (one file, two connections)', async (): Promise<ReplayStoreUnderTest> => {
  const dir = await makeTempDir('replay-store-contract-');
  const storage = await openStorage(dir.file('replay.db'));
  const second = await openStorage(dir.file('replay.db'));
  return {
    store: storage.replay,
    other: second.replay,
    countsPurges: true,
    async cleanup() {
      await second.close();
      await storage.close();
      await dir.dispose();
    },
  };
});
