import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { advertised, parseArgs, todoIdSchema, todoSchema, todoValue } from '../schemas.js';
import { runTool, type ToolDeps } from '../tool-context.js';

const input = z.object({ id: todoIdSchema });

export function registerDeleteTodo(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'delete-todo',
    {
      title: 'Delete todo',
      description:
        "Delete a todo and return it. You may delete your own todos; the delete:todos scope lets you delete anyone's. " +
        'A todo you may not delete is reported as not_found.',
      inputSchema: advertised(input),
      outputSchema: todoSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (args, ctx) =>
      runTool(ctx, deps, async (actor) =>
        todoValue(await deps.todos.delete(actor, parseArgs(input, args).id)),
      ),
  );
}
