import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  OAuthError,
  OAuthErrorCode,
} from '@modelcontextprotocol/server';
import { SERVER_INFO } from './create-mcp-server.js';
import { TOOLS } from './tool-catalog.js';
import { decideStepUp, executeTool, type ToolDeps } from './tool-definition.js';

const MODERN_VERSION = '2026-07-28';
const LEGACY_VERSIONS = new Set(['2025-11-25', '2025-06-18', '2025-03-26']);
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const META_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
const TOOL_BY_NAME = new Map(TOOLS.map((tool) => [tool.name, tool]));

export interface DirectCallRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly authInfo: AuthInfo;
}

/** A complete answer to one tools/call: a JSON-RPC result, or a 403 step-up challenge. */
export interface DirectCallResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
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
 * methods, batches, a step-up, unusual headers or envelopes) returns `undefined` and goes to the
 * SDK's handler, which stays the authority on the protocol. Nothing is kept between calls.
 */
export function createDirectToolCall(deps: ToolDeps) {
  const serverInfoMeta = { 'io.modelcontextprotocol/serverInfo': SERVER_INFO };

  return async function directToolCall(request: DirectCallRequest): Promise<DirectCallResponse | undefined> {
    const { body } = request;
    if (!isObject(body) || body.jsonrpc !== '2.0' || body.method !== 'tools/call') return undefined;
    const { id, params } = body;
    if (!(typeof id === 'string' || Number.isSafeInteger(id)) || !isObject(params)) return undefined;
    const { name, arguments: args } = params;
    const tool = typeof name === 'string' ? TOOL_BY_NAME.get(name) : undefined;
    if (tool === undefined || typeof name !== 'string' || !(args === undefined || isObject(args)))
      return undefined;
    const era = eraOf(request, params, name);
    if (era === undefined) return undefined;
    const stepUp = await decideStepUp(tool, deps, request.authInfo, args);
    if (stepUp !== undefined) return challenge(stepUp.scope, stepUp.description, request.authInfo);

    const result = await executeTool(tool, deps, request.authInfo, args ?? {});
    const answer = era === 'modern' ? { ...result, resultType: 'complete', _meta: serverInfoMeta } : result;
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: JSON.stringify({ result: answer, jsonrpc: '2.0', id }),
    };
  };
}

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** The SDK's own 403 insufficient_scope answer, so both paths challenge byte for byte alike. */
async function challenge(
  scope: string,
  description: string,
  authInfo: AuthInfo,
): Promise<DirectCallResponse> {
  const response = bearerAuthChallengeResponse(
    new OAuthError(OAuthErrorCode.InsufficientScope, description),
    {
      requiredScopes: [scope],
      ...(authInfo.resourceMetadataUrl !== undefined && {
        resourceMetadataUrl: authInfo.resourceMetadataUrl,
      }),
    },
  );
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
}

export type DirectToolCall = ReturnType<typeof createDirectToolCall>;
