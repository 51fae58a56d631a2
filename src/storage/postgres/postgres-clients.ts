import type pg from 'pg';
import type { ClientStore } from '../auth-store.js';
import { CLIENT_COLUMNS, type ClientRow, clientValues, toClient } from '../client-rows.js';
import { POSTGRES_VALUES } from './postgres-values.js';

/** Admin-created clients (services, enterprise apps), in PostgreSQL. */
export function createPostgresClients(pool: pg.Pool): ClientStore {
  const clients = async (sql: string, values: unknown[] = []) =>
    (await pool.query<ClientRow<Date>>(sql, values)).rows.map((row) => toClient(row, POSTGRES_VALUES));
  const changed = async (sql: string, values: unknown[]) =>
    ((await pool.query(sql, values)).rowCount ?? 0) > 0;
  return {
    async insertClient(client) {
      await pool.query(
        `INSERT INTO managed_clients (${CLIENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        clientValues(client),
      );
    },
    findClient: async (clientId) =>
      (await clients(`SELECT ${CLIENT_COLUMNS} FROM managed_clients WHERE client_id = $1`, [clientId]))[0],
    listClients: () => clients(`SELECT ${CLIENT_COLUMNS} FROM managed_clients ORDER BY name`),
    deleteClient: (clientId) => changed('DELETE FROM managed_clients WHERE client_id = $1', [clientId]),
    setClientSecret: (clientId, secret) =>
      changed(
        "UPDATE managed_clients SET secret = $1 WHERE client_id = $2 AND auth_method = 'client_secret_basic'",
        [secret, clientId],
      ),
  };
}
