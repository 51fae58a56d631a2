import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';
import type { Actor } from '../todos/scopes.js';

/**
 * Carries a verified principal into the MCP layer as the SDK's `AuthInfo`. The raw token stays
 * at the HTTP edge: nothing below it can log or forward what it never receives.
 */
export function toAuthInfo(principal: Principal, resource: string, resourceMetadataUrl: string): AuthInfo {
  return {
    token: '',
    clientId: principal.clientId,
    scopes: [...principal.scopes],
    expiresAt: principal.expiresAt,
    resource: new URL(resource),
    resourceMetadataUrl,
    extra: { principal },
  };
}

export function principalOf(authInfo: AuthInfo | undefined): Principal {
  const principal = authInfo?.extra?.principal as Principal | undefined;
  // The HTTP gate authenticates every request; reaching a tool without a principal is a wiring bug.
  if (principal === undefined) throw new AppError('invalid_token', 'the request is not authenticated');
  return principal;
}

/** The caller as the domain sees it, with the client its token was issued to (for the audit trail). */
export function actorOf(principal: Principal): Actor {
  return { subject: principal.subject, scopes: new Set(principal.scopes), clientId: principal.clientId };
}
