import * as z from 'zod';
import { accessPolicy } from '../../todos/access-policy.js';
import { contentSchema, parseArgs, todoSchema, todoValue } from '../schemas.js';
import { stepUpFor, type ToolDefinition } from '../tool-definition.js';

const input = z.object({ content: contentSchema });

export const createTodo: ToolDefinition = {
  name: 'create-todo',
  title: 'Create todo',
  description:
    'Create a todo owned by the signed-in user. Needs the create:todos scope; without it the ' +
    'call is refused with HTTP 403 insufficient_scope so the client can ask for it.',
  input,
  output: todoSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  isVisibleTo: (actor) => accessPolicy.create(actor).allowed,
  stepUp: (actor) => stepUpFor(accessPolicy.create(actor), 'Creating todos needs create:todos'),
  async run({ actor, args, deps }) {
    const { content } = parseArgs(input, args);
    return todoValue(await deps.todos.create(actor, content));
  },
};
