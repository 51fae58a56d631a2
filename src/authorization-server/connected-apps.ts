import type { GrantRecord } from '../storage/auth-store.js';
import { isFetchableClientId } from './client-id-documents.js';
import { CONSOLE_CLIENT_ID } from './console-client.js';

/**
 * How a client came to this server: registered here (RFC 7591 dynamic registration), named by the
 * URL of its Client ID Metadata Document, or configured with the server (the resource server's
 * own introspection client, or any other client not registered through the server).
 */
export type ClientOrigin = 'dcr' | 'metadata-document' | 'pre-registered';

/** One client's access to one account (a grant), as the account page and the console show it. */
export interface ConnectedApp {
  readonly grantId: string;
  readonly accountId: string;
  readonly clientId: string;
  /** The client's registered name; its client id when it registered none (a metadata document URL). */
  readonly clientName: string;
  readonly clientOrigin: ClientOrigin;
  /** Every scope granted, OpenID and resource scopes together, sorted. */
  readonly scopes: readonly string[];
  /** ISO 8601: when the grant was first given. */
  readonly createdAt: string;
  /** ISO 8601: when a token of the grant was first and last used at `/mcp` (to the minute). */
  readonly firstUsedAt?: string;
  readonly lastUsedAt?: string;
  readonly expiresAt?: string;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

type ScopeSets = { openid?: { scope?: unknown }; resources?: Record<string, unknown> };

const scopesOf = (sets: ScopeSets | undefined) =>
  [text(sets?.openid?.scope), ...Object.values(sets?.resources ?? {}).map(text)]
    .flatMap((scope) => scope?.split(' ') ?? [])
    .filter(Boolean);

/**
 * Every scope a grant holds: its OpenID scopes and its resource scopes (RFC 8707), less those
 * the consent rejected (oidc-provider keeps them apart, under `rejected`).
 */
export function grantedScopes(payload: Record<string, unknown>): string[] {
  const rejected = new Set(scopesOf(payload.rejected as ScopeSets | undefined));
  return [...new Set(scopesOf(payload as ScopeSets))].filter((scope) => !rejected.has(scope)).sort();
}

/**
 * Where a client came from, the one place this is decided: registered here, or a client id this
 * server would fetch a metadata document for, or else the server's configuration.
 */
export function clientOriginOf(clientId: string, isRegistered: boolean): ClientOrigin {
  if (isRegistered) return 'dcr';
  return isFetchableClientId(clientId) ? 'metadata-document' : 'pre-registered';
}

/** The stored grants as connected apps; the console's own sign-in is not an app. */
export const toConnectedApps = (records: readonly GrantRecord[]): ConnectedApp[] =>
  records.filter((record) => record.clientId !== CONSOLE_CLIENT_ID).map(toConnectedApp);

/** A stored grant as a connected app. */
export function toConnectedApp(record: GrantRecord): ConnectedApp {
  const { payload, firstUsedAt, lastUsedAt, expiresAt } = record;
  const issuedAt = typeof payload.iat === 'number' ? payload.iat : undefined;
  return {
    grantId: record.grantId,
    accountId: record.accountId,
    clientId: record.clientId,
    clientName: text(record.client?.client_name) ?? record.clientId,
    clientOrigin: clientOriginOf(record.clientId, record.client !== undefined),
    scopes: grantedScopes(payload),
    createdAt: iso(issuedAt ?? firstUsedAt ?? 0),
    ...(firstUsedAt !== undefined && { firstUsedAt: iso(firstUsedAt) }),
    ...(lastUsedAt !== undefined && { lastUsedAt: iso(lastUsedAt) }),
    ...(expiresAt !== undefined && { expiresAt: iso(expiresAt) }),
  };
}
