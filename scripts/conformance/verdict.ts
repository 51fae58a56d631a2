import { type Entry, SECTION_OF } from './baseline.js';
import { type Check, type CheckStatus, isUntestable, noteOf, type ScenarioResult } from './results.js';

/**
 * `pass`; `passes-without-exercising`: passes, listed as testing nothing here; `not-applicable`:
 * fails, listed with the capability or tool it needs; `skipped-by-suite`: SKIPPED or INFO, with the
 * suite's own note; `expected-to-change`: fails because of a known bug being fixed; `failed`: fails
 * and is not listed; `stale`: listed, but no longer does what the entry says.
 */
export type Verdict =
  | 'pass'
  | 'passes-without-exercising'
  | 'not-applicable'
  | 'skipped-by-suite'
  | 'expected-to-change'
  | 'failed'
  | 'stale';

export interface CheckRow {
  readonly scenario: string;
  readonly notScored?: string;
  readonly check: string;
  /** The worst status among the checks of this id; `NO RESULTS` when the scenario left none. */
  readonly status: CheckStatus | 'NO RESULTS';
  /** How many times the scenario reported this id. */
  readonly count: number;
  readonly verdict: Verdict;
  /** The entry's reason, the suite's note, or what went wrong. */
  readonly reason: string;
}

export interface Judgement {
  readonly rows: readonly CheckRow[];
  /** Entries that excuse no check of this run: stale, they must go. */
  readonly problems: readonly string[];
}

const RANK: Readonly<Record<CheckStatus, number>> = {
  INFO: 0,
  SKIPPED: 1,
  SUCCESS: 2,
  WARNING: 3,
  FAILURE: 4,
};

/** The schema checks the suite adds to every scenario are judged on their own, never by a whole-scenario entry. */
export const isWireSchemaCheck = (id: string) => id.startsWith('wire-schema-');

/** One check per id, as the suite's own baseline logic does: the worst status wins. */
function collapse(checks: readonly Check[]): { check: Check; count: number }[] {
  const byId = new Map<string, { check: Check; count: number }>();
  for (const check of checks) {
    const seen = byId.get(check.id);
    if (seen === undefined) byId.set(check.id, { check, count: 1 });
    else
      byId.set(check.id, {
        check: RANK[check.status] > RANK[seen.check.status] ? check : seen.check,
        count: seen.count + 1,
      });
  }
  return [...byId.values()];
}

/** A "Not testable" check is excused only by a reason naming the diagnostic tool it lacks. */
function namesMissingTool(check: Check, reason: string): boolean {
  const tool = /'([A-Za-z0-9_]+)'/.exec(check.errorMessage ?? '')?.[1];
  return tool === undefined ? /\btools?\b/.test(reason) : reason.includes(tool);
}

/** What to do with an entry whose check now passes or is skipped. */
function staleAdvice(entry: Entry): string {
  const remove = `remove ${entry.key} from ${SECTION_OF[entry.kind]}`;
  if (entry.kind === 'expected-to-change') return `the fix has landed: ${remove}`;
  return entry.check === undefined ? `${remove}, or list only the checks of it that fail` : remove;
}

function decide(check: Check, entry: Entry | undefined): Pick<CheckRow, 'verdict' | 'reason'> {
  const { status } = check;
  if (status === 'INFO' || status === 'SKIPPED') {
    if (entry?.check === undefined) return { verdict: 'skipped-by-suite', reason: noteOf(check) };
    return {
      verdict: 'stale',
      reason: `the suite reports ${status} (${noteOf(check)}): ${staleAdvice(entry)}`,
    };
  }
  if (status === 'SUCCESS') {
    if (entry === undefined) return { verdict: 'pass', reason: '' };
    if (entry.kind === 'passes-without-exercising') return { verdict: entry.kind, reason: entry.reason };
    return { verdict: 'stale', reason: `it passes: ${staleAdvice(entry)}` };
  }
  if (entry === undefined) return { verdict: 'failed', reason: noteOf(check) };
  if (entry.kind === 'passes-without-exercising') {
    return {
      verdict: 'failed',
      reason: `listed as passing without exercising, but ${status}: ${noteOf(check)}`,
    };
  }
  if (entry.message !== undefined && !noteOf(check).includes(entry.message)) {
    return {
      verdict: 'failed',
      reason: `fails, but not with "${entry.message}" as listed: ${noteOf(check)}`,
    };
  }
  if (isUntestable(check) && !namesMissingTool(check, entry.reason)) {
    return { verdict: 'failed', reason: `"${noteOf(check)}": the entry's reason must name the missing tool` };
  }
  // Beside the reason, what the suite saw: the failure the fix is meant to remove.
  const said = entry.kind === 'expected-to-change' ? ` (the suite: "${noteOf(check)}")` : '';
  return { verdict: entry.kind, reason: `${entry.reason}${said}` };
}

/**
 * Judges every check of a set against its entries. Each entry must still do its job: excuse a
 * failure (or mark a hollow pass); one that matches nothing, or a check that now passes or is
 * skipped, is stale and fails the run, so the list never outlives what it describes.
 */
export function judge(results: readonly ScenarioResult[], entries: readonly Entry[]): Judgement {
  const rows: CheckRow[] = [];
  const used = new Set<Entry>();
  for (const scenario of results) {
    const base = {
      scenario: scenario.name,
      ...(scenario.notScored ? { notScored: scenario.notScored } : {}),
    };
    if (scenario.checks === undefined) {
      rows.push({
        ...base,
        check: '—',
        status: 'NO RESULTS',
        count: 0,
        verdict: 'failed',
        reason: 'left no checks.json',
      });
      continue;
    }
    const whole = entries.find((e) => e.scenario === scenario.name && e.check === undefined);
    for (const { check, count } of collapse(scenario.checks)) {
      const entry =
        entries.find((e) => e.scenario === scenario.name && e.check === check.id) ??
        (isWireSchemaCheck(check.id) ? undefined : whole);
      const row = decide(check, entry);
      // An entry that only meets a skipped check has excused nothing; one that meets a pass is stale there.
      if (entry !== undefined && row.verdict !== 'skipped-by-suite') used.add(entry);
      rows.push({ ...base, check: check.id, status: check.status, count, ...row });
    }
  }
  const problems = entries
    .filter((entry) => !used.has(entry))
    .map((entry) => `${SECTION_OF[entry.kind]} ${entry.key}: stale, no check of this run fails that way`);
  return { rows, problems };
}
