import type Database from 'better-sqlite3';
import type { AuthStore } from '../auth-store.js';
import { createSqliteClients } from './sqlite-clients.js';
import { createSqliteGrantUsage } from './sqlite-grant-usage.js';
import { createSqliteKeyMaterial } from './sqlite-key-material.js';
import { createSqliteOidcModels } from './sqlite-oidc-models.js';
import { createSqliteUsers } from './sqlite-users.js';

/** The authorization server's state in the same SQLite database as the todos. */
export function createSqliteAuthStore(db: Database.Database): AuthStore {
  return {
    ...createSqliteOidcModels(db),
    ...createSqliteUsers(db),
    ...createSqliteKeyMaterial(db),
    ...createSqliteClients(db),
    ...createSqliteGrantUsage(db),
  };
}
