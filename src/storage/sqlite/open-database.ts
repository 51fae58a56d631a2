import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** Turns a `DATABASE_URL` that names SQLite (a path or a `file:` URL) into a filesystem path. */
export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.startsWith('file:') ? fileURLToPath(databaseUrl) : databaseUrl;
}

/**
 * Opens a SQLite database tuned for a server: WAL so readers never wait for the writer,
 * `synchronous=NORMAL` (a committed transaction survives a process crash), and a busy timeout
 * so that a second process waits for the lock instead of failing.
 */
export function openDatabase(databaseUrl: string): Database.Database {
  const path = sqlitePath(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
