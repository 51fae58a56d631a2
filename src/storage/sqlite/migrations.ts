import type Database from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Versioned schema changes, applied in order and never edited once released. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create todos',
    sql: `
      CREATE TABLE todos (
        id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL,
        content TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      -- Keyset pages read straight off these indexes, so a page costs the same at any table size.
      CREATE INDEX todos_by_owner ON todos (owner_id, created_at DESC, id DESC);
      CREATE INDEX todos_by_time ON todos (created_at DESC, id DESC);
    `,
  },
];

/**
 * Applies pending migrations inside one immediate transaction, so that processes starting
 * together serialize on the write lock and each version runs exactly once.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const apply = db.transaction(() => {
    const current = db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').get() as {
      v: number;
    };
    const pending = migrations.filter((m) => m.version > current.v);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of pending) {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
    return pending.map((m) => m.version);
  });
  return apply.immediate();
}
