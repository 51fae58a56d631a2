import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server answered, as a person and a client would meet it. */
export interface Counts {
  /** Sign-in pages served (the form with a password field). */
  readonly signInPages: number;
  /** Consent pages served (the form that posts to `/interaction/<uid>/confirm`). */
  readonly consentPages: number;
  /** 403 answers from the MCP endpoint (step-up challenges). */
  readonly forbidden: number;
  /** 401 answers from the MCP endpoint. */
  readonly unauthorized: number;
}

/** An HTTP proxy on 127.0.0.1 in front of the app that counts pages and challenges as it forwards. */
export interface CountingProxy {
  readonly port: number;
  readonly origin: string;
  setTarget(port: number): void;
  counts(): Counts;
  reset(): void;
  close(): Promise<void>;
}

const ZERO: Counts = { signInPages: 0, consentPages: 0, forbidden: 0, unauthorized: 0 };

/**
 * Starts the proxy. Requests go on unchanged (the `Host` header included, so the app sees its
 * public address); only HTML pages under `/interaction/` are read, to tell sign-in from consent.
 */
export async function startCountingProxy(): Promise<CountingProxy> {
  let target = 0;
  let counts: Counts = ZERO;
  const add = (key: keyof Counts) => {
    counts = { ...counts, [key]: counts[key] + 1 };
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const upstream = request(
      { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (path === '/mcp' && answer.statusCode === 403) add('forbidden');
        if (path === '/mcp' && answer.statusCode === 401) add('unauthorized');
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        const isPage =
          req.method === 'GET' &&
          path.startsWith('/interaction/') &&
          /text\/html/.test(answer.headers['content-type'] ?? '');
        if (!isPage) {
          answer.pipe(res);
          return;
        }
        let html = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => {
          html += chunk;
          res.write(chunk);
        });
        answer.on('end', () => {
          if (html.includes('name="password"')) add('signInPages');
          else if (/action="\/interaction\/[^"]+\/confirm"/.test(html)) add('consentPages');
          res.end();
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://localhost:${port}`,
    setTarget(next) {
      target = next;
    },
    counts: () => counts,
    reset() {
      counts = ZERO;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
