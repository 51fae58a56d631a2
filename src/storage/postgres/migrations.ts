import type pg from 'pg';
import type { Migration } from '../migration.js';

export type { Migration };

/**
 * Versioned schema changes, applied in order and never edited once released. They mirror the
 * SQLite ones; keys and ordered text use the "C" collation so that ordering is bytewise, as in
 * SQLite, whatever collation the database was created with.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create todos',
    sql: `
      CREATE TABLE todos (
        id text COLLATE "C" PRIMARY KEY,
        owner_id text COLLATE "C" NOT NULL,
        content text NOT NULL,
        done boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
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
        model text NOT NULL,
        id text NOT NULL,
        payload text NOT NULL,
        grant_id text,
        user_code text,
        uid text,
        account_id text,
        expires_at bigint,
        consumed_at bigint,
        PRIMARY KEY (model, id)
      );
      CREATE INDEX oidc_models_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX oidc_models_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
      CREATE INDEX oidc_models_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
      CREATE INDEX oidc_models_account ON oidc_models (account_id) WHERE account_id IS NOT NULL;
      CREATE INDEX oidc_models_expiry ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE users (
        id text COLLATE "C" PRIMARY KEY,
        username text COLLATE "C" NOT NULL UNIQUE,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('user', 'admin')),
        created_at timestamptz NOT NULL
      );
      CREATE TABLE signing_keys (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        kid text PRIMARY KEY,
        private_jwk text NOT NULL,
        created_at timestamptz NOT NULL,
        retired_at timestamptz
      );
      CREATE TABLE secrets (
        name text PRIMARY KEY,
        value text NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'audit trail',
    sql: `
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        action text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'denied')),
        actor text COLLATE "C" NOT NULL,
        client_id text NOT NULL,
        todo_id text,
        owner_id text,
        is_admin_action boolean NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'not_found', 'denied')),
        tool text,
        scope text
      );
      CREATE INDEX audit_events_by_actor ON audit_events (actor, id DESC);
      -- Append-only in the database itself: recorded events can be neither changed nor removed.
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END
      $$;
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
    `,
  },
  // Version 4 belongs to a change released separately; the migrator applies whichever is missing.
  {
    version: 5,
    name: 'resource server guards: seen DPoP proofs, revoked grants',
    sql: `
      -- One row per accepted DPoP proof (a hash of its key and jti), kept while it could be replayed.
      CREATE TABLE dpop_proofs (
        key text COLLATE "C" PRIMARY KEY,
        expires_at bigint NOT NULL
      );
      CREATE INDEX dpop_proofs_expiry ON dpop_proofs (expires_at);
      -- Grants revoked while their access tokens may still be alive; the resource server refuses those tokens.
      CREATE TABLE revoked_grants (
        grant_id text COLLATE "C" PRIMARY KEY,
        expires_at bigint NOT NULL
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
        owner_id text COLLATE "C" PRIMARY KEY,
        count integer NOT NULL CHECK (count >= 0)
      );
      -- Creates by instances still on the old code would go uncounted while the backfill runs.
      LOCK TABLE todos IN SHARE MODE;
      INSERT INTO todo_counts (owner_id, count) SELECT owner_id, count(*) FROM todos GROUP BY owner_id;
      -- The todo a create with a client-chosen key stored, returned to its retries until it expires.
      CREATE TABLE idempotency_keys (
        owner_id text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        result text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (owner_id, key)
      );
      CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
    `,
  },
  // Versions 7 and 8 belong to changes released separately.
];

/** The first key of the advisory lock that serializes migrations ('todo' in ASCII). */
const LOCK_CLASS = 0x746f646f;

/**
 * Applies every migration not yet recorded, in version order, in one transaction that first takes
 * a transaction-level advisory lock for the current schema, so that instances starting together
 * wait for each other and each version runs exactly once. A version is pending when it is missing,
 * not only when it is above the highest applied one: changes developed side by side may be
 * released in either order. Returns the versions this call applied.
 */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  // A checked-out connection has no pool listener; one that breaks here must not crash the process.
  const ignore = () => {};
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    // A migration may outlast the pool's per-statement limit (an index on a large table).
    await client.query("SET LOCAL statement_timeout = '15min'");
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))", [
      LOCK_CLASS,
    ]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const pending = migrations.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
    return pending.map((m) => m.version);
  } catch (error) {
    await client.query('ROLLBACK').catch((cause: unknown) => {
      broken = cause instanceof Error ? cause : new Error(String(cause));
    });
    throw error;
  } finally {
    client.off('error', ignore);
    // A connection whose rollback failed is in an unknown state: destroy it rather than reuse it.
    client.release(broken);
  }
}
