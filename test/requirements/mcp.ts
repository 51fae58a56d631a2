/** How the MCP endpoint treats different callers and clients: id → the rule and where it comes from. */
export const MCP_REQUIREMENTS: Readonly<Record<string, string>> = {
  'mcp:tool-list-per-caller':
    'tools/list shows a caller only the tools its token can use: create-todo needs create:todos, get-audit-events read:todos, in both eras (MCP 2026-07-28 tools, capabilities)',
  'mcp:tool-list-cache':
    'A 2026-07-28 tools/list carries cacheScope "private" and a ttlMs, since it varies with the authorization presented (MCP 2026-07-28 caching)',
  'mcp:honest-capabilities':
    'No tools.listChanged is declared by a server that never sends the notification, and every answer is one JSON body in both eras',
  'mcp:hidden-tool-step-up':
    'A tool left out of the list still answers a call: a 403 insufficient_scope for a scope the caller can obtain (a client may hold an old list)',
  'mcp:no-step-up-loop':
    'A scope the account can never be granted (its role excludes it) is refused as a tool error naming the scope and the role, not with a 403 that sends the client round consent again',
  'mcp:tool-error-readable':
    'A tool error is isError with its { error: { code, message } } as text and no structuredContent, which the output schema would not match (MCP tools, output schema)',
  'mcp:create-idempotent':
    'A create-todo retried with the same idempotencyKey (after its response was lost) returns the first todo and creates no other',
};
