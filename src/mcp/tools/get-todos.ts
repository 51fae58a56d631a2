import type { McpServer, ScopeChallengeHandler } from '@modelcontextprotocol/server';
import { accessPolicy } from '../../todos/access-policy.js';
import { actorOf, principalOf } from '../auth-context.js';
import { advertised, getTodosInput, parseArgs, todoListSchema, todoValue } from '../schemas.js';
import { runTool, type ToolDeps } from '../tool-context.js';

/** Asking for another owner's todos without `read:todos` is a step-up, decided before the handler. */
const ownerFilterChallenge: ScopeChallengeHandler = ({ request, authInfo }) => {
  if (authInfo === undefined) return undefined;
  const ownerId = (request.params?.arguments as { ownerId?: unknown } | undefined)?.ownerId;
  if (typeof ownerId !== 'string') return undefined;
  const decision = accessPolicy.list(actorOf(principalOf(authInfo)), ownerId);
  return decision.allowed
    ? undefined
    : { scopes: [decision.missingScope], errorDescription: "Listing another user's todos needs read:todos" };
};

export function registerGetTodos(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'get-todos',
    {
      title: 'List todos',
      description:
        "List todos, newest first. Without the read:todos scope you see only your own todos; with it you see everyone's " +
        'and may filter by ownerId. Filter by done and by text (query); page with limit (default 50, max 200) and ' +
        'the returned nextCursor.',
      inputSchema: advertised(getTodosInput),
      outputSchema: todoListSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      scopeChallenge: ownerFilterChallenge,
    },
    async (args, ctx) =>
      runTool(ctx, deps, async (actor) => {
        const page = await deps.todos.list(actor, stripUndefined(parseArgs(getTodosInput, args)));
        return { todos: page.todos.map(todoValue), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
      }),
  );
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
