import type { AuthInfo } from '@modelcontextprotocol/server';
import { SERVER_INFO } from '../create-mcp-server.js';
import { executeTool, type ToolDeps } from '../tool-definition.js';
import { JSON_HEADERS, type McpAnswer } from './answer.js';
import { toolNamed } from './tool-calls.js';

const MODERN_VERSION = '2026-07-28';
const LEGACY_VERSIONS = new Set(['2025-11-25', '2025-06-18', '2025-03-26']);
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const META_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';

export interface DirectCallRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly message: unknown;
  readonly authInfo: AuthInfo;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const header = (request: DirectCallRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** Which era a well-formed tools/call speaks, or `undefined` when it is anything unusual. */
function eraOf(request: DirectCallRequest, params: Json, name: string): 'modern' | 'legacy' | undefined {
  const version = header(request, 'mcp-protocol-version');
  const meta = params._meta;
  if (version === MODERN_VERSION) {
    const isEnvelope =
      isObject(meta) && meta[META_VERSION] === MODERN_VERSION && isObject(meta[META_CAPABILITIES]);
    const isRouted = header(request, 'mcp-method') === 'tools/call' && header(request, 'mcp-name') === name;
    return isEnvelope && isRouted ? 'modern' : undefined;
  }
  // Without the header a server assumes 2025-03-26 (MCP 2025-06-18 transports §protocol version).
  if (version !== undefined && !LEGACY_VERSIONS.has(version)) return undefined;
  if (isObject(meta) && META_VERSION in meta) return undefined;
  const accept = header(request, 'accept') ?? '';
  return accept.includes('application/json') && accept.includes('text/event-stream') ? 'legacy' : undefined;
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
    if (!(typeof id === 'string' || Number.isSafeInteger(id)) || !isObject(params)) return undefined;
    const { name, arguments: args } = params;
    const tool = typeof name === 'string' ? toolNamed(name) : undefined;
    if (tool === undefined || typeof name !== 'string' || !(args === undefined || isObject(args)))
      return undefined;
    const era = eraOf(request, params, name);
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
