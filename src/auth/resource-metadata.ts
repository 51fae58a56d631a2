import { TODO_SCOPES } from '../todos/scopes.js';
import { DPOP_ALGORITHMS } from './dpop-proof.js';

/** RFC 9728 §2 Protected Resource Metadata for the MCP endpoint. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name: string;
  /** RFC 9728 §2: the DPoP proof algorithms accepted, when DPoP-bound tokens are. */
  readonly dpop_signing_alg_values_supported?: readonly string[];
  /** RFC 9728 §2: present (true) when only DPoP-bound tokens are accepted. */
  readonly dpop_bound_access_tokens_required?: boolean;
}

/**
 * The metadata for the MCP endpoint; `dpop` is how DPoP-bound tokens are treated (`AUTH_DPOP`):
 * `off` advertises nothing about DPoP, `required` also says that bearer tokens are refused.
 */
export function protectedResourceMetadata(
  resource: string,
  issuer: string,
  dpop: 'allowed' | 'required' | 'off' = 'allowed',
): ProtectedResourceMetadata {
  return {
    resource,
    authorization_servers: [issuer],
    scopes_supported: [...TODO_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Todo Manager MCP',
    ...(dpop !== 'off' && { dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS] }),
    ...(dpop === 'required' && { dpop_bound_access_tokens_required: true }),
  };
}

/** The path-aware metadata URL (RFC 9728 §3.1): the well-known segment goes before the path. */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return new URL(`/.well-known/oauth-protected-resource${path}`, url.origin).href;
}
