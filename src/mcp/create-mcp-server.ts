import { type AuthInfo, McpServer, type McpServerFactory } from '@modelcontextprotocol/server';
import { actorOf, principalOf } from './auth-context.js';
import { TOOLS } from './tool-catalog.js';
import { registerToolDefinition, type ToolDefinition, type ToolDeps } from './tool-definition.js';

export const SERVER_INFO = { name: 'todo-manager-mcp', version: '0.1.0' } as const;

export const INSTRUCTIONS =
  'Manage todo lists. get-todos lists your todos; create-todo, update-todo and delete-todo change them; ' +
  'whoami shows your identity and scopes; get-audit-events (read:todos) shows who changed what.';

/**
 * How long a client may reuse a tools/list answer (MCP 2026-07-28, caching). The list follows the
 * token's scopes, so it is private to one authorization context and changes only with a new token.
 */
export const TOOL_LIST_TTL_MS = 60_000;

/** The tools a caller's token can use, in catalogue order: those that need a scope it lacks are left out. */
export function toolsFor(authInfo: AuthInfo | undefined): readonly ToolDefinition[] {
  const actor = actorOf(principalOf(authInfo));
  return TOOLS.filter((tool) => tool.isVisibleTo?.(actor) ?? true);
}

/** The authorization extensions (MCP ext-auth) a server may declare: each id with its settings. */
export type AuthExtensions = Readonly<Record<string, Record<string, never>>>;

/** SEP-1046: services get tokens with the `client_credentials` grant. */
export const CLIENT_CREDENTIALS_EXTENSION = 'io.modelcontextprotocol/oauth-client-credentials';
/** SEP-990: an enterprise IdP's ID-JAG is exchanged for a token (RFC 7523 JWT bearer grant). */
export const ENTERPRISE_AUTH_EXTENSION = 'io.modelcontextprotocol/enterprise-managed-authorization';

/**
 * A factory for one MCP server per request, offering the caller's tools. Nothing protocol-level
 * is shared between requests (GHSA-345p-7cg4-v4c7): only the tool definitions and dependencies,
 * which hold no per-caller state. A stateless server never notifies list changes, so it says so.
 * The authorization extensions its authorization server supports are declared in
 * `capabilities.extensions`, where MCP 2026-07-28 lists extensions.
 */
export function createMcpServerFactory(deps: ToolDeps, extensions: AuthExtensions = {}): McpServerFactory {
  const hasExtensions = Object.keys(extensions).length > 0;
  return ({ authInfo }) => {
    const server = new McpServer(SERVER_INFO, {
      instructions: INSTRUCTIONS,
      capabilities: {
        tools: { listChanged: false },
        ...(hasExtensions && { extensions: { ...extensions } }),
      },
      cacheHints: { 'tools/list': { ttlMs: TOOL_LIST_TTL_MS, cacheScope: 'private' } },
    });
    for (const tool of toolsFor(authInfo)) registerToolDefinition(server, tool, deps);
    return server;
  };
}
