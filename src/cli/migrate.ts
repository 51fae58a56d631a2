import type { CliIo } from './io.js';
import { readSettings } from './settings.js';
import { printUsage } from './usage.js';
import { withStorage } from './with-storage.js';

export const MIGRATE_USAGE = `Usage: todo-manager migrate [--database-url <url>]

Applies pending database migrations to DATABASE_URL and exits. The server also migrates at start.

Options:
  --database-url <url>            [DATABASE_URL]
  -h, --help                      Show this help`;

/** `migrate`: opening the database applies what migrations it lacks; this says which. */
export async function runMigrate(args: string[], io: CliIo): Promise<number> {
  const settings = readSettings(args, ['DATABASE_URL'], io.env);
  if (settings === 'help') return printUsage(io, MIGRATE_USAGE, true);
  const { applied } = await withStorage(io, settings.DATABASE_URL, async (storage) => storage, {
    mustExist: false,
  });
  io.stdout.write(
    applied.length ? `Applied migrations: ${applied.join(', ')}\n` : 'The database is up to date.\n',
  );
  return 0;
}
