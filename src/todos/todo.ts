import { randomFillSync } from 'node:crypto';
import { AppError } from '../errors.js';

/** A todo as the contract shows it: times are ISO 8601, `ownerId` is the creator token's `sub`. */
export interface Todo {
  readonly id: string;
  readonly content: string;
  readonly ownerId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly done: boolean;
}

/** The most characters (Unicode code points) a todo's content may have. */
export const MAX_CONTENT_LENGTH = 10_000;
/** The one message for content over the limit, wherever it is checked. */
export const CONTENT_TOO_LONG = `content must be at most ${MAX_CONTENT_LENGTH.toLocaleString('en-US')} characters`;

/** Whether text fits the content limit, counting code points as JSON Schema's maxLength does. */
export function isWithinContentLimit(text: string): boolean {
  return text.length <= MAX_CONTENT_LENGTH || [...text].length <= MAX_CONTENT_LENGTH;
}
export const MAX_QUERY_LENGTH = 200;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** The most todos one user may own; bounds storage per account and the work of every listing. */
export const MAX_TODOS_PER_OWNER = 10_000;
/** The longest idempotency key `create-todo` accepts. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
/** How long an idempotency key is remembered: a retry within a day returns the first todo. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Whether text can be stored as it is by every backend: no NUL (PostgreSQL text refuses it) and
 * no lone surrogate (not Unicode, so a UTF-8 driver replaces it and the stored text would differ).
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !/\p{Cs}/u.test(value);
}

/** Trims content and rejects empty or oversized text, counting Unicode code points. */
export function normalizeContent(raw: string): string {
  const content = raw.trim();
  if (content.length === 0) {
    throw new AppError('invalid_params', 'content must not be empty');
  }
  // NUL cannot be stored by every backend (PostgreSQL text refuses it), so no backend accepts it.
  if (!isStorableText(content)) {
    throw new AppError('invalid_params', 'content must not contain NUL characters or lone surrogates');
  }
  if (!isWithinContentLimit(content)) throw new AppError('invalid_params', CONTENT_TOO_LONG);
  return content;
}

/** Whether a string can be a todo id: 22 base64url characters (128 random bits). */
export function isTodoId(value: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(value);
}

/** Random bytes drawn ahead, 16 per id: one call into the CSPRNG per 256 ids instead of one each. */
const randomPool = Buffer.alloc(16 * 256);
let poolOffset = randomPool.length;

/** A fresh todo id: 128 random bits as 22 base64url characters, so ids cannot be guessed. */
export function newTodoId(): string {
  if (poolOffset === randomPool.length) {
    randomFillSync(randomPool);
    poolOffset = 0;
  }
  poolOffset += 16;
  return randomPool.toString('base64url', poolOffset - 16, poolOffset);
}
