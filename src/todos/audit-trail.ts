import { AppError } from '../errors.js';
import { accessPolicy } from './access-policy.js';
import { type AuditEvent, type AuditLog, DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE } from './audit-log.js';
import { filterTag } from './cursor.js';
import type { Actor } from './scopes.js';

export interface AuditReadOptions {
  readonly limit?: number;
  readonly cursor?: string;
  /** Only this subject's events. */
  readonly actor?: string;
}

export interface AuditPage {
  readonly events: AuditEvent[];
  readonly nextCursor?: string;
}

/** The audit use cases outside the todo service: recording refusals and reading the trail. */
export interface AuditTrail {
  /** Records a call refused for want of `scope` before `tool` ran (a 403 step-up). */
  denied(actor: Actor, tool: string, scope: string): Promise<void>;
  /** A page of events, newest first, for callers the access policy lets read the trail. */
  read(actor: Actor, options?: AuditReadOptions): Promise<AuditPage>;
}

export function createAuditTrail({ log, clock }: { log: AuditLog; clock: () => Date }): AuditTrail {
  return {
    denied: (actor, tool, scope) =>
      log.record({
        time: clock().toISOString(),
        action: 'denied',
        actor: actor.subject,
        clientId: actor.clientId ?? '',
        isAdminAction: false,
        outcome: 'denied',
        tool,
        scope,
      }),

    async read(actor, options = {}) {
      const decision = accessPolicy.readAudit(actor);
      if (!decision.allowed) {
        throw new AppError('insufficient_scope', `this needs the ${decision.missingScope} scope`);
      }
      const limit = options.limit ?? DEFAULT_AUDIT_PAGE;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
        throw new AppError('invalid_params', `limit must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
      }
      const tag = filterTag(['audit', options.actor ?? null]);
      const before = options.cursor === undefined ? undefined : decodeAuditCursor(options.cursor, tag);
      const rows = await log.list({
        limit: limit + 1,
        ...(before !== undefined && { before }),
        ...(options.actor !== undefined && { actor: options.actor }),
      });
      const events = rows.slice(0, limit);
      const last = events.at(-1);
      return rows.length > limit && last
        ? { events, nextCursor: encodeAuditCursor(last.id, tag) }
        : { events };
    },
  };
}

/** Like todo cursors: opaque, and tied to the filter it was issued for. */
function encodeAuditCursor(id: number, tag: string): string {
  return Buffer.from(JSON.stringify([id, tag])).toString('base64url');
}

function decodeAuditCursor(cursor: string, tag: string): number {
  const invalid = (cause?: unknown) =>
    new AppError('invalid_params', 'cursor is not valid for this query', { cause });
  if (cursor.length > 128 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalid(cause);
  }
  if (!Array.isArray(parts) || parts.length !== 2) throw invalid();
  const [id, issuedFor] = parts as unknown[];
  if (!Number.isSafeInteger(id) || (id as number) < 1 || issuedFor !== tag) throw invalid();
  return id as number;
}
