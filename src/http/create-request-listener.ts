import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthScheme } from '../auth/challenges.js';
import { protectedResourceMetadata, resourceMetadataUrl } from '../auth/resource-metadata.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { McpEndpoint } from '../mcp/endpoint/mcp-endpoint.js';
import { sendJson } from '../web/send-json.js';
import { type AuthGateDeps, createAuthGate } from './auth-gate.js';
import { type ChallengeContext, RETRY_AFTER_SECONDS, sendError } from './error-response.js';
import { createMcpRoute } from './mcp-route.js';
import type { Metrics } from './metrics.js';
import { createMetricsRoute } from './metrics-route.js';
import { isAllowedHost, type OriginPolicy } from './origin-guard.js';

/** The embedded authorization server's share of the routes, when it runs in this process. */
export interface AuthorizationRoutes {
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

/** What the edge needs: the auth gate's own dependencies (`dpop` also sets the metadata), and the rest. */
export interface HttpDeps extends AuthGateDeps {
  readonly resource: string;
  readonly issuer: string;
  readonly origins: OriginPolicy;
  readonly mcp: McpEndpoint;
  /** Throws unless the database can serve requests. */
  readonly pingDatabase: () => Promise<void>;
  /** With a token, `/metrics` is served here to whoever presents it; without, it is not served here. */
  readonly metricsToken: string | undefined;
  readonly log: Logger;
  readonly authorizationServer?: AuthorizationRoutes;
}

/** The schemes `/mcp` accepts for each `AUTH_DPOP`, in the order its challenges list them. */
const SCHEMES: Record<HttpDeps['dpop'], readonly AuthScheme[]> = {
  allowed: ['Bearer', 'DPoP'],
  required: ['DPoP'],
  off: ['Bearer'],
};

/** The route label of a path for metrics: a small fixed set, never the raw path. */
function routeOf(path: string): string {
  if (path === '/mcp') return 'mcp';
  if (path.startsWith('/.well-known/oauth-protected-resource')) return 'resource_metadata';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path.slice(1);
  if (path.startsWith('/interaction/')) return 'sign_in';
  return 'authorization_server';
}

/** `/readyz`: ready when the database and token verification both answer. */
async function serveReady(res: ServerResponse, [database, tokens]: Promise<void>[]): Promise<void> {
  const checks = await Promise.allSettled([database, tokens]);
  const [db, verification] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unavailable'));
  const isReady = checks.every((c) => c.status === 'fulfilled');
  const body = { status: isReady ? 'ready' : 'unavailable', checks: { database: db, tokens: verification } };
  sendJson(res, isReady ? 200 : 503, body, isReady ? {} : { 'retry-after': RETRY_AFTER_SECONDS });
}

/**
 * Tags a request with an id (the caller's, when well-formed) and, when it is answered, logs it
 * and counts it by route: the path only, never the query.
 */
function observe(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL | null,
  { metrics, log }: { metrics: Metrics; log: Logger },
): Logger {
  const started = performance.now();
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  const requestLog = log.child({ requestId });
  res.setHeader('x-request-id', requestId);
  res.on('finish', () => {
    const seconds = (performance.now() - started) / 1000;
    metrics.observeRequest(url ? routeOf(url.pathname) : 'invalid', res.statusCode, seconds);
    requestLog.info('request', {
      method: req.method,
      path: url?.pathname,
      status: res.statusCode,
      ms: Math.round(seconds * 10_000) / 10,
    });
  });
  return requestLog;
}

/** Only origin-form targets ("/path?query") are served; anything else cannot name a route. */
function targetOf(req: IncomingMessage): URL | null {
  const target = req.url ?? '';
  return target.startsWith('/') && !target.startsWith('//') ? URL.parse(target, 'http://internal') : null;
}

/**
 * The HTTP edge: Host checks, metadata, health and metrics, the MCP endpoint, and the embedded
 * authorization server. Every error is mapped to its status here, once.
 */
export function createRequestListener(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { resource, verifier, metrics, log } = deps;
  const metadataUrl = resourceMetadataUrl(resource);
  const metadataPath = new URL(metadataUrl).pathname;
  const metadata = protectedResourceMetadata(resource, deps.issuer, deps.dpop);
  const challenge: ChallengeContext = { resourceMetadataUrl: metadataUrl, schemes: SCHEMES[deps.dpop] };
  const serveMetrics =
    deps.metricsToken === undefined ? undefined : createMetricsRoute(metrics, deps.metricsToken);
  const serveMcp = createMcpRoute({
    origins: deps.origins,
    authenticate: createAuthGate(deps),
    endpoint: deps.mcp,
  });

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Probes and scrapers may address the instance by IP; these routes reveal nothing per user,
    // and metrics are answered here only to a scraper that holds the metrics token.
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') return serveReady(res, [deps.pingDatabase(), verifier.ready()]);
    if (url.pathname === '/metrics') {
      if (serveMetrics === undefined) throw new AppError('not_found', 'there is nothing here');
      return serveMetrics(req, res);
    }
    if (!isAllowedHost(req, deps.origins)) throw new AppError('forbidden_host', 'unknown Host');
    if (url.pathname === '/mcp') return serveMcp(req, res, url);
    if (url.pathname === metadataPath || url.pathname === '/.well-known/oauth-protected-resource') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new AppError('method_not_allowed', 'use GET', { allow: 'GET, HEAD' });
      }
      return sendJson(res, 200, metadata, {
        'access-control-allow-origin': '*',
        'cache-control': 'max-age=3600',
      });
    }
    if (deps.authorizationServer) return deps.authorizationServer.handle(req, res, url.pathname);
    throw new AppError('not_found', 'there is nothing here');
  }

  return (req, res) => {
    const url = targetOf(req);
    const requestLog = observe(req, res, url, { metrics, log });
    const served =
      url === null
        ? Promise.reject(new AppError('invalid_request', 'bad request target'))
        : route(req, res, url);
    served.catch((error: unknown) =>
      sendError(res, error, requestLog, url?.pathname === '/mcp' ? challenge : undefined),
    );
  };
}
