/**
 * The project's one error model. Every layer throws `AppError`; each edge (HTTP, MCP tool result,
 * CLI) maps it once. Auth codes reuse OAuth's names (RFC 6750 §3.1).
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_params'
  | 'not_found'
  | 'forbidden_origin'
  | 'payload_too_large'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'temporarily_unavailable'
  | 'internal_error';

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_params: 400,
  not_found: 404,
  forbidden_origin: 403,
  payload_too_large: 413,
  rate_limited: 429,
  quota_exceeded: 403,
  temporarily_unavailable: 503,
  internal_error: 500,
};

export interface AppErrorOptions {
  cause?: unknown;
  /** Whether the message may be shown to the caller; internal errors default to hidden. */
  isSafe?: boolean;
  /** A short machine-readable refinement of the code for metrics, such as `expired`. */
  reason?: string;
  /** For `rate_limited` and `temporarily_unavailable`: when to try again (HTTP Retry-After). */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly isSafe: boolean;
  readonly reason: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = STATUS[code];
    this.isSafe = options.isSafe ?? code !== 'internal_error';
    this.reason = options.reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The message a caller may see for any thrown value. */
export function publicMessage(error: unknown): string {
  return error instanceof AppError && error.isSafe ? error.message : 'Internal server error';
}
