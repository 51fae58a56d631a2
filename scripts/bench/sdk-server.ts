import { createServer, type Server } from 'node:http';
import { type NodeIncomingMessageLike, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';

/**
 * (b) The SDK floor: a stateless SDK v2 server with one trivial tool, a fresh `McpServer` per
 * request as `createMcpHandler` requires, and no authentication, Host or Origin checks.
 */
export function createSdkServer(): { server: Server; close(): Promise<void> } {
  const handler = createMcpHandler(() => {
    const server = new McpServer({ name: 'bench-sdk-floor', version: '1.0.0' });
    server.registerTool('ping', { description: 'Answers ok.', inputSchema: z.object({}) }, async () => ({
      content: [{ type: 'text', text: 'ok' }],
    }));
    return server;
  });
  const node = toNodeHandler(handler);
  const server = createServer((req, res) => {
    // Server-side requests always carry a method and URL; the adapter's type merely allows their absence.
    void node(req as NodeIncomingMessageLike, res);
  });
  return { server, close: () => handler.close() };
}
