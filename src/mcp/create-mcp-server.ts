import { McpServer, type McpServerFactory } from '@modelcontextprotocol/server';
import type { ToolDeps } from './tool-context.js';
import { registerCreateTodo } from './tools/create-todo.js';
import { registerDeleteTodo } from './tools/delete-todo.js';
import { registerGetTodos } from './tools/get-todos.js';
import { registerUpdateTodo } from './tools/update-todo.js';
import { registerWhoami } from './tools/whoami.js';

export const SERVER_INFO = { name: 'todo-manager-mcp', version: '0.1.0' } as const;

/**
 * A factory for one MCP server per request. Nothing protocol-level is shared between requests
 * (GHSA-345p-7cg4-v4c7): only the dependencies, which hold no per-caller state.
 */
export function createMcpServerFactory(deps: ToolDeps): McpServerFactory {
  return () => {
    const server = new McpServer(SERVER_INFO, {
      instructions:
        'Manage todo lists. get-todos lists your todos; create-todo, update-todo and delete-todo change them; ' +
        'whoami shows your identity and scopes.',
    });
    registerCreateTodo(server, deps);
    registerGetTodos(server, deps);
    registerUpdateTodo(server, deps);
    registerDeleteTodo(server, deps);
    registerWhoami(server, deps);
    return server;
  };
}
