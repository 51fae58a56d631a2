import { isIP } from 'node:net';

/** IPv4 ranges that never host a public client's metadata: loopback, private, link-local, CGNAT. */
const PRIVATE_V4 = [
  /^127\./,
  /^10\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^169\.254\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
  /^0\./,
];

/**
 * Whether the server may fetch a Client ID Metadata Document from this URL. The client id is an
 * address any caller chooses, so fetching it must not reach into the server's own network
 * (server-side request forgery): only https on a public DNS name or public IP address.
 */
export function isFetchableClientId(clientId: string): boolean {
  const url = URL.parse(clientId);
  if (url === null || url.protocol !== 'https:' || url.username || url.password) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  ) {
    return false;
  }
  switch (isIP(host)) {
    case 4:
      return !PRIVATE_V4.some((range) => range.test(host));
    case 6:
      // Literal IPv6 hosts are refused outright: loopback, unique-local, link-local and mapped forms abound.
      return false;
    default:
      return host.includes('.');
  }
}
