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

/** What an account may ever be granted, as the authorization server that issues its tokens decides. */
export interface AccountGrants {
  readonly role: string;
  readonly scopes: readonly string[];
}

/** What every tool may use; built once per process and shared by every request. */
export interface ToolDeps {
  readonly todos: TodoService;
  readonly log: Logger;
  /** Told the outcome of every tool call, for metrics. */
  readonly observe?: (tool: string, outcome: ToolOutcome) => void;
  /** Records refused step-ups and serves get-audit-events. */
  readonly audit: AuditTrail;
  /**
   * The grants an account can ever have, when this server's own authorization server issues the
   * tokens; absent (or `undefined` for a subject) when another provider decides. A scope outside
   * them is refused with an explanation instead of a step-up the account could never complete.
   */
  readonly accountGrants?: (subject: string) => Promise<AccountGrants | undefined>;
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
  /**
   * Whether tools/list shows the tool to this caller (MCP 2026-07-28 lets the list follow the
   * authorization presented); absent means always. A hidden tool is still answered when called.
   */
  readonly isVisibleTo?: (actor: Actor) => boolean;
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
  const principal = principalOf(authInfo);
  const actor = actorOf(principal);
  try {
    const result = toolSuccess(await tool.run({ actor, principal, args, deps }));
    deps.observe?.(tool.name, 'ok');
    return result;
  } catch (error) {
    // An outage is not the tool's answer: it travels to the HTTP edge as a 503 with Retry-After.
    if (error instanceof AppError && error.code === 'temporarily_unavailable') throw error;
    const isRefusal = error instanceof AppError && error.code === 'insufficient_scope';
    deps.observe?.(tool.name, isRefusal ? 'denied' : 'tool_error');
    return toolFailure(isRefusal ? await explainRefusal(tool, deps, actor, args, error) : error, deps.log);
  }
}

/**
 * A refusal for want of a scope that reached the tool, which happens when the account can never
 * be granted that scope (so no step-up was asked for): says which scope, and why it stays out of
 * reach, so that the person stops asking rather than signing in again and again.
 */
async function explainRefusal(
  tool: ToolDefinition,
  deps: ToolDeps,
  actor: Actor,
  args: unknown,
  error: AppError,
): Promise<AppError> {
  const needed = tool.stepUp?.(actor, args);
  const grants = needed && (await deps.accountGrants?.(actor.subject));
  if (needed === undefined || grants === undefined || grants.scopes.includes(needed.scope)) return error;
  return new AppError(
    'insufficient_scope',
    `${needed.description}, which accounts with the role ${grants.role} are never granted; ` +
      'ask an administrator if you need it',
    { cause: error },
  );
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
