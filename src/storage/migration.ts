/** One versioned schema change of a storage backend, in that backend's SQL. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
