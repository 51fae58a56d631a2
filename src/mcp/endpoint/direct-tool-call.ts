import type { AuthInfo, CallToolResult } from '@modelcontextprotocol/server';
import { SERVER_INFO } from '../create-mcp-server.js';
import { executeTool, type ToolDeps } from '../tool-definition.js';
import { structuredContentJson } from '../tool-result.js';
import { JSON_HEADERS, type McpAnswer } from './answer.js';
import { type Era, eraOf, type Headers, isObject, isRequestId } from './era.js';
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
    return { status: 200, headers: JSON_HEADERS, body: answerBody(result, era, id) };
  };
}

const SERVER_INFO_META = { 'io.modelcontextprotocol/serverInfo': SERVER_INFO };
/** What a 2026-07-28 result adds to the tool result, as JSON (SEP-2575). */
const MODERN_FIELDS = `"resultType":"complete","_meta":${JSON.stringify(SERVER_INFO_META)}`;

/**
 * The JSON-RPC answer carrying a tool result, in the SDK's shape for the era. A success's JSON
 * was made once, for its text content; `structuredContent` reuses that text rather than
 * serialising the value a second time (the differential test compares this with the SDK's answer).
 */
function answerBody(result: CallToolResult, era: Era, id: string | number): string {
  const json = structuredContentJson(result);
  const [content] = result.content;
  if (
    json === undefined ||
    result.content.length !== 1 ||
    content?.type !== 'text' ||
    content.text !== json
  ) {
    const answer = era === 'modern' ? { ...result, resultType: 'complete', _meta: SERVER_INFO_META } : result;
    return JSON.stringify({ result: answer, jsonrpc: '2.0', id });
  }
  const fields = `"content":[{"type":"text","text":${JSON.stringify(json)}}],"structuredContent":${json}`;
  return `{"result":{${fields}${era === 'modern' ? `,${MODERN_FIELDS}` : ''}},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`;
}

export type DirectToolCall = ReturnType<typeof createDirectToolCall>;
