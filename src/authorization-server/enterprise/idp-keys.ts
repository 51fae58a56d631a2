import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { isLoopbackHost } from '../../web/loopback.js';
import { createPublicFetch } from '../public-fetch.js';

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * How the server reaches an enterprise IdP: an https issuer only on the public internet, through
 * the same checks as client id documents (no DNS rebinding into the server's network); a plain
 * http issuer, which configuration accepts only on loopback, directly (a local or test IdP).
 */
function fetchFor(issuer: string): Fetch {
  const { protocol, hostname } = new URL(issuer);
  if (protocol === 'http:' && isLoopbackHost(hostname)) return (input, init) => fetch(input, init);
  return createPublicFetch();
}

/** RFC 8414 §3.1 inserts the well-known segment before the issuer's path; OIDC Discovery appends it. */
function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    new URL(`/.well-known/oauth-authorization-server${path}`, url.origin).href,
    new URL(`${path}/.well-known/openid-configuration`, url.origin).href,
  ];
}

/** The `jwks_uri` of the IdP's metadata, which must name the issuer exactly (RFC 8414 §3.3). */
async function discoverJwksUri(issuer: string, fetchFn: Fetch): Promise<string> {
  for (const url of discoveryUrls(issuer)) {
    const response = await fetchFn(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    }).catch(() => undefined);
    if (!response?.ok) continue;
    const doc = (await response.json().catch(() => null)) as { issuer?: unknown; jwks_uri?: unknown } | null;
    if (doc?.issuer === issuer && typeof doc.jwks_uri === 'string') return doc.jwks_uri;
  }
  throw new Error(`the metadata of ${issuer} cannot be had or names no jwks_uri`);
}

/**
 * The signing keys of one enterprise IdP, found by discovery when first needed and cached by
 * jose (refetched on an unknown `kid`, at most once per cooldown). A failed discovery is tried
 * again on the next request.
 */
export function createIdpKeys(issuer: string): JWTVerifyGetKey {
  const fetchFn = fetchFor(issuer);
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const load = async () => {
    const jwksUri = await discoverJwksUri(issuer, fetchFn);
    if (new URL(jwksUri).protocol !== new URL(issuer).protocol) throw new Error('jwks_uri changes scheme');
    return createRemoteJWKSet(new URL(jwksUri), { [customFetch]: fetchFn, timeoutDuration: 5000 });
  };
  return async (header, token) => {
    keys ??= load().catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return (await keys)(header, token);
  };
}
