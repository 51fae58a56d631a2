import type { CallToolResult } from '@modelcontextprotocol/server';
import { AppError, type ErrorCode, publicMessage } from '../errors.js';
import type { Logger } from '../log.js';

/** The `structuredContent` of results made by `toolSuccess`, as the JSON text they also carry. */
const structuredJson = new WeakMap<CallToolResult, string>();

/** A successful tool result: `structuredContent` plus the same JSON as text for older clients. */
export function toolSuccess(value: Record<string, unknown>): CallToolResult {
  const text = JSON.stringify(value);
  const result: CallToolResult = { content: [{ type: 'text', text }], structuredContent: value };
  structuredJson.set(result, text);
  return result;
}

/**
 * The JSON of a result's `structuredContent` when `toolSuccess` made it: the very text of its text
 * content, so that a writer can put it in the answer as it is instead of serialising the value twice.
 */
export function structuredContentJson(result: CallToolResult): string | undefined {
  return structuredJson.get(result);
}

/**
 * A tool error (`isError: true`) whose text is `{ "error": { "code", "message" } }` with a stable
 * code. It carries no `structuredContent`: that would have to match the tool's output schema
 * (MCP tools, output schema), and clients that check it would hide the error behind a schema
 * mismatch. Unknown failures are logged and answered as a generic `internal_error`, so nothing
 * internal reaches the caller.
 */
export function toolFailure(error: unknown, log: Logger): CallToolResult {
  const code: ErrorCode = error instanceof AppError ? error.code : 'internal_error';
  if (code === 'internal_error') log.error('tool failed', { err: error });
  const value = { error: { code, message: publicMessage(error) } };
  return { content: [{ type: 'text', text: JSON.stringify(value) }], isError: true };
}
