import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../web/loopback.js';

export interface OriginPolicy {
  /** The host names the `Host` header may carry. */
  readonly allowedHostnames: ReadonlySet<string>;
  /** Explicitly allowed browser origins; `undefined` allows any loopback origin. */
  readonly allowedOrigins: ReadonlySet<string> | undefined;
  readonly publicOrigin: string;
}

export function createOriginPolicy(
  publicUrl: string,
  listenHost: string,
  allowedOrigins: readonly string[] | undefined,
): OriginPolicy {
  const hostnames = new Set([new URL(publicUrl).hostname.toLowerCase()]);
  if (isLoopbackHost(listenHost)) for (const name of ['localhost', '127.0.0.1', '[::1]']) hostnames.add(name);
  return {
    allowedHostnames: hostnames,
    allowedOrigins: allowedOrigins && new Set(allowedOrigins),
    publicOrigin: new URL(publicUrl).origin,
  };
}

/** DNS-rebinding defence: the `Host` header must name this server (MCP transports §Security). */
export function isAllowedHost(req: IncomingMessage, policy: OriginPolicy): boolean {
  const host = req.headers.host;
  if (host === undefined) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  return policy.allowedHostnames.has(hostname);
}

/** A browser `Origin` must be allowed; requests without one (native clients) pass. */
export function isAllowedOrigin(origin: string | undefined, policy: OriginPolicy): boolean {
  if (origin === undefined) return true;
  if (origin === policy.publicOrigin) return true;
  if (policy.allowedOrigins !== undefined) return policy.allowedOrigins.has(origin);
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** CORS for allowed browser origins: clients must read `WWW-Authenticate` to start OAuth. */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (origin === undefined) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version, X-Request-Id',
    vary: 'Origin',
  };
}

export const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers':
    'Authorization, DPoP, Content-Type, Accept, MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Session-Id, Last-Event-ID',
  'access-control-max-age': '600',
} as const;
