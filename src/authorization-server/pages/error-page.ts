import { errorBlock, escapeHtml, layout } from './layout.js';

/** A page that says what went wrong, and nothing more. */
export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n${errorBlock(message)}`);
}
