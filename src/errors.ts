/**
 * The project's one error model. Every layer throws `AppError`; each edge (HTTP JSON, HTML page,
 * MCP tool result, CLI) maps it once. Auth codes reuse OAuth's names (RFC 6750 §3.1).
 */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'invalid_token'
  | 'invalid_dpop_proof'
  | 'insufficient_scope'
  | 'invalid_params'
  | 'not_found'
  | 'forbidden'
  | 'forbidden_host'
  | 'forbidden_origin'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'temporarily_unavailable'
  | 'internal_error';

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  invalid_token: 401,
  invalid_dpop_proof: 401,
  insufficient_scope: 403,
  invalid_params: 400,
  not_found: 404,
  forbidden: 403,
  forbidden_host: 403,
  forbidden_origin: 403,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
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
  /** For `method_not_allowed`: the methods the resource does accept (HTTP Allow). */
  allow?: string;
  /**
   * For refused credentials: the authentication scheme whose challenge answers the error, the
   * one the request used (RFC 9110 §11.6.1; RFC 9449 §7.1).
   */
  scheme?: 'Bearer' | 'DPoP';
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly isSafe: boolean;
  readonly reason: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly allow: string | undefined;
  readonly scheme: 'Bearer' | 'DPoP' | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = STATUS[code];
    this.isSafe = options.isSafe ?? code !== 'internal_error';
    this.reason = options.reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.allow = options.allow;
    this.scheme = options.scheme;
  }
}

/** The message a caller may see for any thrown value. */
export function publicMessage(error: unknown): string {
  return error instanceof AppError && error.isSafe ? error.message : 'Internal server error';
}
