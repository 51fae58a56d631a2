import type { ModelRecord } from './auth-store.js';

/** What a lookup in `oidc_models` reads back. */
export interface ModelRow {
  readonly payload: string;
  /** Seconds since the epoch, as a number or as the decimal text some drivers give a bigint. */
  readonly consumed_at: number | string | null;
}

/** The `oidc_models` values that store a record, besides its model and id. */
export interface ModelColumns {
  readonly payload: string;
  readonly grant_id: string | null;
  readonly user_code: string | null;
  readonly uid: string | null;
  readonly account_id: string | null;
  readonly expires_at: number | null;
}

const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

/** A record as column values: the payload as JSON, plus the payload fields records are looked up by. */
export function columnsOf({ payload, expiresAt }: ModelRecord): ModelColumns {
  return {
    payload: JSON.stringify(payload),
    grant_id: textOrNull(payload.grantId),
    user_code: textOrNull(payload.userCode),
    uid: textOrNull(payload.uid),
    account_id: textOrNull(payload.accountId),
    expires_at: expiresAt ?? null,
  };
}

/** The payload a row holds, with `consumed` folded in as oidc-provider expects. */
export function payloadOf(row: ModelRow | undefined): Record<string, unknown> | undefined {
  if (row === undefined) return undefined;
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  return row.consumed_at === null ? payload : { ...payload, consumed: Number(row.consumed_at) };
}

/**
 * Now, in seconds since the epoch. Expiry is judged by this process's clock, which also set
 * `expiresAt`, rather than the database's.
 */
export const epoch = (): number => Math.floor(Date.now() / 1000);
