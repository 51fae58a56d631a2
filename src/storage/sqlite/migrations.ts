import type Database from 'better-sqlite3';
import type { Migration } from '../migration.js';

export type { Migration };

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
  {
    version: 2,
    name: 'embedded authorization server',
    sql: `
      CREATE TABLE oidc_models (
        model TEXT NOT NULL,
        id TEXT NOT NULL,
        payload TEXT NOT NULL,
        grant_id TEXT,
        user_code TEXT,
        uid TEXT,
        account_id TEXT,
        expires_at INTEGER,
        consumed_at INTEGER,
        PRIMARY KEY (model, id)
      );
      CREATE INDEX oidc_models_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX oidc_models_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
      CREATE INDEX oidc_models_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
      CREATE INDEX oidc_models_account ON oidc_models (account_id) WHERE account_id IS NOT NULL;
      CREATE INDEX oidc_models_expiry ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
        created_at TEXT NOT NULL
      );
      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        private_jwk TEXT NOT NULL,
        created_at TEXT NOT NULL,
        retired_at TEXT
      );
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'audit trail',
    sql: `
      -- AUTOINCREMENT: an id is never reused, so ids order events even across deletions by hand.
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        occurred_at TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'denied')),
        actor TEXT NOT NULL,
        client_id TEXT NOT NULL,
        todo_id TEXT,
        owner_id TEXT,
        is_admin_action INTEGER NOT NULL CHECK (is_admin_action IN (0, 1)),
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'not_found', 'denied')),
        tool TEXT,
        scope TEXT
      );
      CREATE INDEX audit_events_by_actor ON audit_events (actor, id DESC);
      -- Append-only in the database itself: recorded events can be neither changed nor removed.
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
    `,
  },
  // Version 4 was never used; the migrator applies whichever versions are missing, in order.
  {
    version: 5,
    name: 'resource server guards: seen DPoP proofs, revoked grants',
    sql: `
      -- One row per accepted DPoP proof (a hash of its key and jti), kept while it could be replayed.
      CREATE TABLE dpop_proofs (
        key TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX dpop_proofs_expiry ON dpop_proofs (expires_at);
      -- Grants revoked while their access tokens may still be alive; the resource server refuses those tokens.
      CREATE TABLE revoked_grants (
        grant_id TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX revoked_grants_expiry ON revoked_grants (expires_at);
    `,
  },
  {
    version: 6,
    name: 'per-owner todo counters, idempotency keys',
    sql: `
      -- One row per owner: the cap is checked and kept with a guarded update of this row, O(1).
      CREATE TABLE todo_counts (
        owner_id TEXT PRIMARY KEY,
        count INTEGER NOT NULL CHECK (count >= 0)
      ) WITHOUT ROWID;
      INSERT INTO todo_counts (owner_id, count) SELECT owner_id, count(*) FROM todos GROUP BY owner_id;
      -- The todo a create with a client-chosen key stored, returned to its retries until it expires.
      CREATE TABLE idempotency_keys (
        owner_id TEXT NOT NULL,
        key TEXT NOT NULL,
        result TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (owner_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
    `,
  },
  {
    version: 7,
    name: 'disabled accounts, grant usage',
    sql: `
      -- Set while an account may not sign in; its grants were revoked when it was set.
      ALTER TABLE users ADD COLUMN disabled_at TEXT;
      -- When a grant's tokens were first and last seen at /mcp (seconds), for the account page.
      CREATE TABLE grant_usage (
        grant_id TEXT PRIMARY KEY,
        first_used_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'admin-created clients: services and enterprise apps',
    sql: `
      -- Clients only an admin creates (the CLI), never registration: each with the role its tokens draw on.
      CREATE TABLE managed_clients (
        client_id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('service', 'enterprise')),
        role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
        auth_method TEXT NOT NULL CHECK (auth_method IN ('client_secret_basic', 'private_key_jwt')),
        secret TEXT,
        jwks TEXT,
        created_at TEXT NOT NULL,
        CHECK ((auth_method = 'client_secret_basic') = (secret IS NOT NULL)),
        CHECK ((auth_method = 'private_key_jwt') = (jwks IS NOT NULL))
      );
    `,
  },
];

/**
 * Applies every migration not yet recorded, in version order, inside one immediate transaction,
 * so that processes starting together serialize on the write lock and each version runs exactly
 * once. A version is pending when it is missing, not only when it is above the highest applied
 * one: changes developed side by side may be released in either order.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const apply = db.transaction(() => {
    const rows = db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[];
    const applied = new Set(rows.map((row) => row.version));
    const pending = migrations.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of pending) {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
    return pending.map((m) => m.version);
  });
  return apply.immediate();
}
