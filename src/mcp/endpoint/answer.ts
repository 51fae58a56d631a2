import type { ServerResponse } from 'node:http';

/** A complete HTTP answer to one MCP request, built before anything is written. */
export interface McpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** A JSON-RPC error answer to a message that could not be read (JSON-RPC 2.0 §5.1). */
export function jsonRpcError(code: number, message: string): McpAnswer {
  return {
    status: 400,
    headers: JSON_HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }),
  };
}

export function writeAnswer(res: ServerResponse, answer: McpAnswer): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}
