import { isStorableText } from '../todos/todo.js';

const MAX_SUBJECT_LENGTH = 255;

/**
 * A token subject that can safely key todo ownership: a non-empty string of bounded length that
 * is stored unchanged (two subjects differing only in lone surrogates must not become one owner).
 */
export function isAcceptableSubject(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_SUBJECT_LENGTH &&
    isStorableText(value)
  );
}
