import type { GrantRecord } from './auth-store.js';

/** A grant as the listing query reads it, whichever driver read it. */
export interface GrantRow {
  readonly grant_id: string;
  readonly account_id: string;
  readonly payload: string;
  readonly client_payload: string | null;
  /** Seconds; a number, or the decimal text some drivers give a bigint. */
  readonly expires_at: number | string | null;
  readonly first_used_at: number | string | null;
  readonly last_used_at: number | string | null;
}

const seconds = (value: number | string | null) => (value === null ? undefined : Number(value));

/** The record a row holds. */
export function toGrantRecord(row: GrantRow): GrantRecord {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  const expiresAt = seconds(row.expires_at);
  const firstUsedAt = seconds(row.first_used_at);
  const lastUsedAt = seconds(row.last_used_at);
  return {
    grantId: row.grant_id,
    accountId: row.account_id,
    clientId: typeof payload.clientId === 'string' ? payload.clientId : '',
    payload,
    ...(row.client_payload !== null && {
      client: JSON.parse(row.client_payload) as Record<string, unknown>,
    }),
    ...(expiresAt !== undefined && { expiresAt }),
    ...(firstUsedAt !== undefined && { firstUsedAt }),
    ...(lastUsedAt !== undefined && { lastUsedAt }),
  };
}
