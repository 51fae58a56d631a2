import { createServer, type Server } from 'node:http';

/** What a trivial tool returns, as a JSON-RPC response to request id 1. */
const ANSWER = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  result: { content: [{ type: 'text', text: 'ok' }], isError: false },
});

/**
 * (a) The machine's floor: node:http reads the request body and answers a fixed JSON-RPC tool
 * result, doing no MCP work at all.
 */
export function createBareServer(): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) });
      res.end(ANSWER);
    });
  });
}
