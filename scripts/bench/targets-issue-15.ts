import { type BenchReport, findResult, type ScenarioResult } from './results.js';
import type { TargetOutcome } from './targets.js';

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const usable = (r: ScenarioResult | undefined): r is ScenarioResult =>
  r !== undefined && r.failures === 0 && r.runs.length > 0;
const NOT_MEASURED = 'not measured (missing rows or failed responses)';

/** A throughput ratio of two rows of this run, against a floor. */
function ratio(
  report: BenchReport,
  target: string,
  over: string,
  under: string,
  floor: number,
): TargetOutcome {
  const [top, bottom] = [findResult(report, over), findResult(report, under)];
  if (!usable(top) || !usable(bottom)) return { target, measured: NOT_MEASURED, met: undefined };
  const value = top.requestsPerSecond / bottom.requestsPerSecond;
  return {
    target,
    measured: `${fmt(value)}x (${Math.round(top.requestsPerSecond)} vs ${Math.round(bottom.requestsPerSecond)} req/s)`,
    met: value >= floor,
  };
}

/** Each row's p99 against the SDK floor's (b) p99. */
function p99Target(report: BenchReport, keys: readonly string[]): TargetOutcome {
  const target = "p99 of each row above <= the SDK floor's (b) p99";
  const b = findResult(report, 'b');
  const rows = keys.map((key) => findResult(report, key)).filter(usable);
  if (!usable(b) || rows.length === 0) return { target, measured: NOT_MEASURED, met: undefined };
  const over = rows.filter((r) => r.p99 > b.p99);
  const worst = Math.max(...rows.map((r) => r.p99));
  return {
    target,
    measured: `(b) ${fmt(b.p99)} ms; worst row ${fmt(worst)} ms${over.length > 0 ? `; over: ${over.map((r) => r.scenario.key).join(', ')}` : ''}`,
    met: over.length === 0 && rows.length === keys.length,
  };
}

/** RSS of (c) after the long memory run: against (b)'s, and against its own early reading. */
function memoryTarget(report: BenchReport): TargetOutcome {
  const target =
    "RSS after the memory run, default flags, compiled: <= 1.1x (b)'s, and within 10% of the early reading";
  const app = report.memory.find((m) => m.series === 'c' && m.nodeFlags.length === 0);
  const sdk = report.memory.find((m) => m.series === 'b' && m.nodeFlags.length === 0);
  const [early, late, sdkLate] = [app?.checkpoints[0], app?.checkpoints.at(-1), sdk?.checkpoints.at(-1)];
  if (!app || !sdk || app.failures > 0 || !early || !late || !sdkLate || early === late) {
    return { target, measured: 'not measured', met: undefined };
  }
  const mib = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MiB`;
  const versusSdk = late.rssBytes / sdkLate.rssBytes;
  const growth = late.rssBytes / early.rssBytes - 1;
  return {
    target,
    measured: `${mib(late.rssBytes)} vs (b) ${mib(sdkLate.rssBytes)} (${fmt(versusSdk)}x); ${mib(early.rssBytes)} -> ${mib(late.rssBytes)} (${fmt(growth * 100, 1)}%)`,
    met: versusSdk <= 1.1 && Math.abs(growth) <= 0.1,
  };
}

/**
 * The targets of issue 15, each a ratio of two rows of the same run (medians of its rounds).
 * "User page of 50" is the newest page of a user among 1,000,000 todos; "flat" compares
 * create-then-delete pairs of owners at 9,980 todos with those of owners at 1.
 */
export function evaluateIssue15Targets(report: BenchReport): TargetOutcome[] {
  return [
    ratio(
      report,
      'SQLite get-todos (user with 20 todos) vs the SDK floor (b): >= 5x',
      'c-sqlite-get-todos',
      'b',
      5,
    ),
    ratio(
      report,
      'SQLite get-todos vs whoami of the same server: >= 0.7x',
      'c-sqlite-get-todos',
      'c-sqlite-whoami',
      0.7,
    ),
    ratio(
      report,
      'SQLite page of 50, user (1,000,000 todos, newest page) vs (b): >= 3x',
      'd-1m-user-first',
      'b',
      3,
    ),
    ratio(report, 'SQLite create-todo vs (b): >= 3x', 'c-sqlite-create-todo', 'b', 3),
    ratio(
      report,
      'SQLite create-todo flat: create+delete at 9,980 todos of the owner vs at 1: >= 0.9x',
      'c-sqlite-create-delete-heavy',
      'c-sqlite-create-delete-light',
      0.9,
    ),
    ratio(
      report,
      'PostgreSQL get-todos vs SQLite get-todos: >= 0.8x',
      'c-postgresql-get-todos',
      'c-sqlite-get-todos',
      0.8,
    ),
    ratio(report, 'PostgreSQL create-todo vs (b): >= 2x', 'c-postgresql-create-todo', 'b', 2),
    p99Target(report, [
      'c-sqlite-get-todos',
      'd-1m-user-first',
      'c-sqlite-create-todo',
      'c-sqlite-create-delete-heavy',
      'c-postgresql-get-todos',
      'c-postgresql-create-todo',
    ]),
    memoryTarget(report),
  ];
}
