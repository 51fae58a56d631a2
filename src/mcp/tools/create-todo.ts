import { type McpServer, requireScopes } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { advertised, contentSchema, parseArgs, todoSchema, todoValue } from '../schemas.js';
import { runTool, type ToolDeps } from '../tool-context.js';

const input = z.object({ content: contentSchema });

export function registerCreateTodo(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'create-todo',
    {
      title: 'Create todo',
      description:
        'Create a todo owned by the signed-in user. Needs the create:todos scope; without it the ' +
        'call is refused with HTTP 403 insufficient_scope so the client can ask for it.',
      inputSchema: advertised(input),
      outputSchema: todoSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
      scopeChallenge: requireScopes('create:todos'),
    },
    async (args, ctx) =>
      runTool(ctx, deps, async (actor) => {
        const { content } = parseArgs(input, args);
        return todoValue(await deps.todos.create(actor, content));
      }),
  );
}
