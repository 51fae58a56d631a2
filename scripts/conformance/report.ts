import type { SetRun } from './results.js';
import { type CheckRow, isWireSchemaCheck, type Judgement, type Verdict } from './verdict.js';

export interface SetReport {
  readonly run: SetRun;
  readonly judgement: Judgement;
}

export interface Report {
  readonly date: Date;
  readonly packageVersion: string;
  /** The Node that ran the suite. */
  readonly suiteNode: string;
  /** The Node that ran the server. */
  readonly serverNode: string;
  /** What the server declared in its initialize result. */
  readonly capabilities: Readonly<Record<string, unknown>>;
  readonly durationMs: number;
  readonly sets: readonly SetReport[];
}

/**
 * A scenario `passes` when a check of its own (not the suite's schema check) passed and every
 * other check passed too or was only reported on (SKIPPED, INFO); `passes-where-applicable` when
 * some of its checks do not apply; `not-applicable` when none of its own checks passed, whatever
 * the schema check said, which includes scenarios the suite skipped or only reported on.
 */
export type Outcome =
  | 'passes'
  | 'passes-where-applicable'
  | 'not-applicable'
  | 'expected-to-change'
  | 'failed';

export function outcomeOf(rows: readonly CheckRow[]): Outcome {
  if (rows.some((row) => row.verdict === 'failed' || row.verdict === 'stale')) return 'failed';
  if (rows.some((row) => row.verdict === 'expected-to-change')) return 'expected-to-change';
  if (!rows.some((row) => row.verdict === 'pass' && !isWireSchemaCheck(row.check))) return 'not-applicable';
  const partly = rows.some(
    (row) => row.verdict === 'not-applicable' || row.verdict === 'passes-without-exercising',
  );
  return partly ? 'passes-where-applicable' : 'passes';
}

/** The rows of each scenario, in the suite's order. */
export function byScenario(rows: readonly CheckRow[]): Map<string, CheckRow[]> {
  const groups = new Map<string, CheckRow[]>();
  for (const row of rows) groups.set(row.scenario, [...(groups.get(row.scenario) ?? []), row]);
  return groups;
}

export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  pass: 'pass',
  'passes-without-exercising': 'passes without exercising',
  'not-applicable': 'not applicable',
  'skipped-by-suite': 'not applicable (suite)',
  'expected-to-change': 'expected to change',
  failed: 'FAILED',
  stale: 'STALE entry',
};

const VERDICTS = Object.keys(VERDICT_LABEL) as Verdict[];
const OUTCOMES: readonly Outcome[] = [
  'passes',
  'passes-where-applicable',
  'not-applicable',
  'expected-to-change',
  'failed',
];

function countVerdicts(rows: readonly CheckRow[]): string {
  return VERDICTS.map((v) => [v, rows.filter((r) => r.verdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${VERDICT_LABEL[v]}`)
    .join(', ');
}

/**
 * `33 scenarios: 4 passes, 29 not applicable; 41 checks: 7 pass, …; wire-schema-*: 30 pass`:
 * the schema checks the suite adds to every scenario are counted apart, so they cannot swell
 * the passes.
 */
export function tally(set: SetReport): string {
  const groups = [...byScenario(set.judgement.rows).values()].map(outcomeOf);
  const scenarios = OUTCOMES.map((o) => [o, groups.filter((g) => g === o).length] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${o.replace(/-/g, ' ')}`);
  const own = set.judgement.rows.filter((row) => !isWireSchemaCheck(row.check));
  const schema = set.judgement.rows.filter((row) => isWireSchemaCheck(row.check));
  return (
    `${groups.length} scenarios: ${scenarios.join(', ')}; ${own.length} checks: ${countVerdicts(own)}` +
    (schema.length > 0 ? `; wire-schema-*: ${countVerdicts(schema)}` : '')
  );
}

/** What makes the run fail: unexcused failures, stale entries, and trouble around the suite. */
export function unexpected(set: SetReport): string[] {
  const rows = set.judgement.rows
    .filter((row) => row.verdict === 'failed' || row.verdict === 'stale')
    .map(
      (row) => `${row.scenario}:${row.check} ${row.status} (${VERDICT_LABEL[row.verdict]}): ${row.reason}`,
    );
  return [...set.run.problems, ...set.judgement.problems, ...rows];
}

export function consoleLines(report: Report): string[] {
  const lines: string[] = [];
  for (const set of report.sets) {
    lines.push(`${set.run.set} (${(set.run.durationMs / 1000).toFixed(1)} s): ${tally(set)}`);
    const groups = byScenario(set.judgement.rows);
    for (const outcome of ['passes', 'passes-where-applicable'] as const) {
      const names = [...groups].filter(([, rows]) => outcomeOf(rows) === outcome).map(([name]) => name);
      if (names.length > 0) lines.push(`  ${outcome.replace(/-/g, ' ')}: ${names.join(', ')}`);
    }
    for (const row of set.judgement.rows.filter((r) => r.verdict === 'expected-to-change')) {
      lines.push(`  expected to change: ${row.scenario}:${row.check} ${row.status}: ${row.reason}`);
    }
    for (const line of unexpected(set)) lines.push(`  UNEXPECTED: ${line}`);
  }
  return lines;
}
