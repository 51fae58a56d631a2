import type { PromptDetail } from 'oidc-provider';
import type { Role } from '../../storage/auth-store.js';
import { grantableScopes } from '../roles.js';

/** What the consent prompt says the grant still lacks (oidc-provider's `prompt.details`). */
export interface MissingConsent {
  readonly oidcScopes: string[];
  readonly oidcClaims: string[];
  /** Scopes asked for, by resource indicator (RFC 8707). */
  readonly resourceScopes: Readonly<Record<string, string[]>>;
}

export function missingConsent(prompt: PromptDetail): MissingConsent {
  const { details } = prompt;
  return {
    oidcScopes: (details.missingOIDCScope as string[] | undefined) ?? [],
    oidcClaims: (details.missingOIDCClaims as string[] | undefined) ?? [],
    resourceScopes: (details.missingResourceScopes as Record<string, string[]> | undefined) ?? {},
  };
}

export interface ResourceScopeDecision {
  readonly indicator: string;
  readonly granted: string[];
  readonly refused: string[];
}

/** Granted scopes = requested ∩ role, for each resource asked for (ARCHITECTURE.md §2, Roles). */
export function decideResourceScopes(missing: MissingConsent, role: Role): ResourceScopeDecision[] {
  return Object.entries(missing.resourceScopes).map(([indicator, scopes]) => {
    const granted = grantableScopes(role, scopes);
    return { indicator, granted, refused: scopes.filter((scope) => !granted.includes(scope)) };
  });
}

/** Requested resource scopes the role can never be granted, for the consent page to name. */
export function refusedScopes(missing: MissingConsent, role: Role): string[] {
  return [...new Set(decideResourceScopes(missing, role).flatMap((decision) => decision.refused))];
}

/** The scopes the consent page lists: the resource scopes the role allows, and `offline_access` when asked. */
export function consentScopes(missing: MissingConsent, role: Role): string[] {
  const resourceScopes = decideResourceScopes(missing, role).flatMap((decision) => decision.granted);
  const offline = missing.oidcScopes.filter((scope) => scope === 'offline_access');
  return [...new Set([...resourceScopes, ...offline])];
}
