import type { SigningKeyRecord } from './auth-store.js';

/** A `signing_keys` row as a driver reads it; `Time` is how that driver returns a timestamp column. */
export interface SigningKeyRow<Time> {
  readonly kid: string;
  readonly private_jwk: string;
  readonly created_at: Time;
  readonly retired_at: Time | null;
}

/** The record a row holds; `isoText` turns the driver's timestamps back into the text they were written as. */
export function toSigningKey<Time>(
  row: SigningKeyRow<Time>,
  isoText: (time: Time) => string,
): SigningKeyRecord {
  return {
    kid: row.kid,
    privateJwk: row.private_jwk,
    createdAt: isoText(row.created_at),
    ...(row.retired_at !== null && { retiredAt: isoText(row.retired_at) }),
  };
}
