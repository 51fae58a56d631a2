import * as z from 'zod';
import { parseArgs, todoIdSchema, todoSchema, todoValue } from '../schemas.js';
import type { ToolDefinition } from '../tool-definition.js';

const input = z.object({ id: todoIdSchema });

export const deleteTodo: ToolDefinition = {
  name: 'delete-todo',
  title: 'Delete todo',
  description:
    "Delete a todo and return it. You may delete your own todos; the delete:todos scope lets you delete anyone's. " +
    'A todo you may not delete is reported as not_found.',
  input,
  output: todoSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run({ actor, args, deps }) {
    return todoValue(await deps.todos.delete(actor, parseArgs(input, args).id));
  },
};
