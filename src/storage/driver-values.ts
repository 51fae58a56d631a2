/** How one database driver returns a timestamp column. */
export interface DriverTimestamps<Time> {
  /** The timestamp as the ISO 8601 text the domain wrote. */
  isoText(time: Time): string;
}

/**
 * How one database driver returns the column types whose JavaScript form differs between
 * drivers, so that one row mapping serves every adapter.
 */
export interface DriverValues<Time, Flag> extends DriverTimestamps<Time> {
  /** A boolean column as a boolean. */
  isTrue(flag: Flag): boolean;
}
