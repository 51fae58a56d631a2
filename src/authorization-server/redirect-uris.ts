import { isLoopbackHost } from '../web/loopback.js';

/** A plain-http redirect to this machine, as native apps use (RFC 8252 §7.3). */
export function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}
