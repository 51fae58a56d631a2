import { type Measurement, median } from './load.js';

export type Series = 'a' | 'b' | 'c' | 'd';

/** One row of the report: a scenario measured in rounds on one server child. */
export interface Scenario {
  /** A stable key, e.g. `c-sqlite-get-todos`. */
  readonly key: string;
  readonly label: string;
  readonly series: Series;
  /** The child that serves it and the scenario id that child offers. */
  readonly child: string;
  readonly offered: string;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly runs: readonly Measurement[];
  /** Medians over the rounds. */
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** Failed responses summed over all rounds; a row with any is not trusted. */
  readonly failures: number;
}

export function summarize(scenario: Scenario, runs: readonly Measurement[]): ScenarioResult {
  return {
    scenario,
    runs,
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
  };
}

export interface MemoryCheckpoint {
  /** Requests answered so far (2xx). */
  readonly requests: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** What V8 holds from the system for its heap: live objects, free space, and the young generation. */
  readonly heapTotalBytes: number;
  /** Memory of C++ objects bound to JavaScript ones, buffers included. */
  readonly externalBytes: number;
}

export interface MemoryResult {
  readonly label: string;
  readonly series: Series;
  /** Flags the server ran with beyond `--expose-gc`; the targets use the run without any. */
  readonly nodeFlags: readonly string[];
  readonly checkpoints: readonly MemoryCheckpoint[];
  readonly failures: number;
  readonly requestsPerSecond: number;
}

/** Everything one run found, as the report and the chart need it. */
export interface BenchReport {
  readonly startedAt: Date;
  readonly elapsedSeconds: number;
  readonly machine: import('./machine.js').Machine;
  readonly loadAverageAtEnd: readonly number[];
  readonly settings: import('./settings.js').Settings;
  readonly results: readonly ScenarioResult[];
  readonly memory: readonly MemoryResult[];
  /** Setup facts and skipped rows, as sentences. */
  readonly notes: readonly string[];
}

export function findResult(report: Pick<BenchReport, 'results'>, key: string): ScenarioResult | undefined {
  return report.results.find((r) => r.scenario.key === key);
}
