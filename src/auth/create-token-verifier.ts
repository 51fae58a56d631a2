import type { Discovery } from './discovery.js';
import { createIntrospectionVerifier } from './introspection-verifier.js';
import type { KeySource } from './jwks.js';
import { createJwtVerifier } from './jwt-verifier.js';
import type { TokenVerifier } from './principal.js';
import { withTokenCache } from './token-cache.js';

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly discovery: Discovery;
  /** JWT only: where the signing keys come from instead of the discovered JWKS. */
  readonly keys?: KeySource | undefined;
  readonly validation: 'jwt' | 'introspection';
  /** JWT only: accept `typ: at+jwt` alone. */
  readonly strictTokenType?: boolean;
  /** JWT only: refuse tokens older than this many seconds since their `iat`. */
  readonly maxTokenAgeS?: number | undefined;
  /** The confidential client that introspection authenticates as. */
  readonly client?: { readonly id: string; readonly secret: string } | undefined;
}

/**
 * The verifier for the configured validation mode, behind a cache: JWT verifications are reused
 * until shortly before expiry; introspection answers only for 30 s, so revocation takes effect soon.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { issuer, audience, discovery, client } = options;
  switch (options.validation) {
    case 'jwt':
      return withTokenCache(
        createJwtVerifier({
          issuer,
          audience,
          discovery,
          strictType: options.strictTokenType ?? false,
          ...(options.maxTokenAgeS !== undefined && { maxTokenAgeS: options.maxTokenAgeS }),
          ...(options.keys && { keys: options.keys }),
        }),
      );
    case 'introspection':
      if (client === undefined) throw new Error('token introspection needs client credentials');
      return withTokenCache(
        createIntrospectionVerifier({
          issuer,
          audience,
          discovery,
          clientId: client.id,
          clientSecret: client.secret,
        }),
        { maxAgeMs: 30_000 },
      );
  }
}
