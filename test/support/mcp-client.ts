import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export type Era = 'legacy' | 'modern';

/** The names tools/list must show, in alphabetical order. */
export const LISTED_TOOL_NAMES = [
  'create-todo',
  'delete-todo',
  'get-audit-events',
  'get-todos',
  'update-todo',
  'whoami',
] as const;

/** Connects the real SDK v2 client with a fixed bearer token, in either protocol era. */
export async function connectClient(
  mcpUrl: string,
  token: string | undefined,
  era: Era = 'legacy',
): Promise<Client> {
  const client = new Client(
    { name: 'todo-manager-tests', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'modern' ? { pin: '2026-07-28' } : 'legacy' } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    authProvider: { token: async () => token },
    onInsufficientScope: 'throw',
  });
  await client.connect(transport);
  return client;
}

/** Calls a tool and returns its structured result, with `isError` kept alongside. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ isError: boolean; value: Record<string, unknown> }> {
  const result = await client.callTool({ name, arguments: args });
  const value = (result.structuredContent ?? {}) as Record<string, unknown>;
  return { isError: result.isError === true, value };
}
