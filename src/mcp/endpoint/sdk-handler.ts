import {
  createMcpHandler,
  isLegacyRequest,
  type McpHandlerRequestOptions,
  type McpServerFactory,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import type { Logger } from '../../log.js';

/** A fetch-shaped MCP handler, as the Node adapter takes it. */
export interface SdkHandler {
  fetch(request: Request, options?: McpHandlerRequestOptions): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The SDK's stateless serving for both protocol eras, answering every request with one JSON
 * body: 2026-07-28 requests through `createMcpHandler` (JSON unless a tool streams, and ours never
 * do), and 2025-era requests through a per-request transport with JSON responses, where the
 * SDK's own legacy fallback would always open an event stream.
 */
export function createSdkHandler(factory: McpServerFactory, log: Logger): SdkHandler {
  const onerror = (err: Error) => log.warn('mcp request rejected', { err });
  const modern = createMcpHandler(factory, { legacy: 'reject', onerror });
  return {
    async fetch(request, options) {
      const isJson = /^application\/json\b/i.test(request.headers.get('content-type') ?? '');
      // Anything that is not a JSON POST goes to the modern entry, which owns those refusals.
      if (request.method !== 'POST' || !isJson || !(await isLegacyRequest(request, options?.parsedBody))) {
        return modern.fetch(request, options);
      }
      return serveLegacy(factory, request, options);
    },
    close: () => modern.close(),
  };
}

async function serveLegacy(
  factory: McpServerFactory,
  request: Request,
  options: McpHandlerRequestOptions | undefined,
): Promise<Response> {
  const server = await factory({
    era: 'legacy',
    ...(options?.authInfo !== undefined && { authInfo: options.authInfo }),
    requestInfo: request,
  });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request, {
      ...(options?.authInfo !== undefined && { authInfo: options.authInfo }),
      ...(options?.parsedBody !== undefined && { parsedBody: options.parsedBody }),
    });
  } finally {
    await transport.close().catch(() => undefined);
    await server.close().catch(() => undefined);
  }
}
