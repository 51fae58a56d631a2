import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScenarioInfo } from './scenarios.js';

export const BASELINE_FILE = fileURLToPath(new URL('./baseline.json', import.meta.url));

/** Scenario name → why it is expected to fail here (it does not apply, or the cause is not ours). */
export type Baseline = ReadonlyMap<string, string>;

/** Reads `baseline.json`; an entry naming no scenario of the installed suite is an error. */
export function readBaseline(scenarios: readonly ScenarioInfo[]): Baseline {
  const parsed: unknown = JSON.parse(readFileSync(BASELINE_FILE, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${BASELINE_FILE} must be an object of scenario name → reason`);
  }
  const known = new Set(scenarios.map((s) => s.name));
  const problems: string[] = [];
  const baseline = new Map<string, string>();
  for (const [name, reason] of Object.entries(parsed)) {
    if (name === '$comment') continue;
    if (!known.has(name)) problems.push(`${name}: no such server scenario in this suite version`);
    else if (typeof reason !== 'string' || reason.trim() === '')
      problems.push(`${name}: the reason is missing`);
    else baseline.set(name, reason.trim());
  }
  if (problems.length > 0) throw new Error(`${BASELINE_FILE}:\n  ${problems.join('\n  ')}`);
  return baseline;
}
