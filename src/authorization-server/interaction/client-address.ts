import type { IncomingMessage } from 'node:http';

/**
 * The address to throttle sign-ins by. Behind a proxy that is the address the proxy appended last
 * to X-Forwarded-For (earlier entries come from the client and can be forged); otherwise the socket's.
 */
export function clientAddress(req: IncomingMessage, behindProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const last = typeof forwarded === 'string' ? forwarded.split(',').at(-1)?.trim() : undefined;
  return (behindProxy && last) || req.socket.remoteAddress || 'unknown';
}
