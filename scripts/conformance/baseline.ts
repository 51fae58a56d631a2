import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScenarioName } from './results.js';

export const BASELINE_FILE = fileURLToPath(new URL('./baseline.json', import.meta.url));

/**
 * `expected-to-change`: fails because of a known server bug whose fix is under way; the entry goes
 * when the fix lands, and the run says so by failing. `not-applicable`: fails because it needs a
 * capability or a reference-server tool this server does not have. `passes-without-exercising`:
 * passes, but only because the suite accepts the error a missing reference tool produces.
 */
export type EntryKind = 'expected-to-change' | 'not-applicable' | 'passes-without-exercising';

/** The section of baseline.json that holds each kind of entry. */
export const SECTION_OF: Readonly<Record<EntryKind, string>> = {
  'expected-to-change': 'expectedToChange',
  'not-applicable': 'notApplicable',
  'passes-without-exercising': 'passesWithoutExercising',
};

const SECTIONS = Object.fromEntries(
  Object.entries(SECTION_OF).map(([kind, section]) => [section, kind]),
) as Readonly<Record<string, EntryKind>>;

export interface Entry {
  /** `scenario` (every check of it, `wire-schema-*` aside) or `scenario:check-id`. */
  readonly key: string;
  readonly scenario: string;
  readonly check?: string;
  readonly kind: EntryKind;
  readonly reason: string;
  /** Part of the suite's message that shows the check fails the listed way and not another. */
  readonly message?: string;
}

/** Per set (`2025-11-25`, `2026-07-28`, `authorization`), its entries. */
export type Baseline = ReadonlyMap<string, readonly Entry[]>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An entry's value: its reason, or `{ "reason": …, "message": … }` to pin how the check fails. */
function parseEntry(key: string, kind: EntryKind, value: unknown): Entry | string {
  const { reason, message } = isObject(value) ? value : { reason: value, message: undefined };
  if (typeof reason !== 'string' || reason.trim() === '') return 'no reason';
  if (message !== undefined && (typeof message !== 'string' || message === ''))
    return 'message is not a string';
  const [scenario = '', check] = key.split(':');
  return {
    key,
    scenario,
    ...(check === undefined ? {} : { check }),
    kind,
    reason: reason.trim(),
    ...(message === undefined ? {} : { message }),
  };
}

/**
 * Reads `baseline.json`, whose sections map set → `scenario[:check-id]` → reason. An unknown
 * section, set or scenario, an empty reason, or a scenario listed both whole and per check is an
 * error, reported together with the others before anything runs.
 */
export function readBaseline(sets: ReadonlyMap<string, readonly ScenarioName[]>): Baseline {
  const parsed: unknown = JSON.parse(readFileSync(BASELINE_FILE, 'utf8'));
  if (!isObject(parsed)) throw new Error(`${BASELINE_FILE} must hold an object`);
  const problems: string[] = [];
  const baseline = new Map<string, Entry[]>([...sets.keys()].map((set) => [set, []]));
  for (const [section, bySet] of Object.entries(parsed)) {
    if (section === '$comment') continue;
    const kind = SECTIONS[section];
    if (kind === undefined || !isObject(bySet)) {
      problems.push(`${section}: not a section (${Object.keys(SECTIONS).join(', ')}) of set → entries`);
      continue;
    }
    for (const [set, entries] of Object.entries(bySet)) {
      const names = new Set(sets.get(set)?.map((s) => s.name));
      const into = baseline.get(set);
      if (into === undefined || !isObject(entries)) {
        problems.push(`${section}.${set}: not a set this run measures (${[...sets.keys()].join(', ')})`);
        continue;
      }
      for (const [key, value] of Object.entries(entries)) {
        const entry = parseEntry(key, kind, value);
        const where = `${section}.${set}.${key}`;
        if (typeof entry === 'string') problems.push(`${where}: ${entry}`);
        else if (!names.has(entry.scenario))
          problems.push(`${where}: ${set} runs no scenario ${entry.scenario}`);
        else into.push(entry);
      }
    }
  }
  for (const [set, entries] of baseline) problems.push(...overlaps(set, entries));
  if (problems.length > 0) throw new Error(`${BASELINE_FILE}:\n  ${problems.join('\n  ')}`);
  return baseline;
}

function overlaps(set: string, entries: readonly Entry[]): string[] {
  const problems: string[] = [];
  const keys = entries.map((entry) => entry.key);
  for (const key of new Set(keys.filter((key, index) => keys.indexOf(key) !== index))) {
    problems.push(`${set} ${key}: listed in more than one section`);
  }
  for (const whole of entries.filter((entry) => entry.check === undefined)) {
    if (entries.some((entry) => entry.check !== undefined && entry.scenario === whole.scenario)) {
      problems.push(`${set} ${whole.scenario}: listed both whole and per check`);
    }
  }
  return problems;
}
