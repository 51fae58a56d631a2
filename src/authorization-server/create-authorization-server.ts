import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import type Provider from 'oidc-provider';
import type { AsymmetricSigningAlgorithm } from 'oidc-provider';
import type { Logger } from '../log.js';
import type { AuthStore } from '../storage/auth-store.js';
import type { GrantRevocations } from '../storage/grant-revocations.js';
import type { ReplayStore } from '../storage/replay-store.js';
import type { AuditLog } from '../todos/audit-log.js';
import { type AccountAdmin, createAccountAdmin } from './account-admin.js';
import { createConsole } from './console/create-console.js';
import { type ConsoleHandler, isConsolePath } from './console/handle-console.js';
import { createCsrf } from './csrf.js';
import { withDefaultScope } from './default-scope.js';
import { createIdpKeys } from './enterprise/idp-keys.js';
import type { TrustedIdp } from './enterprise/verify-id-jag.js';
import { createGrantUseRecorder } from './grant-usage.js';
import { createInteractionHandler } from './interaction/handle-interaction.js';
import { createLoginThrottle } from './login-throttle.js';
import { createOidcAdapter } from './oidc-adapter.js';
import { createProvider, type ProviderOptions } from './provider.js';
import { renderError, securePages } from './provider-pages.js';
import { roleScopes } from './roles.js';
import { loadSigningKeys, publicSigningKeys } from './signing-keys.js';
import { REVOKED_GRANT_SECONDS } from './token-lifetimes.js';
import { createUserDirectory, type UserDirectory } from './users.js';

const PURGE_INTERVAL_MS = 3_600_000;

export interface AuthorizationServerOptions {
  /** The issuer: the server's public URL, without a path. */
  readonly issuer: string;
  /** The MCP resource its access tokens are for. */
  readonly resource: string;
  readonly store: AuthStore;
  readonly log: Logger;
  /** `opaque` tokens are checked by introspection; `jwt` tokens by signature. */
  readonly tokenFormat: 'jwt' | 'opaque';
  /** Where revoked grants are recorded for the resource server. */
  readonly revocations: GrantRevocations;
  /** The audit trail the admin console reads, and records its changes in. */
  readonly auditLog: AuditLog;
  /** Told of grants revoked by an account change, so that this process refuses their tokens at once. */
  readonly onRevoked?: (grantIds: readonly string[], until: number) => void;
  /** The DPoP proof algorithms accepted when DPoP-bound tokens are issued; DPoP is off without. */
  readonly dpopAlgorithms?: readonly AsymmetricSigningAlgorithm[];
  /** Trusted enterprise identity providers whose ID-JAGs are exchanged for tokens (SEP-990). */
  readonly enterpriseIdps?: readonly EnterpriseIdpSettings[];
  /** Single-use keys shared by every instance: ID-JAG `jti`s are remembered here. */
  readonly replay: ReplayStore;
}

/** One trusted enterprise IdP, as configured (`ENTERPRISE_IDPS`). */
export type EnterpriseIdpSettings = Omit<TrustedIdp, 'keys'>;

/** The client the resource server introspects opaque tokens as; its secret lives in the database. */
export const INTROSPECTION_CLIENT_ID = 'todo-manager-resource-server';

export interface AuthorizationServer {
  readonly users: UserDirectory;
  /** Grants and account changes for the account page, the admin console and the CLI. */
  readonly admin: AccountAdmin;
  /** Notes that a token of a grant was used at `/mcp` (written at most once a minute per grant). */
  recordGrantUse(grantId: string): void;
  /** The role of the account behind a token subject and every scope that role can be granted. */
  accountGrants(subject: string): Promise<{ role: string; scopes: readonly string[] } | undefined>;
  /** The public keys its tokens may be signed with (every key in the database), for the resource server. */
  publicKeys(): Promise<JSONWebKeySet>;
  /** The resource server's introspection credentials, when tokens are opaque. */
  readonly introspectionClient?: { readonly id: string; readonly secret: string };
  /** Serves an authorization-server request: discovery, authorize, token, registration, pages. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  close(): void;
}

/**
 * The embedded authorization server: oidc-provider with every piece of state in the database
 * (keys, secrets, clients, grants, sessions, users), plus our sign-in and consent pages.
 */
export async function createAuthorizationServer(
  options: AuthorizationServerOptions,
): Promise<AuthorizationServer> {
  const { issuer, resource, store, log, revocations, dpopAlgorithms } = options;
  const newSecret = () => randomBytes(32).toString('base64url');
  const told = options.onRevoked && { onRevoked: options.onRevoked };
  const users = createUserDirectory(store, { ...told });
  const admin = createAccountAdmin({ store, revocations, users, ...told });
  const introspectionClient =
    options.tokenFormat === 'opaque'
      ? { id: INTROSPECTION_CLIENT_ID, secret: await store.secret('introspection-client-secret', newSecret) }
      : undefined;
  const provider = createProvider({
    issuer,
    resource,
    adapter: createOidcAdapter(store, { revocations, seconds: REVOKED_GRANT_SECONDS }),
    signingKeys: await loadSigningKeys(store),
    cookieKeys: [await store.secret('cookie-key', newSecret)],
    users,
    serviceRole: async (clientId) => {
      const client = await store.findClient(clientId);
      return client?.kind === 'service' ? client.role : undefined;
    },
    ...(introspectionClient && { introspectionClient }),
    ...enterpriseOptions(options, users),
    ...(dpopAlgorithms && {
      dpop: {
        algorithms: dpopAlgorithms,
        nonceSecret: Buffer.from(await store.secret('dpop-nonce-secret', newSecret), 'base64url'),
      },
    }),
    renderError,
  });
  provider.use(securePages);
  provider.on('server_error', (_ctx, err) => log.error('authorization server error', { err }));
  const [throttle, csrf] = [createLoginThrottle(), createCsrf(await store.secret('csrf-key', newSecret))];
  const pages = { provider, users, throttle, csrf, issuer, log };
  const interactions = createInteractionHandler({ ...pages, behindProxy: provider.proxy });
  const accountPages = createConsole({ ...pages, store, admin, auditLog: options.auditLog });
  const usage = { purgeExpired: () => store.purgeGrantUsage() };
  const purge = schedulePurge([store, revocations, usage], log);
  return {
    users,
    admin,
    recordGrantUse: grantUseRecorder(store, log),
    async accountGrants(subject) {
      // A service's tokens carry its client id as the subject (RFC 9068 §2.2 for client_credentials).
      const account = (await users.findById(subject)) ?? (await store.findClient(subject));
      return account && { role: account.role, scopes: roleScopes(account.role) };
    },
    publicKeys: () => publicSigningKeys(store),
    ...(introspectionClient && { introspectionClient }),
    handle: routeTo(provider, { interactions, accountPages }, new URL(issuer).host),
    close() {
      clearInterval(purge);
    },
  };
}

/** Records grant use off the request path; a write that fails is logged, never the request's. */
const grantUseRecorder = (store: AuthStore, log: Logger) =>
  createGrantUseRecorder({ store, onError: (err) => log.warn('a grant use could not be recorded', { err }) });

/** The JWT bearer grant's settings when enterprise IdPs are trusted; nothing otherwise. */
function enterpriseOptions(
  options: AuthorizationServerOptions,
  users: UserDirectory,
): Pick<ProviderOptions, 'enterprise'> {
  const { enterpriseIdps = [], replay } = options;
  if (enterpriseIdps.length === 0) return {};
  const idps = enterpriseIdps.map((idp) => ({ ...idp, keys: createIdpKeys(idp.issuer) }));
  return { enterprise: { idps, users, replay } };
}

/** Routes a request to our sign-in pages, the account and admin pages, or oidc-provider's endpoints. */
function routeTo(
  provider: Provider,
  pages: {
    interactions: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;
    accountPages: ConsoleHandler;
  },
  publicHost: string,
): AuthorizationServer['handle'] {
  const callback = provider.callback();
  return async (req, res, path) => {
    if (provider.proxy) {
      // Behind a proxy, oidc-provider builds its URLs from X-Forwarded-Host/-Proto, which a client
      // can forge; the public URL is known, so they are set from it.
      req.headers['x-forwarded-host'] = publicHost;
      req.headers['x-forwarded-proto'] = 'https';
    }
    if (path.startsWith('/interaction/')) return pages.interactions(req, res, path);
    if (isConsolePath(path)) return pages.accountPages(req, res, path);
    // RFC 8414 clients look here first; the OpenID document is a superset with the same issuer.
    if (path === '/.well-known/oauth-authorization-server') {
      req.url = `/.well-known/openid-configuration${req.url?.slice(path.length) ?? ''}`;
    }
    callback(await withDefaultScope(req, path), res);
  };
}

/** Deletes expired codes, tokens, sessions, interactions and revocation records every hour. */
function schedulePurge(
  stores: readonly { purgeExpired(now: number): Promise<number> }[],
  log: Logger,
): NodeJS.Timeout {
  const purge = setInterval(() => {
    for (const store of stores) {
      store
        .purgeExpired(Math.floor(Date.now() / 1000))
        .catch((err: unknown) => log.warn('purge failed', { err }));
    }
  }, PURGE_INTERVAL_MS);
  return purge.unref();
}
