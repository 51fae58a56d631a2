import type { IncomingMessage, ServerResponse } from 'node:http';
import { type NodeIncomingMessageLike, toNodeHandler } from '@modelcontextprotocol/node';
import type { Principal } from '../../auth/principal.js';
import { toAuthInfo } from '../auth-context.js';
import { type AuthExtensions, createMcpServerFactory } from '../create-mcp-server.js';
import type { ToolDeps } from '../tool-definition.js';
import { writeAnswer } from './answer.js';
import { createDirectToolCall } from './direct-tool-call.js';
import { createDirectToolList } from './direct-tool-list.js';
import { MAX_BODY_BYTES, readMessage } from './read-message.js';
import { createSdkHandler } from './sdk-handler.js';
import { findStepUp, stepUpAnswer } from './step-up.js';
import { toolCallsOf } from './tool-calls.js';

export interface McpEndpointDeps {
  readonly tools: ToolDeps;
  /** The canonical resource (`$PUBLIC_URL/mcp`) and its metadata URL, for challenges. */
  readonly resource: string;
  readonly resourceMetadataUrl: string;
  /** Counts a message's tool calls against the caller's limits; throws `rate_limited` when over. */
  readonly limitToolCalls?: (principal: Principal, tools: readonly string[]) => Promise<void>;
  /** The authorization extensions to declare in the server's capabilities. */
  readonly extensions?: AuthExtensions;
}

/** MCP over HTTP for an authenticated caller: everything on `/mcp` after the bearer gate. */
export interface McpEndpoint {
  serve(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void>;
  close(): Promise<void>;
}

/**
 * The one place that speaks MCP over HTTP: it reads the JSON-RPC message, counts its tool calls,
 * decides step-ups before any tool runs, then answers an everyday `tools/call` directly and hands
 * everything else to the SDK's stateless handler, a fresh server per request. Errors (a body too
 * large, a rate limit, an outage) are thrown to the HTTP edge, which maps them once.
 */
export function createMcpEndpoint(deps: McpEndpointDeps): McpEndpoint {
  const { tools } = deps;
  const { log } = tools;
  const handler = createSdkHandler(createMcpServerFactory(tools, deps.extensions), log);
  const sdk = toNodeHandler(handler, {
    maxRequestBodySize: MAX_BODY_BYTES,
    onerror: (err) => log.error('mcp adapter failed', { err }),
  });
  const directToolCall = createDirectToolCall(tools);
  const directToolList = createDirectToolList(handler);

  return {
    async serve(req, res, principal) {
      const authInfo = toAuthInfo(principal, deps.resource, deps.resourceMetadataUrl);
      // Server-side requests always carry a method and URL; the adapter's type merely allows their absence.
      const nodeRequest = Object.assign(req, { auth: authInfo }) as NodeIncomingMessageLike;
      // The SDK answers other content types (415) itself.
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sdk(nodeRequest, res);
      const read = await readMessage(req);
      if ('answer' in read) return writeAnswer(res, read.answer);

      const calls = toolCallsOf(read.message);
      if (calls.length > 0) {
        await deps.limitToolCalls?.(
          principal,
          calls.map((call) => call.label),
        );
      }
      const stepUp = await findStepUp(calls, principal, tools);
      if (stepUp?.isObtainable) {
        tools.observe?.(stepUp.tool, 'denied');
        return writeAnswer(res, await stepUpAnswer(stepUp, deps.resourceMetadataUrl, principal));
      }
      const request = { headers: req.headers, message: read.message, authInfo };
      const direct = (await directToolCall(request)) ?? (await directToolList(request));
      if (direct !== undefined) return writeAnswer(res, direct);
      return sdk(nodeRequest, res, read.message);
    },
    close: () => handler.close(),
  };
}
