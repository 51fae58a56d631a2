import * as z from 'zod';
import { accessPolicy } from '../../todos/access-policy.js';
import { MAX_AUDIT_PAGE } from '../../todos/audit-log.js';
import { parseArgs } from '../schemas.js';
import { stepUpFor, type ToolDefinition } from '../tool-definition.js';

const input = z.object({
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_AUDIT_PAGE)
    .optional()
    .describe(`Page size, 1 to ${MAX_AUDIT_PAGE} (default 50)`),
  cursor: z.string().max(128).optional().describe('The nextCursor of the previous page'),
  actor: z.string().min(1).max(255).optional().describe("Only this subject's events"),
});

const eventSchema = z.object({
  id: z.number().int().describe('Grows with every event; newer events have higher ids'),
  time: z.iso.datetime(),
  action: z.enum(['create', 'update', 'delete', 'denied']),
  actor: z.string().describe("The acting token's sub"),
  clientId: z.string().describe('The OAuth client the token was issued to (empty when it names none)'),
  todoId: z.string().optional(),
  ownerId: z.string().optional().describe("The todo's owner, when the todo was found"),
  isAdminAction: z.boolean().describe("Whether the actor acted on another user's todo"),
  outcome: z.enum(['ok', 'not_found', 'denied']),
  tool: z.string().optional().describe('For denied calls: the tool that was called'),
  scope: z.string().optional().describe('For denied calls: the scope it needed'),
});

export const getAuditEvents: ToolDefinition = {
  name: 'get-audit-events',
  title: 'Read the audit trail',
  description:
    'List audit events, newest first: every create, update and delete (with actor, client, todo id, owner and ' +
    'outcome) and every call refused for want of a scope. Never shows todo content. Needs the read:todos ' +
    'scope; without it the call is refused with HTTP 403 insufficient_scope. Filter by actor; page with limit ' +
    `(default 50, max ${MAX_AUDIT_PAGE}) and the returned nextCursor.`,
  input,
  output: z.object({
    events: z.array(eventSchema),
    nextCursor: z
      .string()
      .optional()
      .describe('Pass as cursor to fetch the next page; absent on the last page'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  isVisibleTo: (actor) => accessPolicy.readAudit(actor).allowed,
  stepUp: (actor) => stepUpFor(accessPolicy.readAudit(actor), 'Reading the audit trail needs read:todos'),
  async run({ actor, args, deps }) {
    const { limit, cursor, actor: subject } = parseArgs(input, args);
    const page = await deps.audit.read(actor, {
      ...(limit !== undefined && { limit }),
      ...(cursor !== undefined && { cursor }),
      ...(subject !== undefined && { actor: subject }),
    });
    return {
      events: page.events.map((event) => ({ ...event })),
      ...(page.nextCursor && { nextCursor: page.nextCursor }),
    };
  },
};
