import { parseDatabaseUrl } from '../config/load-config.js';
import { openStorage, type Storage } from '../storage/open-storage.js';
import type { CliIo } from './io.js';

/** Opens the database named by `--database-url` or `DATABASE_URL` for one command, then closes it. */
export async function withStorage<T>(
  io: CliIo,
  databaseUrl: string | undefined,
  run: (storage: Storage) => Promise<T>,
): Promise<T> {
  const storage = await openStorage(parseDatabaseUrl(databaseUrl || io.env.DATABASE_URL));
  try {
    return await run(storage);
  } finally {
    await storage.close();
  }
}
