import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import type { Principal } from '../auth/principal.js';
import type { Logger } from '../log.js';
import type { Actor } from '../todos/scopes.js';
import type { TodoService } from '../todos/todo-service.js';
import { actorOf, principalOf } from './auth-context.js';
import { toolFailure, toolSuccess } from './tool-result.js';

/** What every tool handler may use; built once per process and shared by every request. */
export interface ToolDeps {
  readonly todos: TodoService;
  readonly log: Logger;
}

/** Runs a tool body for the authenticated caller and maps its outcome to a tool result. */
export async function runTool(
  ctx: ServerContext,
  deps: ToolDeps,
  body: (actor: Actor, principal: Principal) => Promise<Record<string, unknown>>,
): Promise<CallToolResult> {
  try {
    const principal = principalOf(ctx.http?.authInfo);
    return toolSuccess(await body(actorOf(principal), principal));
  } catch (error) {
    return toolFailure(error, deps.log);
  }
}
