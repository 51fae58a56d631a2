import type { ClientKind, ManagedClientRecord, Role } from './auth-store.js';
import type { DriverTimestamps } from './driver-values.js';

/** A `managed_clients` row as a driver reads it; `Time` is how that driver returns a timestamp. */
export interface ClientRow<Time> {
  readonly client_id: string;
  readonly name: string;
  readonly kind: ClientKind;
  readonly role: Role;
  readonly auth_method: ManagedClientRecord['authMethod'];
  readonly secret: string | null;
  readonly jwks: string | null;
  readonly created_at: Time;
}

export const CLIENT_COLUMNS = 'client_id, name, kind, role, auth_method, secret, jwks, created_at';

/** The record a row holds. */
export function toClient<Time>(row: ClientRow<Time>, values: DriverTimestamps<Time>): ManagedClientRecord {
  return {
    clientId: row.client_id,
    name: row.name,
    kind: row.kind,
    role: row.role,
    authMethod: row.auth_method,
    ...(row.secret !== null && { secret: row.secret }),
    ...(row.jwks !== null && { jwks: row.jwks }),
    createdAt: values.isoText(row.created_at),
  };
}

/** The row's values in `CLIENT_COLUMNS` order. */
export function clientValues(client: ManagedClientRecord): unknown[] {
  return [
    client.clientId,
    client.name,
    client.kind,
    client.role,
    client.authMethod,
    client.secret ?? null,
    client.jwks ?? null,
    client.createdAt,
  ];
}
