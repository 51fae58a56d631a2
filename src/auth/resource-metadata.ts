import { TODO_SCOPES } from '../todos/scopes.js';

/** RFC 9728 §2 Protected Resource Metadata for the MCP endpoint. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name: string;
}

export function protectedResourceMetadata(resource: string, issuer: string): ProtectedResourceMetadata {
  return {
    resource,
    authorization_servers: [issuer],
    scopes_supported: [...TODO_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Todo Manager MCP',
  };
}

/** The path-aware metadata URL (RFC 9728 §3.1): the well-known segment goes before the path. */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return new URL(`/.well-known/oauth-protected-resource${path}`, url.origin).href;
}
