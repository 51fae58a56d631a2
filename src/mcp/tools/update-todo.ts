import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { advertised, contentSchema, parseArgs, todoIdSchema, todoSchema, todoValue } from '../schemas.js';
import { runTool, type ToolDeps } from '../tool-context.js';

const input = z.object({
  id: todoIdSchema,
  content: contentSchema.optional(),
  done: z.boolean().optional().describe('true marks the todo done, false reopens it'),
});

export function registerUpdateTodo(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'update-todo',
    {
      title: 'Update todo',
      description:
        'Change the content of one of your own todos, or mark it done or not done. Only the owner may ' +
        'update a todo, whatever the scopes; a todo you may not update is reported as not_found.',
      inputSchema: advertised(input),
      outputSchema: todoSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (args, ctx) =>
      runTool(ctx, deps, async (actor) => {
        const { id, content, done } = parseArgs(input, args);
        const update = { ...(content !== undefined && { content }), ...(done !== undefined && { done }) };
        return todoValue(await deps.todos.update(actor, id, update));
      }),
  );
}
