import type { ServerResponse } from 'node:http';
import { PAGE_HEADERS } from '../pages/layout.js';

/** A rendered page and how to answer with it. */
export interface PageResponse {
  readonly status: number;
  readonly html: string;
  /** Headers besides the page headers every page carries, such as `allow` on a 405. */
  readonly headers?: Readonly<Record<string, string>>;
}

export function sendPage(res: ServerResponse, page: PageResponse): void {
  res.writeHead(page.status, {
    ...PAGE_HEADERS,
    ...page.headers,
    'content-length': Buffer.byteLength(page.html),
  });
  res.end(page.html);
}
