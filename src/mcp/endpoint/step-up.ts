import { bearerAuthChallengeResponse, OAuthError, OAuthErrorCode } from '@modelcontextprotocol/server';
import { DPOP_ALGORITHMS } from '../../auth/dpop-proof.js';
import type { Principal } from '../../auth/principal.js';
import { actorOf } from '../auth-context.js';
import type { StepUp, ToolDeps } from '../tool-definition.js';
import type { McpAnswer } from './answer.js';
import type { ToolCallRequest } from './tool-calls.js';

/** A scope one of the message's tool calls needs, and which tool asked for it. */
export interface NeededStepUp extends StepUp {
  readonly tool: string;
  /**
   * False when the account can never be granted the scope (its role excludes it): then no 403 is
   * sent, since re-authorizing could not help, and the tool's refusal explains why instead.
   */
  readonly isObtainable: boolean;
}

/**
 * Decides, before any tool runs, whether a message's tool calls need a scope the token lacks
 * (MCP authorization, step-up): the first such call wins, the refusal is recorded in the audit
 * trail, and whether the account could ever get the scope is asked of the authorization server. Nothing has changed when a call is refused, so a failure to record is logged and
 * the refusal still goes out.
 */
export async function findStepUp(
  calls: readonly ToolCallRequest[],
  principal: Principal,
  deps: Pick<ToolDeps, 'audit' | 'log' | 'accountGrants'>,
): Promise<NeededStepUp | undefined> {
  const actor = actorOf(principal);
  for (const { tool, args } of calls) {
    const needed = tool?.stepUp?.(actor, args);
    if (tool === undefined || needed === undefined) continue;
    await deps.audit.denied(actor, tool.name, needed.scope).catch((err: unknown) => {
      deps.log.error('audit record failed', { err, tool: tool.name });
    });
    const grants = await deps.accountGrants?.(principal.subject);
    return { ...needed, tool: tool.name, isObtainable: grants?.scopes.includes(needed.scope) ?? true };
  }
  return undefined;
}

/**
 * The 403 `insufficient_scope` answer (RFC 6750 §3.1) naming the one scope needed, in the SDK's
 * own format, so that clients built on it step up as they expect. A caller with a DPoP-bound
 * token gets the same parameters in a DPoP challenge, with its `algs` (RFC 9449 §7.1).
 */
export async function stepUpAnswer(
  stepUp: StepUp,
  resourceMetadataUrl: string,
  principal: Principal,
): Promise<McpAnswer> {
  const response = bearerAuthChallengeResponse(
    new OAuthError(OAuthErrorCode.InsufficientScope, stepUp.description),
    { requiredScopes: [stepUp.scope], resourceMetadataUrl },
  );
  const headers = Object.fromEntries(response.headers);
  const challenge = headers['www-authenticate'];
  if (principal.keyThumbprint !== undefined && challenge?.startsWith('Bearer ')) {
    headers['www-authenticate'] =
      `DPoP ${challenge.slice('Bearer '.length)}, algs="${DPOP_ALGORITHMS.join(' ')}"`;
  }
  return { status: response.status, headers, body: await response.text() };
}
