import { isIP } from 'node:net';
import { isPublicAddress } from './public-address.js';

/**
 * Whether the server may fetch a Client ID Metadata Document from this URL. The client id is an
 * address any caller chooses, so fetching it must not reach into the server's own network
 * (server-side request forgery): only https on a public DNS name or public IP address. This is the
 * first look, at the name; the fetch itself connects only to a public address the name resolves to.
 */
export function isFetchableClientId(clientId: string): boolean {
  const url = URL.parse(clientId);
  if (url === null || url.protocol !== 'https:' || url.username || url.password) return false;
  // `localhost.` is `localhost`: a fully qualified name ends with the root's empty label.
  const host = url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '');
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
      return isPublicAddress(host);
    case 6:
      // Literal IPv6 hosts are refused outright: loopback, unique-local, link-local and mapped forms abound.
      return false;
    default:
      return host.includes('.');
  }
}
