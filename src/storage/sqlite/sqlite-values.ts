import type { DriverValues } from '../driver-values.js';

/** SQLite keeps timestamps as the ISO text the domain wrote, and booleans as 0 or 1. */
export const SQLITE_VALUES: DriverValues<string, 0 | 1> = {
  isoText: (text) => text,
  isTrue: (flag) => flag === 1,
};
