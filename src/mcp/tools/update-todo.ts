import * as z from 'zod';
import { contentSchema, parseArgs, todoIdSchema, todoSchema, todoValue } from '../schemas.js';
import type { ToolDefinition } from '../tool-definition.js';

const input = z.object({
  id: todoIdSchema,
  content: contentSchema.optional(),
  done: z.boolean().optional().describe('true marks the todo done, false reopens it'),
});

export const updateTodo: ToolDefinition = {
  name: 'update-todo',
  title: 'Update todo',
  description:
    'Change the content of one of your own todos, or mark it done or not done. Only the owner may ' +
    'update a todo, whatever the scopes; a todo you may not update is reported as not_found.',
  input,
  output: todoSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run({ actor, args, deps }) {
    const { id, content, done } = parseArgs(input, args);
    const update = { ...(content !== undefined && { content }), ...(done !== undefined && { done }) };
    return todoValue(await deps.todos.update(actor, id, update));
  },
};
