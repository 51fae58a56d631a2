import { toolsFor } from '../create-mcp-server.js';
import { JSON_HEADERS, type McpAnswer } from './answer.js';
import type { DirectCallRequest } from './direct-tool-call.js';
import { eraOf, isObject, isRequestId, MODERN_VERSION } from './era.js';
import type { SdkHandler } from './sdk-handler.js';

/**
 * Answers an everyday `tools/list` (no cursor: the list has one page) from results the SDK gave
 * before, one per protocol version and set of tools shown: the SDK stays the author of every list,
 * and the direct path only replays it under the caller's request id. The first caller of each
 * kind is answered by the SDK, through its own authorization; anything unusual goes to the SDK.
 */
export function createDirectToolList(sdk: SdkHandler) {
  const results = new Map<string, Promise<unknown>>();

  async function resultFor(key: string, request: DirectCallRequest, version: string): Promise<unknown> {
    let result = results.get(key);
    if (result === undefined) {
      result = askSdk(sdk, request, version);
      results.set(key, result);
      // A failed answer is not kept: the next caller asks again.
      result.catch(() => results.delete(key));
    }
    return result;
  }

  return async function directToolList(request: DirectCallRequest): Promise<McpAnswer | undefined> {
    const { message } = request;
    if (!isObject(message) || message.jsonrpc !== '2.0' || message.method !== 'tools/list') return undefined;
    const { id } = message;
    const params = message.params ?? {};
    if (!isRequestId(id) || !isObject(params) || params.cursor !== undefined) return undefined;
    const era = eraOf(request.headers, params, 'tools/list');
    if (era === undefined) return undefined;
    const header = request.headers['mcp-protocol-version'];
    const version = era === 'modern' ? MODERN_VERSION : typeof header === 'string' ? header : '2025-03-26';
    const shown = toolsFor(request.authInfo).map((tool) => tool.name);
    const result = await resultFor(`${version} ${shown.join(' ')}`, request, version).catch(() => undefined);
    if (result === undefined) return undefined;
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ result, jsonrpc: '2.0', id }) };
  };
}

/** The SDK's own tools/list result for this caller and protocol version, or a rejection. */
async function askSdk(sdk: SdkHandler, request: DirectCallRequest, version: string): Promise<unknown> {
  const isModern = version === MODERN_VERSION;
  const meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const body = { jsonrpc: '2.0', id: 0, method: 'tools/list', params: isModern ? { _meta: meta } : {} };
  const response = await sdk.fetch(
    new Request('http://internal/mcp', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': version,
        ...(isModern && { 'mcp-method': 'tools/list' }),
      },
      body: JSON.stringify(body),
    }),
    { authInfo: request.authInfo },
  );
  const answer = (await response.json()) as { result?: unknown };
  if (!response.ok || answer.result === undefined) throw new Error(`tools/list answered ${response.status}`);
  return answer.result;
}
