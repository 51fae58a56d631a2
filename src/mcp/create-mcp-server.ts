import { McpServer, type McpServerFactory } from '@modelcontextprotocol/server';
import { TOOLS } from './tool-catalog.js';
import { registerToolDefinition, type ToolDeps } from './tool-definition.js';

export const SERVER_INFO = { name: 'todo-manager-mcp', version: '0.1.0' } as const;

export const INSTRUCTIONS =
  'Manage todo lists. get-todos lists your todos; create-todo, update-todo and delete-todo change them; ' +
  'whoami shows your identity and scopes; get-audit-events (read:todos) shows who changed what.';

/**
 * A factory for one MCP server per request. Nothing protocol-level is shared between requests
 * (GHSA-345p-7cg4-v4c7): only the tool definitions and dependencies, which hold no per-caller state.
 */
export function createMcpServerFactory(deps: ToolDeps): McpServerFactory {
  return () => {
    const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS });
    for (const tool of TOOLS) registerToolDefinition(server, tool, deps);
    return server;
  };
}
