import { AppError } from '../errors.js';

/** The parts of RFC 8414 / OpenID Connect Discovery metadata the resource server relies on. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly jwks_uri?: string;
  readonly introspection_endpoint?: string;
  readonly [key: string]: unknown;
}

/**
 * The discovery URLs to try for an issuer: RFC 8414 §3.1 inserts the well-known segment before
 * the issuer's path; OpenID Connect Discovery §4 appends it (and many providers also answer the
 * inserted form). For a path-less issuer the two forms coincide.
 */
export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const at = (p: string) => new URL(p, url.origin).href;
  const urls = [
    at(`/.well-known/oauth-authorization-server${path}`),
    at(`/.well-known/openid-configuration${path}`),
    at(`${path}/.well-known/openid-configuration`),
  ];
  return [...new Set(urls)];
}

export interface DiscoveryOptions {
  readonly issuer: string;
  readonly timeoutMs?: number;
  /** How long a fetched document is trusted before it is fetched again. */
  readonly maxAgeMs?: number;
  /** After a failure, callers are refused for this long before another fetch is tried. */
  readonly retryAfterMs?: number;
  readonly now?: () => number;
}

export interface Discovery {
  metadata(): Promise<AuthorizationServerMetadata>;
}

/**
 * Fetches the authorization server's metadata lazily and caches it. The document must name the
 * configured issuer exactly (RFC 8414 §3.3), or it is not used. Failure is the server's problem,
 * reported as `temporarily_unavailable` (HTTP 503), never as a bad token.
 */
export function createDiscovery(options: DiscoveryOptions): Discovery {
  const { issuer, timeoutMs = 5000, maxAgeMs = 3_600_000, retryAfterMs = 5000, now = Date.now } = options;
  let cached: { doc: AuthorizationServerMetadata; at: number } | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<AuthorizationServerMetadata> | undefined;

  async function fetchMetadata(): Promise<AuthorizationServerMetadata> {
    const problems: string[] = [];
    for (const url of discoveryUrls(issuer)) {
      try {
        const response = await fetch(url, {
          headers: { accept: 'application/json' },
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) {
          problems.push(`${url}: HTTP ${response.status}`);
          continue;
        }
        const doc = (await response.json()) as Partial<AuthorizationServerMetadata> | null;
        if (doc === null || typeof doc !== 'object' || doc.issuer !== issuer) {
          problems.push(`${url}: issuer ${JSON.stringify(doc?.issuer)} is not ${JSON.stringify(issuer)}`);
          continue;
        }
        return doc as AuthorizationServerMetadata;
      } catch (error) {
        problems.push(`${url}: ${describeFailure(error)}`);
      }
    }
    throw new AppError('temporarily_unavailable', 'the authorization server cannot be reached', {
      cause: new Error(`discovery failed for ${issuer}: ${problems.join('; ')}`),
    });
  }

  return {
    async metadata() {
      if (cached && now() - cached.at < maxAgeMs) return cached.doc;
      if (!cached && now() - failedAt < retryAfterMs) {
        throw new AppError('temporarily_unavailable', 'the authorization server cannot be reached');
      }
      inflight ??= fetchMetadata()
        .then((doc) => {
          cached = { doc, at: now() };
          return doc;
        })
        .catch((error: unknown) => {
          failedAt = now();
          // A stale document beats none while the issuer is briefly unreachable.
          if (cached) return cached.doc;
          throw error;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
  };
}

/** A fetch failure with its underlying cause: `fetch failed` alone hides DNS and TLS errors. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { cause } = error as { cause?: unknown };
  if (!(cause instanceof Error)) return error.message;
  const { code } = cause as { code?: unknown };
  return `${error.message} (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
}
