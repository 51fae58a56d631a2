/** Names that count as loopback: plain `http:` is accepted only for these (MCP §Security, RFC 8252 §7.3). */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** Whether a host name (as `URL.hostname` gives it) names this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.includes(hostname.toLowerCase());
}
