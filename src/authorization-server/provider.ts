import Provider, {
  type AsymmetricSigningAlgorithm,
  type ClientMetadata,
  type Configuration,
  type JWK,
} from 'oidc-provider';
import type { Role } from '../storage/auth-store.js';
import { TODO_SCOPES } from '../todos/scopes.js';
import { isFetchableClientId } from './client-id-documents.js';
import { consoleClient, loadExistingGrant } from './console-client.js';
import { type JwtBearerGrantOptions, registerJwtBearerGrant } from './enterprise/jwt-bearer-grant.js';
import { PAGE_SOURCES } from './provider-pages.js';
import { createPublicFetch } from './public-fetch.js';
import { REGISTRATION_POLICY } from './registration-policy.js';
import { resourceIndicators } from './resource-indicators.js';
import { TTL } from './token-lifetimes.js';
import type { UserDirectory } from './users.js';

export { TTL };

export interface ProviderOptions {
  readonly issuer: string;
  /** The one resource (RFC 8707) tokens are issued for: the MCP endpoint. */
  readonly resource: string;
  readonly adapter: NonNullable<Configuration['adapter']>;
  readonly signingKeys: JWK[];
  readonly cookieKeys: string[];
  readonly users: UserDirectory;
  /** The role of an admin-created service client (`client_credentials`), or `undefined`. */
  readonly serviceRole: (clientId: string) => Promise<Role | undefined>;
  readonly renderError: NonNullable<Configuration['renderError']>;
  /**
   * With a client here, access tokens are opaque and only this confidential client (the resource
   * server) may introspect them (RFC 7662); without one they are `at+jwt` JWTs.
   */
  readonly introspectionClient?: { readonly id: string; readonly secret: string };
  /** Enterprise-managed authorization (ID-JAG): the JWT bearer grant is offered with these. */
  readonly enterprise?: Pick<JwtBearerGrantOptions, 'idps' | 'users' | 'replay'>;
  /**
   * Sender-constrained tokens (RFC 9449): with this, a token request that carries a DPoP proof
   * gets a DPoP-bound token; without it, DPoP is off at the authorization server too.
   */
  readonly dpop?: {
    readonly algorithms: readonly AsymmetricSigningAlgorithm[];
    /** 32 bytes shared by every instance, so that nonces one issues the others accept. */
    readonly nonceSecret: Buffer;
  };
}

/**
 * The embedded OAuth 2.1 / OpenID Connect provider: authorization code with PKCE (S256) only,
 * dynamic client registration (RFC 7591) for loopback or https redirect URIs, resource
 * indicators (RFC 8707) yielding `at+jwt` access tokens for the MCP resource, and rotating
 * refresh tokens for `offline_access`.
 */
export function createProvider(options: ProviderOptions): Provider {
  const { issuer, introspectionClient } = options;
  const provider = new Provider(issuer, {
    adapter: options.adapter,
    clients: [
      consoleClient(issuer),
      ...(introspectionClient ? [resourceServerClient(introspectionClient)] : []),
    ],
    loadExistingGrant,
    jwks: { keys: options.signingKeys },
    cookies: {
      keys: options.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    findAccount: accountFinder(options.users),
    claims: { openid: ['sub'], profile: ['preferred_username'] },
    scopes: ['openid', 'offline_access', 'profile', ...TODO_SCOPES],
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'RS256',
    },
    extraClientMetadata: REGISTRATION_POLICY,
    // A browser app may call the token endpoint from the origin it receives codes at, and only then.
    clientBasedCORS: (_ctx, origin, client) =>
      origin !== 'null' &&
      client.clientAuthMethod === 'none' &&
      (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    features: features(options),
    ...(options.dpop && { enabledJWA: { dPoPSigningAlgValues: [...options.dpop.algorithms] } }),
    // The grant a token was issued under, so the resource server can refuse tokens of a revoked one;
    // a service has no grant, so its own client id stands for one (removing the client revokes it).
    extraTokenClaims: (_ctx, token) => {
      if (token.kind === 'AccessToken') return { grant_id: token.grantId };
      if (token.kind === 'ClientCredentials') return { grant_id: token.clientId };
      return undefined;
    },
    fetch: createPublicFetch(),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { ...TTL, ClientCredentials: TTL.AccessToken },
    rotateRefreshToken: true,
    renderError: options.renderError,
  });
  // Behind a TLS-terminating proxy the public URL is https while the socket is not.
  provider.proxy = new URL(issuer).protocol === 'https:';
  if (options.enterprise) {
    registerJwtBearerGrant(provider, {
      ...options.enterprise,
      issuer,
      resource: options.resource,
      accessTokenTTL: TTL.AccessToken,
      tokenFormat: introspectionClient ? 'opaque' : 'jwt',
    });
  }
  return provider;
}

/** The resource server's own confidential client, allowed only to introspect (RFC 7662). */
function resourceServerClient(client: { readonly id: string; readonly secret: string }): ClientMetadata {
  return {
    client_id: client.id,
    client_secret: client.secret,
    client_name: 'Todo Manager resource server',
    grant_types: [],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

/**
 * Accounts are the user directory's users; their subject is the user id, never the username. A
 * disabled account is not found, so that no refresh or session of it yields a token.
 */
function accountFinder(users: UserDirectory): NonNullable<Configuration['findAccount']> {
  return async (_ctx, id) => {
    const user = await users.findById(id);
    if (user === undefined || user.disabledAt !== undefined) return undefined;
    return {
      accountId: user.id,
      claims: async () => ({ sub: user.id, preferred_username: user.username }),
    };
  };
}

function features(options: ProviderOptions): NonNullable<Configuration['features']> {
  const { resource, introspectionClient } = options;
  return {
    devInteractions: { enabled: false },
    // A bound token needs no nonce: the resource server bounds a proof's age by its iat and jti.
    dPoP: options.dpop
      ? {
          enabled: true,
          nonceSecret: options.dpop.nonceSecret,
          requireNonce: () => false,
          allowReplay: false,
        }
      : { enabled: false },
    registration: { enabled: true },
    // Client ID Metadata Documents (the MCP 2025-11-25 preferred registration): the client id is
    // an https URL whose document the server fetches, never from its own network.
    clientIdMetadataDocument: {
      enabled: true,
      ack: 'draft-02',
      allowFetch: async (_ctx, clientId) => isFetchableClientId(clientId),
    },
    // A client revokes only the tokens issued to it (RFC 7009 §2.1).
    revocation: {
      enabled: true,
      allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
    },
    rpInitiatedLogout: { enabled: true, ...PAGE_SOURCES },
    introspection: {
      enabled: introspectionClient !== undefined,
      allowedPolicy: async (ctx) => ctx.oidc.client?.clientId === introspectionClient?.id,
    },
    // Services get tokens for themselves; only admin-created clients may use the grant.
    clientCredentials: { enabled: true },
    resourceIndicators: resourceIndicators({
      resource,
      accessTokenTTL: TTL.AccessToken,
      tokenFormat: introspectionClient ? 'opaque' : 'jwt',
      serviceRole: options.serviceRole,
    }),
  };
}
