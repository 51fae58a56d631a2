import { createHash } from 'node:crypto';
import { AppError } from '../errors.js';
import { isTodoId } from './todo.js';
import type { PageKey } from './todo-store.js';

/**
 * Opaque page cursors. A cursor names the last todo of a page and is tied to the filters it was
 * issued for, so that it cannot be replayed against another listing. It grants nothing: the
 * access policy still bounds every page.
 */
export function encodeCursor(key: PageKey, filterTag: string): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id, filterTag])).toString('base64url');
}

export function decodeCursor(cursor: string, filterTag: string): PageKey {
  const invalid = () => new AppError('invalid_params', 'cursor is not valid for this query');
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new AppError('invalid_params', 'cursor is not valid for this query', { cause });
  }
  if (!Array.isArray(parts) || parts.length !== 3) throw invalid();
  const [createdAt, id, tag] = parts as unknown[];
  if (typeof createdAt !== 'string' || !isIsoInstant(createdAt)) throw invalid();
  if (typeof id !== 'string' || !isTodoId(id) || tag !== filterTag) throw invalid();
  return { createdAt, id };
}

/** A short digest of the filters a listing was asked with. */
export function filterTag(filters: unknown): string {
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 12);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isIsoInstant(value: string): boolean {
  return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}
