import { errors } from 'oidc-provider';

/** The RFC 6749 §5.2 (and RFC 8707 §2) errors the JWT bearer grant answers with. */
export type GrantErrorCode = 'invalid_grant' | 'invalid_target' | 'invalid_scope' | 'temporarily_unavailable';

/**
 * A token endpoint error with our own description: oidc-provider's `InvalidGrant` always says
 * "grant request is invalid", which tells a client nothing about what to fix.
 */
export function grantError(code: GrantErrorCode, description: string): Error {
  return new errors.CustomOIDCProviderError(code, description);
}
