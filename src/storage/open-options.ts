import { AppError } from '../errors.js';

export interface OpenOptions {
  /**
   * Refuse a database that does not exist yet (or holds no schema of ours) instead of creating
   * it: for commands that only read or change what a server created.
   */
  readonly mustExist?: boolean;
  /**
   * For a long-running server: SQLite's write-ahead log is checkpointed by a worker thread rather
   * than inside the commit that fills it (no effect on PostgreSQL).
   */
  readonly checkpointInBackground?: boolean;
}

/** The refusal of `mustExist` for a database that holds no schema of ours. */
export function notOurDatabase(where: string): AppError {
  return new AppError(
    'not_found',
    `${where} holds no Todo Manager database; start the server or run "migrate" to create one there`,
  );
}
