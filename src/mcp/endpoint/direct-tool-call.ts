import type { AuthInfo } from '@modelcontextprotocol/server';
import { SERVER_INFO } from '../create-mcp-server.js';
import { executeTool, type ToolDeps } from '../tool-definition.js';
import { JSON_HEADERS, type McpAnswer } from './answer.js';
import { eraOf, type Headers, isObject, isRequestId } from './era.js';
import { toolNamed } from './tool-calls.js';

export interface DirectCallRequest {
  readonly headers: Headers;
  readonly message: unknown;
  readonly authInfo: AuthInfo;
}

/**
 * Answers the everyday request, a well-formed `tools/call` of one of our tools, straight from the
 * tool definitions, in the same shape the SDK gives for either protocol era. Anything else (other
 * methods, batches, unusual headers or envelopes) returns `undefined` and goes to the SDK's
 * handler, which stays the authority on the protocol. Step-ups are decided before either path
 * runs. Nothing is kept between calls.
 */
export function createDirectToolCall(deps: ToolDeps) {
  const serverInfoMeta = { 'io.modelcontextprotocol/serverInfo': SERVER_INFO };

  return async function directToolCall(request: DirectCallRequest): Promise<McpAnswer | undefined> {
    const { message } = request;
    if (!isObject(message) || message.jsonrpc !== '2.0' || message.method !== 'tools/call') return undefined;
    const { id, params } = message;
    if (!isRequestId(id) || !isObject(params)) return undefined;
    const { name, arguments: args } = params;
    const tool = typeof name === 'string' ? toolNamed(name) : undefined;
    if (tool === undefined || typeof name !== 'string' || !(args === undefined || isObject(args)))
      return undefined;
    const era = eraOf(request.headers, params, 'tools/call', name);
    if (era === undefined) return undefined;

    const result = await executeTool(tool, deps, request.authInfo, args ?? {});
    const answer = era === 'modern' ? { ...result, resultType: 'complete', _meta: serverInfoMeta } : result;
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: JSON.stringify({ result: answer, jsonrpc: '2.0', id }),
    };
  };
}

export type DirectToolCall = ReturnType<typeof createDirectToolCall>;
