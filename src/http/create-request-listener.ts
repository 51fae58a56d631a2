import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type NodeIncomingMessageLike, toNodeHandler } from '@modelcontextprotocol/node';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { bearerChallenge } from '../auth/challenges.js';
import type { TokenVerifier } from '../auth/principal.js';
import { protectedResourceMetadata, resourceMetadataUrl } from '../auth/resource-metadata.js';
import { AppError, publicMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { toAuthInfo } from '../mcp/auth-context.js';
import type { DirectToolCall } from '../mcp/direct-tool-call.js';
import { bearerToken } from './bearer-token.js';
import {
  corsHeaders,
  isAllowedHost,
  isAllowedOrigin,
  type OriginPolicy,
  PREFLIGHT_HEADERS,
} from './origin-guard.js';
import { readBody } from './read-body.js';
import { sendJson } from './respond.js';

/** The largest JSON-RPC request body accepted on `/mcp`. */
export const MAX_BODY_BYTES = 1024 * 1024;
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
  readonly log: Logger;
  readonly authorizationServer?: AuthorizationRoutes;
}

/**
 * The HTTP edge: Host and Origin checks, metadata, health, and the bearer gate in front of the
 * MCP handler. Every error is mapped to its status here, once.
 */
export function createRequestListener(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { resource, verifier, log } = deps;
  const metadataUrl = resourceMetadataUrl(resource);
  const metadataPath = new URL(metadataUrl).pathname;
  const metadata = protectedResourceMetadata(resource, deps.issuer);
  const mcpNode = toNodeHandler(deps.mcp, {
    maxRequestBodySize: MAX_BODY_BYTES,
    onerror: (err) => log.error('mcp adapter failed', { err }),
  });

  async function serveMcp(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    requestLog: Logger,
  ): Promise<void> {
    const origin = req.headers.origin;
    if (!isAllowedOrigin(origin, deps.origins)) {
      throw new AppError('forbidden_origin', 'this origin may not call the MCP endpoint');
    }
    const cors = corsHeaders(origin);
    for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, PREFLIGHT_HEADERS).end();
      return;
    }
    if (req.method !== 'POST') {
      sendJson(
        res,
        405,
        { error: 'method_not_allowed', error_description: 'use POST' },
        { allow: 'POST, OPTIONS' },
      );
      return;
    }
    const token = bearerToken(req, url);
    if (token === undefined) {
      sendJson(
        res,
        401,
        { error: 'unauthorized', error_description: 'an access token is required' },
        { 'www-authenticate': bearerChallenge({ resourceMetadataUrl: metadataUrl }) },
      );
      return;
    }
    const principal = await verifier.verify(token);
    requestLog.debug('authenticated', { sub: principal.subject, client: principal.clientId });
    const auth = toAuthInfo(principal, resource, metadataUrl);
    // Server-side requests always carry a method and URL; the adapter's type merely allows their absence.
    const nodeRequest = Object.assign(req, { auth }) as NodeIncomingMessageLike;
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return mcpNode(nodeRequest, res);
    const raw = await readBody(req, MAX_BODY_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendJson(res, 400, {
        jsonrpc: '2.0',
        error: { code: -32700, message: 'Parse error: Invalid JSON' },
        id: null,
      });
    }
    const direct = await deps.directToolCall?.({ headers: req.headers, body, authInfo: auth });
    if (direct === undefined) return mcpNode(nodeRequest, res, body);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(direct.body),
    });
    res.end(direct.body);
  }

  async function serveReady(res: ServerResponse): Promise<void> {
    const checks = await Promise.allSettled([deps.pingDatabase(), verifier.ready()]);
    const [database, tokens] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unavailable'));
    const isReady = checks.every((c) => c.status === 'fulfilled');
    sendJson(res, isReady ? 200 : 503, {
      status: isReady ? 'ready' : 'unavailable',
      checks: { database, tokens },
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse, requestLog: Logger): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://internal');
    // Probes come from load balancers that may address the instance by IP; they reveal nothing.
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') return serveReady(res);
    if (!isAllowedHost(req, deps.origins)) {
      return sendJson(res, 403, { error: 'forbidden_host', error_description: 'unknown Host' });
    }
    if (url.pathname === '/mcp') return serveMcp(req, res, url, requestLog);
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
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const appError = error instanceof AppError ? error : undefined;
    const status = appError?.status ?? 500;
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
        headers['retry-after'] = RETRY_AFTER_SECONDS;
        requestLog.warn('dependency unavailable', { err: error });
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
        break;
    }
    sendJson(res, status, body, headers);
  }

  return (req, res) => {
    const started = performance.now();
    const path = req.url?.split('?')[0];
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    const requestLog = log.child({ requestId });
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      requestLog.info('request', {
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
    route(req, res, requestLog).catch((error: unknown) => sendError(res, error, requestLog));
  };
}
