import { type Configuration, errors, type ResourceServer } from 'oidc-provider';
import type { Role } from '../storage/auth-store.js';
import { TODO_SCOPES } from '../todos/scopes.js';
import { roleScopes } from './roles.js';

type ResourceIndicators = NonNullable<NonNullable<Configuration['features']>['resourceIndicators']>;

export interface ResourceIndicatorOptions {
  /** The one resource (RFC 8707) tokens are issued for: the MCP endpoint. */
  readonly resource: string;
  readonly accessTokenTTL: number;
  readonly tokenFormat: 'jwt' | 'opaque';
  /** The role of an admin-created service client, which bounds the scopes its tokens carry. */
  readonly serviceRole: (clientId: string) => Promise<Role | undefined>;
}

/**
 * Resource indicators (RFC 8707): the MCP resource is the only one, and the default. A service
 * client's tokens (`client_credentials`) carry at most its role's scopes, so granted = requested
 * ∩ role as for people; for every other client the consent step applies the person's role.
 */
export function resourceIndicators(options: ResourceIndicatorOptions): ResourceIndicators {
  const { resource, serviceRole } = options;
  return {
    enabled: true,
    defaultResource: () => resource,
    useGrantedResource: () => true,
    async getResourceServerInfo(_ctx, indicator, client) {
      if (indicator !== resource) throw new errors.InvalidTarget('unknown resource');
      if (!client.grantTypeAllowed('client_credentials')) return resourceServerInfo(options, TODO_SCOPES);
      const role = await serviceRole(client.clientId);
      // Registration refuses the grant; should a client have it anyway, it gets nothing.
      if (role === undefined)
        throw new errors.UnauthorizedClient('only admin-created services get tokens of their own');
      return resourceServerInfo(options, roleScopes(role));
    },
  };
}

/** What a token for the MCP resource is: its audience, lifetime, format and the scopes it may carry. */
export function resourceServerInfo(
  options: Pick<ResourceIndicatorOptions, 'resource' | 'accessTokenTTL' | 'tokenFormat'>,
  scopes: readonly string[],
): ResourceServer {
  return {
    scope: scopes.join(' '),
    audience: options.resource,
    accessTokenTTL: options.accessTokenTTL,
    ...(options.tokenFormat === 'opaque'
      ? { accessTokenFormat: 'opaque' as const }
      : { accessTokenFormat: 'jwt' as const, jwt: { sign: { alg: 'RS256' as const } } }),
  };
}
