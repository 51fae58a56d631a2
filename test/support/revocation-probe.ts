import { parseChallenge, postMcp, toolCallBody } from './auth-http.js';

/** What the first refused call answered, and how long after the change it came. */
export interface Refusal {
  readonly ms: number;
  readonly status: number;
  readonly error: string | undefined;
}

/**
 * Calls a tool at `/mcp` with the token until the call is refused, and answers how long that took
 * from the start. Not a timing assertion: it waits on the condition, bounded generously so that a
 * token that is never refused fails the test instead of hanging it.
 */
export async function untilRefused(
  mcpUrl: string,
  token: string,
  { tool = 'whoami', boundMs = 30_000, everyMs = 50 } = {},
): Promise<Refusal> {
  const started = performance.now();
  for (;;) {
    const result = await postMcp(mcpUrl, { token, body: toolCallBody(tool) });
    const ms = performance.now() - started;
    if (result.status !== 200) {
      const { params } = parseChallenge(result.headers.get('www-authenticate'));
      return { ms, status: result.status, error: params.error };
    }
    if (ms > boundMs) throw new Error(`the token was still accepted ${Math.round(ms)} ms after the change`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Median and maximum of some latencies, rounded to the millisecond. */
export function summary(latencies: readonly number[]): { median: number; max: number; count: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median: Math.round(median), max: Math.round(sorted.at(-1) ?? 0), count: sorted.length };
}
