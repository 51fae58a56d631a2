import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ToolOutcome } from '../mcp/tool-definition.js';

export type PoolStats = { readonly total: number; readonly idle: number; readonly waiting: number };

/**
 * Prometheus metrics for one server: requests and latency by route, tool calls by tool and
 * outcome, authentication failures by reason, database pool use, and Node's process metrics.
 * Labels never carry subjects, tokens or other unbounded values.
 */
export interface Metrics {
  readonly contentType: string;
  render(): Promise<string>;
  observeRequest(route: string, status: number, seconds: number): void;
  countToolCall(tool: string, outcome: ToolOutcome): void;
  countAuthFailure(reason: string): void;
}

export function createMetrics(poolStats: () => PoolStats | undefined): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const toolCalls = new Counter({
    name: 'mcp_tool_calls_total',
    help: 'MCP tool calls by tool and outcome',
    labelNames: ['tool', 'outcome'] as const,
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'auth_failures_total',
    help: 'Requests refused before reaching a tool, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state (PostgreSQL only)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = poolStats();
      if (stats === undefined) return;
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeRequest: (route, status, seconds) => requests.observe({ route, status: String(status) }, seconds),
    countToolCall: (tool, outcome) => toolCalls.inc({ tool, outcome }),
    countAuthFailure: (reason) => authFailures.inc({ reason }),
  };
}
