import { after, before } from 'node:test';

/** Something a `before` hook started and the matching `after` hook will stop. */
export interface Hooked<T> {
  /**
   * Settles once it has started (rejects if it failed to). Node 20 starts the `before` hooks of a
   * file's top level together, so a top-level hook that needs it awaits this first.
   */
  readonly ready: Promise<void>;
  /** What was started; read it inside tests and later hooks. */
  current(): T;
  /** Puts another in its place, for the `after` hook to stop instead (after a restart). */
  replace(next: T): void;
}

/** Starts something before the tests of the current file or `describe`, and stops it after them. */
export function startInHooks<T>(start: () => Promise<T>, stop: (value: T) => Promise<void>): Hooked<T> {
  let value: { readonly current: T } | undefined;
  let outcome: { resolve(): void; reject(error: unknown): void } | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    outcome = { resolve, reject };
  });
  // The hook itself reports a failed start; this keeps `ready`, if no one awaits it, from going unhandled.
  ready.catch(() => {});
  before(async () => {
    try {
      value = { current: await start() };
      outcome?.resolve();
    } catch (error) {
      outcome?.reject(error);
      throw error;
    }
  });
  after(async () => {
    if (value !== undefined) await stop(value.current);
  });
  return {
    ready,
    current() {
      if (value === undefined) throw new Error('this starts in a before hook; read it inside a test');
      return value.current;
    },
    replace(next) {
      value = { current: next };
    },
  };
}
