import type { OidcModelStore, StoredModel } from '../../storage/auth-store.js';
import { type ClientDescription, describeClient, type StaticClientName } from '../client-origin.js';
import { CONSOLE_CLIENT_ID } from '../console-client.js';
import { ISSUED_MODELS, type LastUseReader, lastTokenIssuedAt } from './last-use.js';

/** A client's access to an account (an oidc-provider grant), as the account page lists it. */
export interface ConnectedApp extends ClientDescription {
  readonly grantId: string;
  readonly scopes: readonly string[];
  /** When the grant was made (ISO 8601). */
  readonly firstUse?: string;
  /** When it was last used, as far as the database knows (ISO 8601). */
  readonly lastUse?: string;
}

export interface ConnectedAppsDeps {
  readonly store: Pick<OidcModelStore, 'findModel' | 'listModels'>;
  readonly staticName: StaticClientName;
  readonly lastUse?: LastUseReader;
}

const iso = (seconds: number | undefined) =>
  seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();

type ScopeSets = { openid?: { scope?: string }; resources?: Record<string, string> };

const scopesOf = (sets: ScopeSets | undefined) =>
  [sets?.openid?.scope ?? '', ...Object.values(sets?.resources ?? {})].join(' ').split(' ').filter(Boolean);

/**
 * Every scope a grant holds: its OpenID scopes and its resource scopes (RFC 8707), less those
 * the consent rejected (oidc-provider keeps them apart, under `rejected`).
 */
export function grantScopes(payload: Record<string, unknown>): string[] {
  const rejected = new Set(scopesOf(payload.rejected as ScopeSets | undefined));
  return [...new Set(scopesOf(payload as ScopeSets))].filter((scope) => !rejected.has(scope));
}

async function describeGrant(
  deps: ConnectedAppsDeps,
  grant: StoredModel,
  issued: readonly StoredModel[],
): Promise<ConnectedApp> {
  const clientId = String(grant.payload.clientId ?? '');
  const iat = typeof grant.payload.iat === 'number' ? grant.payload.iat : undefined;
  const recorded = await deps.lastUse?.(grant.id);
  const lastUse = Math.max(recorded ?? 0, lastTokenIssuedAt(grant.id, issued) ?? 0, iat ?? 0);
  const firstUse = iso(iat);
  return {
    ...(await describeClient(deps.store, deps.staticName, clientId)),
    grantId: grant.id,
    scopes: grantScopes(grant.payload),
    ...(firstUse !== undefined && { firstUse }),
    ...(lastUse > 0 && { lastUse: iso(lastUse) as string }),
  };
}

/** The apps holding access to an account, newest first; the console's own sign-in is not one. */
export async function connectedApps(deps: ConnectedAppsDeps, accountId: string): Promise<ConnectedApp[]> {
  const grants = (await deps.store.listModels('Grant', accountId)).filter(
    (grant) => grant.payload.clientId !== CONSOLE_CLIENT_ID,
  );
  const issued = (await Promise.all(ISSUED_MODELS.map((m) => deps.store.listModels(m, accountId)))).flat();
  const apps = await Promise.all(grants.map((grant) => describeGrant(deps, grant, issued)));
  return apps.sort((a, b) => (b.firstUse ?? '').localeCompare(a.firstUse ?? ''));
}
