import { type Configuration, errors } from 'oidc-provider';
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
  const { resource, accessTokenTTL, tokenFormat, serviceRole } = options;
  return {
    enabled: true,
    defaultResource: () => resource,
    useGrantedResource: () => true,
    async getResourceServerInfo(_ctx, indicator, client) {
      if (indicator !== resource) throw new errors.InvalidTarget('unknown resource');
      const role = client.grantTypeAllowed('client_credentials')
        ? await serviceRole(client.clientId)
        : undefined;
      return {
        scope: (role === undefined ? TODO_SCOPES : roleScopes(role)).join(' '),
        audience: resource,
        accessTokenTTL,
        ...(tokenFormat === 'opaque'
          ? { accessTokenFormat: 'opaque' as const }
          : { accessTokenFormat: 'jwt' as const, jwt: { sign: { alg: 'RS256' as const } } }),
      };
    },
  };
}
