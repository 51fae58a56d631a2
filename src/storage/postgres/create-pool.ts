import pg from 'pg';
import { AppError } from '../../errors.js';

/** Errors that mean the database cannot be reached or is going away, not that a query is wrong. */
const OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const OUTAGE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);
const OUTAGE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** A database outage becomes `temporarily_unavailable` (HTTP 503 with Retry-After); other errors pass. */
export function asOutage(error: unknown): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const isOutage =
    (typeof code === 'string' &&
      (OUTAGE_CODES.has(code) || OUTAGE_SQLSTATES.has(code) || code.startsWith('08'))) ||
    (typeof message === 'string' && OUTAGE_MESSAGES.test(message));
  return isOutage
    ? new AppError('temporarily_unavailable', 'the database is unavailable', { cause: error })
    : error;
}

/** How busy a connection pool is: open connections, idle ones, and callers waiting for one. */
export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/**
 * The limits every pool starts with. The timeouts travel as startup parameters, so each
 * connection carries them from its first statement; a URL parameter of the same name wins.
 */
export const POOL_DEFAULTS = {
  max: 10,
  connectionTimeoutMillis: 5_000,
  idleTimeoutMillis: 30_000,
  statement_timeout: 5_000,
  idle_in_transaction_session_timeout: 10_000,
  application_name: 'todo-manager-mcp',
} as const satisfies pg.PoolConfig;

/** Opens a connection pool for a `postgres://` or `postgresql://` URL with the default limits. */
export function createPool(databaseUrl: string, overrides: Partial<pg.PoolConfig> = {}): pg.Pool {
  const pool = new pg.Pool({ ...POOL_DEFAULTS, ...overrides, connectionString: databaseUrl });
  // An idle connection that breaks (a database restart, a terminated backend) is emitted here;
  // the pool has already discarded it and the next query opens a fresh one, so there is nothing
  // to do but keep the event from becoming an uncaught exception.
  pool.on('error', () => {});
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  Object.assign(pool, {
    query: (...args: unknown[]) =>
      query(...args).catch((error: unknown) => {
        throw asOutage(error);
      }),
  });
  return pool;
}

/** The pool's current counts. */
export function poolStats(pool: pg.Pool): PoolStats {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

const ending = new WeakMap<pg.Pool, Promise<void>>();

/** Ends a pool once; later calls share the first call's promise instead of throwing. */
export function endPool(pool: pg.Pool): Promise<void> {
  let ended = ending.get(pool);
  if (ended === undefined) {
    ended = pool.end();
    ending.set(pool, ended);
  }
  return ended;
}
