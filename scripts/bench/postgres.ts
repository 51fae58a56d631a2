import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const run = promisify(execFile);

export type PostgresTarget =
  | {
      readonly available: true;
      readonly databaseUrl: string;
      drop(): Promise<void>;
      /** For exit handlers, where nothing asynchronous runs any more. */
      dropSync(): void;
    }
  | { readonly available: false; readonly reason: string };

const psqlArgs = (sql: string) => [
  '-h',
  '127.0.0.1',
  '-p',
  '5432',
  '-U',
  'postgres',
  '-d',
  'postgres',
  '-v',
  'ON_ERROR_STOP=1',
  '-qAtc',
  sql,
];
const psqlOptions = { timeout: 30_000, env: { ...process.env, PGCONNECT_TIMEOUT: '5' } };

/** Runs one statement as the local `postgres` superuser (trust authentication), over TCP on 127.0.0.1. */
async function psql(sql: string): Promise<void> {
  await run('psql', psqlArgs(sql), psqlOptions);
}

/**
 * Asks the server's own configuration whether it takes a `postgres://` DATABASE_URL and, if it
 * does, creates a fresh database for the run on the local PostgreSQL; `drop` removes it again.
 */
export async function preparePostgres(): Promise<PostgresTarget> {
  const name = `todo_bench_${process.pid}_${Date.now()}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${name}`;
  try {
    loadConfig({ DATABASE_URL: databaseUrl });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      available: false,
      reason: `this version does not accept a postgres:// DATABASE_URL (${error.problems.join('; ')})`,
    };
  }
  try {
    await psql(`CREATE DATABASE "${name}"`);
  } catch (error) {
    return {
      available: false,
      reason: `PostgreSQL on 127.0.0.1:5432 cannot be used: ${(error as Error).message.split('\n')[0]}`,
    };
  }
  return {
    available: true,
    databaseUrl,
    drop: () => psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    dropSync: () => {
      execFileSync('psql', psqlArgs(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), {
        ...psqlOptions,
        stdio: 'ignore',
      });
    },
  };
}
