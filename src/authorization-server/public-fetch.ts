import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { isPublicAddress } from './public-address.js';

export interface PublicFetchOptions {
  /** Resolves a host name to every address it has (default: the system resolver). */
  readonly resolve?: (hostname: string) => Promise<readonly LookupAddress[]>;
  /** Whether the server may connect to an address (default: public internet addresses only). */
  readonly isAllowedAddress?: (address: string) => boolean;
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const systemResolve = (hostname: string) =>
  new Promise<readonly LookupAddress[]>((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/**
 * The `fetch` the embedded authorization server uses for anything a client names (a Client ID
 * Metadata Document): https only, and only to the public internet. The host name is resolved
 * first, every address it has is checked, and the connection goes to the checked address, never
 * to a second resolution that could point elsewhere (DNS rebinding). Nothing is sent to, or even
 * connected to, a loopback, private, link-local or otherwise special address. Redirects are not
 * followed.
 */
export function createPublicFetch(options: PublicFetchOptions = {}): Fetch {
  const { resolve = systemResolve, isAllowedAddress = isPublicAddress } = options;
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.protocol !== 'https:') throw new TypeError('only https: URLs are fetched');
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(hostname)
      ? [{ address: hostname, family: isIP(hostname) }]
      : await resolve(hostname);
    const [pinned] = addresses;
    if (pinned === undefined || !addresses.every((a) => isAllowedAddress(a.address))) {
      throw new TypeError(`${url.hostname} does not resolve to public addresses only`);
    }
    return send(url, init, pinned);
  };
}

/** One request over a connection to the given address, answered as a fetch `Response`. */
function send(url: URL, init: RequestInit, pinned: LookupAddress): Promise<Response> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(new Headers(init.headers)),
        lookup,
        ...(init.signal && { signal: init.signal }),
      },
      (res) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const item of [value ?? []].flat()) headers.append(name, item);
        }
        const body = Readable.toWeb(res) as ReadableStream<Uint8Array>;
        resolve(new Response(body, { status: res.statusCode ?? 502, headers }));
      },
    );
    req.on('error', reject);
    req.end(typeof init.body === 'string' ? init.body : undefined);
  });
}
