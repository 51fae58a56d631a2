import type { IncomingMessage } from 'node:http';
import { readBody } from '../../web/read-body.js';
import { jsonRpcError, type McpAnswer } from './answer.js';
import { isTooDeep } from './json-depth.js';

/** The largest JSON-RPC request body accepted on `/mcp`. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A JSON-RPC message read off a request, or the error answer when it cannot be read. */
export type ReadMessage = { readonly message: unknown } | { readonly answer: McpAnswer };

/**
 * Reads and parses a JSON-RPC body of at most `MAX_BODY_BYTES` (larger bodies throw
 * `payload_too_large`). Bodies that are not JSON, or nest too deeply to validate safely, are
 * answered here with the JSON-RPC errors the SDK would give.
 */
export async function readMessage(req: IncomingMessage): Promise<ReadMessage> {
  const raw = await readBody(req, MAX_BODY_BYTES);
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return { answer: jsonRpcError(-32700, 'Parse error: Invalid JSON') };
  }
  if (isTooDeep(message)) {
    return { answer: jsonRpcError(-32600, 'Invalid Request: the message nests too deeply') };
  }
  return { message };
}
