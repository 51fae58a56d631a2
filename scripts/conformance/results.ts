import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CheckStatus = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';

/** One check as the suite writes it to `checks.json`. */
export interface Check {
  readonly id: string;
  readonly description?: string;
  readonly status: CheckStatus;
  readonly errorMessage?: string;
  readonly details?: Record<string, unknown>;
}

export interface ScenarioResult {
  readonly name: string;
  /** Why the suite runs it without scoring it (`extension`, `pending`, …); absent when it is scored. */
  readonly notScored?: string;
  /** Absent when the scenario left no `checks.json`: it crashed, or its run was killed. */
  readonly checks?: readonly Check[];
}

/** The part of the requirement sets and of the `authorization` command that the report needs. */
export interface SetRun {
  /** `2025-11-25`, `2026-07-28` or `authorization`: the key of its section in baseline.json. */
  readonly set: string;
  /** The suite command line, with the run's own ports, for the report. */
  readonly command: string;
  readonly scenarios: readonly ScenarioResult[];
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** What went wrong around the suite (it could not start, the browser step failed). */
  readonly problems: readonly string[];
  /** The suite's output, kept with the results. */
  readonly output: string;
}

export interface ScenarioName {
  readonly name: string;
  readonly notScored?: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The checks of each scenario from `<dir>/<prefix><scenario>-<ISO time>/checks.json`, the layout
 * the suite writes with `-o <dir>`.
 */
export function readResults(dir: string, prefix: string, names: readonly ScenarioName[]): ScenarioResult[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    // No folder at all: every scenario reports that it left no results.
  }
  return names.map(({ name, notScored }) => {
    const folderName = new RegExp(`^${escapeRegExp(prefix + name)}-\\d{4}-\\d\\d-\\d\\dT`);
    const folder = entries.find((entry) => folderName.test(entry));
    const checks = folder === undefined ? undefined : readChecks(join(dir, folder, 'checks.json'));
    return { name, ...(notScored === undefined ? {} : { notScored }), ...(checks ? { checks } : {}) };
  });
}

function readChecks(file: string): Check[] | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(parsed) ? (parsed as Check[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The suite's own words for a check that did not simply pass. */
export function noteOf(check: Check): string {
  const note = check.errorMessage ?? check.details?.note ?? check.details?.message ?? check.description;
  return typeof note === 'string' ? note.trim() : check.status;
}

/** The suite's marker for a check its reference server's diagnostic tools would have made testable. */
export function isUntestable(check: Check): boolean {
  return check.details?.untestable === true || /^Not testable\b/.test(check.errorMessage ?? '');
}
