import { parseDatabaseUrl } from '../config/load-config.js';
import { type OpenOptions, openStorage, type Storage } from '../storage/open-storage.js';
import type { CliIo } from './io.js';

/**
 * Opens the database named by `--database-url` or `DATABASE_URL` for one command, then closes it.
 * Only `migrate` (and the server) may create one: a mistyped path must not become an empty database.
 */
export async function withStorage<T>(
  io: CliIo,
  databaseUrl: string | undefined,
  run: (storage: Storage) => Promise<T>,
  options: OpenOptions = { mustExist: true },
): Promise<T> {
  const storage = await openStorage(parseDatabaseUrl(databaseUrl || io.env.DATABASE_URL), options);
  try {
    return await run(storage);
  } finally {
    await storage.close();
  }
}
