import type pg from 'pg';
import type { AuthStore } from '../auth-store.js';
import { createPostgresClients } from './postgres-clients.js';
import { createPostgresGrantUsage } from './postgres-grant-usage.js';
import { createPostgresKeyMaterial } from './postgres-key-material.js';
import { createPostgresOidcModels } from './postgres-oidc-models.js';
import { createPostgresUsers } from './postgres-users.js';

/** The authorization server's state in the same PostgreSQL database as the todos. */
export function createPostgresAuthStore(pool: pg.Pool): AuthStore {
  return {
    ...createPostgresOidcModels(pool),
    ...createPostgresUsers(pool),
    ...createPostgresKeyMaterial(pool),
    ...createPostgresClients(pool),
    ...createPostgresGrantUsage(pool),
  };
}
