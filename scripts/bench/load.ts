import autocannon from 'autocannon';
import { createProofPool } from './dpop-proof.js';
import { type RequestSpec, toolCall } from './protocol.js';
import { callOnce, checkExpectation } from './tool-response.js';

export const CONNECTIONS = 10;
/**
 * Where a scenario's connections continue in its user list (keyed by its first authorization):
 * each run's connections write as users the previous runs did not, so none reaches the todo cap.
 */
const writerTurns = new Map<string, number>();

/** DPoP proofs signed ahead of a timed run, per second of it: more than a run here ever answers. */
const PROOFS_PER_SECOND = 6_000;

/** One bounded run of the load generator against one scenario. */
export interface Measurement {
  /** Successful (2xx) responses. */
  readonly responses: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** Latency percentiles of the 2xx responses, in milliseconds, at sub-millisecond precision. */
  readonly p50: number;
  readonly p99: number;
  /** Non-2xx answers, connection errors and timeouts, and bodies carrying a tool or JSON-RPC error. */
  readonly failures: number;
}

export type Bound = { readonly seconds: number } | { readonly amount: number; readonly maxSeconds: number };

const ERROR_MARKERS = [Buffer.from('"isError":true'), Buffer.from('"error":{')];

/** Sends the scenario's request once and throws unless the answer is the expected tool result. */
export async function checkFirstResponse(request: RequestSpec): Promise<void> {
  checkExpectation(await callOnce(request), request.expect);
}

/**
 * Runs autocannon with 10 connections for a duration or a number of requests (itself stopped after
 * `maxSeconds`), recording every response time itself: autocannon's own histogram keeps whole
 * milliseconds only, too coarse for responses that take one or two.
 */
export function measure(request: RequestSpec, bound: Bound): Promise<Measurement> {
  const latencies: number[] = [];
  let failedBodies = 0;
  let started = 0;
  // A DPoP scenario needs a fresh proof on every request; autocannon rebuilds such requests.
  const proof =
    request.dpop && createProofPool(request.dpop, 'seconds' in bound ? bound.seconds * PROOFS_PER_SECOND : 0);
  const perRequest =
    (proof && {
      requests: [
        {
          setupRequest: (req: autocannon.Request) => ({ ...req, headers: { ...req.headers, dpop: proof() } }),
        },
      ],
    }) ||
    (request.deleteCreated && { requests: createThenDelete(request) });
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        method: 'POST',
        headers: { ...request.headers },
        body: request.body,
        ...perRequest,
        connections: CONNECTIONS,
        pipelining: 1,
        timeout: 10,
        ...('seconds' in bound ? { duration: bound.seconds } : { amount: bound.amount }),
        setupClient: (client) => {
          const { authorizations } = request;
          if (authorizations !== undefined && authorizations.length > 0 && !request.deleteCreated) {
            const turn = writerTurns.get(authorizations[0] ?? '') ?? 0;
            writerTurns.set(authorizations[0] ?? '', turn + 1);
            const authorization = authorizations[turn % authorizations.length] ?? '';
            client.setHeaders({ ...request.headers, authorization });
          }
          client.on('body', (body: Buffer) => {
            if (ERROR_MARKERS.some((marker) => body.includes(marker))) failedBodies += 1;
          });
        },
      },
      (error: unknown, result: autocannon.Result) => {
        clearTimeout(guard);
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const seconds = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        resolve({
          responses: latencies.length,
          seconds,
          requestsPerSecond: latencies.length / seconds,
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
          failures: result.non2xx + result.errors + failedBodies,
        });
      },
    );
    started = performance.now();
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
    const guard = setTimeout(
      () => instance.stop(),
      ('seconds' in bound ? bound.seconds + 30 : bound.maxSeconds) * 1000,
    );
  });
}

/**
 * A create-todo and then a delete-todo of the todo it made, as the same user: users take turns
 * per create, so that the ten connections spread their creates over all of them.
 */
function createThenDelete(request: RequestSpec): autocannon.Request[] {
  const users = request.authorizations ?? [request.headers.authorization ?? ''];
  let turn = 0;
  type Context = { authorization?: string | undefined; id?: string | undefined };
  const as = (req: autocannon.Request, authorization: string | undefined) => ({
    ...req,
    headers: { ...request.headers, authorization: authorization ?? '' },
  });
  return [
    {
      method: 'POST',
      body: request.body,
      setupRequest: (req: autocannon.Request, context: Context) => {
        context.authorization = users[turn++ % users.length];
        return as(req, context.authorization);
      },
      onResponse: (_status: number, body: string, context: Context) => {
        try {
          context.id = (
            JSON.parse(body) as { result?: { structuredContent?: { id?: string } } }
          ).result?.structuredContent?.id;
        } catch {
          context.id = undefined;
        }
      },
    },
    {
      method: 'POST',
      // Without a created todo there is nothing to delete: autocannon then starts the pair again.
      setupRequest: (req: autocannon.Request, context: Context) =>
        context.id === undefined
          ? undefined
          : {
              ...as(req, context.authorization),
              body: toolCall('delete-todo', { id: context.id }),
            },
    },
  ] as autocannon.Request[];
}

/** The nearest-rank percentile of sorted values; NaN when there are none. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
