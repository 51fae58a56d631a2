import { SETTINGS } from './settings.js';

/**
 * Environment variables that look like misspellings of a setting (`DATABSE_URL`, `AUTH_ISUER`,
 * `log_level`), each with the setting it most likely meant: within two edits, letters swapped
 * counting as one, for names long enough that such a near miss is no coincidence.
 */
export function misspelledSettings(
  env: Readonly<Record<string, string | undefined>>,
): { readonly name: string; readonly meant: string }[] {
  const known: readonly string[] = SETTINGS;
  return Object.keys(env)
    .filter((name) => !known.includes(name))
    .flatMap((name) => {
      const meant = known.find((key) => {
        const distance = editDistance(name.toUpperCase(), key);
        return distance === 0 || (distance === 1 && key.length >= 4) || (distance === 2 && key.length >= 8);
      });
      return meant === undefined ? [] : [{ name, meant }];
    });
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}
