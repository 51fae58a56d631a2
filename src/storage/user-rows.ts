import type { Role, UserRecord } from './auth-store.js';
import type { DriverTimestamps } from './driver-values.js';

/** A `users` row as a driver reads it; `Time` is how that driver returns a timestamp. */
export interface UserRow<Time> {
  readonly id: string;
  readonly username: string;
  readonly password_hash: string;
  readonly role: Role;
  readonly created_at: Time;
  readonly disabled_at: Time | null;
}

/** The record a row holds. */
export function toUser<Time>(row: UserRow<Time>, values: DriverTimestamps<Time>): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role,
    createdAt: values.isoText(row.created_at),
    ...(row.disabled_at !== null && { disabledAt: values.isoText(row.disabled_at) }),
  };
}
