import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { todoIdSchema, todoSchema, todoValue } from '../schemas.js';
import { runTool, type ToolDeps } from '../tool-context.js';

export function registerDeleteTodo(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'delete-todo',
    {
      title: 'Delete todo',
      description:
        "Delete a todo and return it. You may delete your own todos; the delete:todos scope lets you delete anyone's. " +
        'A todo you may not delete is reported as not_found.',
      inputSchema: z.object({ id: todoIdSchema }),
      outputSchema: todoSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ id }, ctx) => runTool(ctx, deps, async (actor) => todoValue(await deps.todos.delete(actor, id))),
  );
}
