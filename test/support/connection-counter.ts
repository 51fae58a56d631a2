import { createServer, type Server } from 'node:net';
import { after, before } from 'node:test';

/** A loopback TCP listener that only counts who connects: what an SSRF would reach. */
export interface ConnectionCounter {
  /** Its port, once `before` has run. */
  readonly port: number;
  /** How many connections it has seen so far. */
  readonly connections: number;
}

/** Listens on 127.0.0.1, port 0, before the file's tests; closes after them. */
export function useConnectionCounter(): ConnectionCounter {
  let server: Server | undefined;
  const counter = { port: 0, connections: 0 };
  before(async () => {
    const listening = createServer((socket) => {
      counter.connections += 1;
      socket.destroy();
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    counter.port = (listening.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  return counter;
}
