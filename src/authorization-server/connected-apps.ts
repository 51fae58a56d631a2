import type { GrantRecord } from '../storage/auth-store.js';

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

/** The scopes an oidc-provider Grant payload holds: `openid.scope` and each `resources[…]` entry. */
function grantedScopes(payload: Record<string, unknown>): string[] {
  const openid = payload.openid as { scope?: unknown } | undefined;
  const resources = (payload.resources ?? {}) as Record<string, unknown>;
  const all = [text(openid?.scope), ...Object.values(resources).map(text)]
    .flatMap((scope) => scope?.split(' ') ?? [])
    .filter(Boolean);
  return [...new Set(all)].sort();
}

function originOf(record: GrantRecord): ClientOrigin {
  if (record.client !== undefined) return 'dcr';
  return URL.parse(record.clientId)?.protocol === 'https:' ? 'metadata-document' : 'pre-registered';
}

/** A stored grant as a connected app. */
export function toConnectedApp(record: GrantRecord): ConnectedApp {
  const { payload, firstUsedAt, lastUsedAt, expiresAt } = record;
  const issuedAt = typeof payload.iat === 'number' ? payload.iat : undefined;
  return {
    grantId: record.grantId,
    accountId: record.accountId,
    clientId: record.clientId,
    clientName: text(record.client?.client_name) ?? record.clientId,
    clientOrigin: originOf(record),
    scopes: grantedScopes(payload),
    createdAt: iso(issuedAt ?? firstUsedAt ?? 0),
    ...(firstUsedAt !== undefined && { firstUsedAt: iso(firstUsedAt) }),
    ...(lastUsedAt !== undefined && { lastUsedAt: iso(lastUsedAt) }),
    ...(expiresAt !== undefined && { expiresAt: iso(expiresAt) }),
  };
}
