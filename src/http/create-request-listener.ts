import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { bearerChallenge } from '../auth/challenges.js';
import type { TokenVerifier } from '../auth/principal.js';
import { protectedResourceMetadata, resourceMetadataUrl } from '../auth/resource-metadata.js';
import { AppError, publicMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { DirectToolCall } from '../mcp/direct-tool-call.js';
import { sendJson } from '../web/send-json.js';
import type { Metrics } from './metrics.js';
import { isAllowedHost, type OriginPolicy } from './origin-guard.js';
import type { RateLimiter } from './rate-limiter.js';
import { createMcpEndpoint } from './serve-mcp.js';

export { MAX_BODY_BYTES } from './serve-mcp.js';

const RETRY_AFTER_SECONDS = 5;

/** The embedded authorization server's share of the routes, when it runs in this process. */
export interface AuthorizationRoutes {
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

export interface HttpDeps {
  readonly resource: string;
  readonly issuer: string;
  readonly origins: OriginPolicy;
  readonly verifier: TokenVerifier;
  readonly mcp: McpHttpHandler;
  /** Answers everyday tools/call requests without the SDK; the rest goes to `mcp`. */
  readonly directToolCall?: DirectToolCall;
  /** Throws unless the database can serve requests. */
  readonly pingDatabase: () => Promise<void>;
  readonly metrics: Metrics;
  readonly rateLimiter?: RateLimiter | undefined;
  readonly log: Logger;
  readonly authorizationServer?: AuthorizationRoutes;
}

/** The route label of a path for metrics: a small fixed set, never the raw path. */
function routeOf(path: string): string {
  if (path === '/mcp') return 'mcp';
  if (path.startsWith('/.well-known/oauth-protected-resource')) return 'resource_metadata';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path.slice(1);
  if (path.startsWith('/interaction/')) return 'sign_in';
  return 'authorization_server';
}

/**
 * The HTTP edge: Host checks, metadata, health and metrics, the MCP endpoint, and the embedded
 * authorization server. Every error is mapped to its status here, once.
 */
export function createRequestListener(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { resource, verifier, metrics, log } = deps;
  const metadataUrl = resourceMetadataUrl(resource);
  const metadataPath = new URL(metadataUrl).pathname;
  const metadata = protectedResourceMetadata(resource, deps.issuer);
  const serveMcp = createMcpEndpoint({ ...deps, resourceMetadataUrl: metadataUrl });

  async function serveReady(res: ServerResponse): Promise<void> {
    const checks = await Promise.allSettled([deps.pingDatabase(), verifier.ready()]);
    const [database, tokens] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unavailable'));
    const isReady = checks.every((c) => c.status === 'fulfilled');
    const body = { status: isReady ? 'ready' : 'unavailable', checks: { database, tokens } };
    sendJson(res, isReady ? 200 : 503, body, isReady ? {} : { 'retry-after': RETRY_AFTER_SECONDS });
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Probes and scrapers may address the instance by IP; these routes reveal nothing per user.
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') return serveReady(res);
    if (url.pathname === '/metrics') {
      const text = await metrics.render();
      res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
      return void res.end(text);
    }
    if (!isAllowedHost(req, deps.origins)) {
      return sendJson(res, 403, { error: 'forbidden_host', error_description: 'unknown Host' });
    }
    if (url.pathname === '/mcp') return serveMcp(req, res, url);
    if (url.pathname === metadataPath || url.pathname === '/.well-known/oauth-protected-resource') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
      }
      return sendJson(res, 200, metadata, {
        'access-control-allow-origin': '*',
        'cache-control': 'max-age=3600',
      });
    }
    if (deps.authorizationServer) return deps.authorizationServer.handle(req, res, url.pathname);
    return sendJson(res, 404, { error: 'not_found' });
  }

  function sendError(res: ServerResponse, error: unknown, requestLog: Logger): void {
    if (res.headersSent) return void res.destroy();
    const appError = error instanceof AppError ? error : undefined;
    const body = { error: appError?.code ?? 'internal_error', error_description: publicMessage(error) };
    const headers: Record<string, string | number> = {};
    switch (appError?.code) {
      case 'invalid_token':
      case 'invalid_request':
        headers['www-authenticate'] = bearerChallenge({
          resourceMetadataUrl: metadataUrl,
          error: appError.code,
          description: appError.message,
        });
        break;
      case 'temporarily_unavailable':
        headers['retry-after'] = appError.retryAfterSeconds ?? RETRY_AFTER_SECONDS;
        requestLog.warn('dependency unavailable', { err: error });
        break;
      case 'rate_limited':
        headers['retry-after'] = appError.retryAfterSeconds ?? RETRY_AFTER_SECONDS;
        break;
      case undefined:
      case 'internal_error':
        requestLog.error('request failed', { err: error });
        break;
      case 'insufficient_scope':
      case 'invalid_params':
      case 'not_found':
      case 'forbidden_origin':
      case 'payload_too_large':
      case 'quota_exceeded':
        break;
    }
    sendJson(res, appError?.status ?? 500, body, headers);
  }

  return (req, res) => {
    const started = performance.now();
    // Only origin-form targets ("/path?query") are served; anything else cannot name a route.
    const target = req.url ?? '';
    const url =
      target.startsWith('/') && !target.startsWith('//') ? URL.parse(target, 'http://internal') : null;
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
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
    if (url === null)
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'bad request target' });
    route(req, res, url).catch((error: unknown) => sendError(res, error, requestLog));
  };
}
