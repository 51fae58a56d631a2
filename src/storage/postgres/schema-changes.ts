import type { Migration } from '../migration.js';

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
  // Version 4 was never used; the migrator applies whichever versions are missing, in order.
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
  {
    version: 7,
    name: 'disabled accounts, grant usage',
    sql: `
      -- Set while an account may not sign in; its grants were revoked when it was set.
      ALTER TABLE users ADD COLUMN disabled_at timestamptz;
      -- When a grant's tokens were first and last seen at /mcp (seconds), for the account page.
      CREATE TABLE grant_usage (
        grant_id text COLLATE "C" PRIMARY KEY,
        first_used_at bigint NOT NULL,
        last_used_at bigint NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'admin-created clients: services and enterprise apps',
    sql: `
      -- Clients only an admin creates (the CLI), never registration: each with the role its tokens draw on.
      CREATE TABLE managed_clients (
        client_id text COLLATE "C" PRIMARY KEY,
        name text COLLATE "C" NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('service', 'enterprise')),
        role text NOT NULL CHECK (role IN ('user', 'admin')),
        auth_method text NOT NULL CHECK (auth_method IN ('client_secret_basic', 'private_key_jwt')),
        secret text,
        jwks text,
        created_at timestamptz NOT NULL,
        CHECK ((auth_method = 'client_secret_basic') = (secret IS NOT NULL)),
        CHECK ((auth_method = 'private_key_jwt') = (jwks IS NOT NULL))
      );
    `,
  },
];
