import { createProofSigner } from './dpop-proof.js';
import type { Expectation, RequestSpec } from './protocol.js';

/** The parts of a `tools/call` result the harness looks at. */
export interface ToolResult {
  readonly isError: boolean;
  readonly structured: Record<string, unknown> | undefined;
  readonly content: unknown;
}

/** Reads a JSON-RPC tool result answered either as JSON or as server-sent events. */
export function parseToolResponse(status: number, contentType: string | null, text: string): ToolResult {
  if (status !== 200) throw new Error(`expected HTTP 200, got ${status}: ${text.slice(0, 300)}`);
  const json = contentType?.startsWith('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice('data:'.length).trim())
        .join('')
    : text;
  const message = JSON.parse(json) as {
    result?: { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown };
    error?: unknown;
  };
  if (message.result === undefined) throw new Error(`not a JSON-RPC result: ${json.slice(0, 300)}`);
  return {
    isError: message.result.isError === true,
    structured: message.result.structuredContent,
    content: message.result.content,
  };
}

/** Sends a scenario's request once and returns its tool result. */
export async function callOnce(request: RequestSpec): Promise<ToolResult> {
  const headers = { ...request.headers, ...(request.dpop && { dpop: createProofSigner(request.dpop)() }) };
  const response = await fetch(request.url, { method: 'POST', headers, body: request.body });
  return parseToolResponse(response.status, response.headers.get('content-type'), await response.text());
}

/** The todos of a `get-todos` result and its next cursor. */
export function todoPage(result: ToolResult): { ids: string[]; nextCursor: string | undefined } {
  const todos = result.structured?.todos;
  if (!Array.isArray(todos)) throw new Error('the result carries no todos');
  const nextCursor = result.structured?.nextCursor;
  return {
    ids: todos.map((todo: { id?: unknown }) => String(todo.id)),
    nextCursor: typeof nextCursor === 'string' ? nextCursor : undefined,
  };
}

/** Throws unless a scenario's answer is a successful tool result that meets its expectation. */
export function checkExpectation(result: ToolResult, expect: Expectation): void {
  if (result.isError) throw new Error(`the tool answered an error: ${JSON.stringify(result.content)}`);
  if (!Array.isArray(result.content) || result.content.length === 0) {
    throw new Error('the tool result has no content');
  }
  if (expect.todoCount !== undefined || expect.todoIds !== undefined) {
    const { ids } = todoPage(result);
    if (expect.todoCount !== undefined && ids.length !== expect.todoCount) {
      throw new Error(`expected ${expect.todoCount} todos, got ${ids.length}`);
    }
    if (expect.todoIds !== undefined && ids.join(',') !== expect.todoIds.join(',')) {
      throw new Error('the page does not list the expected todos');
    }
  }
  if (expect.subject !== undefined && result.structured?.subject !== expect.subject) {
    throw new Error(`expected subject ${expect.subject}, got ${String(result.structured?.subject)}`);
  }
  if (expect.ownerId !== undefined && result.structured?.ownerId !== expect.ownerId) {
    throw new Error(`expected a todo of ${expect.ownerId}, got ${String(result.structured?.ownerId)}`);
  }
}
