import type { Role, UserRecord } from './auth-store.js';

/** A `users` row as a driver reads it; `Time` is how that driver returns a timestamp column. */
export interface UserRow<Time> {
  readonly id: string;
  readonly username: string;
  readonly password_hash: string;
  readonly role: Role;
  readonly created_at: Time;
}

/** The record a row holds; `isoText` turns the driver's timestamp back into the text it was written as. */
export function toUser<Time>(row: UserRow<Time>, isoText: (time: Time) => string): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role,
    createdAt: isoText(row.created_at),
  };
}
