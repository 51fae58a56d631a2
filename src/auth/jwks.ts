import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../errors.js';
import type { Discovery } from './discovery.js';

export interface KeySetOptions {
  readonly jwksTimeoutMs?: number;
  /** The least time between two JWKS fetches triggered by an unknown key id. */
  readonly jwksCooldownMs?: number;
}

/**
 * The issuer's JWKS, found through discovery and cached (refetched on an unknown `kid`, at most
 * once per cooldown). A JWKS that cannot be fetched is the server's problem: a 503.
 */
export function createKeySet(discovery: Discovery, options: KeySetOptions) {
  let jwks: { uri: string; remote: ReturnType<typeof createRemoteJWKSet>; get: JWTVerifyGetKey } | undefined;

  async function current(): Promise<NonNullable<typeof jwks>> {
    const uri = (await discovery.metadata()).jwks_uri;
    if (typeof uri !== 'string') {
      throw new AppError('temporarily_unavailable', 'the authorization server publishes no jwks_uri');
    }
    if (jwks?.uri !== uri) {
      const remote = createRemoteJWKSet(new URL(uri), {
        timeoutDuration: options.jwksTimeoutMs ?? 5000,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: 600_000,
      });
      jwks = { uri, remote, get: guardKeyFetch(remote) };
    }
    return jwks;
  }

  return {
    get: async () => (await current()).get,
    async ready() {
      const { remote } = await current();
      if (remote.fresh) return;
      try {
        await remote.reload();
      } catch (cause) {
        throw new AppError('temporarily_unavailable', "the authorization server's keys cannot be fetched", {
          cause,
        });
      }
    },
  };
}

/** Key-set failures other than "no such key" mean the issuer is unreachable or broken: a 503. */
function guardKeyFetch(remote: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
        throw error;
      }
      throw new AppError('temporarily_unavailable', "the authorization server's keys cannot be fetched", {
        cause: error,
      });
    }
  };
}
