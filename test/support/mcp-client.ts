import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export type Era = 'legacy' | 'modern';

/**
 * The names tools/list must show a token with these scopes, in alphabetical order: everyone's own
 * todos and whoami, create-todo with create:todos, the audit trail with read:todos.
 */
export function listedToolNames(scope: string): string[] {
  const scopes = new Set(scope.split(' '));
  return [
    ...(scopes.has('create:todos') ? ['create-todo'] : []),
    'delete-todo',
    ...(scopes.has('read:todos') ? ['get-audit-events'] : []),
    'get-todos',
    'update-todo',
    'whoami',
  ];
}

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

/**
 * Calls a tool and returns its value, with `isError` kept alongside: the structured result of a
 * success, or the `{ error: { code, message } }` that an error carries as its text.
 */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ isError: boolean; value: Record<string, unknown> }> {
  const result = await client.callTool({ name, arguments: args });
  const isError = result.isError === true;
  const [first] = Array.isArray(result.content) ? (result.content as { type: string; text?: string }[]) : [];
  const value = isError
    ? (JSON.parse(first?.text ?? '{}') as Record<string, unknown>)
    : ((result.structuredContent ?? {}) as Record<string, unknown>);
  return { isError, value };
}
