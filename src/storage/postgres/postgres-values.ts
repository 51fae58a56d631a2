import type { DriverValues } from '../driver-values.js';

/**
 * pg returns timestamptz as a Date and boolean as a boolean. The column keeps microseconds and the
 * domain writes milliseconds, so toISOString gives back the very text that was written.
 */
export const POSTGRES_VALUES: DriverValues<Date, boolean> = {
  isoText: (time) => time.toISOString(),
  isTrue: (flag) => flag,
};
