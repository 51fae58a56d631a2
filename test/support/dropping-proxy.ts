import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP proxy that lets the server answer a matching request in full, then drops the answer. */
export interface DroppingProxy {
  readonly origin: string;
  /** How many answers it dropped so far. */
  dropped(): number;
  close(): Promise<void>;
}

const bodyOf = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * Forwards every request to `targetPort` unchanged. The first `count` requests whose body
 * contains `match` reach the server and are answered there, but the proxy closes the client's
 * connection instead of passing the answer on: a response lost on the way back, as a client
 * behind a flaky network sees it.
 */
export async function startDroppingProxy(
  targetPort: number,
  match: string,
  count = 1,
): Promise<DroppingProxy> {
  let dropped = 0;
  const server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    const upstream = request({
      host: '127.0.0.1',
      port: targetPort,
      method: req.method,
      path: req.url,
      headers: req.headers,
    });
    upstream.on('response', async (answer) => {
      const text = await bodyOf(answer);
      if (dropped < count && body.includes(match)) {
        dropped += 1;
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.end(text);
    });
    upstream.on('error', () => req.socket.destroy());
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
