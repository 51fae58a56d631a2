import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenProxy {
  /** The proxy's origin, `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** How many requests it has forwarded, so a run can tell that traffic really went through it. */
  readonly forwarded: () => number;
  close(): Promise<void>;
}

/** Connection-scoped headers (RFC 9110 §7.6.1): each hop sets its own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/**
 * A reverse proxy on 127.0.0.1 that adds `Authorization: Bearer <token>` to every request and
 * streams both bodies through unchanged. It keeps the client's `Host` and `Origin`, so the
 * server's DNS-rebinding checks see exactly what the client sent.
 */
export async function startTokenProxy(target: string, token: string): Promise<TokenProxy> {
  const upstreamOrigin = new URL(target);
  let forwarded = 0;
  const server = createServer((req, res) => {
    forwarded += 1;
    const upstream = request(
      {
        hostname: upstreamOrigin.hostname,
        port: upstreamOrigin.port,
        method: req.method,
        path: req.url,
        headers: { ...endToEnd(req.headers), authorization: `Bearer ${token}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream unreachable\n');
    });
    // A client that hangs up early (say, mid SSE stream) ends the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    forwarded: () => forwarded,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
