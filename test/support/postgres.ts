import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startInHooks } from './hooks.js';

/**
 * The server the PostgreSQL tests use: 127.0.0.1:5432, database `test`, trust auth. Set
 * TEST_POSTGRES_URL to point them elsewhere. There is no skip: without a server these tests fail.
 */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** A `postgres://` URL whose connections see only this fresh, empty place. */
  readonly url: string;
  /** The schema (or database) name, for tests that look at the catalog. */
  readonly name: string;
  /** Drops it again; safe to call twice. */
  dispose(): Promise<void>;
}

/** Runs statements on a short-lived admin connection, so no handle outlives a test. */
export async function admin<T>(run: (client: pg.Client) => Promise<T>, url = ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'todo-manager-tests' });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const uniqueName = (prefix: string) => `${prefix}_${process.pid}_${randomBytes(6).toString('hex')}`;

function withParams(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

function once(drop: () => Promise<void>): () => Promise<void> {
  let dropped: Promise<void> | undefined;
  return () => {
    dropped ??= drop();
    return dropped;
  };
}

/**
 * A fresh schema in the `test` database, selected through the URL's `search_path`: creating one
 * costs a millisecond, so every test can start empty. Dropped with everything in it.
 */
export async function freshSchema(): Promise<TestDatabase> {
  const name = uniqueName('todo_test');
  await admin((client) => client.query(`CREATE SCHEMA ${name}`));
  return {
    url: withParams(ADMIN_URL, { options: `-c search_path=${name}` }),
    name,
    dispose: once(async () => {
      await admin((client) => client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`));
    }),
  };
}

/** A fresh schema for the tests of the current file or `describe`, dropped after them (read it inside tests). */
export function useFreshSchema(): Omit<TestDatabase, 'dispose'> {
  const schema = startInHooks(freshSchema, (made) => made.dispose());
  return {
    get url() {
      return schema.current().url;
    },
    get name() {
      return schema.current().name;
    },
  };
}

/**
 * A fresh database, for tests that need a whole empty database rather than a schema (its
 * `public` schema is the default search path, as in production). Dropped even if still in use.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const name = uniqueName('todo_test_db');
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    dispose: once(async () => {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }),
  };
}
