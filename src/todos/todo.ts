import { randomBytes } from 'node:crypto';
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

export const MAX_CONTENT_LENGTH = 10_000;
export const MAX_QUERY_LENGTH = 200;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Trims content and rejects empty or oversized text, counting Unicode code points. */
export function normalizeContent(raw: string): string {
  const content = raw.trim();
  if (content.length === 0) {
    throw new AppError('invalid_params', 'content must not be empty');
  }
  // NUL cannot be stored by every backend (PostgreSQL text refuses it), so no backend accepts it.
  if (content.includes('\u0000')) {
    throw new AppError('invalid_params', 'content must not contain NUL characters');
  }
  if (content.length > MAX_CONTENT_LENGTH && [...content].length > MAX_CONTENT_LENGTH) {
    throw new AppError('invalid_params', `content must be at most ${MAX_CONTENT_LENGTH} characters`);
  }
  return content;
}

/** A fresh todo id: 128 random bits as 22 base64url characters, so ids cannot be guessed. */
export function newTodoId(): string {
  return randomBytes(16).toString('base64url');
}
