import type { AuthInfo, CallToolResult, McpServer, ToolAnnotations } from '@modelcontextprotocol/server';
import type * as z from 'zod';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Decision } from '../todos/access-policy.js';
import type { AuditTrail } from '../todos/audit-trail.js';
import type { Actor } from '../todos/scopes.js';
import type { TodoService } from '../todos/todo-service.js';
import { actorOf, principalOf } from './auth-context.js';
import { advertised } from './schemas.js';
import { toolFailure, toolSuccess } from './tool-result.js';

/** How a tool call ended, as operators count it: ran, failed, refused for a scope, or over its limit. */
export type ToolOutcome = 'ok' | 'tool_error' | 'denied' | 'rate_limited';

/** What every tool may use; built once per process and shared by every request. */
export interface ToolDeps {
  readonly todos: TodoService;
  readonly log: Logger;
  /** Told the outcome of every tool call, for metrics. */
  readonly observe?: (tool: string, outcome: ToolOutcome) => void;
  /** Records refused step-ups and serves get-audit-events. */
  readonly audit: AuditTrail;
}

export interface ToolCall {
  readonly actor: Actor;
  readonly principal: Principal;
  /** The raw arguments; each tool parses them with its input schema. */
  readonly args: unknown;
  readonly deps: ToolDeps;
}

/** A scope the call needs and the caller lacks, with a sentence for `error_description`. */
export interface StepUp {
  readonly scope: string;
  readonly description: string;
}

/** One tool, as data: the SDK registration and the direct tools/call path are both built from it. */
export interface ToolDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly input: z.ZodType;
  readonly output: z.ZodType;
  readonly annotations: ToolAnnotations;
  /** A scope the call needs before the tool runs (MCP authorization, step-up): a 403 naming it. */
  readonly stepUp?: (actor: Actor, args: unknown) => StepUp | undefined;
  run(call: ToolCall): Promise<Record<string, unknown>>;
}

/** A refused access-policy decision as a step-up. */
export function stepUpFor(decision: Decision, description: string): StepUp | undefined {
  return decision.allowed ? undefined : { scope: decision.missingScope, description };
}

/** Runs a tool for an authenticated caller and maps its outcome to a tool result. */
export async function executeTool(
  tool: ToolDefinition,
  deps: ToolDeps,
  authInfo: AuthInfo | undefined,
  args: unknown,
): Promise<CallToolResult> {
  let result: CallToolResult;
  try {
    const principal = principalOf(authInfo);
    result = toolSuccess(await tool.run({ actor: actorOf(principal), principal, args, deps }));
  } catch (error) {
    // An outage is not the tool's answer: it travels to the HTTP edge as a 503 with Retry-After.
    if (error instanceof AppError && error.code === 'temporarily_unavailable') throw error;
    result = toolFailure(error, deps.log);
  }
  deps.observe?.(tool.name, result.isError ? 'tool_error' : 'ok');
  return result;
}

export function registerToolDefinition(server: McpServer, tool: ToolDefinition, deps: ToolDeps): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: advertised(tool.input),
      outputSchema: tool.output,
      annotations: tool.annotations,
    },
    (args: unknown, ctx) => executeTool(tool, deps, ctx.http?.authInfo, args),
  );
}
