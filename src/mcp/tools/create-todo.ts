import * as z from 'zod';
import { accessPolicy } from '../../todos/access-policy.js';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../../todos/todo.js';
import { contentSchema, parseArgs, todoSchema, todoValue } from '../schemas.js';
import { stepUpFor, type ToolDefinition } from '../tool-definition.js';

const input = z.object({
  content: contentSchema,
  idempotencyKey: z
    .string()
    .min(1)
    .max(MAX_IDEMPOTENCY_KEY_LENGTH)
    .optional()
    .describe(
      `A key of your choosing, 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters: a retried create with the same key ` +
        'within 24 hours returns the todo the first call created instead of creating another',
    ),
});

export const createTodo: ToolDefinition = {
  name: 'create-todo',
  title: 'Create todo',
  description:
    'Create a todo owned by the signed-in user (at most 10,000 per user). Needs the create:todos scope; without ' +
    'it the call is refused with HTTP 403 insufficient_scope so the client can ask for it. Pass idempotencyKey ' +
    'to make retries safe.',
  input,
  output: todoSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  isVisibleTo: (actor) => accessPolicy.create(actor).allowed,
  stepUp: (actor) => stepUpFor(accessPolicy.create(actor), 'Creating todos needs create:todos'),
  async run({ actor, args, deps }) {
    const { content, idempotencyKey } = parseArgs(input, args);
    return todoValue(
      await deps.todos.create(actor, content, idempotencyKey === undefined ? {} : { idempotencyKey }),
    );
  },
};
