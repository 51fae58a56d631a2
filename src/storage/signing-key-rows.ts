import type { SigningKeyRecord } from './auth-store.js';
import type { DriverTimestamps } from './driver-values.js';

/** A `signing_keys` row as a driver reads it; `Time` is how that driver returns a timestamp. */
export interface SigningKeyRow<Time> {
  readonly kid: string;
  readonly private_jwk: string;
  readonly created_at: Time;
  readonly retired_at: Time | null;
}

/** The record a row holds. */
export function toSigningKey<Time>(
  row: SigningKeyRow<Time>,
  values: DriverTimestamps<Time>,
): SigningKeyRecord {
  return {
    kid: row.kid,
    privateJwk: row.private_jwk,
    createdAt: values.isoText(row.created_at),
    ...(row.retired_at !== null && { retiredAt: values.isoText(row.retired_at) }),
  };
}
