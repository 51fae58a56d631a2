import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';
import type { McpEndpoint } from '../mcp/endpoint/mcp-endpoint.js';
import { corsHeaders, isAllowedOrigin, type OriginPolicy, PREFLIGHT_HEADERS } from './origin-guard.js';

export interface McpRouteDeps {
  readonly origins: OriginPolicy;
  readonly authenticate: (req: IncomingMessage, url: URL) => Promise<Principal>;
  readonly endpoint: McpEndpoint;
}

/**
 * `/mcp` at the HTTP edge: the browser Origin check and CORS (MCP transports §Security), the
 * preflight, POST only, the bearer gate; then the MCP endpoint. Refusals are thrown to the
 * listener, which maps them once.
 */
export function createMcpRoute(deps: McpRouteDeps) {
  return async function serveMcp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const origin = req.headers.origin;
    if (!isAllowedOrigin(origin, deps.origins)) {
      throw new AppError('forbidden_origin', 'this origin may not call the MCP endpoint');
    }
    for (const [name, value] of Object.entries(corsHeaders(origin))) res.setHeader(name, value);
    if (req.method === 'OPTIONS') return void res.writeHead(204, PREFLIGHT_HEADERS).end();
    if (req.method !== 'POST') {
      throw new AppError('method_not_allowed', 'use POST', { allow: 'POST, OPTIONS' });
    }
    const principal = await deps.authenticate(req, url);
    return deps.endpoint.serve(req, res, principal);
  };
}
