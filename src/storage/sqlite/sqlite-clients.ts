import type Database from 'better-sqlite3';
import type { ClientStore } from '../auth-store.js';
import { CLIENT_COLUMNS, type ClientRow, clientValues, toClient } from '../client-rows.js';
import { SQLITE_VALUES } from './sqlite-values.js';

/** Admin-created clients (services, enterprise apps), in SQLite. */
export function createSqliteClients(db: Database.Database): ClientStore {
  const q = {
    insert: db.prepare(`INSERT INTO managed_clients (${CLIENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    byId: db.prepare(`SELECT ${CLIENT_COLUMNS} FROM managed_clients WHERE client_id = ?`),
    all: db.prepare(`SELECT ${CLIENT_COLUMNS} FROM managed_clients ORDER BY name`),
    remove: db.prepare('DELETE FROM managed_clients WHERE client_id = ?'),
    setSecret: db.prepare(
      "UPDATE managed_clients SET secret = ? WHERE client_id = ? AND auth_method = 'client_secret_basic'",
    ),
  };
  return {
    async insertClient(client) {
      q.insert.run(...clientValues(client));
    },
    async findClient(clientId) {
      const row = q.byId.get(clientId) as ClientRow<string> | undefined;
      return row && toClient(row, SQLITE_VALUES);
    },
    listClients: async () => (q.all.all() as ClientRow<string>[]).map((row) => toClient(row, SQLITE_VALUES)),
    deleteClient: async (clientId) => q.remove.run(clientId).changes > 0,
    setClientSecret: async (clientId, secret) => q.setSecret.run(secret, clientId).changes > 0,
  };
}
