/** The characters RFC 3986 §2.3 calls unreserved: percent-encoding them changes nothing. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * An `htu` value (or the URL it must match) in the form RFC 9449 §4.3 item 9 compares, after
 * syntax-based normalization (RFC 3986 §6.2.2: lower-case scheme and host, upper-case
 * percent-encoding, unreserved characters decoded, dot segments removed) and scheme-based
 * normalization (§6.2.3: no default port, an empty path is `/`). `undefined` for anything but an
 * absolute http(s) URL without userinfo, query and fragment: §4.2 defines `htu` without query and
 * fragment, so a value that carries them was not made for this check.
 */
export function normalizeHtu(value: string): string | undefined {
  const url = URL.parse(value);
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  if (/[?#]/.test(value) || url.username !== '' || url.password !== '') return undefined;
  // WHATWG parsing already lower-cases scheme and host, drops a default port, removes dot
  // segments and turns an empty path into `/`; it leaves percent-encoding as it found it.
  const path = url.pathname.replace(/%[0-9a-fA-F]{2}/g, (encoded) => {
    const char = String.fromCharCode(Number.parseInt(encoded.slice(1), 16));
    return UNRESERVED.test(char) ? char : encoded.toUpperCase();
  });
  return `${url.protocol}//${url.host}${path}`;
}
