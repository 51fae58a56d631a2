import type { ClientMetadata } from 'oidc-provider';
import type { ManagedClientRecord } from '../../storage/auth-store.js';

/** The grant an enterprise client presents an ID-JAG with (RFC 7523 §2.1). */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The ids the CLI gives admin-created clients; registration never yields one (RFC 7591 ids are generated). */
const MANAGED_CLIENT_ID = /^(svc|app)_[A-Za-z0-9_-]{16}$/;

/** Whether a client id is of the form only an admin-created client has. */
export function isManagedClientId(clientId: unknown): boolean {
  return typeof clientId === 'string' && MANAGED_CLIENT_ID.test(clientId);
}

/**
 * The oidc-provider metadata of an admin-created client: confidential, no redirect URIs, one
 * grant (`client_credentials` for a service, the JWT bearer grant for an enterprise app), and
 * keys only as given at creation, never a `jwks_uri`.
 */
export function clientMetadata(client: ManagedClientRecord): ClientMetadata {
  return {
    client_id: client.clientId,
    client_name: client.name,
    grant_types: [client.kind === 'service' ? 'client_credentials' : JWT_BEARER_GRANT],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: client.authMethod,
    ...(client.secret !== undefined && { client_secret: client.secret }),
    ...(client.jwks !== undefined && { jwks: JSON.parse(client.jwks) as ClientMetadata['jwks'] }),
  };
}
