import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { sendError } from './error-response.js';
import type { Metrics } from './metrics.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` in Prometheus text format. With a token, only a scraper that sends it as
 * `Authorization: Bearer <token>` is answered; the comparison takes the same time however much
 * of the token is right.
 */
export function createMetricsRoute(metrics: Metrics, token: string | undefined) {
  const expected = token === undefined ? undefined : digest(token);
  return async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (expected !== undefined) {
      const presented = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
        throw new AppError('unauthorized', 'the metrics token is required');
      }
    }
    const text = await metrics.render();
    res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    res.end(text);
  };
}

/** The listener of `METRICS_PORT`: `/metrics` and nothing else, kept off the public listener. */
export function createMetricsListener(
  serveMetrics: ReturnType<typeof createMetricsRoute>,
  log: Logger,
): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const served =
      path === '/metrics'
        ? serveMetrics(req, res)
        : Promise.reject(new AppError('not_found', 'only /metrics is served here'));
    served.catch((error: unknown) => sendError(res, error, log));
  };
}
