import type Provider from 'oidc-provider';
import type { TokenEndpointGrantContext } from 'oidc-provider';
import type { ReplayStore } from '../../storage/replay-store.js';
import { TODO_SCOPES } from '../../todos/scopes.js';
import { JWT_BEARER_GRANT } from '../clients/client-metadata.js';
import { DEFAULT_SCOPE } from '../default-scope.js';
import { type ResourceIndicatorOptions, resourceServerInfo } from '../resource-indicators.js';
import { grantableScopes } from '../roles.js';
import type { UserDirectory } from '../users.js';
import { accountFor } from './enterprise-accounts.js';
import { grantError } from './grant-error.js';
import { type TrustedIdp, verifyIdJag } from './verify-id-jag.js';

export interface JwtBearerGrantOptions
  extends Pick<ResourceIndicatorOptions, 'resource' | 'accessTokenTTL' | 'tokenFormat'> {
  /** Our issuer: what an ID-JAG's `aud` must be. */
  readonly issuer: string;
  readonly idps: readonly TrustedIdp[];
  readonly users: UserDirectory;
  /** Where used ID-JAG `jti`s are remembered, shared by every instance (the DPoP proofs' store). */
  readonly replay: ReplayStore;
}

type GrantContext = TokenEndpointGrantContext<{ assertion?: string }>;

/**
 * Enterprise-managed authorization (SEP-990): the token endpoint accepts the JWT bearer grant
 * (RFC 7523 §2.1) with an ID-JAG as the `assertion`, registered through oidc-provider's own
 * grant type mechanism, so client authentication, the grant types a client may use and the
 * error answers are oidc-provider's.
 */
export function registerJwtBearerGrant(provider: Provider, options: JwtBearerGrantOptions): void {
  provider.registerGrantType(JWT_BEARER_GRANT, (ctx: GrantContext) => issueForIdJag(ctx, options), [
    'assertion',
    'scope',
    'resource',
  ]);
}

async function issueForIdJag(ctx: GrantContext, options: JwtBearerGrantOptions): Promise<void> {
  const { client, params, provider } = ctx.oidc;
  if (typeof params.assertion !== 'string' || params.assertion === '') {
    throw grantError('invalid_grant', 'the assertion parameter (an ID-JAG) is missing');
  }
  if (params.resource !== undefined && params.resource !== options.resource) {
    throw grantError('invalid_target', 'resource must be this MCP server, or left out');
  }
  const { idp, claims } = await verifyIdJag(
    params.assertion,
    options.idps,
    { audience: options.issuer, resource: options.resource, clientId: client.clientId },
    options.replay,
  );
  const user = await accountFor(idp, claims, options.users);
  const scope = grantedScopes(user.role, params.scope, claims.scope).join(' ');

  const grant = new provider.Grant({ accountId: user.id, clientId: client.clientId });
  grant.addResourceScope(options.resource, scope);
  const grantId = await grant.save();
  const token = new provider.AccessToken({ accountId: user.id, client, grantId, gty: JWT_BEARER_GRANT });
  token.resourceServer = new provider.ResourceServer(
    options.resource,
    resourceServerInfo(options, TODO_SCOPES),
  );
  token.scope = scope;
  ctx.oidc.entity('AccessToken', token);
  const value = await token.save();
  ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope };
}

/**
 * Granted = requested (the `scope` parameter, else the ID-JAG's, else the three todo scopes)
 * ∩ what the IdP allowed in the ID-JAG's `scope`, if it names any ∩ the person's role.
 */
function grantedScopes(
  role: Parameters<typeof grantableScopes>[0],
  requested: unknown,
  allowed: unknown,
): string[] {
  const idpScope = typeof allowed === 'string' && allowed.trim() !== '' ? allowed : undefined;
  const asked = (
    typeof requested === 'string' && requested.trim() !== '' ? requested : (idpScope ?? DEFAULT_SCOPE)
  )
    .split(' ')
    .filter((s) => s !== '');
  const idpAllows = idpScope === undefined ? undefined : new Set(idpScope.split(' '));
  const granted = grantableScopes(
    role,
    asked.filter((s) => idpAllows?.has(s) ?? true),
  );
  if (granted.length === 0) {
    throw grantError('invalid_scope', 'none of the requested scopes can be granted to this person');
  }
  return granted;
}
