import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { AppError } from '../errors.js';
import {
  CONTENT_TOO_LONG,
  isWithinContentLimit,
  MAX_CONTENT_LENGTH,
  MAX_PAGE_SIZE,
  MAX_QUERY_LENGTH,
  type Todo,
} from '../todos/todo.js';

export const todoSchema = z.object({
  id: z.string().describe('Opaque, unguessable todo id'),
  content: z.string(),
  ownerId: z.string().describe("The owner's subject (the creating token's sub)"),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  done: z.boolean(),
});

export const todoIdSchema = z.string().min(1).max(64).describe('The id of the todo');
/** One limit, advertised as `maxLength` and checked with the same message as the domain's. */
export const contentSchema = z
  .string()
  .check(z.refine(isWithinContentLimit, { message: CONTENT_TOO_LONG }))
  .meta({ maxLength: MAX_CONTENT_LENGTH })
  .describe(
    `The todo text: 1 to ${MAX_CONTENT_LENGTH.toLocaleString('en-US')} characters; surrounding whitespace is trimmed`,
  );

export const todoListSchema = z.object({
  todos: z.array(todoSchema),
  nextCursor: z
    .string()
    .optional()
    .describe('Pass as cursor to fetch the next page; absent on the last page'),
});

export const getTodosInput = z.object({
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .optional()
    .describe(`Page size, 1 to ${MAX_PAGE_SIZE} (default 50)`),
  cursor: z.string().max(512).optional().describe('The nextCursor of the previous page'),
  done: z.boolean().optional().describe('Only done (true) or open (false) todos'),
  query: z.string().max(MAX_QUERY_LENGTH).optional().describe('Only todos whose content contains this text'),
  ownerId: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe("Only this owner's todos (needs read:todos for others)"),
});

/** A todo as a tool returns it: the same plain object (the answer serialises it; nothing changes it). */
export function todoValue(todo: Todo): z.infer<typeof todoSchema> {
  return todo;
}

/**
 * Advertises a strict input schema in tools/list while letting every argument object through
 * the SDK's own check, so that invalid arguments reach the tool and get the stable
 * `invalid_params` error result rather than free text. Tools parse with `parseArgs`.
 */
export function advertised(schema: z.ZodType): StandardSchemaWithJSON<unknown, unknown> {
  const { jsonSchema } = schema['~standard'];
  return {
    '~standard': {
      version: 1,
      vendor: 'todo-manager',
      validate: (value: unknown) => ({ value }),
      jsonSchema,
    },
  };
}

/** Parses tool arguments with the strict schema; failures are `invalid_params` tool errors. */
export function parseArgs<S extends z.ZodType>(schema: S, args: unknown): z.output<S> {
  const result = schema.safeParse(args ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.join('.');
      return path === '' || issue.message.startsWith(path) ? issue.message : `${path}: ${issue.message}`;
    });
    throw new AppError('invalid_params', `invalid arguments: ${problems.join('; ')}`);
  }
  return result.data;
}
