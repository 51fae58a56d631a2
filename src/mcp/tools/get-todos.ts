import { accessPolicy } from '../../todos/access-policy.js';
import { getTodosInput, parseArgs, todoListSchema } from '../schemas.js';
import { stepUpFor, type ToolDefinition } from '../tool-definition.js';

export const getTodos: ToolDefinition = {
  name: 'get-todos',
  title: 'List todos',
  description:
    "List todos, newest first. Without the read:todos scope you see only your own todos; with it you see everyone's " +
    'and may filter by ownerId. Filter by done and by text (query); page with limit (default 50, max 200) and ' +
    'the returned nextCursor.',
  input: getTodosInput,
  output: todoListSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  // Asking for another owner's todos without read:todos is a step-up, decided before the tool runs.
  stepUp(actor, args) {
    const ownerId = (args as { ownerId?: unknown } | undefined)?.ownerId;
    if (typeof ownerId !== 'string') return undefined;
    return stepUpFor(accessPolicy.list(actor, ownerId), "Listing another user's todos needs read:todos");
  },
  async run({ actor, args, deps }) {
    const { limit, cursor, done, query, ownerId } = parseArgs(getTodosInput, args);
    const page = await deps.todos.list(actor, {
      ...(limit !== undefined && { limit }),
      ...(cursor !== undefined && { cursor }),
      ...(done !== undefined && { done }),
      ...(query !== undefined && { query }),
      ...(ownerId !== undefined && { ownerId }),
    });
    return { todos: page.todos, ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  },
};
