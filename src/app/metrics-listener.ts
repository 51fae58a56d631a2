import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/load-config.js';
import type { Metrics } from '../http/metrics.js';
import { createMetricsListener, createMetricsRoute } from '../http/metrics-route.js';
import type { Logger } from '../log.js';
import { closeServer, listen } from '../web/listen.js';

export interface MetricsListener {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/** The listener of `METRICS_PORT` on `METRICS_HOST`, when a port is set: metrics off the public listener. */
export async function listenForMetrics(
  config: Config,
  metrics: Metrics,
  log: Logger,
): Promise<MetricsListener | undefined> {
  const { port, host, token } = config.metrics;
  if (port === undefined) return undefined;
  const server: Server = createServer(createMetricsListener(createMetricsRoute(metrics, token), log));
  const address = await listen(server, port, host);
  return { address, close: () => closeServer(server) };
}
