import { createHash } from 'node:crypto';
import type { Principal, TokenVerifier } from './principal.js';

export interface TokenCacheOptions {
  /** Most tokens remembered at once; the oldest entry goes first. */
  readonly maxEntries?: number;
  /** Longest a verification is reused, even for a token that lives longer. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * Remembers verified tokens so a token's signature is checked once, not per request. Entries are
 * keyed by a SHA-256 of the token (the raw token is never kept), never outlive the token's `exp`,
 * and expire after `maxAgeMs` so that a withdrawn signing key stops working soon. Failures are
 * not cached: a bad token is verified (and refused) every time.
 */
export function withTokenCache(verifier: TokenVerifier, options: TokenCacheOptions = {}): TokenVerifier {
  const { maxEntries = 10_000, maxAgeMs = 300_000, now = Date.now } = options;
  const entries = new Map<string, { principal: Principal; until: number }>();

  return {
    async verify(token) {
      const key = createHash('sha256').update(token).digest('base64url');
      const hit = entries.get(key);
      const at = now();
      if (hit !== undefined) {
        if (at < hit.until) return hit.principal;
        entries.delete(key);
      }
      const principal = await verifier.verify(token);
      const until = Math.min(principal.expiresAt * 1000, at + maxAgeMs);
      if (until > at) {
        if (entries.size >= maxEntries) {
          const oldest = entries.keys().next();
          if (!oldest.done) entries.delete(oldest.value);
        }
        entries.set(key, { principal, until });
      }
      return principal;
    },
    ready: () => verifier.ready(),
  };
}
