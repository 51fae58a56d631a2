import type { IncomingMessage, ServerResponse } from 'node:http';
import { type NodeIncomingMessageLike, toNodeHandler } from '@modelcontextprotocol/node';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { bearerChallenge } from '../auth/challenges.js';
import type { Principal, TokenVerifier } from '../auth/principal.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { toAuthInfo } from '../mcp/auth-context.js';
import type { DirectToolCall } from '../mcp/direct-tool-call.js';
import { TOOLS } from '../mcp/tool-catalog.js';
import { readBody } from '../web/read-body.js';
import { sendJson } from '../web/send-json.js';
import { bearerToken } from './bearer-token.js';
import { isTooDeep } from './json-depth.js';
import type { Metrics } from './metrics.js';
import { corsHeaders, isAllowedOrigin, type OriginPolicy, PREFLIGHT_HEADERS } from './origin-guard.js';
import type { RateLimiter } from './rate-limiter.js';

/** The largest JSON-RPC request body accepted on `/mcp`. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface McpEndpointDeps {
  readonly resource: string;
  readonly resourceMetadataUrl: string;
  readonly origins: OriginPolicy;
  readonly verifier: TokenVerifier;
  readonly mcp: McpHttpHandler;
  /** Answers everyday tools/call requests without the SDK; the rest goes to `mcp`. */
  readonly directToolCall?: DirectToolCall;
  readonly metrics: Metrics;
  /** Limits tool calls per subject and per client; absent when limits are off. */
  readonly rateLimiter?: RateLimiter | undefined;
  readonly log: Logger;
}

const TOOL_NAMES = new Set(TOOLS.map((tool) => tool.name));

/**
 * The tools a JSON-RPC body calls, one entry per tools/call (a batch may hold several): ours by
 * name, `unknown` for any other name, so that metric labels stay a small fixed set.
 */
function calledTools(body: unknown): string[] {
  return (Array.isArray(body) ? body : [body]).flatMap((message: unknown) => {
    const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } };
    if (method !== 'tools/call') return [];
    return [typeof params?.name === 'string' && TOOL_NAMES.has(params.name) ? params.name : 'unknown'];
  });
}

/**
 * `POST /mcp`: Origin check and CORS, the bearer gate (RFC 6750), then the direct tools/call path
 * or the SDK's stateless handler. Errors are thrown to the listener, which maps them once.
 */
export function createMcpEndpoint(deps: McpEndpointDeps) {
  const { verifier, metrics, log } = deps;
  const sdk = toNodeHandler(deps.mcp, {
    maxRequestBodySize: MAX_BODY_BYTES,
    onerror: (err) => log.error('mcp adapter failed', { err }),
  });

  async function authenticate(req: IncomingMessage, url: URL): Promise<Principal | undefined> {
    try {
      const token = bearerToken(req, url);
      if (token === undefined) metrics.countAuthFailure('missing');
      return token === undefined ? undefined : await verifier.verify(token);
    } catch (error) {
      const reason = error instanceof AppError ? (error.reason ?? error.code) : 'error';
      metrics.countAuthFailure(reason);
      throw error;
    }
  }

  return async function serveMcp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const origin = req.headers.origin;
    if (!isAllowedOrigin(origin, deps.origins)) {
      throw new AppError('forbidden_origin', 'this origin may not call the MCP endpoint');
    }
    for (const [name, value] of Object.entries(corsHeaders(origin))) res.setHeader(name, value);
    if (req.method === 'OPTIONS') return void res.writeHead(204, PREFLIGHT_HEADERS).end();
    if (req.method !== 'POST') {
      const body = { error: 'method_not_allowed', error_description: 'use POST' };
      return sendJson(res, 405, body, { allow: 'POST, OPTIONS' });
    }
    const principal = await authenticate(req, url);
    if (principal === undefined) {
      const body = { error: 'unauthorized', error_description: 'an access token is required' };
      const challenge = bearerChallenge({ resourceMetadataUrl: deps.resourceMetadataUrl });
      return sendJson(res, 401, body, { 'www-authenticate': challenge });
    }
    const authInfo = toAuthInfo(principal, deps.resource, deps.resourceMetadataUrl);
    // Server-side requests always carry a method and URL; the adapter's type merely allows their absence.
    const nodeRequest = Object.assign(req, { auth: authInfo }) as NodeIncomingMessageLike;
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sdk(nodeRequest, res);

    const raw = await readBody(req, MAX_BODY_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      const error = { code: -32700, message: 'Parse error: Invalid JSON' };
      return sendJson(res, 400, { jsonrpc: '2.0', error, id: null });
    }
    if (isTooDeep(body)) {
      const error = { code: -32600, message: 'Invalid Request: the message nests too deeply' };
      return sendJson(res, 400, { jsonrpc: '2.0', error, id: null });
    }
    const tools = calledTools(body);
    if (tools.length > 0 && deps.rateLimiter !== undefined) {
      const keys = [
        `sub:${principal.subject}`,
        ...(principal.clientId ? [`client:${principal.clientId}`] : []),
      ];
      const decision = await deps.rateLimiter.hit(keys, tools.length);
      if (!decision.allowed) {
        for (const tool of tools) metrics.countToolCall(tool, 'rate_limited');
        throw new AppError('rate_limited', 'too many tool calls; slow down', {
          retryAfterSeconds: decision.retryAfterSeconds,
        });
      }
    }
    const [tool] = tools;
    if (tools.length === 1 && tool !== undefined) {
      res.once('finish', () => res.statusCode === 403 && metrics.countToolCall(tool, 'denied'));
    }
    const direct = await deps.directToolCall?.({ headers: req.headers, body, authInfo });
    if (direct === undefined) return sdk(nodeRequest, res, body);
    res.writeHead(direct.status, { ...direct.headers, 'content-length': Buffer.byteLength(direct.body) });
    res.end(direct.body);
  };
}
