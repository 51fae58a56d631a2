import assert from 'node:assert/strict';
import { type Client, InsufficientScopeError } from '@modelcontextprotocol/client';

/** A tool result as the wire carried it: the flag, the structured value and the text blocks. */
export interface RawToolResult {
  readonly isError: boolean;
  /** `structuredContent`, or `undefined` when the result carries none. */
  readonly structured: Record<string, unknown> | undefined;
  /** The text of every `text` content block, in order. */
  readonly texts: string[];
}

/** Calls a tool and keeps every part of the result, so tests can check the text mirrors the structure. */
export async function callRaw(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<RawToolResult> {
  const result = await client.callTool({ name, arguments: args });
  const content = Array.isArray(result.content) ? (result.content as { type: string; text?: unknown }[]) : [];
  return {
    isError: result.isError === true,
    structured: result.structuredContent as Record<string, unknown> | undefined,
    texts: content.filter((c) => c.type === 'text').map((c) => String(c.text)),
  };
}

/** Asserts a successful result whose text is exactly the JSON of its structured content, and returns it. */
export function expectSuccess(result: RawToolResult): Record<string, unknown> {
  assert.equal(result.isError, false, `expected success, got ${result.texts.join(' ')}`);
  assert.ok(result.structured !== undefined, 'the result carries structuredContent');
  assert.equal(result.texts.length, 1, 'one text block');
  assert.deepEqual(JSON.parse(result.texts[0] as string), result.structured);
  return result.structured;
}

/** Asserts that a call is refused with HTTP 403 insufficient_scope naming `scope` (the SDK's step-up error). */
export async function expectStepUp(call: Promise<unknown>, scope: string): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof InsufficientScopeError, `expected a 403 step-up, got ${String(error)}`);
    assert.equal(error.requiredScope, scope);
    return true;
  });
}

/**
 * Asserts a tool error: `isError`, no `structuredContent` (it would have to match the tool's output
 * schema), and one text block holding `{ error: { code, message } }`; returns that value.
 */
export function expectToolError(result: RawToolResult, code: string): Record<string, unknown> {
  assert.equal(result.isError, true, 'isError is set');
  assert.equal(result.structured, undefined, 'an error carries no structuredContent');
  assert.equal(result.texts.length, 1, 'one text block');
  const value = JSON.parse(result.texts[0] as string) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(value.error?.code, code);
  assert.equal(typeof value.error?.message, 'string');
  return value;
}
