import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError } from '../errors.js';
import type { Discovery } from './discovery.js';

/** Where a verifier gets the keys that sign access tokens. */
export interface KeySource {
  /** The key getter to verify with now. */
  get(): Promise<JWTVerifyGetKey>;
  /** Throws unless the keys can be had now. */
  ready(): Promise<void>;
}

export interface KeySetOptions {
  readonly jwksTimeoutMs?: number;
  /** The least time between two JWKS fetches triggered by an unknown key id. */
  readonly jwksCooldownMs?: number;
}

/**
 * The issuer's JWKS, found through discovery and cached (refetched on an unknown `kid`, at most
 * once per cooldown). A JWKS that cannot be fetched is the server's problem: a 503.
 */
export function createKeySet(discovery: Discovery, options: KeySetOptions): KeySource {
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

/**
 * Keys read from where the issuer keeps them rather than fetched over HTTP: the embedded
 * authorization server's public keys in the database, which every instance shares. An unknown
 * `kid` (another instance rotated) reads them again, at most once per cooldown.
 */
export function createStoredKeySet(load: () => Promise<JSONWebKeySet>, cooldownMs = 30_000): KeySource {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  let loadedAt = Number.NEGATIVE_INFINITY;
  const reload = () => {
    loadedAt = Date.now();
    keys = load().then((set) => createLocalJWKSet(set));
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };
  const getter: JWTVerifyGetKey = async (header, token) => {
    try {
      return await (await (keys ?? reload()))(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - loadedAt < cooldownMs) throw error;
      return (await reload())(header, token);
    }
  };
  return {
    get: async () => getter,
    async ready() {
      await (keys ?? reload());
    },
  };
}
